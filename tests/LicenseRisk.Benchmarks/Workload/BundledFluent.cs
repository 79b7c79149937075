using LicenseRisk.Model;
using LicenseRisk.Rules;
using LicenseRisk.Scoring;
using NRules;
using NRules.Fluent;
using NRules.Fluent.Dsl;
using NRules.RuleModel;

namespace LicenseRisk.Benchmarks.Workload;

/// <summary>
/// The bundled pack's 46 rules hand-written in NRules' fluent DSL over <see cref="RSignal"/>, loaded
/// through RuleRepository and compiled with LicenseRisk's expression compiler. Firings are
/// recorded per activation into the session's <see cref="FluentRecorder"/> (Do/Undo), derived
/// signals are linked facts (Yield), as in LicenseRisk's runtime. The scoring model's numbers
/// (weight, group, half-life, prior) are read from the compiled pack, so only the conditions and
/// the strength of a match are written here.
/// </summary>
public sealed class BundledFluent
{
    private readonly IReadOnlyList<RuleModel> _rules;
    private readonly double _prior;
    private readonly ISessionFactory _factory;

    public ISessionFactory Factory => _factory;

    public BundledFluent(CompiledPack pack)
        : this([.. pack.Rules.Select(r => new RuleModel(r.Id, r.Weight, r.Group, r.HalfLifeDays))], pack.Model.Prior)
    {
    }

    /// <summary>The rules with their scoring numbers given, without a compiled pack (the start-up floor app, tests/LicenseRisk.StartupFloor).</summary>
    public BundledFluent(IReadOnlyList<RuleModel> rules, double prior)
    {
        _rules = rules;
        _prior = prior;
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < rules.Count; i++)
        {
            index.Add(rules[i].Id, i);
        }

        _factory = Compile(index);
    }

    /// <summary>A rule's scoring numbers, as the compiled pack has them.</summary>
    public sealed record RuleModel(string Id, double? Weight, string? Group, double? HalfLifeDays);

    public static ISessionFactory Compile(CompiledPack pack) =>
        Compile(pack.Rules.ToDictionary(r => r.Id, r => r.Index, StringComparer.Ordinal));

    /// <summary>The rules, each with its index in <paramref name="index"/>, compiled with LicenseRisk's expression compiler (interpreted under Native AOT).</summary>
    public static ISessionFactory Compile(IReadOnlyDictionary<string, int> index) =>
        new RuleCompiler { ExpressionCompiler = PackCompiler.ExpressionCompiler(ExpressionCompilerKind.Fast) }.Compile(Load(index));

    /// <summary>The rules as RuleRepository loads them (every rule's Define), not yet compiled.</summary>
    public static IEnumerable<IRuleSet> Load(IReadOnlyDictionary<string, int> index)
    {
        var repository = new RuleRepository(new Activator(index));
        repository.Load(x => x.NestedTypes().From(typeof(PackRule)));
        return repository.GetRuleSets();
    }

    /// <summary>A session over the dossier's signals, fired, and the firings its rules recorded.</summary>
    public (ISession Session, FluentRecorder Recorder) Fire(RDossier dossier)
    {
        var session = _factory.CreateSession();
        var recorder = new FluentRecorder();
        session.DependencyResolver = new FluentRecorder.Resolver(recorder);
        session.InsertAll(dossier.Signals);
        session.Fire();
        return (session, recorder);
    }

    public double Score(RDossier dossier) => Probability(Fire(dossier).Recorder.Firings.Values, dossier.AsOf);

#if !STARTUP_FLOOR
    /// <summary>
    /// The same session, its firings then handed to LicenseRisk's scorer (<see cref="SameOutput"/>):
    /// the same <see cref="VendorScore"/> as LicenseRisk's, explanations and coverage included.
    /// </summary>
    public VendorScore ScoreSameOutput(SameOutput scorer, RDossier dossier, Dossier model)
    {
        var (session, recorder) = Fire(dossier);
        return scorer.Score(model, RealisticGenerator.AsOfDate, recorder.Firings, Derived(session));
    }

    /// <summary>A fired session's derived signals (the facts a rule derived, not the dossier's), read lazily.</summary>
    public static IEnumerable<object> Derived(ISession session) => session.Query<RSignal>().AsEnumerable().Where(static s => s.Match is not null);
