using LicenseRisk.Model;
using LicenseRisk.Rules;
using LicenseRisk.Scoring;
using NRules;
using NRules.Extensibility;
using NRules.Fluent;
using NRules.Fluent.Dsl;
using NRules.RuleModel;

namespace LicenseRisk.Benchmarks.Workload;

/// <summary>A derived signal in the fluent baseline (inserted with Yield, so truth-maintained).</summary>
public sealed class WDerived
{
    public required int Kind { get; init; }

    public required double Day { get; init; }

    public required double Confidence { get; init; }

    /// <summary>The activation that derived it (read only by the "fluent, same output" baseline, after the session).</summary>
    public IMatch? Match { get; init; }
}

/// <summary>
/// A fluent session's firings, recorded the way LicenseRisk's runtime records them: per live
/// activation, set when it fires (Do) and removed when it is deactivated (Undo), so a firing
/// never travels through the network as a fact. Resolved per session through NRules' dependency
/// resolver, as LicenseRisk's EvalContext is.
/// </summary>
public sealed class FluentRecorder
{
    public Dictionary<object, WFiring> Firings { get; } = new(ReferenceEqualityComparer.Instance);

    public void Fire(IContext ctx, WFiring firing) => Firings[ctx.Match] = firing;

    public void Unfire(IContext ctx) => Firings.Remove(ctx.Match);

    public sealed class Resolver(FluentRecorder recorder) : IDependencyResolver
    {
        public object Resolve(IResolutionContext context, Type serviceType) => recorder;
    }
}

/// <summary>
/// The generated rules hand-written in NRules' fluent DSL: one rule class per shape, one
/// instance per spec (a custom <see cref="IRuleActivator"/>), loaded through RuleRepository and
/// compiled with the expression compiler LicenseRisk compiles its packs with
/// (FastExpressionCompiler). A weighted rule records its firing into the session's
/// <see cref="FluentRecorder"/> (Do/Undo), as LicenseRisk's runtime does; a derived signal is a
/// linked fact (Yield), as LicenseRisk's is.
/// </summary>
public static class FluentRules
{
    public static readonly Type[] RuleTypes =
        [typeof(SingleRule), typeof(JoinRule), typeof(NoRule), typeof(CountRule), typeof(DeriveRule), typeof(UseDerivedRule)];

    /// <summary>Loads the rules the fluent way (RuleRepository) and compiles them with LicenseRisk's expression compiler.</summary>
    public static ISessionFactory Compile(IReadOnlyList<RuleSpec> rules)
    {
        var repository = new RuleRepository(new SpecActivator(rules));
        repository.Load(x => x.NestedTypes().From(RuleTypes));
        return new RuleCompiler { ExpressionCompiler = PackCompiler.ExpressionCompiler(ExpressionCompilerKind.Fast) }.Compile(repository.GetRuleSets());
    }

    /// <summary>A session over the dossier's signals, fired, and the firings its rules recorded.</summary>
    public static (ISession Session, FluentRecorder Recorder) Fire(ISessionFactory factory, WDossier dossier)
    {
        var session = factory.CreateSession();
        var recorder = new FluentRecorder();
        session.DependencyResolver = new FluentRecorder.Resolver(recorder);
        session.InsertAll(dossier.Signals);
        session.Fire();
        return (session, recorder);
    }

    public static double Score(ISessionFactory factory, IReadOnlyList<RuleSpec> rules, WDossier dossier) =>
        Reference.Probability(rules, Fire(factory, dossier).Recorder.Firings.Values, dossier.AsOf);

#if !STARTUP_FLOOR
    /// <summary>
    /// The same session, its firings then handed to LicenseRisk's scorer (<see cref="SameOutput"/>):
    /// the same <see cref="VendorScore"/> as LicenseRisk's, explanations and coverage included.
    /// </summary>
    public static VendorScore ScoreSameOutput(ISessionFactory factory, SameOutput scorer, WDossier dossier, Dossier model)
    {
        var (session, recorder) = Fire(factory, dossier);
        return scorer.Score(model, Generator.AsOfDate, recorder.Firings, session.Query<WDerived>());
    }
#endif

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

