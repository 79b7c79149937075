using System.Diagnostics;
using System.Globalization;
using LicenseRisk.Benchmarks.Workload;

namespace LicenseRisk.Benchmarks;

/// <summary>
/// Scoring throughput as paired ratios, in one process: each round times every implementation on
/// the same slice of dossiers, one after another, after a full garbage collection; the ratio of a
/// baseline to LicenseRisk is taken within the round. The order rotates each round and reverses
/// each cycle, so no implementation always follows the same one. On a shared machine whose speed
/// drifts by tens of percent over minutes, a ratio of two runs minutes apart (BenchmarkDotNet
/// runs each benchmark in turn, in its own process) moves with the drift. Single rounds of about
/// a second still vary; their median moves by a few percent between runs, and is reported with
/// the range.
/// </summary>
public static class Paired
{
    private static double s_sink;

    public static void Run(int rounds, int slice, int dossiers)
    {
        if (rounds < 1 || slice < 1 || slice > dossiers)
        {
            throw new ArgumentOutOfRangeException(nameof(slice), $"need at least 1 round and a slice of 1 to {dossiers} dossiers");
        }

        using var w = new Workloads(Workloads.Seed, 100, dossiers, 50);
        Console.WriteLine($"equivalence: {w.Check(300)} dossiers agree");
        var implementations = w.Implementations().ToList();
        var neutral = w.Neutral;
        double Time(Func<WDossier, double> score, int start)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var sum = 0.0;
            var sw = Stopwatch.StartNew();
            for (var i = start; i < start + slice; i++)
            {
                sum += score(neutral[i]);
            }

            var elapsed = sw.Elapsed.TotalMicroseconds / slice;
            s_sink += sum; // the scores are used, so no work can be skipped
            return elapsed;
        }

        // Warm-up: JIT tiers and first-use costs out of the way.
        foreach (var (_, score) in implementations)
        {
            for (var pass = 0; pass < 3; pass++)
            {
                Time(score, 0);
            }
        }

        var times = implementations.Select(_ => new List<double>()).ToList();
        for (var r = 0; r < rounds; r++)
        {
            var start = (r * slice) % (neutral.Count - slice + 1);
            var n = implementations.Count;
            var reverse = r / n % 2 == 1;
            for (var k = 0; k < n; k++)
            {
                var i = reverse ? (n - 1 - k + r) % n : (k + r) % n;
                times[i].Add(Time(implementations[i].Score, start));
            }
        }

        var lr = times[0];
        Console.WriteLine($"{rounds} rounds of {slice} dossiers (of {neutral.Count}), per dossier, median over rounds:");
        for (var i = 0; i < implementations.Count; i++)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {implementations[i].Name,-12} {Median(times[i]),8:0.0} us"));
        }

        for (var i = 1; i < implementations.Count; i++)
        {
            var ratios = times[i].Zip(lr, (b, l) => b / l).ToList();
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"paired ratio {implementations[i].Name} / LicenseRisk: median {Median(ratios):0.00}x (min {ratios.Min():0.00}x, max {ratios.Max():0.00}x)"));
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        var n = sorted.Count;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[(n / 2) - 1] + sorted[n / 2]) / 2;
    }
}
