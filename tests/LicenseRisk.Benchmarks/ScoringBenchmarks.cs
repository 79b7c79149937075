using BenchmarkDotNet.Attributes;
using LicenseRisk.Benchmarks.Workload;
using LicenseRisk.Model;
using NRules;

namespace LicenseRisk.Benchmarks;

/// <summary>
/// Scoring throughput, one thread: 100 generated rules, dossiers of 50 signals. Each invocation
/// scores the next batch of dossiers from a 10,000-dossier set, so every engine sees the same
/// dossiers in the same order. Every implementation is checked against LicenseRisk before timing.
/// </summary>
[Config(typeof(BenchConfig))]
public class ScoringBenchmarks
{
    public const int Batch = 250;
    private Workloads _w = null!;
    private IReadOnlyList<RuleSpec> _rules = null!;
    private IReadOnlyList<WDossier> _neutral = null!;
    private IReadOnlyList<Dossier> _dossiers = null!;
    private ISessionFactory _fluent = null!;
    private int _next;

    [Params(10_000)]
    public int Dossiers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _w = new Workloads(Workloads.Seed, 100, Dossiers, 50);
        (_rules, _neutral, _dossiers, _fluent) = (_w.Rules, _w.Neutral, _w.Dossiers, _w.Fluent);
        using var sample = new Workloads(Workloads.Seed, 100, 200, 50);
        var checkedCount = sample.Check();
        Console.WriteLine($"// equivalence: {checkedCount} dossiers agree");
    }

    [GlobalCleanup]
    public void Cleanup() => _w.Dispose();

    private int Start()
    {
        var start = _next;
        _next = (_next + Batch) % (_neutral.Count - Batch + 1);
        return start;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public double LicenseRisk()
    {
        var sum = 0.0;
        var start = Start();
        for (var i = start; i < start + Batch; i++)
        {
            sum += _w.LicenseRisk.Score(_dossiers[i]).Probability;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public double NRulesFluent()
    {
        var sum = 0.0;
        var start = Start();
        for (var i = start; i < start + Batch; i++)
        {
            sum += FluentRules.Score(_fluent, _rules, _neutral[i]);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public double RulesEngine()
    {
        var sum = 0.0;
        var start = Start();
        for (var i = start; i < start + Batch; i++)
        {
            sum += _w.RulesEngine.Score(_neutral[i]);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public double PlainLoop()
    {
        var sum = 0.0;
        var start = Start();
        for (var i = start; i < start + Batch; i++)
        {
            sum += _w.Plain.Score(_neutral[i]);
        }

        return sum;
    }
}

/// <summary>
/// Scoring throughput on the realistic workload: the bundled pack over 10,000 generated dossiers
/// shaped like samples/vendors, against the same 40 rules in the fluent DSL (checked equal first).
/// </summary>
[Config(typeof(BenchConfig))]
public class RealisticScoringBenchmarks
{
    private RealisticWorkload _w = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _w = new RealisticWorkload(Workloads.Seed, 10_000);
        Console.WriteLine($"// equivalence: {_w.Check(200).Checked} dossiers agree");
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = ScoringBenchmarks.Batch)]
    public double LicenseRisk() => NextBatch(i => _w.Score(i).Probability);

    [Benchmark(OperationsPerInvoke = ScoringBenchmarks.Batch)]
    public double NRulesFluent() => NextBatch(i => _w.Fluent.Score(_w.Neutral[i]));

    [Benchmark(OperationsPerInvoke = ScoringBenchmarks.Batch)]
    public double PlainLoop() => NextBatch(i => _w.Plain.Score(_w.Neutral[i]));

    /// <summary>Scores the next batch of dossiers (every method sees the same dossiers in the same order).</summary>
    private double NextBatch(Func<int, double> score)
    {
        var start = _next;
        _next = (_next + ScoringBenchmarks.Batch) % (_w.Neutral.Count - ScoringBenchmarks.Batch + 1);
        var sum = 0.0;
        for (var i = start; i < start + ScoringBenchmarks.Batch; i++)
        {
            sum += score(i);
        }

        return sum;
    }
}

/// <summary>
/// Compilation of a 1,000-rule pack: LicenseRisk from YAML text on disk to a ready session
/// factory, against NRules loading and compiling the same rules written in the fluent DSL with
/// the same expression compiler (FastExpressionCompiler).
/// </summary>
[Config(typeof(CompileConfig))]
public class CompileBenchmarks
{
    private IReadOnlyList<RuleSpec> _rules = null!;
    private string _dir = null!;

    [Params(1_000)]
    public int Rules { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _rules = new Generator(Workloads.Seed).Rules(Rules);
        _dir = Path.Combine(Path.GetTempPath(), "lr-bench", "compile-" + Guid.NewGuid().ToString("n"));
        Generator.WritePack(_dir, _rules);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_dir, recursive: true);

    [Benchmark(Baseline = true)]
    public object LicenseRiskFromYaml() => LicenseRiskRunner.Compile(_dir).Factory;

    [Benchmark]
    public object NRulesFluent() => FluentRules.Compile(_rules);
}
