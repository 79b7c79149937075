using LicenseRisk.Model;
using LicenseRisk.Rules.Runtime;
using LicenseRisk.Rules;
using NRules;
using NRules.Extensibility;

namespace LicenseRisk.Scoring;

/// <summary>Runs one vendor's signals through a compiled pack and scores the result.</summary>
public static class Evaluator
{
    public static VendorScore Score(CompiledPack pack, Dossier dossier, DateOnly asOf, int? horizonMonths = null, Policy? policy = null)
    {
        var run = Run(pack, dossier.Signals, asOf);
        return Scorer.Score(pack, new ScoreRequest(dossier, asOf, horizonMonths ?? pack.Model.HorizonMonths, policy), run);
    }

    /// <summary>
    /// Fires the pack on the signals known on <paramref name="asOf"/> (dated, and reported when the
    /// dossier says so, on or before it); the others are listed as ignored.
    /// </summary>
    public static PackRun Run(CompiledPack pack, IReadOnlyList<SignalRecord> signals, DateOnly asOf)
    {
        var facts = new List<SignalFact>(signals.Count);
        var considered = new List<SignalRecord>(signals.Count);
        var ignored = new List<IgnoredSignal>();
        foreach (var s in signals)
        {
            if (NotKnown(s, asOf) is { } unknown)
            {
                ignored.Add(unknown);
            }
            else
            {
                var fact = SignalFact.From(s, asOf);
                facts.Add(fact);
                considered.Add(s);
            }
        }

        var session = pack.Factory.CreateSession();
        var eval = new EvalContext(asOf);
        session.DependencyResolver = new Resolver(eval);

        session.InsertAll(facts);
        RuleRuntime.Fire(eval, session.Fire);
        var firings = eval.Firings.Values.ToList();
        var derived = eval.Derived.Values.ToList();
        return new PackRun(firings, derived, considered, ignored);
    }

    /// <summary>
    /// How a signal not yet known on <paramref name="asOf"/> is listed (dated after it, or reported
    /// after it); null when the signal is known and takes part.
    /// </summary>
    internal static IgnoredSignal? NotKnown(SignalRecord s, DateOnly asOf) =>
        s.Date > asOf ? new(s.Label, s.Date, $"dated {IsoDate.Format(s.Date)}, after the as-of day")
        : s.Known > asOf ? new(s.Label, s.Date, $"reported {IsoDate.Format(s.Known)}, after the as-of day") { ReportedLater = s.Known }
        : null;

    internal sealed class Resolver(EvalContext context) : IDependencyResolver
    {
        public object Resolve(IResolutionContext resolutionContext, Type serviceType) =>
            serviceType == typeof(EvalContext) ? context : throw new InvalidOperationException($"no service {serviceType.Name}");
    }
}
