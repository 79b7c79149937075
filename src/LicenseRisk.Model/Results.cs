namespace LicenseRisk.Model;

/// <summary>One rule's counted (or outweighed) effect on a vendor's score.</summary>
/// <remarks><see cref="Signals"/> names the matched signals (id or file:line); <see cref="Spans"/> locates them
/// in their files (a derived signal by its dossier support), ordered by file, line and column.</remarks>
public sealed record Contribution(
    string Rule,
    string Title,
    string? Group,
    double Weight,
    double Sd,
    double Confidence,
    double Decay,
    double Value,
    string Because,
    IReadOnlyList<string> Signals,
    IReadOnlyList<string> References,
    string? Rationale)
{
    /// <summary>Where the matched dossier signals are written (a derived signal contributes its support).</summary>
    public IReadOnlyList<SourceSpan> Spans { get; init; } = [];
}

/// <summary>A rule that fired but lost to a stronger rule of its group.</summary>
public sealed record Outweighed(Contribution Contribution, string By);

/// <summary>A signal made by a rule (forward chaining) during scoring.</summary>
public sealed record DerivedSignal(string Kind, DateOnly Date, double Confidence, string By, IReadOnlyList<string> Support, IReadOnlyList<KeyValuePair<string, string>> Fields);

/// <summary>A signal left out because it is dated, or was reported, after the as-of day.</summary>
public sealed record IgnoredSignal(string Label, DateOnly Date, string Reason)
{
    /// <summary>The day the event became known, when it happened on or before the as-of day but was reported after it.</summary>
    public DateOnly? ReportedLater { get; init; }

    /// <summary>Why a list of ignored signals was left out, for one line of text: "dated after", "reported after" or both.</summary>
    public static string After(IReadOnlyList<IgnoredSignal> ignored)
    {
        var reported = ignored.Count(i => i.ReportedLater is not null);
        return reported == 0 ? "dated after" : reported == ignored.Count ? "reported after" : "dated or reported after";
    }
}

/// <summary>The score of one vendor as of a day, with everything that explains it.</summary>
public sealed record VendorScore(
    Dossier Dossier,
    DateOnly AsOf,
    int HorizonMonths,
    double Probability,
    double Low,
    double High,
    string Band,
    double Logit,
    IReadOnlyList<Contribution> Contributions,
    IReadOnlyList<Outweighed> Outweighed,
    IReadOnlyList<DerivedSignal> Derived,
    IReadOnlyList<IgnoredSignal> Ignored,
    int SignalsConsidered,
    IReadOnlyList<string> Warnings)
{
    /// <summary>Rules that fired but a policy waiver kept out of the score.</summary>
    public IReadOnlyList<WaivedContribution> Waived { get; init; } = [];

    /// <summary>How much is known about the vendor (absence of a signal is not evidence of absence).</summary>
    public required Coverage Coverage { get; init; }

    public string Id => Dossier.Vendor.Id;

    public string Name => Dossier.Vendor.Name;
}

/// <summary>A contribution a waiver removed from the score; still shown, marked as waived.</summary>
public sealed record WaivedContribution(Contribution Contribution, Waiver Waiver);

/// <summary>
/// What the score rests on: signals considered, the newest one's age, factor groups with no data
/// at all, and whether the evidence is too thin for a low score to mean "safe".
/// </summary>
public sealed record Coverage(
    int SignalsConsidered,
    int? NewestSignalAgeDays,
    IReadOnlyList<string> GroupsWithData,
    IReadOnlyList<string> GroupsWithoutData,
    bool ThinEvidence,
    string? ThinReason);
