using System.Globalization;

namespace LicenseRisk.Reporting;

/// <summary>Number formats shared by every output, so one value reads the same everywhere.</summary>
public static class Text
{
    /// <summary>A signed log-odds contribution: "+0.46", "-0.12", "0.00" (never "-0.00" or "-+0.00").</summary>
    public static string Signed(double x) =>
        (Math.Round(x, 2, MidpointRounding.AwayFromZero) + 0.0).ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture);

    /// <summary>A probability with two decimals.</summary>
    public static string P(double p) => p.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>An ISO date, YYYY-MM-DD.</summary>
    public static string Date(DateOnly d) => d.ToString(DateFormat, CultureInfo.InvariantCulture);

    /// <summary>Reads an ISO date, YYYY-MM-DD exactly (the only date form dossiers, packs and options accept).</summary>
    public static bool TryParseDate(string? s, out DateOnly date) =>
        DateOnly.TryParseExact(s, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    private const string DateFormat = "yyyy-MM-dd";

    /// <summary>Options of every JSON output: indented, and text kept readable (only what JSON requires is escaped).</summary>
    public static readonly System.Text.Json.JsonWriterOptions Json = new()
    {
        Indented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
