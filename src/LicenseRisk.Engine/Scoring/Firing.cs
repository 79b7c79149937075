using LicenseRisk.Model;
using LicenseRisk.Rules.Runtime;
using LicenseRisk.Rules.Lowering;

namespace LicenseRisk.Scoring;

/// <summary>
/// One firing of a weighted rule, kept per activation by <see cref="LicenseRisk.Rules.Lowering.EvalContext"/>.
/// Strength (confidence, newest day) is computed when the rule fires; the explanation (signals,
/// spans, because) only when asked for, from the matched facts: most firings are outweighed by
/// a stronger firing of the same rule and are never explained. A firing is read only after the
/// session has run to completion, when every live activation has fired on its final facts.
/// </summary>
public sealed class Firing
{
    private readonly CompiledRule _rule;
    private readonly object?[] _items;
    private readonly double _asOfDay;
    private IReadOnlyList<string>? _signals;
    private IReadOnlyList<SourceSpan>? _spans;
    private string? _because;

    // The decay, computed once: a firing that a what-if variant left alone keeps its strength.
    private double? _decay;

    internal Firing(CompiledRule rule, object?[] items, double asOfDay, double confidence, double? newestDay)
    {
        _rule = rule;
        _items = items;
        _asOfDay = asOfDay;
        Confidence = confidence;
        NewestDay = newestDay;
    }

    public int RuleIndex => _rule.Index;

    /// <summary>The matched facts by slot (what-if's memo keys a contribution on what they hold).</summary>
    internal object?[] Items => _items;

    public double Confidence { get; }

    /// <summary>Day number of the newest signal behind the firing, or null when none (only absences).</summary>
    public double? NewestDay { get; }

    public IReadOnlyList<string> Signals => _signals ??= RuleRuntime.Labels(_rule, _items);

    /// <summary>Where the matched dossier signals are written, ordered by file, line and column.</summary>
    public IReadOnlyList<SourceSpan> Spans => _spans ??= RuleRuntime.Spans(_rule, _items);

    public string Because => _because ??= RuleRuntime.Render(_rule.Because, _items, _asOfDay);

    /// <summary>
    /// <see cref="Scorer.Decay"/> of this firing: its rule's half-life over the age of its newest
    /// signal on the as-of day it fired on (a session fires on the day it is scored on).
    /// </summary>
    internal double Decay => _decay ??= Scorer.Decay(_rule.HalfLifeDays, NewestDay, _asOfDay);
}
