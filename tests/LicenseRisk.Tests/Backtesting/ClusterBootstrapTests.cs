using LicenseRisk.Backtesting;

namespace LicenseRisk.Tests.Backtesting;

/// <summary>The cluster bootstrap behind calibrate's intervals: its generator, its draws and its percentile rule.</summary>
public sealed class ClusterBootstrapTests
{
    // Six companies; company 0's three cases all flipped, company 3's two cases both did not.
    private static readonly int[] GroupOfRow = [0, 0, 0, 1, 2, 2, 3, 3, 4, 5, 5, 5];
    private static readonly bool[] Y = [true, true, true, false, true, false, false, false, true, false, true, false];

    [Fact]
    public void SplitMix64_GivesTheReferenceSequence()
    {
        // The reference implementation's (Vigna, splitmix64.c) first outputs from seed 0.
        var rng = new SplitMix64(0);
        rng.Next().ShouldBe(0xE220A8397B1DCDAFUL);
        rng.Next().ShouldBe(0x6E789E6AA1B965F4UL);
        rng.Next().ShouldBe(0x06C45D188009454FUL);
    }

    [Fact]
    public void Draws_NeverSplitACompany_AndPickAsManyCompaniesAsThereAre()
    {
        var (draws, skipped) = ClusterBootstrap.Draws(GroupOfRow, Y, 500, ClusterBootstrap.DefaultSeed);
        (draws.Count + skipped).ShouldBe(500);
        draws.Count.ShouldBeGreaterThan(400, "most draws hold both outcomes; the checks below must see them");
        var groups = ClusterBootstrap.Groups(GroupOfRow);
        groups.Count.ShouldBe(6);
        foreach (var draw in draws)
        {
            var picks = 0;
            var size = 0;
            foreach (var rows in groups)
            {
                // Every case of a company appears the same number of times: the company was picked that often, whole.
                var counts = rows.Select(r => draw.Count(x => x == r)).Distinct().ToList();
                counts.Count.ShouldBe(1, $"a draw split company {GroupOfRow[rows[0]]}: {string.Join(",", draw)}");
                picks += counts[0];
                size += counts[0] * rows.Length;
            }

            picks.ShouldBe(6);
            draw.Length.ShouldBe(size);

            // Company 0 (all flips) comes in threes.
            (draw.Count(r => GroupOfRow[r] == 0) % 3).ShouldBe(0);
            draw.ShouldContain(r => Y[r]);
            draw.ShouldContain(r => !Y[r]);
        }
    }

    [Fact]
    public void Draws_WithoutAFlipOrANonFlip_AreSkippedAndCounted()
    {
        // One flipping company among eight: a draw misses it with chance (7/8)^8, about a third.
        int[] groupOf = [0, 1, 2, 3, 4, 5, 6, 7];
        bool[] y = [true, false, false, false, false, false, false, false];
        var (draws, skipped) = ClusterBootstrap.Draws(groupOf, y, 1000, ClusterBootstrap.DefaultSeed);
        (draws.Count + skipped).ShouldBe(1000);
        skipped.ShouldBeInRange(250, 450);
        draws.ShouldAllBe(d => d.Any(r => y[r]) && d.Any(r => !y[r]));
    }

    [Fact]
    public void Draws_FromTheSameSeed_AreTheSame()
    {
        var a = ClusterBootstrap.Draws(GroupOfRow, Y, 200, 42).Draws;
        var b = ClusterBootstrap.Draws(GroupOfRow, Y, 200, 42).Draws;
        var c = ClusterBootstrap.Draws(GroupOfRow, Y, 200, 43).Draws;
        a.Select(d => string.Join(",", d)).ShouldBe(b.Select(d => string.Join(",", d)));
        a.Select(d => string.Join(",", d)).ShouldNotBe(c.Select(d => string.Join(",", d)));
    }

    [Fact]
    public void Percentile_IsTheNearestRank()
    {
        // 2,000 values at 90%: the 100th and the 1,900th smallest.
        var values = Enumerable.Range(1, 2000).Select(i => (double)i).Reverse();
        ClusterBootstrap.Percentile(values).ShouldBe(new CvInterval(100, 1900));

        // 10 values: ceil(0.5) = 1st and ceil(9.5) = 10th; NaN values are left out.
        ClusterBootstrap.Percentile([.. Enumerable.Range(1, 10).Select(i => (double)i), double.NaN]).ShouldBe(new CvInterval(1, 10));
        ClusterBootstrap.Percentile(Enumerable.Range(1, 20).Select(i => (double)i)).ShouldBe(new CvInterval(1, 19));
        ClusterBootstrap.Percentile([double.NaN]).Low.ShouldBe(double.NaN);
    }
}
