using System.Globalization;
using LicenseRisk.Model;
using LicenseRisk.Rules;
using LicenseRisk.Rules.Lowering;
using NRules;
using NRules.Extensibility;

namespace LicenseRisk.Scoring;

/// <summary>Runs one vendor's signals through a compiled pack and scores the result.</summary>
public static class Evaluator
{
    public static VendorScore Score(CompiledPack pack, Dossier dossier, DateOnly asOf, int? horizonMonths = null, Policy? policy = null)
    {
        var (firings, derived, considered, ignored) = Run(pack, dossier.Signals, asOf);
        var warnings = ignored.Count > 0
            ? new List<string> { $"{ignored.Count} signal{(ignored.Count == 1 ? " is" : "s are")} dated after {asOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} and ignored (no look-ahead)" }
            : [];
        var used = dossier.Signals.Where(s => s.Date <= asOf).ToList();
        var coverage = Scorer.Coverage(pack, used, asOf);
        return Scorer.Score(pack, dossier, asOf, horizonMonths ?? pack.Model.HorizonMonths, firings, derived, ignored, considered, warnings, coverage, policy);
    }

    public static (IReadOnlyList<Firing> Firings, IReadOnlyList<SignalFact> Derived, int Considered, IReadOnlyList<IgnoredSignal> Ignored) Run(
        CompiledPack pack, IReadOnlyList<SignalRecord> signals, DateOnly asOf)
    {
        var facts = new List<SignalFact>(signals.Count);
        var ignored = new List<IgnoredSignal>();
        foreach (var s in signals)
        {
            if (s.Date > asOf)
            {
                ignored.Add(new IgnoredSignal(s.Label, s.Date, $"dated {s.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}, after the as-of day"));
            }
            else
            {
                facts.Add(SignalFact.From(s, asOf));
            }
        }

        var session = pack.Factory.CreateSession();
        var eval = new EvalContext(asOf);
        session.DependencyResolver = new Resolver(eval);
        session.InsertAll(facts);
        session.Fire();
        var firings = eval.Firings.Values.ToList();
        var derived = session.Query<SignalFact>().AsEnumerable().Where(f => f.DerivedBy is not null).ToList();
        return (firings, derived, facts.Count, ignored);
    }

    private sealed class Resolver(EvalContext context) : IDependencyResolver
    {
        public object Resolve(IResolutionContext resolutionContext, Type serviceType) =>
            serviceType == typeof(EvalContext) ? context : throw new InvalidOperationException($"no service {serviceType.Name}");
    }
}
