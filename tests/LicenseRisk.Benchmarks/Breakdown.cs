using System.Globalization;
using LicenseRisk.Benchmarks.Workload;
using LicenseRisk.Scoring;

namespace LicenseRisk.Benchmarks;

/// <summary>
/// Where a dossier's time and memory go: the NRules session alone (<see cref="Evaluator.Run"/>:
/// facts, insert, fire), the whole score (session, scorer, coverage), the fluent baseline, and
/// the fluent baseline with the same output (its firings handed to the scorer), per dossier, as thread CPU time (median over paired rounds) and bytes allocated (exact).
/// </summary>
public static class Breakdown
{
    private static double s_sink;

    public static void Run(int rounds, string which = "all")
    {
        if (which is "all" or "realistic")
        {
        var r = new RealisticWorkload(Workloads.Seed, 2_000);
        Report("realistic", r.Dossiers.Count, [
            ("session", i => Evaluator.Run(r.Pack, r.Dossiers[i].Signals, RealisticGenerator.AsOfDate).Firings.Count),
            ("score", i => r.Score(i).Probability),
            ("fluent", i => r.Fluent.Score(r.Neutral[i])),
            ("fluentsame", i => r.ScoreSameOutput(i).Probability),
            ("session0", i => r.Pack.Factory.CreateSession() is null ? 1 : 0),
            ("convert", i => r.Dossiers[i].Signals.Where(s => s.Date <= RealisticGenerator.AsOfDate).Select(s => LicenseRisk.Scoring.SignalFact.From(s, RealisticGenerator.AsOfDate)).Count()),
            ("fire", i => { var s = r.Pack.Factory.CreateSession(); s.DependencyResolver = new NullResolver(); s.InsertAll(r.Dossiers[i].Signals.Where(s => s.Date <= RealisticGenerator.AsOfDate).Select(s => LicenseRisk.Scoring.SignalFact.From(s, RealisticGenerator.AsOfDate)).ToList()); return s.Fire(); }),
            ("fluent0", i => r.Fluent.Factory.CreateSession() is null ? 1 : 0),
        ], rounds);
        ScorerAlone(r.Pack, r.Dossiers, RealisticGenerator.AsOfDate, rounds);
        InContext(r.Pack, r.Dossiers, RealisticGenerator.AsOfDate, rounds);
        SameOutputInContext(r.Pack, r.SameOutput, r.Dossiers, RealisticGenerator.AsOfDate, rounds, i =>
        {
            var (session, recorder) = r.Fluent.Fire(r.Neutral[i]);
            return (recorder.Firings, BundledFluent.Derived(session));
        });
        }

        if (which is not ("all" or "synthetic"))
        {
            return;
        }

        using var w = new Workloads(Workloads.Seed, 100, 2_000, 50);
        Report("synthetic", w.Dossiers.Count, [
            ("session", i => Evaluator.Run(w.LicenseRisk.Pack, w.Dossiers[i].Signals, Generator.AsOfDate).Firings.Count),
            ("score", i => w.LicenseRisk.Score(w.Dossiers[i]).Probability),
            ("fluent", i => FluentRules.Score(w.Fluent, w.Rules, w.Neutral[i])),
            ("fluentsame", i => FluentRules.ScoreSameOutput(w.Fluent, w.SameOutput, w.Neutral[i], w.Dossiers[i]).Probability),
        ], rounds);
        InContext(w.LicenseRisk.Pack, w.Dossiers, Generator.AsOfDate, rounds);
        SameOutputInContext(w.LicenseRisk.Pack, w.SameOutput, w.Dossiers, Generator.AsOfDate, rounds, i =>
        {
            var (session, recorder) = FluentRules.Fire(w.Fluent, w.Neutral[i]);
            return (recorder.Firings, session.Query<WDerived>());
        });
    }

    /// <summary>
    /// The "fluent, same output" baseline split within the same loop: the fluent session (create,
    /// insert, fire), turning its firings into the engine's run (matched facts to slots, the
    /// engine's facts, derived signals), and LicenseRisk's scorer on that run.
    /// </summary>
    private static void SameOutputInContext(
        LicenseRisk.Rules.CompiledPack pack,
        SameOutput same,
        IReadOnlyList<LicenseRisk.Model.Dossier> dossiers,
        DateOnly asOf,
        int rounds,
        Func<int, (Dictionary<object, WFiring> Firings, IEnumerable<object> Derived)> fire)
    {
        const int Slice = 200;
        var session = new List<double>();
        var convert = new List<double>();
        var score = new List<double>();
        for (var r = -2; r < rounds; r++)
        {
            var start = Math.Max(0, r) * Slice % (dossiers.Count - Slice);
            GC.Collect();
            double a = 0, b = 0, c = 0;
            for (var i = start; i < start + Slice; i++)
            {
                var t0 = Paired.ThreadCpu();
                var (firings, derived) = fire(i);
                var t1 = Paired.ThreadCpu();
                var run = same.Run(dossiers[i], asOf, firings, derived);
                var t2 = Paired.ThreadCpu();
                s_sink += Scorer.Score(pack, new ScoreRequest(dossiers[i], asOf, pack.Model.HorizonMonths, null), run).Probability;
                var t3 = Paired.ThreadCpu();
                a += t1 - t0;
                b += t2 - t1;
                c += t3 - t2;
            }

            if (r >= 0)
            {
                session.Add(a / Slice);
                convert.Add(b / Slice);
                score.Add(c / Slice);
            }
        }

        static double Median(List<double> v) => v.Order().ElementAt(v.Count / 2);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  fluent, same output, in context: fluent session {Median(session),8:0.0} us, to the engine's run {Median(convert),8:0.0} us, scorer {Median(score),8:0.0} us"));
    }

