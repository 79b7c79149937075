using System.Globalization;
using LicenseRisk.Model;

namespace LicenseRisk.Presentation.Report;

/// <summary>One stored run's numbers for one vendor: a point of its trend.</summary>
public sealed record TrendPoint(DateOnly AsOf, string IsoWeek, double Probability, double Low, double High, string Band);

/// <summary>A vendor's score compared with the previous stored run.</summary>
public sealed record Change(DateOnly PreviousAsOf, double PreviousProbability, string PreviousBand, double Delta)
{
    public bool BandChanged(string band) => !string.Equals(PreviousBand, band, StringComparison.Ordinal);
}

/// <summary>A signal that the previous run did not consider.</summary>
public sealed record NewSignal(string Label, string Kind, DateOnly Date, string? Source, string? Note);

/// <summary>One vendor in the weekly report.</summary>
public sealed record VendorEntry(
    VendorScore Score,
    Change? Change,
    IReadOnlyList<NewSignal> NewSignals,
    IReadOnlyList<string> DataWarnings,
    IReadOnlyList<TrendPoint> Trend);

/// <summary>The previous stored run the report compares with.</summary>
public sealed record PreviousRun(DateOnly AsOf, string IsoWeek, string PackSha256);

/// <summary>Everything the weekly report shows, in Markdown, HTML and JSON.</summary>
public sealed record WeeklyReport(
    PackInfo Pack,
    string PackSha256,
    DateOnly AsOf,
    int HorizonMonths,
    PreviousRun? Previous,
    IReadOnlyList<VendorEntry> Vendors)
{
    public const string Schema = "licenserisk.report/1";

    public string IsoWeek => Week(AsOf);

    public static string Week(DateOnly day)
    {
        var dt = day.ToDateTime(TimeOnly.MinValue);
        return string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(dt)}-W{ISOWeek.GetWeekOfYear(dt):00}");
    }
}

/// <summary>The week-over-week change as the writers show it.</summary>
internal static class Fmt
{
    public static string Delta(Change? c) => c is null ? "new" : Numbers.Signed(c.Delta);
}
