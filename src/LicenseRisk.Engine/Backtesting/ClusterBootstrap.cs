namespace LicenseRisk.Backtesting;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood, OOPSLA 2014; the constants of Vigna's reference code): a
/// 64-bit counter stepped by the golden-ratio constant and scrambled. Written out here, in integer
/// arithmetic only, so that a seed gives the same numbers on every .NET version, under the JIT and
/// under Native AOT (System.Random's algorithms are not a documented contract).
/// </summary>
public struct SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>An integer in [0, n): the high 64 bits of Next() x n (its bias, below n / 2^64, is nil for any n used here).</summary>
    public int NextBelow(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        return (int)Math.BigMul(Next(), (ulong)n, out _);
    }
}

/// <summary>A percentile interval of one figure.</summary>
public sealed record CvInterval(double Low, double High)
{
    public static CvInterval None { get; } = new(double.NaN, double.NaN);

    public bool Contains(double x) => x >= Low && x <= High;
}

/// <summary>
/// The cluster bootstrap's intervals of one model's figures (see <see cref="ClusterBootstrap"/>).
/// <see cref="Skill"/> is the Brier skill score as its point figure defines it: against the
/// draw's own flip rate in <c>calibrate</c>, against the prior in <c>backtest</c>.
/// </summary>
public sealed record CvIntervals(double Level, CvInterval Skill, CvInterval Auc, CvInterval MeanLrNoFlip, CvInterval MeanInverseLrFlipped);

/// <summary>How one set of cases was resampled: their company groups, the draws made, and the draws skipped for want of a flip or a non-flip.</summary>
public sealed record CvBootstrap(int Groups, int Cases, int Draws, int Skipped, ulong Seed, double Level);

/// <summary>
/// A cluster bootstrap over companies: a draw picks as many company groups as the scheme's test
/// cases fall in (<see cref="CaseGroups"/>, the groups leave-one-company-out uses), uniformly with
/// replacement, and takes every case of each pick, so a company's lines are never split. The
/// out-of-sample forecasts are held fixed: the fit is not redone per draw, so the intervals carry
/// the noise of which companies were remembered, not that of the fit. A draw without a flip or
/// without a non-flip is skipped (and counted). The interval is the nearest-rank percentile of the
/// used draws' figures sorted ascending: with m draws at level L, the ceil(m (1 - L) / 2)-th and the
/// ceil(m (1 + L) / 2)-th (2,000 draws at 90%: the 100th and the 1,900th).
/// </summary>
public static class ClusterBootstrap
{
    public const int DefaultDraws = 2000;

    /// <summary>The fixed seed (the day the bootstrap was added, 2026-12-07).</summary>
    public const ulong DefaultSeed = 20261207;

    /// <summary>The interval's level in percent: 90.</summary>
    public const int LevelPercent = 90;

    public const double Level = LevelPercent / 100.0;

    /// <summary>The rows of each group, groups in order of first appearance, rows in order.</summary>
    public static IReadOnlyList<int[]> Groups(IReadOnlyList<int> groupOfRow)
    {
        var order = new List<int>();
        var rows = new Dictionary<int, List<int>>();
        for (var r = 0; r < groupOfRow.Count; r++)
        {
            if (!rows.TryGetValue(groupOfRow[r], out var list))
            {
                rows[groupOfRow[r]] = list = [];
                order.Add(groupOfRow[r]);
            }

            list.Add(r);
        }

        return [.. order.Select(g => rows[g].ToArray())];
    }

    /// <summary>One draw: as many picks as there are groups, each a group chosen uniformly with replacement, contributing all its rows.</summary>
    public static int[] Draw(IReadOnlyList<int[]> groups, ref SplitMix64 rng)
    {
        var rows = new List<int>();
        for (var k = 0; k < groups.Count; k++)
        {
            rows.AddRange(groups[rng.NextBelow(groups.Count)]);
        }

        return [.. rows];
    }

    /// <summary>The draws that hold both outcomes, and how many of the <paramref name="draws"/> made did not (skipped).</summary>
    public static (IReadOnlyList<int[]> Draws, int Skipped) Draws(IReadOnlyList<int> groupOfRow, IReadOnlyList<bool> y, int draws, ulong seed)
    {
        var groups = Groups(groupOfRow);
        var rng = new SplitMix64(seed);
        var used = new List<int[]>(draws);
        var skipped = 0;
        for (var d = 0; d < draws && groups.Count > 0; d++)
        {
            var rows = Draw(groups, ref rng);
            if (rows.Any(r => y[r]) && rows.Any(r => !y[r]))
            {
                used.Add(rows);
            }
            else
            {
                skipped++;
            }
        }

        return (used, groups.Count == 0 ? draws : skipped);
    }

    /// <summary>
    /// The percentile intervals of four figures over the draws (indexes into the rows), each computed
    /// on a draw as on all rows: the Brier skill score of the forecasts <paramref name="p"/> against
    /// the <paramref name="reference"/> forecasts of the same rows, or against the draw's own flip
    /// rate when that is null; ROC AUC of <paramref name="ranking"/>; and the likelihood-ratio check
    /// of <paramref name="evidence"/> (each row's log likelihood ratio). The forecasts are the rows'
    /// own: nothing is refitted per draw.
    /// </summary>
    public static CvIntervals Intervals(IReadOnlyList<int[]> draws, IReadOnlyList<bool> y, IReadOnlyList<double> p, IReadOnlyList<double>? reference, IReadOnlyList<double> ranking, IReadOnlyList<double> evidence)
    {
        var skill = new List<double>(draws.Count);
        var auc = new List<double>(draws.Count);
        var noFlip = new List<double>(draws.Count);
        var flipped = new List<double>(draws.Count);
        foreach (var draw in draws)
        {
            var dy = draw.Select(i => y[i]).ToList();
            var rate = dy.Average(v => v ? 1.0 : 0.0);
            var dReference = reference is null ? dy.Select(_ => rate).ToList() : draw.Select(i => reference[i]).ToList();
            skill.Add(Metrics.SkillScore(Metrics.Brier([.. draw.Select(i => p[i])], dy), Metrics.Brier(dReference, dy)));
            auc.Add(Metrics.Auc([.. draw.Select(i => ranking[i])], dy));
            var lr = Metrics.LikelihoodRatioCheck([.. draw.Select(i => evidence[i])], dy);
            noFlip.Add(lr.NoFlip);
            flipped.Add(lr.Flipped);
        }

        return new CvIntervals(Level, Percentile(skill), Percentile(auc), Percentile(noFlip), Percentile(flipped));
    }

    /// <summary>The nearest-rank percentile interval (see the class) of the values, NaN values dropped; None when no value is left.</summary>
    public static CvInterval Percentile(IEnumerable<double> values, int levelPercent = LevelPercent)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).ToArray();
        if (sorted.Length == 0)
        {
            return CvInterval.None;
        }

        Array.Sort(sorted);
        var m = sorted.Length;

        // Ranks in integer arithmetic: ceil(m (100 - L) / 200) and ceil(m (100 + L) / 200), at least 1.
        var low = Math.Max(1, ((m * (100 - levelPercent)) + 199) / 200);
        var high = Math.Max(1, ((m * (100 + levelPercent)) + 199) / 200);
        return new CvInterval(sorted[low - 1], sorted[high - 1]);
    }
}
