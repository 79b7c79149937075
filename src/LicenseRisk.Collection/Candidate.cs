using System.Globalization;
using System.Text;

namespace LicenseRisk.Collection;

/// <summary>Where a candidate stands: proposed by a collector, then accepted or rejected by a person.</summary>
public enum CandidateStatus
{
    /// <summary>Proposed, waiting for review; it does not count in any score.</summary>
    Pending,

    /// <summary>Accepted: appended to the dossier as a signal with its provenance.</summary>
    Accepted,

    /// <summary>Rejected: kept so the next collect does not propose it again.</summary>
    Rejected,
}

/// <summary>
/// The signal a candidate proposes, in the dossier format's terms: a kind, a day and the kind's
/// fields (as text, typed by the pack's signals.yaml when accepted), with source, confidence and note.
/// </summary>
public sealed record ProposedSignal(
    string Kind,
    DateOnly Date,
    IReadOnlyList<KeyValuePair<string, string>> Fields,
    string Source,
    double Confidence,
    string? Note)
{
    /// <summary>The value of a field, or null.</summary>
    public string? Field(string name) => Fields.FirstOrDefault(f => f.Key == name).Value;
}

/// <summary>
/// A candidate signal in a dossier's inbox, with its provenance: which collector proposed it,
/// from which address, when, a SHA-256 of the content read, and why.
/// </summary>
/// <param name="Id">Stable id derived from the collector and the proposed fact: collecting twice proposes it once.</param>
/// <param name="Collector">huggingface, openrouter, feed or github.</param>
/// <param name="Url">The address the content came from.</param>
/// <param name="FetchedAt">When it was read (UTC, ISO 8601).</param>
/// <param name="Sha256">SHA-256 of the content read (lowercase hex).</param>
/// <param name="Why">Why the collector proposes it, for the reviewer.</param>
/// <param name="Signal">The proposed signal.</param>
/// <param name="Needs">Required fields the collector cannot know; the reviewer gives them on accept.</param>
public sealed record Candidate(
    string Id,
    string Collector,
    string Url,
    string FetchedAt,
    string Sha256,
    string Why,
    ProposedSignal Signal,
    IReadOnlyList<string> Needs)
{
    /// <summary>Pending, accepted or rejected.</summary>
    public CandidateStatus Status { get; init; } = CandidateStatus.Pending;

    /// <summary>The day of the review, when reviewed.</summary>
    public DateOnly? ReviewedOn { get; init; }

    /// <summary>The reviewer's reason, when reviewed.</summary>
    public string? Reason { get; init; }

    /// <summary>The policy whose collect.auto_accept accepted it; null when a person reviewed it (or nobody yet).</summary>
    public string? AutoAcceptedBy { get; init; }

    /// <summary>The day (UTC) the candidate's content was read: when it was proposed.</summary>
    public DateOnly FetchedDay => DateOnly.FromDateTime(DateTimeOffset.Parse(FetchedAt, CultureInfo.InvariantCulture).UtcDateTime);

    /// <summary>One line about what the candidate proposes: its fields, what it needs, its note.</summary>
    public string Summary() =>
        string.Join(", ", Signal.Fields.Select(f => f.Key == "model" ? f.Value : $"{f.Key}={f.Value}"))
        + (Needs.Count > 0 ? $" [needs {string.Join(", ", Needs)}]" : string.Empty)
        + (Signal.Note is { } note ? $" '{note}'" : string.Empty);

    /// <summary>A stable id: a prefix naming the collector and 12 hex digits of a hash of the fact's key.</summary>
    public static string MakeId(string collector, string key)
    {
        var hash = ContentHash.Of(collector + "\n" + key);
        var prefix = collector switch
        {
            "huggingface" => "hf",
            "openrouter" => "or",
            "github" => "gh",
            _ => "feed",
        };
        return $"{prefix}-{hash[..12]}";
    }
}