    private static WFiring FireTop(RuleSpec spec, IEnumerable<WSignal> set)
    {
        var (confidence, newest) = Top(set, spec.AtLeast);
        return new WFiring(spec.Index, confidence, newest);
    }

    public sealed class SpecActivator(IReadOnlyList<RuleSpec> rules) : IRuleActivator
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
            FluentRecorder recorder = null!;
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

            Dependency().Resolve(() => recorder);
            Then().Do(ctx => recorder.Fire(ctx, new WFiring(spec.Index, s.Confidence, s.Day))).Undo(ctx => recorder.Unfire(ctx));
        }
    }

    public sealed class JoinRule(RuleSpec spec) : Rule
    {
        public override void Define()
        {
            WSignal a = null!;
            WSignal b = null!;
            FluentRecorder recorder = null!;
            Name(spec.Id);
            var (kind, level, kind2, tag2, window) = (spec.Kind, spec.Level, spec.Kind2, spec.Tag2, (double)spec.Window);
            When()
                .Match(() => a, x => x.Kind == kind, x => x.Level >= level)
                .Match(() => b, x => x.Kind == kind2, x => x.Tag == tag2, x => x.Day - a.Day >= 0 && x.Day - a.Day <= window);
            Dependency().Resolve(() => recorder);
            Then().Do(ctx => recorder.Fire(ctx, new WFiring(spec.Index, a.Confidence * b.Confidence, Newer(a.Day, b.Day)))).Undo(ctx => recorder.Unfire(ctx));
        }
    }

    public sealed class NoRule(RuleSpec spec) : Rule
    {
        public override void Define()
        {
            WSignal a = null!;
            FluentRecorder recorder = null!;
            Name(spec.Id);
            var (kind, level, kind2, tag2) = (spec.Kind, spec.Level, spec.Kind2, spec.Tag2);
            When()
                .Match(() => a, x => x.Kind == kind, x => x.Level >= level)
                .Not<WSignal>(x => x.Kind == kind2, x => x.Tag == tag2, x => x.Day >= a.Day);
            Dependency().Resolve(() => recorder);
            Then().Do(ctx => recorder.Fire(ctx, new WFiring(spec.Index, a.Confidence, a.Day))).Undo(ctx => recorder.Unfire(ctx));
        }
    }

    public sealed class CountRule(RuleSpec spec) : Rule
    {
        public override void Define()
        {
            IEnumerable<WSignal> set = null!;
            FluentRecorder recorder = null!;
            Name(spec.Id);
            var (kind, level, atLeast) = (spec.Kind, spec.Level, spec.AtLeast);
            When().Query(() => set, q => q
                .Match<WSignal>(x => x.Kind == kind, x => x.Level >= level)
                .Collect()
                .Where(c => c.Count() >= atLeast));
            Dependency().Resolve(() => recorder);
            Then().Do(ctx => recorder.Fire(ctx, FireTop(spec, set))).Undo(ctx => recorder.Unfire(ctx));
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
            Then().Yield(ctx => new WDerived { Kind = derived, Day = s.Day, Confidence = s.Confidence, Match = ctx.Match });
        }
    }

    public sealed class UseDerivedRule(RuleSpec spec) : Rule
    {
        public override void Define()
        {
            WDerived d = null!;
            FluentRecorder recorder = null!;
            Name(spec.Id);
            var derived = spec.Derived;
            When().Match(() => d, x => x.Kind == derived);
            Dependency().Resolve(() => recorder);
            Then().Do(ctx => recorder.Fire(ctx, new WFiring(spec.Index, d.Confidence, d.Day))).Undo(ctx => recorder.Unfire(ctx));
        }
    }
}
