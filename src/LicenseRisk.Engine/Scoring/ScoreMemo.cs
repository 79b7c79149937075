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

    // Per rule, the first and the last contribution made, with the firings they were made of.
    private readonly FirstAndLast<Remembered>[] _contributions = new FirstAndLast<Remembered>[pack.Rules.Count];

    /// <summary>
    /// Two kept values: the first one made (the base's, which undoing an edit returns to) and the
    /// last one made since.
    /// </summary>
    private struct FirstAndLast<T>
        where T : class
    {
        public T? First;
        public T? Last;

        public void Keep(T made)
        {
            if (First is null)
            {
                First = made;
            }
            else
            {
                Last = made;
            }
        }
    }

    /// <summary>
    /// The contribution rule <paramref name="rule"/> made of <paramref name="firing"/>, or of an
    /// earlier firing on the same facts holding the same signals (a dossier signal by its record, a
    /// derived one by its fact and version, a set by its members in order); null when none is kept.
    /// </summary>
    public Contribution? Contribution(int rule, Firing firing)
    {
        ref var kept = ref _contributions[rule];
        var (first, last) = (kept.First, kept.Last);
        if (ReferenceEquals(first?.Firing, firing))
        {
            return first!.Contribution;
        }

        if (ReferenceEquals(last?.Firing, firing))
        {
            return last!.Contribution;
        }

        if (first is null && last is null)
        {
            return null;
        }

        var key = Key(firing);
        if (first is not null && key.SequenceEqual(first.Key))
        {
            return first.Contribution;
        }

        if (last is not null && key.SequenceEqual(last.Key))
        {
            kept.Last = new Remembered(firing, last.Key, last.Contribution);
            return last.Contribution;
        }

        return null;
    }

    /// <summary>Keeps the contribution made of <paramref name="firing"/> for the next scores.</summary>
    public void Remember(int rule, Firing firing, Contribution contribution)
    {
        _contributions[rule].Keep(new Remembered(firing, Key(firing).ToArray(), contribution));
    }

    private sealed record Remembered(Firing Firing, Held[] Key, Contribution Contribution);

    /// <summary>One thing a firing holds: a record, a derived fact at a version, or a set's start (with its size).</summary>
    private readonly record struct Held(object? Ref, int Version)
    {
        public bool Equals(Held other) => ReferenceEquals(Ref, other.Ref) && Version == other.Version;

        public override int GetHashCode() => Version;
    }

    private static readonly object SetMark = new();

    // The key of the last firing asked about, made in one list kept for the purpose.
    private readonly List<Held> _key = [];
    private Firing? _keyOf;

    /// <summary>What a firing's facts hold, in slot order: equal keys make equal contributions.</summary>
    private ReadOnlySpan<Held> Key(Firing firing)
    {
        if (!ReferenceEquals(_keyOf, firing))
        {
            _key.Clear();
            foreach (var item in firing.Items)
            {
                switch (item)
                {
                    case SignalFact f:
                        _key.Add(Of(f));
                        break;
                    case IEnumerable<SignalFact> set:
                        var start = _key.Count;
                        _key.Add(default);
                        foreach (var f in set)
                        {
                            _key.Add(Of(f));
                        }

                        _key[start] = new Held(SetMark, _key.Count - start - 1);
                        break;
                    default:
                        // Nothing matched (an absence), or an item of another shape: kept by reference.
                        _key.Add(new Held(item, -1));
                        break;
                }
            }

            _keyOf = firing;
        }

        return System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_key);
    }

    // A dossier signal's fact is made from its record alone (and the as-of day, the memo's); a
    // derived signal's fact changes only through CopyFrom, which counts versions.
    private static Held Of(SignalFact f) => f.Record is { } record ? new Held(record, 0) : new Held(f, f.Version + 1);

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
    /// kinds present: a kept coverage when those are the same as one made before, else a new one,
    /// whose factor groups are kept per set of kinds (they depend on the kinds alone).
    /// </summary>
    public Coverage Coverage(CompiledPack pack, IReadOnlyList<SignalRecord> considered, DateOnly asOf)
    {
        var kinds = _kinds;
        Array.Clear(kinds);
        var newest = int.MinValue;
        var wide = false;
        foreach (var s in considered)
        {
            var id = s.Kind.Id;
            if (id / 64 >= kinds.Length)
            {
                Array.Resize(ref kinds, (id / 64) + 1);
                _kinds = kinds;
            }

            wide |= id >= 64;
            kinds[id / 64] |= 1UL << (id % 64);
            newest = Math.Max(newest, s.Date.DayNumber);
        }

        int? newestAge = considered.Count == 0 ? null : asOf.DayNumber - newest;
        if (!wide)
        {
            // Kind ids below 64 (every catalog of fewer kinds): the kinds are one word, and coverages
            // and factor groups are kept by value.
            var key = (considered.Count, newestAge, kinds[0]);
            if (_coverageBy.TryGetValue(key, out var kept))
            {
                return kept;
            }

            if (!_groupsBy.TryGetValue(kinds[0], out var groups))
            {
                if (_groupsBy.Count >= 256)
                {
                    _groupsBy.Clear();
                }

                groups = EvidenceCoverage.Groups(pack, considered);
                _groupsBy[kinds[0]] = groups;
            }

            if (_coverageBy.Count >= 256)
            {
                // Sweeps over dates make a coverage per newest age: keep the memo small.
                _coverageBy.Clear();
            }

            var coverage = EvidenceCoverage.Of(pack, considered.Count, newestAge, groups.WithData, groups.Without);
            _coverageBy[key] = coverage;
            return coverage;
        }

        if (_coverage.First is { } first && first.Matches(considered.Count, newestAge, kinds))
        {
            return first.Coverage;
        }

        if (_coverage.Last is { } last && last.Matches(considered.Count, newestAge, kinds))
        {
            return last.Coverage;
        }

        var made = new KeptCoverage(considered.Count, newestAge, [.. kinds], EvidenceCoverage.Of(pack, considered, asOf));
        _coverage.Keep(made);
        return made.Coverage;
    }

    private readonly Dictionary<(int Count, int? NewestAge, ulong Kinds), Coverage> _coverageBy = [];
    private readonly Dictionary<ulong, (List<string> WithData, List<string> Without)> _groupsBy = [];
    private ulong[] _kinds = new ulong[1];
    private FirstAndLast<KeptCoverage> _coverage;

    private sealed record KeptCoverage(int Count, int? NewestAge, ulong[] Kinds, Coverage Coverage)
    {
        // Trailing zero words do not matter: a longer scratch array only means a higher kind id was seen once.
        public bool Matches(int count, int? newestAge, ulong[] kinds)
        {
            if (count != Count || newestAge != NewestAge)
            {
                return false;
            }

            for (var i = 0; i < Math.Max(kinds.Length, Kinds.Length); i++)
            {
                if ((i < kinds.Length ? kinds[i] : 0) != (i < Kinds.Length ? Kinds[i] : 0))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
