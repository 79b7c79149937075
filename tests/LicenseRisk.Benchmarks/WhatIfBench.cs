using System.Diagnostics;
using System.Globalization;
using LicenseRisk.Application;
using LicenseRisk.Benchmarks.Workload;
using LicenseRisk.Model;
using LicenseRisk.Rules;
using LicenseRisk.Scoring;
using LicenseRisk.Yaml;
using YamlDotNet.RepresentationModel;

namespace LicenseRisk.Benchmarks;

/// <summary>
/// What-if cost per variant, in one process: the same variants scored by one what-if per dossier
/// (<see cref="WhatIf.Apply"/>: the session kept, only the changed facts moved) and by a fresh
/// session on each edited dossier (<see cref="Evaluator.Score"/>). Every variant is checked equal
/// first (probability, interval, band, every contribution, derived and ignored signals, coverage);
/// then paired rounds, each timing both ways on the same variants after a full collection, one
/// dossier at a time (its variants what-if then fresh, or fresh then what-if, alternating per
/// dossier and round), and the ratio taken within the round. A variant is one edit against the
/// dossier as loaded: a signal's date or confidence set, a signal removed, or a signal added; or
/// a sweep, one signal's date set to one value after another. Opening the what-if (one full
/// score per dossier) is not counted in the what-if's time per variant.
/// </summary>
public static class WhatIfBench
{
    private static double s_sink;

    /// <summary>Three workloads: the bundled pack on the sample vendors, on the backtest cases, and the generated pack.</summary>
    public static void Run(string root, int variantsEach, int rounds, string which = "all")
    {
        var vendors = Realistic(Path.Combine(root, "rules"), [Path.Combine(root, "samples/vendors")]);
        var backtest = Realistic(Path.Combine(root, "rules"), [Path.Combine(root, "samples/cases"), Path.Combine(root, "samples/holdout")]);
        using var w = new Workloads(Workloads.Seed, 100, 40, 50);
        foreach (var (name, pack, dossiers, asOf) in new[]
        {
            ("bundled pack, samples/vendors", vendors.Pack, vendors.Dossiers, vendors.AsOf),
            ("bundled pack, samples/cases and samples/holdout", backtest.Pack, backtest.Dossiers, backtest.AsOf),
            ("generated pack (100 rules), 40 dossiers of 50 signals", w.LicenseRisk.Pack, w.Dossiers, Generator.AsOfDate),
        })
        {
            if (which != "all" && !name.Contains(which, StringComparison.Ordinal))
            {
                continue;
            }

            Console.WriteLine($"== {name}: {dossiers.Count} dossiers of {dossiers.Average(d => d.Signals.Count):0.0} signals on average, {variantsEach} variants each");
            foreach (var sweeps in new[] { false, true })
            {
                var cases = Variants(dossiers, asOf, variantsEach, sweeps);
                var checkedCount = Check(pack, cases, asOf);
                Console.WriteLine($"  {(sweeps ? "sweeps: a signal's date over 10 values, then the next signal's" : "one random edit each (date, confidence, removal or addition)")}; {checkedCount} variants equal to a full re-score");
                Time(pack, cases, asOf, rounds);
            }

            FixedCost(pack, dossiers, asOf, variantsEach, rounds);
        }
    }

