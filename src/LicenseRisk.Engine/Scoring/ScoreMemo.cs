using LicenseRisk.Model;
using LicenseRisk.Rules;

namespace LicenseRisk.Scoring;

/// <summary>
/// What the last score of one vendor computed, kept by what-if between variants so that a variant
/// recomputes only what its edit changed (see <see cref="Scorer.Score(CompiledPack, ScoreRequest, PackRun, ScoreMemo?)"/>).
/// Valid for one pack, as-of day, horizon and policy; not thread-safe.
/// </summary>
internal sealed class ScoreMemo(CompiledPack pack)
{
    private readonly Dictionary<SignalFact, (int Version, DerivedSignal Signal, string Support, string Fields)> _derived = new(ReferenceEqualityComparer.Instance);
    private ulong[] _kinds = [];
    private int _count = -1;
    private int? _newestAge;
    private Coverage? _coverage;

    /// <summary>Per rule: the strongest firing of the last score and the contribution made of it.</summary>
    public (Firing Firing, Contribution Contribution)?[] Contributions { get; } = new (Firing, Contribution)?[pack.Rules.Count];

    /// <summary>A derived signal as reported (with its sort keys), made again only when its fact changed.</summary>
    public (DerivedSignal Signal, string Support, string Fields) Derived(SignalFact fact)
    {
        if (_derived.TryGetValue(fact, out var last) && last.Version == fact.Version)
        {
            return (last.Signal, last.Support, last.Fields);
        }

        if (_derived.Count > 256)
        {
            // Retracted derived signals are never asked for again: keep the memo small.
            _derived.Clear();
        }

        var (signal, support, fields) = Scorer.Keyed(fact);
        _derived[fact] = (fact.Version, signal, support, fields);
        return (signal, support, fields);
    }

    /// <summary>
    /// Evidence coverage depends on the number of considered signals, the newest one's age and the
    /// kinds present: the last coverage when those are the same, else a new one.
    /// </summary>
    public Coverage Coverage(CompiledPack pack, IReadOnlyList<SignalRecord> considered, DateOnly asOf)
    {
        var kinds = new ulong[_kinds.Length];
        var newest = int.MinValue;
        foreach (var s in considered)
        {
            var id = s.Kind.Id;
            if (id / 64 >= kinds.Length)
            {
                Array.Resize(ref kinds, (id / 64) + 1);
            }

            kinds[id / 64] |= 1UL << (id % 64);
            newest = Math.Max(newest, s.Date.DayNumber);
        }

        int? newestAge = considered.Count == 0 ? null : asOf.DayNumber - newest;
        if (_coverage is not null && _count == considered.Count && _newestAge == newestAge && kinds.AsSpan().SequenceEqual(_kinds))
        {
            return _coverage;
        }

        _kinds = kinds;
        _count = considered.Count;
        _newestAge = newestAge;
        return _coverage = EvidenceCoverage.Of(pack, considered, asOf);
    }
}
