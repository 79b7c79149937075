using NRules;
using NRules.Fluent;
using NRules.Fluent.Dsl;

namespace LicenseRisk.Benchmarks.Workload;

/// <summary>A derived signal in the fluent baseline (inserted with Yield, so truth-maintained).</summary>
public sealed class WDerived
{
    public required int Kind { get; init; }

    public required double Day { get; init; }

    public required double Confidence { get; init; }
}

/// <summary>A weighted rule's firing in the fluent baseline.</summary>
public sealed class WFiringFact
{
    public required WFiring Firing { get; init; }
}

/// <summary>
/// The generated rules hand-written in NRules' fluent DSL: one rule class per shape, one
/// instance per spec (a custom <see cref="IRuleActivator"/>), loaded through RuleRepository.
/// </summary>
public static class FluentRules
{
    public static readonly Type[] RuleTypes =
        [typeof(SingleRule), typeof(JoinRule), typeof(NoRule), typeof(CountRule), typeof(DeriveRule), typeof(UseDerivedRule)];

    /// <summary>Loads and compiles the rules the fluent way (RuleRepository → Compile).</summary>
    public static ISessionFactory Compile(IReadOnlyList<RuleSpec> rules)
    {
        var repository = new RuleRepository(new SpecActivator(rules));
        repository.Load(x => x.NestedTypes().From(RuleTypes));
        return repository.Compile();
    }

    public static double Score(ISessionFactory factory, IReadOnlyList<RuleSpec> rules, WDossier dossier)
    {
        var session = factory.CreateSession();
        session.InsertAll(dossier.Signals);
        session.Fire();
        return Reference.Probability(rules, session.Query<WFiringFact>().Select(f => f.Firing), dossier.AsOf);
    }

    private static double Newer(double a, double b) => Math.Max(a, b);

    private static (double Confidence, double Newest) Top(IEnumerable<WSignal> set, int n)
    {
        var confidence = 1.0;
        var newest = double.MinValue;
        foreach (var s in set.OrderByDescending(s => s.Confidence).ThenByDescending(s => s.Day).Take(n))
        {
            confidence *= s.Confidence;
        }

        // Decay runs from the newest signal of the whole matched set (the spec's "newest matched signal").
        foreach (var s in set)
        {
            newest = Math.Max(newest, s.Day);
        }

        return (confidence, newest);
    }

    private static WFiringFact Fire(RuleSpec spec, double confidence, double newest) => new() { Firing = new WFiring(spec.Index, confidence, newest) };

    private static WFiringFact FireTop(RuleSpec spec, IEnumerable<WSignal> set)
    {
        var (confidence, newest) = Top(set, spec.AtLeast);
        return Fire(spec, confidence, newest);
    }

    private sealed class SpecActivator(IReadOnlyList<RuleSpec> rules) : IRuleActivator
    {
        public IEnumerable<Rule> Activate(Type type)
        {
            foreach (var spec in rules)
            {
                Rule? rule = spec.Shape switch
                {
                    Shape.Single when type == typeof(SingleRule) => new SingleRule(spec),
                    Shape.Join when type == typeof(JoinRule) => new JoinRule(spec),
                    Shape.No when type == typeof(NoRule) => new NoRule(spec),
                    Shape.Count when type == typeof(CountRule) => new CountRule(spec),
                    Shape.Derive when type == typeof(DeriveRule) => new DeriveRule(spec),
                    Shape.UseDerived when type == typeof(UseDerivedRule) => new UseDerivedRule(spec),
                    _ => null,
                };
                if (rule is not null)
                {
                    yield return rule;
                }
            }
        }
    }

    public sealed class SingleRule(RuleSpec spec) : Rule
    {
        public override void Define()
        {
            WSignal s = null!;
            Name(spec.Id);
            var kind = spec.Kind;
            var level = spec.Level;
            if (spec.Tag is { } tag)
            {
                When().Match(() => s, x => x.Kind == kind, x => x.Level >= level, x => x.Tag == tag);
            }
            else
            {
                When().Match(() => s, x => x.Kind == kind, x => x.Level >= level);
            }

            Then().Yield(_ => Fire(spec, s.Confidence, s.Day));
        }
    }

    public sealed class JoinRule(RuleSpec spec) : Rule
    {
        public override void Define()
        {
            WSignal a = null!;
            WSignal b = null!;
            Name(spec.Id);
            var (kind, level, kind2, tag2, window) = (spec.Kind, spec.Level, spec.Kind2, spec.Tag2, (double)spec.Window);
            When()
                .Match(() => a, x => x.Kind == kind, x => x.Level >= level)
                .Match(() => b, x => x.Kind == kind2, x => x.Tag == tag2, x => x.Day - a.Day >= 0 && x.Day - a.Day <= window);
            Then().Yield(_ => Fire(spec, a.Confidence * b.Confidence, Newer(a.Day, b.Day)));
        }
    }

    public sealed class NoRule(RuleSpec spec) : Rule
    {
        public override void Define()
        {
            WSignal a = null!;
            Name(spec.Id);
            var (kind, level, kind2, tag2) = (spec.Kind, spec.Level, spec.Kind2, spec.Tag2);
            When()
                .Match(() => a, x => x.Kind == kind, x => x.Level >= level)
                .Not<WSignal>(x => x.Kind == kind2, x => x.Tag == tag2, x => x.Day >= a.Day);
            Then().Yield(_ => Fire(spec, a.Confidence, a.Day));
        }
    }

    public sealed class CountRule(RuleSpec spec) : Rule
    {
        public override void Define()
        {
            IEnumerable<WSignal> set = null!;
            Name(spec.Id);
            var (kind, level, atLeast) = (spec.Kind, spec.Level, spec.AtLeast);
            When().Query(() => set, q => q
                .Match<WSignal>(x => x.Kind == kind, x => x.Level >= level)
                .Collect()
                .Where(c => c.Count() >= atLeast));
            Then().Yield(_ => FireTop(spec, set));
        }
    }

    public sealed class DeriveRule(RuleSpec spec) : Rule
    {
        public override void Define()
        {
            WSignal s = null!;
            Name(spec.Id);
            var (kind, level, tag, derived) = (spec.Kind, spec.Level, spec.Tag!, spec.Derived);
            When().Match(() => s, x => x.Kind == kind, x => x.Level >= level, x => x.Tag == tag);
            Then().Yield(_ => new WDerived { Kind = derived, Day = s.Day, Confidence = s.Confidence });
        }
    }

    public sealed class UseDerivedRule(RuleSpec spec) : Rule
    {
        public override void Define()
        {
            WDerived d = null!;
            Name(spec.Id);
            var derived = spec.Derived;
            When().Match(() => d, x => x.Kind == derived);
            Then().Yield(_ => Fire(spec, d.Confidence, d.Day));
        }
    }
}
