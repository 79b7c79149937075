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
public sealed record NewSignal(string Label, string Kind, DateOnly Date, string? Source, string? Note)
{
    /// <summary>For a signal a collector proposed and a person accepted: "collected by huggingface, reviewed 2026-12-05"; null when typed by hand.</summary>
    public string? Provenance { get; init; }

    /// <summary>How a report describes a signal's provenance, or null for a hand-typed one.</summary>
    public static string? Describe(SignalProvenance? p) =>
        p is null ? null : $"collected by {p.Collector}{Accepted(p)}";

    /// <summary>", reviewed 2026-12-05", or ", accepted automatically 2026-12-05 by policy 'acme'" (collect.auto_accept), or nothing.</summary>
    public static string Accepted(SignalProvenance p) => p.Reviewed is not { } day
        ? string.Empty
        : p.AutoAcceptedBy is { } by ? $", accepted automatically {IsoDate.Format(day)} by policy '{by}'" : ", reviewed " + IsoDate.Format(day);
}

/// <summary>One vendor in the weekly report.</summary>
public sealed record VendorEntry(
    VendorScore Score,
    Change? Change,
    IReadOnlyList<NewSignal> NewSignals,
    IReadOnlyList<string> DataWarnings,
    IReadOnlyList<TrendPoint> Trend);

/// <summary>The previous stored run the report compares with.</summary>
public sealed record PreviousRun(DateOnly AsOf, string IsoWeek, string PackSha256);

/// <summary>
/// The service's last reload was rejected: the report was made from the last good rule pack and
/// dossiers, loaded at <paramref name="LastGoodLoadedAt"/>, and says so until a reload succeeds.
/// </summary>
/// <param name="Reload">which reload was rejected, counting from 1 after the first load.</param>
public sealed record StaleInputs(int Reload, DateTimeOffset RejectedAt, IReadOnlyList<Diagnostic> Errors, DateTimeOffset LastGoodLoadedAt);

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

    /// <summary>The policy layered over the pack, if any (named with its hash, as score does).</summary>
    public Policy? Policy { get; init; }

    /// <summary>Set when the inputs are the last good ones after a rejected reload; null when they are current.</summary>
    public StaleInputs? StaleInputs { get; init; }

    /// <summary>What the service's collect before this report found; null when it did not collect (the CLI's report never does).</summary>
    public CollectionSection? Collection { get; init; }

    public string IsoWeek => Week(AsOf);

    public static string Week(DateOnly day)
    {
        var dt = day.ToDateTime(TimeOnly.MinValue);
        return string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(dt)}-W{ISOWeek.GetWeekOfYear(dt):00}");
    }
}

/// <summary>What the three report writers show alike: the week-over-week change, the stale-inputs notice.</summary>
public static class Fmt
{
    public static string Delta(Change? c) => c is null ? "new" : Numbers.Signed(c.Delta);

    /// <summary>An instant in UTC, to the second: 2026-03-05T06:00:10Z.</summary>
    public static string Utc(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The stale-inputs notice as a sentence of plain text (each writer escapes and styles it).</summary>
    public static string Stale(StaleInputs s) => string.Create(CultureInfo.InvariantCulture,
        $"reload {s.Reload} at {Utc(s.RejectedAt)} was rejected with {Plural.Of(s.Errors.Count, "error")}, so this report uses the last good rule pack and dossiers, loaded at {Utc(s.LastGoodLoadedAt)}. Reports say so until a reload succeeds.");
}
