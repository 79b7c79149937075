#pragma warning disable CA1051 // a public field: lowered conditions read it directly

namespace LicenseRisk.Scoring;

/// <summary>
/// A signal as the right-hand side of a <c>no:</c> item sees it. NRules propagates a batch of
/// facts through the network depth-first, so when one batch fed both sides of a not-node, the
/// matches of its left side could arrive before the signals that cancel them: they were put on
/// the agenda and taken off again in the same insert. Probes are a type of their own, and the
/// dossier's probes are inserted in a batch before its signals, so absences are decided on the
/// dossier's complete signals the first time. Only signals of the kinds some <c>no:</c> item
/// reads get a probe. A derived signal's probe is linked to the same activation: NRules
/// propagates the two in one batch, in the order of its type nodes, so there the order is not
/// guaranteed (the result is the same either way: truth maintenance settles it).
/// </summary>
public sealed class AbsenceProbe(SignalFact of)
{
    /// <summary>The signal this probe stands for (conditions read it).</summary>
    public readonly SignalFact Of = of;

    // Identity by reference; the hash as SignalFact's (NRules' fact maps hash every fact).
    private readonly int _hash = FactHash.Next();

    public override int GetHashCode() => _hash;
}