    /// <summary>
    /// The what-if side alone, for a profiler: the backtest cases' random single edits applied
    /// <paramref name="passes"/> times over (perf record with DOTNET_PerfMapEnabled=1).
    /// </summary>
    public static void Profile(string root, int passes)
    {
        var backtest = Realistic(Path.Combine(root, "rules"), [Path.Combine(root, "samples/cases"), Path.Combine(root, "samples/holdout")]);
        var cases = Variants(backtest.Dossiers, backtest.AsOf, 40, sweeps: false);
        var whatIfs = cases.Select(c => WhatIf.Open(backtest.Pack, c.Dossier, backtest.AsOf)).ToList();
        var diags = new DiagnosticBag();
        var sw = Stopwatch.StartNew();
        var cpu = Paired.ThreadCpu();
        var bytes = GC.GetAllocatedBytesForCurrentThread();
        var variants = 0;
        for (var p = 0; p < passes; p++)
        {
            for (var i = 0; i < cases.Count; i++)
            {
                foreach (var edits in cases[i].Edits)
                {
                    s_sink += whatIfs[i].Apply(edits, diags)!.Score.Probability;
                    variants++;
                }
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{variants} variants in {sw.Elapsed.TotalSeconds:0.0} s; {(Paired.ThreadCpu() - cpu) / variants:0.0} us CPU, {(GC.GetAllocatedBytesForCurrentThread() - bytes) / (double)variants:0} bytes allocated per variant"));
    }

    /// <summary>
    /// The NRules side of the same variants alone (<see cref="VendorSession.Run"/> on each variant's
    /// slots, no scoring): CPU time and bytes allocated per variant, for comparing with <see cref="Profile"/>.
    /// </summary>
    public static void ProfileSession(string root, int passes)
    {
        var backtest = Realistic(Path.Combine(root, "rules"), [Path.Combine(root, "samples/cases"), Path.Combine(root, "samples/holdout")]);
        var cases = Variants(backtest.Dossiers, backtest.AsOf, 40, sweeps: false);
        var diags = new DiagnosticBag();
        var slotted = cases.Select(c => c.Edits.Select(edits =>
        {
            var slots = new List<SignalRecord?>(c.Dossier.Signals);
            foreach (var edit in edits)
            {
                switch (edit)
                {
                    case AddSignal add:
                        slots.Add(add.Signal);
                        break;
                    case RemoveSignal remove:
                        slots[remove.Target.Number!.Value - 1] = null;
                        break;
                    case SetField set:
                        slots[set.Target.Number!.Value - 1] = SignalEditReader.Apply(slots[set.Target.Number!.Value - 1]!, set, diags);
                        break;
                }
            }

            return slots;
        }).ToList()).ToList();
        var sessions = cases.Select(c =>
        {
            var s = new VendorSession(backtest.Pack, backtest.AsOf);
            s.Run(c.Dossier.Signals);
            return s;
        }).ToList();
        var cpu = Paired.ThreadCpu();
        var bytes = GC.GetAllocatedBytesForCurrentThread();
        var variants = 0;
        for (var p = 0; p < passes; p++)
        {
            for (var i = 0; i < cases.Count; i++)
            {
                foreach (var slots in slotted[i])
                {
                    s_sink += sessions[i].Run(slots).Firings.Count;
                    variants++;
                }
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"session only: {variants} variants; {(Paired.ThreadCpu() - cpu) / variants:0.0} us CPU, {(GC.GetAllocatedBytesForCurrentThread() - bytes) / (double)variants:0} bytes allocated per variant"));
    }

    /// <summary>
    /// Which types the what-if side allocates (the runtime's allocation ticks, one per about 100 KB,
    /// counted by type name while <see cref="Profile"/> runs): a rough allocation profile.
    /// </summary>
    public static void ProfileAllocations(string root, int passes)
    {
        using var listener = new AllocationListener();
        Profile(root, passes);
        var total = listener.Ticks.Values.Sum();
        foreach (var (type, n) in listener.Ticks.OrderByDescending(e => e.Value).Take(40))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{100.0 * n / total,6:0.0}%  {type}"));
        }
    }

    private sealed class AllocationListener : System.Diagnostics.Tracing.EventListener
    {
        public Dictionary<string, long> Ticks { get; } = [];

        protected override void OnEventSourceCreated(System.Diagnostics.Tracing.EventSource source)
        {
            if (source.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(source, System.Diagnostics.Tracing.EventLevel.Verbose, (System.Diagnostics.Tracing.EventKeywords)0x1);
            }
        }

        protected override void OnEventWritten(System.Diagnostics.Tracing.EventWrittenEventArgs e)
        {
            if (e.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) == true && e.PayloadNames is { } names)
            {
                var type = e.Payload![names.IndexOf("TypeName")] as string ?? "?";
                lock (Ticks)
                {
                    Ticks[type] = Ticks.GetValueOrDefault(type) + 1;
                }
            }
        }
    }

