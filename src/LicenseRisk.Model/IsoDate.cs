using System.Globalization;
using System.Text.RegularExpressions;

namespace LicenseRisk.Model;

/// <summary>
/// The one date form of dossiers, packs, policies and options: ISO 8601, YYYY-MM-DD exactly. A text
/// of that shape naming a day the calendar lacks says which part is wrong.
/// </summary>
public static partial class IsoDate
{
    private const string Pattern = "yyyy-MM-dd";

    [GeneratedRegex("^([0-9]{4})-([0-9]{2})-([0-9]{2})$")]
    private static partial Regex Shape();

    /// <summary>Reads YYYY-MM-DD exactly; false for any other form or an impossible day.</summary>
    public static bool TryParse(string? s, out DateOnly date) => TryParse(s, out date, out _);

    /// <summary>
    /// Reads YYYY-MM-DD exactly. When false, <paramref name="notADay"/> is null if the text is not of
    /// that shape, or a message such as "'2025-06-31' is not a date: June has 30 days" if it is.
    /// </summary>
    public static bool TryParse(string? s, out DateOnly date, out string? notADay)
    {
        notADay = null;
        if (DateOnly.TryParseExact(s, Pattern, CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
        {
            return true;
        }

        if (s is null || Shape().Match(s) is not { Success: true } m)
        {
            return false;
        }

        var year = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        var month = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        var day = int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
        notADay = $"'{s}' is not a date: " + (month, day, year) switch
        {
            (< 1 or > 12, _, _) => $"there is no month {month}; months run from 01 to 12",
            (_, < 1, _) => $"there is no day {day}; days start at 01",
            (_, _, < 1) => "there is no year 0000",
            (2, 29, _) => $"{year} is not a leap year, so February has 28 days",
            _ => $"{CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(month)} has {DateTime.DaysInMonth(year, month)} days",
        };
        return false;
    }

    /// <summary>Writes the day as YYYY-MM-DD.</summary>
    public static string Format(DateOnly d) => d.ToString(Pattern, CultureInfo.InvariantCulture);
}
