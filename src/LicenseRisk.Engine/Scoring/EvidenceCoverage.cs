using LicenseRisk.Model;
using LicenseRisk.Rules;

namespace LicenseRisk.Scoring;

/// <summary>Evidence coverage of one dossier: the factor groups with and without data, and whether the evidence is thin.</summary>
public static class EvidenceCoverage
{
    public const int ThinSignals = 5;
    public const int StaleDays = 365;

    /// <summary>Which factor groups have any signal at all, and whether the evidence is thin.</summary>
    public static Coverage Of(CompiledPack pack, IReadOnlyList<SignalRecord> considered, DateOnly asOf)
    {
        var (withData, without) = Groups(pack, considered);
        int? newestAge = considered.Count == 0 ? null : asOf.DayNumber - considered.Max(s => s.Date.DayNumber);
        return Of(pack, considered.Count, newestAge, withData, without);
    }

    /// <summary>
    /// The factor groups the considered signals' kinds feed, and the others, in the pack's order: they
    /// depend on the set of kinds alone (what-if's memo keeps them per set).
    /// </summary>
    internal static (List<string> WithData, List<string> Without) Groups(CompiledPack pack, IReadOnlyList<SignalRecord> considered)
    {
        // Which groups each kind feeds is fixed per pack; a dossier only marks the groups of the
        // kinds it has (the same groups, in the same order, as testing each group for overlap).
        var index = pack.CoverageIndex;
        var hasData = new bool[index.Groups.Length];
        KindDef? last = null;
        foreach (var s in considered)
        {
            if (ReferenceEquals(s.Kind, last))
            {
                continue;
            }

            last = s.Kind;
            if (index.GroupsOf.TryGetValue(s.Kind.Name, out var groups))
            {
                foreach (var g in groups)
                {
                    hasData[g] = true;
                }
            }
        }

        var withData = new List<string>();
        var without = new List<string>();
        for (var g = 0; g < index.Groups.Length; g++)
        {
            (hasData[g] ? withData : without).Add(index.Groups[g]);
        }

        return (withData, without);
    }

    /// <summary>The coverage of <paramref name="count"/> considered signals, the newest that old, feeding these groups.</summary>
    internal static Coverage Of(CompiledPack pack, int count, int? newestAge, IReadOnlyList<string> withData, IReadOnlyList<string> without)
    {
        string? reason = null;
        if (count < ThinSignals)
        {
            reason = $"only {Plural.Of(count, "signal")} known";
        }
        else if (newestAge > StaleDays)
        {
            reason = $"the newest signal is {newestAge} days old";
        }
        else if (withData.Count * 3 < pack.GroupKinds.Count)
        {
            reason = $"only {withData.Count} of {pack.GroupKinds.Count} factor groups have any data";
        }

        return new Coverage(count, newestAge, withData, without, reason is not null, reason);
    }
}

/// <summary>A pack's factor groups in order, and for each dossier kind the groups it feeds (built once per pack).</summary>
public sealed class CoverageIndex
{
    public CoverageIndex(IReadOnlyDictionary<string, IReadOnlySet<string>> groupKinds)
    {
        Groups = [.. groupKinds.Keys];
        var of = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var g = 0;
        foreach (var kinds in groupKinds.Values)
        {
            foreach (var kind in kinds)
            {
                if (!of.TryGetValue(kind, out var list))
                {
                    of[kind] = list = [];
                }

                list.Add(g);
            }

            g++;
        }

        GroupsOf = of.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
    }

    public string[] Groups { get; }

    public Dictionary<string, int[]> GroupsOf { get; }
}