    /// <summary>A variant without edits: the session fires with nothing changed and the scorer runs; what every variant pays besides its edit.</summary>
    private static void FixedCost(CompiledPack pack, IReadOnlyList<Dossier> dossiers, DateOnly asOf, int each, int rounds)
    {
        var whatIfs = dossiers.Where(d => d.Signals.Count > 0).Select(d => WhatIf.Open(pack, d, asOf)).ToList();
        var diags = new DiagnosticBag();
        var times = new List<double>();
        for (var r = -2; r < rounds; r++)
        {
            Collect();
            var cpu = Paired.ThreadCpu();
            foreach (var w in whatIfs)
            {
                for (var v = 0; v < each; v++)
                {
                    s_sink += w.Apply([], diags)!.Score.Probability;
                }
            }

            if (r >= 0)
            {
                times.Add((Paired.ThreadCpu() - cpu) / (whatIfs.Count * each));
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  no edit (what every variant pays besides its edits): {Median(times):0.0} us CPU per variant"));
    }

    private sealed record Case(Dossier Dossier, List<SignalEdit[]> Edits, List<Dossier> Edited);

    private static (CompiledPack Pack, IReadOnlyList<Dossier> Dossiers, DateOnly AsOf) Realistic(string rulesDir, string[] dirs)
    {
        var diags = new DiagnosticBag();
        var pack = PackCompiler.Load(rulesDir, new Limits(), diags) ?? throw new InvalidOperationException(string.Join("\n", diags.Sorted()));
        var dossiers = DossierReader.ReadAll(DossierReader.Expand(dirs, diags), pack.Catalog, new Limits(), diags);
        return diags.HasErrors ? throw new InvalidOperationException(string.Join("\n", diags.Sorted())) : (pack, dossiers, new DateOnly(2026, 3, 5));
    }

    /// <summary>
    /// Seeded variants: each one edit, drawn over the dossier's signals; or, for sweeps, the date of
    /// one signal set to 10 days in turn, then of another signal.
    /// </summary>
    private static List<Case> Variants(IReadOnlyList<Dossier> dossiers, DateOnly asOf, int each, bool sweeps)
    {
        var random = new Random(Workloads.Seed);
        var span = SourceSpan.None("bench");
        var cases = new List<Case>();
        foreach (var d in dossiers.Where(d => d.Signals.Count > 0))
        {
            var edits = new List<SignalEdit[]>();
            var swept = 0;
            for (var v = 0; v < each; v++)
            {
                if (sweeps)
                {
                    swept = v % 10 == 0 ? random.Next(d.Signals.Count) : swept;
                    var date = Scalar(IsoDate.Format(asOf.AddDays(-random.Next(900))));
                    edits.Add([new SetField(new SignalRef((swept + 1).ToString(CultureInfo.InvariantCulture), span), "date", date, "bench", span)]);
                    continue;
                }

                var n = random.Next(d.Signals.Count);
                var target = new SignalRef((n + 1).ToString(CultureInfo.InvariantCulture), span);
                edits.Add(random.Next(4) switch
                {
                    0 => [new SetField(target, "date", Scalar(IsoDate.Format(asOf.AddDays(-random.Next(900)))), "bench", span)],
                    1 => [new SetField(target, "confidence", Scalar((random.Next(1, 11) / 10.0).ToString(CultureInfo.InvariantCulture)), "bench", span)],
                    2 => [new RemoveSignal(target)],
                    _ => [new AddSignal(d.Signals[n] with { Date = asOf.AddDays(-random.Next(400)), Id = null })],
                });
            }

            cases.Add(new Case(d, edits, []));
        }

        return cases;
    }

    private static YamlScalarNode Scalar(string text) => new(text) { Style = YamlDotNet.Core.ScalarStyle.Plain };

    /// <summary>Every variant, what-if against a fresh session; throws on the first difference. Keeps the edited dossiers for timing.</summary>
    private static int Check(CompiledPack pack, List<Case> cases, DateOnly asOf)
    {
        var count = 0;
        foreach (var c in cases)
        {
            var whatIf = WhatIf.Open(pack, c.Dossier, asOf);
            foreach (var edits in c.Edits)
            {
                var diags = new DiagnosticBag();
                var result = whatIf.Apply(edits, diags) ?? throw new InvalidOperationException(string.Join("\n", diags.Sorted()));
                var full = Evaluator.Score(pack, result.Dossier, asOf);
                if (Fingerprint(result.Score) != Fingerprint(full))
                {
                    throw new InvalidOperationException($"{c.Dossier.Vendor.Id}: what-if differs from a full re-score:\n{Fingerprint(result.Score)}\n---\n{Fingerprint(full)}");
                }

                c.Edited.Add(result.Dossier);
                count++;
            }
        }

        return count;
    }

    private static string Fingerprint(VendorScore s) => string.Join("\n", [
        FormattableString.Invariant($"{s.Probability:R} {s.Low:R} {s.High:R} {s.Band} {s.SignalsConsidered} {s.Coverage.ThinReason}"),
        .. s.Contributions.Select(c => FormattableString.Invariant($"+ {c.Rule} {c.Value:R} {c.Because} [{string.Join(",", c.Signals)}]")),
        .. s.Outweighed.Select(o => FormattableString.Invariant($"~ {o.Contribution.Rule} {o.Contribution.Value:R} by {o.By} {o.Contribution.Because}")),
        .. s.Derived.Select(d => FormattableString.Invariant($"d {d.Kind} {d.Date} {d.Confidence:R} {d.By} [{string.Join(",", d.Support)}] {string.Join(",", d.Fields)}")),
        .. s.Ignored.Select(i => $"i {i.Label} {i.Date}"),
        .. s.Warnings]);

    private static void Time(CompiledPack pack, List<Case> cases, DateOnly asOf, int rounds)
    {
        var variants = cases.Sum(c => c.Edits.Count);

        // One dossier's variants both ways, what-if then fresh or the other way round, adding to
        // the round's totals: the two sides alternate every few milliseconds, so a change in the
        // machine's load falls on both alike. Wall time, and the thread's CPU time (on a shared
        // machine the CPU time varies about half as much); opening the what-if (one full score per
        // dossier) is left out of both.
        void Incremental(Case c, ref Side side, ref double sum)
        {
            var whatIf = WhatIf.Open(pack, c.Dossier, asOf);
            var diags = new DiagnosticBag();
            var mark = Side.Start();
            foreach (var edits in c.Edits)
            {
                sum += whatIf.Apply(edits, diags)!.Score.Probability;
            }

            side.Add(mark);
        }

        void Fresh(Case c, ref Side side, ref double sum)
        {
            var mark = Side.Start();
            foreach (var edited in c.Edited)
            {
                sum += Evaluator.Score(pack, edited, asOf).Probability;
            }

            side.Add(mark);
        }

        (Side Incremental, Side Fresh) Round(int r)
        {
            Collect();
            Side inc = default, fr = default;
            double sum = 0;
            for (var k = 0; k < cases.Count; k++)
            {
                if ((r + k) % 2 == 0)
                {
                    Incremental(cases[k], ref inc, ref sum);
                    Fresh(cases[k], ref fr, ref sum);
                }
                else
                {
                    Fresh(cases[k], ref fr, ref sum);
                    Incremental(cases[k], ref inc, ref sum);
                }
            }

            s_sink += sum;
            return (inc.Per(variants), fr.Per(variants));
        }

        for (var i = 0; i < 3; i++)
        {
            Round(i);
        }

        var incremental = new List<Side>();
        var fresh = new List<Side>();
        for (var r = 0; r < rounds; r++)
        {
            var (inc, fr) = Round(r);
            incremental.Add(inc);
            fresh.Add(fr);
        }

        var ratios = fresh.Zip(incremental, (f, i) => f.Wall / i.Wall).ToList();
        var cpuRatios = fresh.Zip(incremental, (f, i) => f.Cpu / i.Cpu).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {rounds} rounds of {variants} variants, per variant, median over rounds: what-if {Median([.. incremental.Select(t => t.Wall)]):0.0} us, fresh session {Median([.. fresh.Select(t => t.Wall)]):0.0} us (CPU {Median([.. incremental.Select(t => t.Cpu)]):0.0} us against {Median([.. fresh.Select(t => t.Cpu)]):0.0} us)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  paired ratio fresh / what-if: median {Median(ratios):0.00}x (min {ratios.Min():0.00}x, max {ratios.Max():0.00}x); CPU time median {Median(cpuRatios):0.00}x (min {cpuRatios.Min():0.00}x, max {cpuRatios.Max():0.00}x)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  garbage collection within each side's timing, per variant, median over rounds: what-if {Median([.. incremental.Select(t => t.Pause)]):0.0} us paused, {Median([.. incremental.Select(t => t.Gen0 * 1000)]):0.0} gen0 collections per 1,000 variants; fresh session {Median([.. fresh.Select(t => t.Pause)]):0.0} us, {Median([.. fresh.Select(t => t.Gen0 * 1000)]):0.0}"));
    }

    /// <summary>
    /// One side's totals in a round: wall time, the thread's CPU time, the runtime's total GC pause
    /// time and the gen0 collections (which count gen1 and gen2 ones too) within its timing.
    /// </summary>
    private struct Side
    {
        public double Wall;
        public double Cpu;
        public double Pause;
        public double Gen0;

        // The GC counters first and the clocks last (the wall clock innermost), as Add reads them
        // in the reverse order: neither clock times the other readings.
        public static (long Start, double Cpu, TimeSpan Pause, int Gen0) Start()
        {
            var pause = GC.GetTotalPauseDuration();
            var gen0 = GC.CollectionCount(0);
            var cpu = Paired.ThreadCpu();
            return (Stopwatch.GetTimestamp(), cpu, pause, gen0);
        }

        public void Add((long Start, double Cpu, TimeSpan Pause, int Gen0) mark)
        {
            Wall += Stopwatch.GetElapsedTime(mark.Start).TotalMicroseconds;
            Cpu += Paired.ThreadCpu() - mark.Cpu;
            Pause += (GC.GetTotalPauseDuration() - mark.Pause).TotalMicroseconds;
            Gen0 += GC.CollectionCount(0) - mark.Gen0;
        }

        public readonly Side Per(int variants) => new() { Wall = Wall / variants, Cpu = Cpu / variants, Pause = Pause / variants, Gen0 = Gen0 / variants };
    }

    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        var n = sorted.Count;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[(n / 2) - 1] + sorted[n / 2]) / 2;
    }
}
