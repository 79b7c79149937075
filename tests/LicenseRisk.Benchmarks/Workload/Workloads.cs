using LicenseRisk.Rules;
using LicenseRisk.Scoring;
using LicenseRisk.Model;
using NRules;

namespace LicenseRisk.Benchmarks.Workload;

/// <summary>One generated workload with every implementation ready, and the check that they agree.</summary>
public sealed class Workloads : IDisposable
{
    public const int Seed = 20260301;
    public const double Tolerance = 1e-9;

    public Workloads(int seed, int rules, int dossiers, int signalsEach)
    {
        var g = new Generator(seed);
        Rules = g.Rules(rules);
        Neutral = g.Dossiers(dossiers, signalsEach);
        LicenseRisk = new LicenseRiskRunner(Rules);
        Dossiers = Neutral.Select(LicenseRisk.ToDossier).ToList();
        Fluent = FluentRules.Compile(Rules);
        var records = new Dictionary<object, SignalRecord>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < Neutral.Count; i++)
        {
            for (var j = 0; j < Neutral[i].Signals.Count; j++)
            {
                records[Neutral[i].Signals[j]] = Dossiers[i].Signals[j];
            }
        }

        SameOutput = new SameOutput(LicenseRisk.Pack, records, static o => (o as WDerived)?.Match);
        RulesEngine = new RulesEngineWorkflow(Rules);
        Plain = new PlainLoop(Rules);
        if (Environment.GetEnvironmentVariable("LR_VARIANT") is { Length: > 0 } variant)
        {
            // Experiments: the same pack loaded again with the variable named by LR_VARIANT set, timed beside the first.
            Environment.SetEnvironmentVariable(variant, "1");
            Variant = LicenseRiskRunner.Compile(LicenseRisk.Dir);
            Environment.SetEnvironmentVariable(variant, null);
        }
    }

    public CompiledPack? Variant { get; }

    public IReadOnlyList<RuleSpec> Rules { get; }

    public IReadOnlyList<WDossier> Neutral { get; }

    public IReadOnlyList<Dossier> Dossiers { get; }

    public LicenseRiskRunner LicenseRisk { get; }

    public ISessionFactory Fluent { get; }

    /// <summary>The fluent session's firings handed to LicenseRisk's scorer ("fluent, same output").</summary>
    public SameOutput SameOutput { get; }

    public RulesEngineWorkflow RulesEngine { get; }

    public PlainLoop Plain { get; }

    public IEnumerable<(string Name, Func<WDossier, double> Score)> Implementations()
    {
        var byVendor = Dossiers.ToDictionary(d => d.Vendor.Id, StringComparer.Ordinal);
        yield return ("LicenseRisk", d => LicenseRisk.Score(byVendor[d.Vendor]).Probability);
        yield return ("NRulesFluent", d => FluentRules.Score(Fluent, Rules, d));
        var modelOf = Neutral.Select((d, i) => (d, i)).ToDictionary(x => x.d, x => Dossiers[x.i]);
        yield return ("FluentSameOutput", d => FluentRules.ScoreSameOutput(Fluent, SameOutput, d, modelOf[d]).Probability);
        yield return ("RulesEngine", RulesEngine.Score);
        yield return ("PlainLoop", Plain.Score);
        if (Variant is { } v)
        {
            yield return ("variant", d => Evaluator.Score(v, byVendor[d.Vendor], Generator.AsOfDate).Probability);
        }
    }

    /// <summary>Scores every dossier with every implementation; throws on the first disagreement. Returns the count checked.</summary>
    public int Check(int? count = null)
    {
        var n = Math.Min(count ?? Neutral.Count, Neutral.Count);
        for (var i = 0; i < n; i++)
        {
            var score = LicenseRisk.Score(Dossiers[i]);
            var expected = score.Probability;
            var same = FluentRules.ScoreSameOutput(Fluent, SameOutput, Neutral[i], Dossiers[i]);
            SameOutputCheck(LicenseRisk.Pack, Generator.AsOfDate, Neutral[i].Vendor, score, same);
            var fluent = FluentRules.Score(Fluent, Rules, Neutral[i]);
            var re = RulesEngine.Score(Neutral[i]);
            var plain = Plain.Score(Neutral[i]);
            foreach (var (name, p) in new[] { ("fluent NRules", fluent), ("RulesEngine", re), ("plain loop", plain) })
            {
                if (Math.Abs(p - expected) > Tolerance)
                {
                    throw new InvalidOperationException($"{Neutral[i].Vendor}: {name} scores {p:R}, LicenseRisk {expected:R}");
                }
            }
        }

        return n;
    }

    /// <summary>The "fluent, same output" baseline's score is LicenseRisk's: the same probability, and byte for byte the same <c>score --format json</c>.</summary>
    public static void SameOutputCheck(CompiledPack pack, DateOnly asOf, string vendor, VendorScore expected, VendorScore actual)
    {
        if (actual.Probability != expected.Probability)
        {
            throw new InvalidOperationException($"{vendor}: fluent, same output scores {actual.Probability:R}, LicenseRisk {expected.Probability:R}");
        }

        var want = SameOutput.Json(pack, expected, asOf);
        var got = SameOutput.Json(pack, actual, asOf);
        if (!want.AsSpan().SequenceEqual(got))
        {
            var at = want.AsSpan().CommonPrefixLength(got);
            string Around(byte[] b) => System.Text.Encoding.UTF8.GetString(b, Math.Max(0, at - 120), Math.Min(b.Length - Math.Max(0, at - 120), 240));
            throw new InvalidOperationException($"{vendor}: fluent, same output writes other JSON from byte {at}:\n  LicenseRisk: {Around(want)}\n  fluent same: {Around(got)}");
        }
    }

    public void Dispose() => LicenseRisk.Dispose();
}
