using System.Globalization;

namespace LicenseRisk.Model;

/// <summary>The one date form of dossiers, packs, policies and options: ISO 8601, YYYY-MM-DD exactly.</summary>
public static class IsoDate
{
    private const string Pattern = "yyyy-MM-dd";

    /// <summary>Reads YYYY-MM-DD exactly; false for any other form or an impossible day.</summary>
    public static bool TryParse(string? s, out DateOnly date) =>
        DateOnly.TryParseExact(s, Pattern, CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    /// <summary>Writes the day as YYYY-MM-DD.</summary>
    public static string Format(DateOnly d) => d.ToString(Pattern, CultureInfo.InvariantCulture);
}