    private sealed class NullResolver : NRules.Extensibility.IDependencyResolver
    {
        public object Resolve(NRules.Extensibility.IResolutionContext context, Type serviceType) => new LicenseRisk.Rules.Runtime.EvalContext(RealisticGenerator.AsOfDate);
    }

    /// <summary>Each dossier's session, then its scorer, timed apart within the same loop.</summary>
    private static void InContext(LicenseRisk.Rules.CompiledPack pack, IReadOnlyList<LicenseRisk.Model.Dossier> dossiers, DateOnly asOf, int rounds)
    {
        const int Slice = 200;
        var run = new List<double>();
        var score = new List<double>();
        for (var r = -2; r < rounds; r++)
        {
            var start = Math.Max(0, r) * Slice % (dossiers.Count - Slice);
            GC.Collect();
            double a = 0, b = 0;
            for (var i = start; i < start + Slice; i++)
            {
                var t0 = Paired.ThreadCpu();
                var fired = Evaluator.Run(pack, dossiers[i].Signals, asOf);
                var t1 = Paired.ThreadCpu();
                s_sink += Scorer.Score(pack, new ScoreRequest(dossiers[i], asOf, pack.Model.HorizonMonths, null), fired).Probability;
                var t2 = Paired.ThreadCpu();
                a += t1 - t0;
                b += t2 - t1;
            }

            if (r >= 0)
            {
                run.Add(a / Slice);
                score.Add(b / Slice);
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  in context: session {run.Order().ElementAt(run.Count / 2),8:0.0} us, scorer {score.Order().ElementAt(score.Count / 2),8:0.0} us"));
    }

    /// <summary>The scorer and coverage alone: each round fires the sessions first (not timed), then scores their runs.</summary>
    private static void ScorerAlone(LicenseRisk.Rules.CompiledPack pack, IReadOnlyList<LicenseRisk.Model.Dossier> dossiers, DateOnly asOf, int rounds)
    {
        const int Slice = 200;
        var cpu = new List<double>();
        for (var r = -2; r < rounds; r++)
        {
            var start = Math.Max(0, r) * Slice % (dossiers.Count - Slice);
            var runs = Enumerable.Range(start, Slice).Select(i => Evaluator.Run(pack, dossiers[i].Signals, asOf)).ToList();
            GC.Collect();
            var t = Paired.ThreadCpu();
            for (var i = 0; i < Slice; i++)
            {
                s_sink += Scorer.Score(pack, new ScoreRequest(dossiers[start + i], asOf, pack.Model.HorizonMonths, null), runs[i]).Probability;
            }

            if (r >= 0)
            {
                cpu.Add((Paired.ThreadCpu() - t) / Slice);
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  scorer   {cpu.Order().ElementAt(cpu.Count / 2),8:0.0} us (scorer and coverage on runs fired beforehand)"));
    }

    private static void Report(string name, int count, (string Name, Func<int, double> Run)[] parts, int rounds)
    {
        const int Slice = 200;
        var cpu = parts.Select(_ => new List<double>()).ToList();
        var bytes = new double[parts.Length];
        for (var r = -2; r < rounds; r++)
        {
            var start = Math.Max(0, r) * Slice % (count - Slice);
            for (var p = 0; p < parts.Length; p++)
            {
                GC.Collect();
                var b = GC.GetAllocatedBytesForCurrentThread();
                var t = Paired.ThreadCpu();
                for (var i = start; i < start + Slice; i++)
                {
                    s_sink += parts[p].Run(i);
                }

                t = (Paired.ThreadCpu() - t) / Slice;
                if (r >= 0)
                {
                    cpu[p].Add(t);
                    bytes[p] = (double)(GC.GetAllocatedBytesForCurrentThread() - b) / Slice;
                }
            }
        }

        Console.WriteLine($"== {name}: per dossier, thread CPU median of {rounds} rounds of {Slice}; bytes allocated");
        for (var p = 0; p < parts.Length; p++)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {parts[p].Name,-10} {cpu[p].Order().ElementAt(cpu[p].Count / 2),8:0.0} us {bytes[p] / 1024,8:0.0} KB"));
        }
    }
}
