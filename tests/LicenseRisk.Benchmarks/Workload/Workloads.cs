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

    public RulesEngineWorkflow RulesEngine { get; }

    public PlainLoop Plain { get; }

    public IEnumerable<(string Name, Func<WDossier, double> Score)> Implementations()
    {
        var byVendor = Dossiers.ToDictionary(d => d.Vendor.Id, StringComparer.Ordinal);
        yield return ("LicenseRisk", d => LicenseRisk.Score(byVendor[d.Vendor]).Probability);
        yield return ("NRulesFluent", d => FluentRules.Score(Fluent, Rules, d));
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
            var expected = LicenseRisk.Score(Dossiers[i]).Probability;
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

    public void Dispose() => LicenseRisk.Dispose();
}
