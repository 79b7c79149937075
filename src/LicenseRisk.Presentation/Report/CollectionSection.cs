using System.Globalization;
using LicenseRisk.Model;

namespace LicenseRisk.Presentation.Report;

/// <summary>
/// What the service's collect before a report found: per vendor, the candidates proposed and the
/// signals accepted since the previous run, what waits for review, and the sources that failed
/// this run. Present only in a report the service wrote after collecting (docs/collection.md).
/// </summary>
/// <param name="CollectedAt">when this run's collect started.</param>
/// <param name="Since">the previous run's as-of day: "new" means proposed or accepted after it; null when there is no earlier run (everything so far is new).</param>
public sealed record CollectionSection(
    DateTimeOffset CollectedAt,
    DateOnly? Since,
    IReadOnlyList<VendorCollection> Vendors,
    IReadOnlyList<FailedSource> Failed);

/// <summary>One candidate in the report: its id, what it proposes, which collector proposed it.</summary>
/// <param name="AutoAccepted">accepted by the policy's auto-accept rule rather than by a person.</param>
public sealed record CollectedItem(string Id, string Kind, DateOnly Date, string Collector, string Summary, bool AutoAccepted = false);

/// <summary>One vendor's collection: new since the previous run, and pending review.</summary>
/// <param name="OldestPending">the day the oldest pending candidate was proposed (fetched), or null when none waits.</param>
public sealed record VendorCollection(
    string Vendor,
    string Name,
    IReadOnlyList<CollectedItem> Proposed,
    IReadOnlyList<CollectedItem> Accepted,
    int Pending,
    DateOnly? OldestPending);

/// <summary>A source that could not be read this run, or a collect that did not finish.</summary>
public sealed record FailedSource(string Vendor, string Source, string Url, string Reason);

/// <summary>The sentences the three report writers show alike for the collection section.</summary>
public static class CollectionText
{
    /// <summary>The opening sentence: when the sources were read and what "new" is measured from.</summary>
    public static string Intro(CollectionSection c) => string.Create(CultureInfo.InvariantCulture,
        $"The service read the dossiers' sources at {Fmt.Utc(c.CollectedAt)}. {(c.Since is { } since ? $"New means proposed or accepted after the run of {IsoDate.Format(since)}" : "No earlier run is stored: everything collected so far counts as new")}; only accepted candidates are signals, pending ones count in no score.");

    /// <summary>"12 days (since 2026-02-25)", or "none" when nothing waits.</summary>
    public static string OldestAge(VendorCollection v, DateOnly asOf) => v.OldestPending is { } day
        ? string.Create(CultureInfo.InvariantCulture, $"{Plural.Of(Math.Max(0, asOf.DayNumber - day.DayNumber), "day")} (since {IsoDate.Format(day)})")
        : "none";

    /// <summary>The age in days of the oldest pending candidate at <paramref name="asOf"/>, or null.</summary>
    public static int? OldestDays(VendorCollection v, DateOnly asOf) => v.OldestPending is { } day ? Math.Max(0, asOf.DayNumber - day.DayNumber) : null;

    /// <summary>"proposed release 2025-04-02 by huggingface: Llama-4-..." (plain text; each writer escapes it).</summary>
    public static string Item(string verb, CollectedItem i) => string.Create(CultureInfo.InvariantCulture,
        $"{verb}{(i.AutoAccepted ? " automatically" : "")} {i.Kind} {IsoDate.Format(i.Date)} by {i.Collector}: {i.Summary}");

    /// <summary>The failures line's sentence for a failed source (plain text).</summary>
    public static string Failure(FailedSource f) => $"{(f.Vendor.Length == 0 ? "" : f.Vendor + ": ")}{f.Source}{(f.Url.Length == 0 ? "" : " " + f.Url)}: {f.Reason}";

    public static string NoFailures => "None: every source was read.";
}
