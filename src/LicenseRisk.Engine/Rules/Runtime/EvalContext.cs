using LicenseRisk.Scoring;

namespace LicenseRisk.Rules.Runtime;

/// <summary>Per-session values the rule actions read (resolved through NRules' dependency resolver).</summary>
public sealed class EvalContext(DateOnly asOf)
{
    public double AsOfDay { get; } = asOf.DayNumber;

    /// <summary>
    /// The current firing of each live activation (NRules keeps one Activation object per match):
    /// set when it fires or refires, removed when it is deactivated. Cheaper than linked facts,
    /// which would travel through the network although no rule matches them.
    /// </summary>
    public Dictionary<object, Firing> Firings { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>
    /// The derived signal of each live activation of a deriving rule (the fact linked to it), so a
    /// run lists its derived signals without querying the session's working memory.
    /// </summary>
    public Dictionary<object, SignalFact> Derived { get; } = new(ReferenceEqualityComparer.Instance);
}
