using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using LicenseRisk.Benchmarks.Workload;

namespace LicenseRisk.Benchmarks;

/// <summary>
/// Scoring throughput as paired ratios, in one process: each round times every implementation on
/// the same slice of dossiers, one after another, after a full garbage collection; the ratio of a
/// baseline to LicenseRisk is taken within the round. The order rotates each round and reverses
/// each cycle, so no implementation always follows the same one. On a shared machine whose speed
/// drifts by tens of percent over minutes, a ratio of two runs minutes apart (BenchmarkDotNet
/// runs each benchmark in turn, in its own process) moves with the drift. Each slice is timed
/// twice over: wall time, and the scoring thread's own CPU time (CLOCK_THREAD_CPUTIME_ID), which
/// leaves out the time the thread waited for a core while other processes ran. Single rounds of
/// about a second still vary; their median moves by a few percent between runs, and is reported
/// with the range.
/// </summary>
public static class Paired
{
    private static double s_sink;

    /// <summary>Both workloads (or the one named), one after the other, in this process.</summary>
    public static void Run(int rounds, int slice, string which)
    {
        if (which is "all" or "synthetic")
        {
            using var w = new Workloads(Workloads.Seed, 100, 10_000, 50);
            Console.WriteLine($"== synthetic: 100 generated rules, dossiers of 50 signals; equivalence: {w.Check(300)} dossiers agree");
            var neutral = w.Neutral;
            Run([.. w.Implementations().Select(i => (i.Name, (Func<int, double>)(k => i.Score(neutral[k]))))], neutral.Count, rounds, slice);
        }

        if (which is "all" or "realistic")
        {
            var r = new RealisticWorkload(Workloads.Seed, 10_000);
            var (n, contributions) = r.Check(300);
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"== realistic: the bundled pack ({r.Pack.Rules.Count} rules), dossiers of 8 to 32 signals shaped like samples/vendors; equivalence: {n} dossiers agree; {contributions:0.0} counted contributions per vendor"));
            Run([.. r.Implementations()], r.Neutral.Count, rounds, slice);
        }
    }

    public static void Run(IReadOnlyList<(string Name, Func<int, double> Score)> implementations, int count, int rounds, int slice)
    {
        if (rounds < 1 || slice < 1 || slice > count)
        {
            throw new ArgumentOutOfRangeException(nameof(slice), $"need at least 1 round and a slice of 1 to {count} dossiers");
        }

        (double Wall, double Cpu) Time(Func<int, double> score, int start)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var sum = 0.0;
            var cpu = ThreadCpu();
            var sw = Stopwatch.StartNew();
            for (var i = start; i < start + slice; i++)
            {
                sum += score(i);
            }

            var wall = sw.Elapsed.TotalMicroseconds / slice;
            cpu = (ThreadCpu() - cpu) / slice;
            s_sink += sum; // the scores are used, so no work can be skipped
            return (wall, cpu);
        }

        // Warm-up: JIT tiers and first-use costs out of the way.
        foreach (var (_, score) in implementations)
        {
            for (var pass = 0; pass < 3; pass++)
            {
                Time(score, 0);
            }
        }

        var times = implementations.Select(_ => new List<(double Wall, double Cpu)>()).ToList();
        for (var r = 0; r < rounds; r++)
        {
            var start = (r * slice) % (count - slice + 1);
            var n = implementations.Count;
            var reverse = r / n % 2 == 1;
            for (var k = 0; k < n; k++)
            {
                var i = reverse ? (n - 1 - k + r) % n : (k + r) % n;
                times[i].Add(Time(implementations[i].Score, start));
            }
        }

        var lr = times[0];
        Console.WriteLine($"{rounds} rounds of {slice} dossiers (of {count}), per dossier, median over rounds (wall time; thread CPU time):");
        for (var i = 0; i < implementations.Count; i++)
        {
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  {implementations[i].Name,-16} {Median([.. times[i].Select(t => t.Wall)]),8:0.0} us; {Median([.. times[i].Select(t => t.Cpu)]),8:0.0} us"));
        }

        for (var i = 1; i < implementations.Count; i++)
        {
            var wall = times[i].Zip(lr, (b, l) => b.Wall / l.Wall).ToList();
            var cpu = times[i].Zip(lr, (b, l) => b.Cpu / l.Cpu).ToList();
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"paired ratio {implementations[i].Name} / LicenseRisk: median {Median(wall):0.00}x (min {wall.Min():0.00}x, max {wall.Max():0.00}x); CPU time median {Median(cpu):0.00}x (min {cpu.Min():0.00}x, max {cpu.Max():0.00}x)"));
        }
    }

    /// <summary>
    /// The 1,000-rule compile as paired rounds: LicenseRisk from YAML text on disk to a session
    /// factory, and the same rules in the fluent DSL loaded and compiled with the same expression
    /// compiler, one after the other in each round (the order alternates), after a warm-up of each.
    /// Two parts are timed too: LicenseRisk's YAML reading alone, and fluent's RuleRepository.Load
    /// alone (every rule class's Define), so the rest of each is parse, bind, lower and NRules' compile.
    /// </summary>
    public static void Compile(int rounds, int ruleCount = 1_000)
    {
        var rules = new Generator(Workloads.Seed).Rules(ruleCount);
        var dir = Path.Combine(Path.GetTempPath(), "lr-bench", "compile-" + Guid.NewGuid().ToString("n"));
        Generator.WritePack(dir, rules);
        try
        {
            (string Name, Func<object> Run)[] implementations =
            [
                ("LicenseRisk", () => LicenseRiskRunner.Compile(dir).Factory),
                ("NRulesFluent", () => FluentRules.Compile(rules)),
                ("  its YAML read", () => LicenseRisk.Yaml.PackReader.Read(dir, new LicenseRisk.Yaml.Limits(), new LicenseRisk.Model.DiagnosticBag())!),
                ("  its Load", () => { var r = new NRules.Fluent.RuleRepository(new FluentRules.SpecActivator(rules)); r.Load(x => x.NestedTypes().From(FluentRules.RuleTypes)); return r.GetRuleSets().ToList(); }),
                ("  its read + bind + lower", () => Lowered(dir)),
            ];
            (double Wall, double Cpu, double Process) Time(Func<object> run)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
                var cpu = ThreadCpu();
                var process = ProcessCpu();
                var sw = Stopwatch.StartNew();
                s_sink += run().GetHashCode();
                return (sw.Elapsed.TotalMilliseconds, (ThreadCpu() - cpu) / 1000, (ProcessCpu() - process) / 1000);
            }

            // Warm-up: three of each, so that most methods have reached their final JIT tier.
            for (var pass = 0; pass < 3; pass++)
            {
                foreach (var (_, run) in implementations)
                {
                    Time(run);
                }
            }

            var times = implementations.Select(_ => new List<(double Wall, double Cpu, double Process)>()).ToList();
            for (var r = 0; r < rounds; r++)
            {
                for (var k = 0; k < implementations.Length; k++)
                {
                    var i = r % 2 == 0 ? k : implementations.Length - 1 - k;
                    times[i].Add(Time(implementations[i].Run));
                }
            }

            Console.WriteLine($"== compile: {ruleCount} generated rules, {rounds} paired rounds (after three warm-ups each), median over rounds (wall time; thread CPU time; process CPU time, which adds the GC's and the JIT's background threads):");
            for (var i = 0; i < implementations.Length; i++)
            {
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"  {implementations[i].Name,-12} {Median([.. times[i].Select(t => t.Wall)]),8:0} ms; {Median([.. times[i].Select(t => t.Cpu)]),8:0} ms; {Median([.. times[i].Select(t => t.Process)]),8:0} ms"));
            }

            var wall = times[0].Zip(times[1], (l, f) => l.Wall / f.Wall).ToList();
            var cpu = times[0].Zip(times[1], (l, f) => l.Cpu / f.Cpu).ToList();
            var proc = times[0].Zip(times[1], (l, f) => l.Process / f.Process).ToList();
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"paired ratio LicenseRisk / NRulesFluent: median {Median(wall):0.00}x (min {wall.Min():0.00}x, max {wall.Max():0.00}x); CPU time median {Median(cpu):0.00}x (min {cpu.Min():0.00}x, max {cpu.Max():0.00}x); process CPU time median {Median(proc):0.00}x (min {proc.Min():0.00}x, max {proc.Max():0.00}x)"));
            var sumLr = times[0].Sum(t => t.Cpu);
            var sumFluent = times[1].Sum(t => t.Cpu);
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  sums over all rounds: thread CPU {sumLr / sumFluent:0.00}x, process CPU {times[0].Sum(t => t.Process) / times[1].Sum(t => t.Process):0.00}x"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>LicenseRisk's read + bind + lower of the 1,000-rule pack, <paramref name="n"/> times, alone: for a profiler.</summary>
    public static void CompileProfile(int n, int ruleCount = 1_000)
    {
        var rules = new Generator(Workloads.Seed).Rules(ruleCount);
        var dir = Path.Combine(Path.GetTempPath(), "lr-bench", "compile-" + Guid.NewGuid().ToString("n"));
        Generator.WritePack(dir, rules);
        try
        {
            var sw = Stopwatch.StartNew();
            var cpu = ThreadCpu();
            for (var i = 0; i < n; i++)
            {
                s_sink += Lowered(dir).Count;
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{n} read + bind + lower in {sw.Elapsed.TotalSeconds:0.0} s, {(ThreadCpu() - cpu) / 1000 / n:0.0} ms thread CPU each"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>LicenseRisk's compile up to NRules' rule definitions (read, bind, lower), without NRules' RuleCompiler (templates are compiled on first use, never here).</summary>
    private static List<NRules.RuleModel.IRuleDefinition> Lowered(string dir)
    {
        var diags = new LicenseRisk.Model.DiagnosticBag();
        var syntax = LicenseRisk.Yaml.PackReader.Read(dir, new LicenseRisk.Yaml.Limits(), diags)!;
        var lowerer = new LicenseRisk.Rules.Lowering.RuleLowerer(static e => e.Compile(), syntax.Catalog);
        var definitions = new List<NRules.RuleModel.IRuleDefinition>(syntax.Rules.Count);
        foreach (var rule in syntax.Rules)
        {
            definitions.Add(lowerer.Lower(LicenseRisk.Rules.Binding.RuleBinder.Bind(rule, syntax.Catalog, diags)!, definitions.Count, syntax.Model).Definition);
        }

        return definitions;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        var n = sorted.Count;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[(n / 2) - 1] + sorted[n / 2]) / 2;
    }

    /// <summary>The calling thread's CPU time in microseconds (Linux; elsewhere the process's).</summary>
    public static double ThreadCpu()
    {
        if (OperatingSystem.IsLinux() && ClockGetTime(3 /* CLOCK_THREAD_CPUTIME_ID */, out var ts) == 0)
        {
            return (ts.Seconds * 1e6) + (ts.Nanoseconds / 1e3);
        }

        return Process.GetCurrentProcess().TotalProcessorTime.TotalMicroseconds;
    }

    /// <summary>The whole process's CPU time in microseconds, every thread (the GC's and the JIT's too).</summary>
    public static double ProcessCpu()
    {
        if (OperatingSystem.IsLinux() && ClockGetTime(2 /* CLOCK_PROCESS_CPUTIME_ID */, out var ts) == 0)
        {
            return (ts.Seconds * 1e6) + (ts.Nanoseconds / 1e3);
        }

        return Process.GetCurrentProcess().TotalProcessorTime.TotalMicroseconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec ts);
}