#endif

    /// <summary>Strongest firing per rule, strongest rule per group (ties to the lower rule id), logit sum onto the prior.</summary>
    private double Probability(IEnumerable<WFiring> firings, double asOf)
    {
        var rules = _rules;
        var strongest = new double[rules.Count];
        foreach (var f in firings)
        {
            var hl = rules[f.Rule].HalfLifeDays;
            var decay = hl is { } h && double.IsFinite(f.Newest) ? Math.Pow(2, -Math.Max(0, asOf - f.Newest) / h) : 1;
            strongest[f.Rule] = Math.Max(strongest[f.Rule], f.Confidence * decay);
        }

        return Combine(rules, _prior, strongest);
    }

    /// <summary>
    /// The scoring model on each rule's strongest firing (confidence x decay, 0 when it did not
    /// fire): strongest rule per group (ties to the lower rule id), logit sum onto the prior. Also
    /// the realistic plain loop's (RealisticPlainLoop.cs).
    /// </summary>
    public static double Combine(IReadOnlyList<RuleModel> rules, double prior, double[] strongest)
    {
        var logit = Math.Log(prior / (1 - prior));
        var groups = new Dictionary<string, (double Value, string Rule)>(StringComparer.Ordinal);
        for (var i = 0; i < rules.Count; i++)
        {
            if (rules[i].Weight is not { } w || strongest[i] <= 0)
            {
                continue;
            }

            var value = w * strongest[i];
            if (rules[i].Group is not { } g)
            {
                logit += value;
            }
            else if (!groups.TryGetValue(g, out var best) || Math.Abs(value) > Math.Abs(best.Value)
                || (Math.Abs(value) == Math.Abs(best.Value) && string.CompareOrdinal(rules[i].Id, best.Rule) < 0))
            {
                groups[g] = (value, rules[i].Id);
            }
        }

        foreach (var (value, _) in groups.Values)
        {
            logit += value;
        }

        return 1 / (1 + Math.Exp(-logit));
    }

    public static void Fire(IContext ctx, int rule, double confidence, double newest) =>
        ((FluentRecorder)ctx.Resolve(typeof(FluentRecorder))).Fire(ctx, new WFiring(rule, confidence, newest));

    public static void Unfire(IContext ctx) => ((FluentRecorder)ctx.Resolve(typeof(FluentRecorder))).Unfire(ctx);

    /// <summary>The product of the at_least highest confidences.</summary>
    public static double Top(IEnumerable<RSignal> set, int n)
    {
        var c = 1.0;
        foreach (var s in set.OrderByDescending(s => s.Confidence).Take(n))
        {
            c *= s.Confidence;
        }

        return c;
    }

    /// <summary>A sum item: the most confident signals (then newest, then id) with a positive value, until their sum reaches at_least.</summary>
    public static double TopSum(IEnumerable<RSignal> set, double atLeast, Func<RSignal, double> value)
    {
        var c = 1.0;
        var sum = 0.0;
        foreach (var s in set.OrderByDescending(s => s.Confidence).ThenByDescending(s => s.Day).ThenBy(s => s.Id, StringComparer.Ordinal))
        {
            if (sum >= atLeast)
            {
                break;
            }

            var v = value(s);
            if (v > 0)
            {
                sum += v;
                c *= s.Confidence;
            }
        }

        return c;
    }

    public static double Newest(IEnumerable<RSignal> set, double day)
    {
        foreach (var s in set)
        {
            day = Math.Max(day, s.Day);
        }

        return day;
    }

    public static bool In(string? value, string a, string b) => value == a || value == b;

    /// <summary>The rule language's <c>a == b</c> on optional text: false when either is missing.</summary>
    public static bool Eq(string? a, string? b) => a is not null && b is not null && a == b;

    /// <summary>The rule language's <c>a != b</c> on optional text: false when either is missing.</summary>
    public static bool Ne(string? a, string? b) => a is not null && b is not null && a != b;

    public static bool In(string? value, string a, string b, string c) => value == a || value == b || value == c;

    public static bool Restrictive(string? license)
    {
        var l = license?.ToLowerInvariant();
        return l is not null && (l.Contains("non-commercial", StringComparison.Ordinal) || l.Contains("noncommercial", StringComparison.Ordinal)
            || l.Contains("research", StringComparison.Ordinal) || l.Contains("-nc", StringComparison.Ordinal));
    }

    private static readonly string[] Senior = ["founder", "executive", "lead", "senior"];

    public static bool IsSenior(string? seniority) => Array.IndexOf(Senior, seniority) >= 0;

    private sealed class Activator(IReadOnlyDictionary<string, int> index) : IRuleActivator
    {
        public IEnumerable<Rule> Activate(Type type) =>
            type == typeof(PackRule) ? Definitions.All.Select(d => new PackRule(d.Id, index[d.Id], d.Define)) : [];
    }

    /// <summary>One rule: its id, its index in the pack, and how it is defined.</summary>
    public sealed class PackRule(string id, int index, Action<PackRule> define) : Rule
    {
        public int Index => index;

        public ILeftHandSideExpression If => When();

        public IRightHandSideExpression Act => Then();

        public override void Define()
        {
            Name(id);
            define(this);
        }
    }

    /// <summary>The rules, in the order of the pack's files.</summary>
    private static class Definitions
    {
        private const double Y1 = 365;
        private const double Y2 = 730;

        public static readonly (string Id, Action<PackRule> Define)[] All =
        [
            // closed-lab.yaml
            ("closed-lab-appointment", r =>
            {
                RSignal app = null!;
                r.If.Match(() => app, x => x.Kind == RKind.LeadershipAppointment, x => x.FromClosedLab && In(x.Seniority, "founder", "executive", "lead"));
                r.Act.Yield(ctx => new RSignal { Match = ctx.Match, Kind = RKind.ClosedLabLeadership, Day = Math.Min(app.AsOf, app.Day), AsOf = app.AsOf, Confidence = app.Confidence, Person = app.Person, Org = app.Org });
            }),
            ("closed-lab-leader", r =>
            {
                RSignal cl = null!;
                var i = r.Index;
                r.If.Match(() => cl, x => x.Kind == RKind.ClosedLabLeadership);
                r.Act.Do(ctx => Fire(ctx, i, cl.Confidence, cl.Day)).Undo(ctx => Unfire(ctx));
            }),
            ("closed-lab-hiring-wave", r =>
            {
                IEnumerable<RSignal> n = null!;
                var i = r.Index;
                r.If.Query(() => n, q => q.Match<RSignal>(x => x.Kind == RKind.Hiring, x => x.FromClosedLab && x.Age <= Y1).Collect().Where(c => c.Sum(s => s.Count) >= 10));
                r.Act.Do(ctx => Fire(ctx, i, TopSum(n, 10, s => s.Count), Newest(n, double.MinValue))).Undo(ctx => Unfire(ctx));
            }),

            // commercial.yaml
            Channel("api-pricing", "api_pricing"),
            Channel("enterprise-offering", "enterprise"),
            Channel("revenue-target", "revenue_target"),
            ("commercial-breadth", r =>
            {
                IEnumerable<RSignal> n = null!;
                var i = r.Index;
                r.If.Query(() => n, q => q.Match<RSignal>(x => x.Kind == RKind.Commercialization, x => x.Age <= Y1).Collect().Where(c => c.Count() >= 3));
                r.Act.Do(ctx => Fire(ctx, i, Top(n, 3), Newest(n, double.MinValue))).Undo(ctx => Unfire(ctx));
            }),
            ("large-enterprise-customer-base", r =>
            {
                RSignal a = null!;
                var i = r.Index;
                r.If.Match(() => a, x => x.Kind == RKind.Adoption, x => x.EnterpriseCustomers >= 10000);
                r.Act.Do(ctx => Fire(ctx, i, a.Confidence, a.Day)).Undo(ctx => Unfire(ctx));
            }),

            // leadership.yaml
            ("leadership-exodus", r =>
            {
                RSignal last = null!;
                IEnumerable<RSignal> n = null!;
                var i = r.Index;
                r.If.Match(() => last, x => x.Kind == RKind.LeadershipDeparture, x => IsSenior(x.Seniority))
                    .Query(() => n, q => q.Match<RSignal>(x => x.Kind == RKind.LeadershipDeparture, x => IsSenior(x.Seniority) && last.Day - x.Day >= 0 && last.Day - x.Day <= 180)
                        .Collect().Where(c => c.Count() >= 3));
                r.Act.Do(ctx => Fire(ctx, i, last.Confidence * Top(n, 3), Newest(n, last.Day))).Undo(ctx => Unfire(ctx))
                    .Yield(ctx => new RSignal { Match = ctx.Match, Kind = RKind.LeadershipExodus, Day = Math.Min(last.AsOf, last.Day), AsOf = last.AsOf, Confidence = last.Confidence * Top(n, 3), Count = n.Count() });
            }),
            ("lead-departs-after-open-release", r =>
            {
                RSignal dep = null!;
                RSignal rel = null!;
                var i = r.Index;
                r.If.Match(() => dep, x => x.Kind == RKind.LeadershipDeparture, x => In(x.Seniority, "founder", "executive", "lead"))
                    .Match(() => rel, x => x.Kind == RKind.Release, x => x.Weights == "open" && dep.Day - x.Day >= 0 && dep.Day - x.Day <= 30);
                r.Act.Do(ctx => Fire(ctx, i, dep.Confidence * rel.Confidence, Math.Max(dep.Day, rel.Day))).Undo(ctx => Unfire(ctx));
            }),
            ("senior-departure-to-closed-lab", r =>
            {
                RSignal dep = null!;
                var i = r.Index;
                r.If.Match(() => dep, x => x.Kind == RKind.LeadershipDeparture, x => x.ToClosedLab && In(x.Seniority, "founder", "executive", "lead"));
                r.Act.Do(ctx => Fire(ctx, i, dep.Confidence, dep.Day)).Undo(ctx => Unfire(ctx));
            }),
            ("founder-or-executive-departure", r =>
            {
                RSignal dep = null!;
                var i = r.Index;
                r.If.Match(() => dep, x => x.Kind == RKind.LeadershipDeparture, x => In(x.Seniority, "founder", "executive"));
                r.Act.Do(ctx => Fire(ctx, i, dep.Confidence, dep.Day)).Undo(ctx => Unfire(ctx));
            }),
            ("exodus-replaced-from-closed-lab", r =>
            {
                RSignal ex = null!;
                RSignal cl = null!;
                var i = r.Index;
                r.If.Match(() => ex, x => x.Kind == RKind.LeadershipExodus)
                    .Match(() => cl, x => x.Kind == RKind.ClosedLabLeadership, x => x.Day - ex.Day >= -90 && x.Day - ex.Day <= 180);
                r.Act.Do(ctx => Fire(ctx, i, ex.Confidence * cl.Confidence, Math.Max(ex.Day, cl.Day))).Undo(ctx => Unfire(ctx));
            }),

            // licensing.yaml
            ("licence-made-more-restrictive", r =>
            {
                RSignal ch = null!;
                var i = r.Index;
                r.If.Match(() => ch, x => x.Kind == RKind.LicenseChange, x => x.MoreRestrictive);
                r.Act.Do(ctx => Fire(ctx, i, ch.Confidence, ch.Day)).Undo(ctx => Unfire(ctx));
            }),
            ("flagship-under-restrictive-licence", r =>
            {
                RSignal rel = null!;
                var i = r.Index;
                r.If.Match(() => rel, x => x.Kind == RKind.Release, x => x.Tier == "flagship" && In(x.Weights, "open", "gated") && Restrictive(x.License));
                r.Act.Do(ctx => Fire(ctx, i, rel.Confidence, rel.Day)).Undo(ctx => Unfire(ctx));
            }),
            ("gated-flagship-release", r =>
            {
                RSignal rel = null!;
                var i = r.Index;
                r.If.Match(() => rel, x => x.Kind == RKind.Release, x => x.Tier == "flagship" && x.Weights == "gated");
                r.Act.Do(ctx => Fire(ctx, i, rel.Confidence, rel.Day)).Undo(ctx => Unfire(ctx));
            }),
            ("licence-loosened", r =>
            {
                RSignal ch = null!;
                var i = r.Index;
                r.If.Match(() => ch, x => x.Kind == RKind.LicenseChange, x => !x.MoreRestrictive);
                r.Act.Do(ctx => Fire(ctx, i, ch.Confidence, ch.Day)).Undo(ctx => Unfire(ctx));
            }),

            // money.yaml
            Investor("cloud-investor", "cloud"),
            Investor("strategic-investor", "strategic"),
            ("exclusive-partnership", r =>
            {
                RSignal p = null!;
                var i = r.Index;
                r.If.Match(() => p, x => x.Kind == RKind.Partnership, x => x.Exclusive && !(x.Ended <= x.AsOf));
                r.Act.Do(ctx => Fire(ctx, i, p.Confidence, p.Day)).Undo(ctx => Unfire(ctx));
            }),
            ("exclusive-cloud-partnership", r =>
            {
                RSignal p = null!;
                var i = r.Index;
                r.If.Match(() => p, x => x.Kind == RKind.Partnership, x => x.Exclusive && x.CloudDistribution && !(x.Ended <= x.AsOf));
                r.Act.Do(ctx => Fire(ctx, i, p.Confidence, p.Day)).Undo(ctx => Unfire(ctx));
            }),
            ("large-raise", r =>
            {
                IEnumerable<RSignal> n = null!;
                var i = r.Index;
                r.If.Query(() => n, q => q.Match<RSignal>(x => x.Kind == RKind.Funding, x => x.Age <= Y1).Collect().Where(c => c.Sum(s => s.AmountUsd) >= 1_000_000_000));
                r.Act.Do(ctx => Fire(ctx, i, TopSum(n, 1_000_000_000, s => s.AmountUsd), Newest(n, double.MinValue))).Undo(ctx => Unfire(ctx));
            }),
            Investor("public-market-money", "public_market"),
            ("young-venture-backed-startup", r =>
            {
                RSignal founder = null!;
                RSignal f = null!;
                var i = r.Index;
                r.If.Match(() => founder, x => x.Kind == RKind.LeadershipAppointment, x => x.Seniority == "founder" && x.Age <= Y2)
                    .Match(() => f, x => x.Kind == RKind.Funding, x => In(x.InvestorType, "vc", "strategic", "cloud") && x.Day - founder.Day >= -180 && x.Day - founder.Day <= 730 && !(x.Recipient == "parent"));
                r.Act.Do(ctx => Fire(ctx, i, founder.Confidence * f.Confidence, Math.Max(founder.Day, f.Day))).Undo(ctx => Unfire(ctx));
            }),
            ("equity-funded", r =>
            {
                RSignal f = null!;
                var i = r.Index;
                r.If.Match(() => f, x => x.Kind == RKind.Funding, x => x.Form == "equity" && In(x.InvestorType, "vc", "strategic", "cloud") && !(x.Recipient == "parent"));
                r.Act.Do(ctx => Fire(ctx, i, f.Confidence, f.Day)).Undo(ctx => Unfire(ctx));
            }),
            ("grant-or-donation-funded", r =>
            {
                RSignal f = null!;
                var i = r.Index;
                r.If.Match(() => f, x => x.Kind == RKind.Funding, x => In(x.Form, "grant", "donation") && !(x.Recipient == "parent"));
                r.Act.Do(ctx => Fire(ctx, i, f.Confidence, f.Day)).Undo(ctx => Unfire(ctx));
            }),

            // organisation.yaml
            ("media-generation-flagship", r =>
            {
                RSignal rel = null!;
                var i = r.Index;
                r.If.Match(() => rel, x => x.Kind == RKind.Release, x => x.Tier == "flagship" && In(x.Modality, "image", "audio", "video"));
                r.Act.Do(ctx => Fire(ctx, i, rel.Confidence, rel.Day)).Undo(ctx => Unfire(ctx));
            }),
            ("consumer-or-device-pivot", r =>
            {
                RSignal c = null!;
                var i = r.Index;
                r.If.Match(() => c, x => x.Kind == RKind.Commercialization, x => In(x.Channel, "consumer_product", "device"));
                r.Act.Do(ctx => Fire(ctx, i, c.Confidence, c.Day)).Undo(ctx => Unfire(ctx));
            }),
            ("reorg-into-product-unit", r =>
            {
                RSignal o = null!;
                var i = r.Index;
                r.If.Match(() => o, x => x.Kind == RKind.Reorganization, x => x.MergedWithProductUnit && x.CommercialFocus);
                r.Act.Do(ctx => Fire(ctx, i, o.Confidence, o.Day)).Undo(ctx => Unfire(ctx));
            }),
            ("reorg-commercial-focus", r =>
            {
                RSignal o = null!;
                var i = r.Index;
                r.If.Match(() => o, x => x.Kind == RKind.Reorganization, x => x.CommercialFocus);
                r.Act.Do(ctx => Fire(ctx, i, o.Confidence, o.Day)).Undo(ctx => Unfire(ctx));
            }),
            ("acquired-by-closed-acquirer", r =>
            {
                RSignal acq = null!;
                var i = r.Index;
                r.If.Match(() => acq, x => x.Kind == RKind.Acquisition, x => x.AcquirerClosed);
                r.Act.Do(ctx => Fire(ctx, i, acq.Confidence, acq.Day)).Undo(ctx => Unfire(ctx));
            }),
            ("significant-layoffs", r =>
            {
                RSignal l = null!;
                var i = r.Index;
                r.If.Match(() => l, x => x.Kind == RKind.Layoff, x => x.Share >= 0.1 || x.Count >= 100);
                r.Act.Do(ctx => Fire(ctx, i, l.Confidence, l.Day)).Undo(ctx => Unfire(ctx));
            }),

            // protective.yaml
            ("open-flagship-cadence", r =>
            {
                RSignal rel = null!;
                IEnumerable<RSignal> n = null!;
                var i = r.Index;
                r.If.Match(() => rel, x => x.Kind == RKind.Release, x => x.Weights == "open" && x.Tier == "flagship" && x.Age <= Y1)
                    .Query(() => n, q => q.Match<RSignal>(x => x.Kind == RKind.Release, x => x.Weights == "open" && x.Tier == "flagship" && x.Age <= Y2 && rel.Day - x.Day >= 120)
                        .Collect().Where(c => c.Any()));
                r.Act.Do(ctx => Fire(ctx, i, rel.Confidence * Top(n, 1), Newest(n, rel.Day))).Undo(ctx => Unfire(ctx));
            }),
            ("large-open-adoption", r =>
            {
                RSignal a = null!;
                var i = r.Index;
                r.If.Match(() => a, x => x.Kind == RKind.Adoption, x => x.Downloads >= 100_000_000 || x.Derivatives >= 10_000);
                r.Act.Do(ctx => Fire(ctx, i, a.Confidence, a.Day)).Undo(ctx => Unfire(ctx));
            }),
            ("broad-open-adoption", r =>
            {
                RSignal a = null!;
                var i = r.Index;
                r.If.Match(() => a, x => x.Kind == RKind.Adoption, x => x.Downloads >= 10_000_000 || x.Derivatives >= 1000);
                r.Act.Do(ctx => Fire(ctx, i, a.Confidence, a.Day)).Undo(ctx => Unfire(ctx));
            }),

            // statements.yaml
            ("pro-closed-statement", r =>
            {
                RSignal s = null!;
                var i = r.Index;
                r.If.Match(() => s, x => x.Kind == RKind.Statement, x => x.Stance == "pro_closed" && !(x.SpeakerOrg == "outsider"));
                r.Act.Do(ctx => Fire(ctx, i, s.Confidence, s.Day)).Undo(ctx => Unfire(ctx));
            }),
            ("stance-shift-open-to-closed", r =>
            {
                RSignal o = null!;
                RSignal c = null!;
                var i = r.Index;
                r.If.Match(() => o, x => x.Kind == RKind.Statement, x => x.Stance == "pro_open" && !(x.SpeakerOrg == "outsider"))
                    .Match(() => c, x => x.Kind == RKind.Statement, x => x.Stance == "pro_closed" && x.Day - o.Day > 0 && !(x.SpeakerOrg == "outsider"));
                r.Act.Do(ctx => Fire(ctx, i, o.Confidence * c.Confidence, Math.Max(o.Day, c.Day))).Undo(ctx => Unfire(ctx));
            }),
            ("parent-speaks-for-closed", r =>
            {
                RSignal s = null!;
                var i = r.Index;
                r.If.Match(() => s, x => x.Kind == RKind.Statement, x => x.Stance == "pro_closed" && x.SpeakerOrg == "parent");
                r.Act.Do(ctx => Fire(ctx, i, s.Confidence, s.Day)).Undo(ctx => Unfire(ctx));
            }),
            ("pro-open-statement", r =>
            {
                RSignal s = null!;
                var i = r.Index;
                r.If.Match(() => s, x => x.Kind == RKind.Statement, x => x.Stance == "pro_open" && x.Age <= Y2 && !(x.SpeakerOrg == "outsider"))
                    .Not<RSignal>(x => x.Kind == RKind.Statement, x => x.Stance == "pro_closed" && x.Day - s.Day > 0 && !(x.SpeakerOrg == "outsider"));
                r.Act.Do(ctx => Fire(ctx, i, s.Confidence, s.Day)).Undo(ctx => Unfire(ctx));
            }),
            ("repeated-pro-open-statements", r =>
            {
                IEnumerable<RSignal> n = null!;
                var i = r.Index;
                r.If.Query(() => n, q => q.Match<RSignal>(x => x.Kind == RKind.Statement, x => x.Stance == "pro_open" && x.Age <= Y2 && !(x.SpeakerOrg == "outsider")).Collect().Where(c => c.Count() >= 2))
                    .Not<RSignal>(x => x.Kind == RKind.Statement, x => x.Stance == "pro_closed" && x.Day - Newest(n, double.MinValue) > 0 && !(x.SpeakerOrg == "outsider"));
                r.Act.Do(ctx => Fire(ctx, i, Top(n, 2), Newest(n, double.MinValue))).Undo(ctx => Unfire(ctx));
            }),

            // strategy.yaml
            ("closed-flagship-after-open-release", r =>
            {
                RSignal op = null!;
                RSignal clo = null!;
                var i = r.Index;
                r.If.Match(() => op, x => x.Kind == RKind.Release, x => x.Weights == "open")
                    .Match(() => clo, x => x.Kind == RKind.Release, x => x.Weights == "api_only" && x.Tier == "flagship" && x.Day - op.Day > 0 && (Eq(x.Line, op.Line) || !(x.Line != null || op.Line != null)));
                r.Act.Do(ctx => Fire(ctx, i, op.Confidence * clo.Confidence, Math.Max(op.Day, clo.Day))).Undo(ctx => Unfire(ctx));
            }),
            ("api-only-flagship-alongside-open-models", r =>
            {
                RSignal clo = null!;
                IEnumerable<RSignal> n = null!;
                var i = r.Index;
                r.If.Match(() => clo, x => x.Kind == RKind.Release, x => x.Weights == "api_only" && x.Tier == "flagship")
                    .Query(() => n, q => q.Match<RSignal>(x => x.Kind == RKind.Release, x => x.Weights == "open" && (Eq(x.Line, clo.Line) || !(x.Line != null || clo.Line != null))).Collect().Where(c => c.Any()));
                r.Act.Do(ctx => Fire(ctx, i, clo.Confidence * Top(n, 1), Newest(n, clo.Day))).Undo(ctx => Unfire(ctx));
            }),
            ("flagship-launched-without-weights", r =>
            {
                RSignal rel = null!;
                IEnumerable<RSignal> wl = null!;
                var i = r.Index;
                r.If.Match(() => rel, x => x.Kind == RKind.Release, x => x.Tier == "flagship" && In(x.Weights, "withheld", "demo_only", "staged"))
                    .Query(() => wl, q => q.Match<RSignal>(x => x.Kind == RKind.Release, x => (In(x.Weights, "open", "gated") || (x.Weights == "staged" && x.WeightsDate <= x.AsOf)) && (Eq(x.Line, rel.Line) || !(x.Line != null || rel.Line != null))).Collect().Where(c => c.Any()));
                r.Act.Do(ctx => Fire(ctx, i, rel.Confidence * Top(wl, 1), Newest(wl, rel.Day))).Undo(ctx => Unfire(ctx));
            }),
            ("closed-line-beside-open-line", r =>
            {
                RSignal op = null!;
                RSignal cl = null!;
                var i = r.Index;
                r.If.Match(() => op, x => x.Kind == RKind.Release, x => x.Weights == "open" && x.Line != null)
                    .Match(() => cl, x => x.Kind == RKind.Release, x => In(x.Weights, "api_only", "withheld", "demo_only") && x.Line != null && Ne(x.Line, op.Line));
                r.Act.Do(ctx => Fire(ctx, i, op.Confidence * cl.Confidence, Math.Max(op.Day, cl.Day))).Undo(ctx => Unfire(ctx));
            }),
            ("no-api-only-flagship-ever", r =>
            {
                RSignal rel = null!;
                var i = r.Index;
                r.If.Match(() => rel, x => x.Kind == RKind.Release, x => x.Tier == "flagship" && In(x.Weights, "open", "gated"))
                    .Not<RSignal>(x => x.Kind == RKind.Release, x => x.Tier == "flagship" && (In(x.Weights, "api_only", "withheld", "demo_only") || (x.Weights == "staged" && !(x.WeightsDate <= x.AsOf))));
                r.Act.Do(ctx => Fire(ctx, i, rel.Confidence, rel.Day)).Undo(ctx => Unfire(ctx));
            }),
            ("all-flagships-open", r =>
            {
                RSignal last = null!;
                var i = r.Index;
                r.If.Match(() => last, x => x.Kind == RKind.Release, x => x.Weights == "open" && x.Tier == "flagship")
                    .Not<RSignal>(x => x.Kind == RKind.Release, x => x.Tier == "flagship" && x.Weights != "open");
                r.Act.Do(ctx => Fire(ctx, i, last.Confidence, last.Day)).Undo(ctx => Unfire(ctx));
            }),
        ];

        private static (string Id, Action<PackRule> Define) Channel(string id, string channel) => (id, r =>
        {
            RSignal c = null!;
            var i = r.Index;
            r.If.Match(() => c, x => x.Kind == RKind.Commercialization, x => x.Channel == channel);
            r.Act.Do(ctx => Fire(ctx, i, c.Confidence, c.Day)).Undo(ctx => Unfire(ctx));
        });

        private static (string Id, Action<PackRule> Define) Investor(string id, string type) => (id, r =>
        {
            RSignal f = null!;
            var i = r.Index;
            r.If.Match(() => f, x => x.Kind == RKind.Funding, x => x.InvestorType == type);
            r.Act.Do(ctx => Fire(ctx, i, f.Confidence, f.Day)).Undo(ctx => Unfire(ctx));
        });
    }
}
