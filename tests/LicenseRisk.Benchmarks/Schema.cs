using System.Globalization;
using LicenseRisk.Benchmarks.Workload;
using LicenseRisk.Scoring;
using NRules;
using NRules.Diagnostics;

namespace LicenseRisk.Benchmarks;

/// <summary>
/// The two realistic session factories side by side: NRules' rete network (nodes by type, how
/// many rules share each), facts inserted and activations per dossier. Used to find where
/// LicenseRisk's lowered network differs in shape from the hand-written fluent one.
/// </summary>
public static class Schema
{
    public static void Run(bool verbose)
    {
        var r = new RealisticWorkload(Workloads.Seed, 2_000);
        Network("LicenseRisk", r.Pack.Factory, verbose);
        Network("fluent", r.Fluent.Factory, verbose);
        Facts(r);
    }

    private static void Network(string name, ISessionFactory factory, bool verbose)
    {
        var graph = factory.GetSchema();
        Console.WriteLine($"== {name}: {graph.Nodes.Count} nodes, {graph.Links.Count} links");
        foreach (var g in graph.Nodes.GroupBy(n => n.NodeType).OrderBy(g => g.Key.ToString()))
        {
            var shared = g.Count(n => n.Rules.Count > 1);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {g.Key,-18} {g.Count(),4}  shared by >1 rule: {shared,3}  rule refs: {g.Sum(n => n.Rules.Count),4}"));
        }

        if (!verbose)
        {
            return;
        }

        foreach (var n in graph.Nodes.OrderBy(n => n.Id))
        {
            var exprs = string.Join(" | ", n.Expressions.Select(e => $"{e.Key}: {e.Value}"));
            Console.WriteLine($"  #{n.Id} {n.NodeType} rules={n.Rules.Count} {n.OutputType?.Name} {exprs}");
        }

        foreach (var l in graph.Links)
        {
            Console.WriteLine($"  link #{l.Source.Id} -> #{l.Target.Id}");
        }
    }

    private static readonly Dictionary<ISessionFactory, Dictionary<int, string>> s_types = [];

    private static void Tally(ISessionFactory factory, ISession session, SortedDictionary<string, double[]> tally)
    {
        if (!s_types.TryGetValue(factory, out var types))
        {
            s_types[factory] = types = factory.GetSchema().Nodes.ToDictionary(n => n.Id, n => n.NodeType.ToString());
        }

        foreach (var m in session.Metrics.GetAll())
        {
            var key = types.GetValueOrDefault(m.NodeId, "?");
            if (!tally.TryGetValue(key, out var t))
            {
                tally[key] = t = new double[4];
            }

            t[0]++;
            t[1] += m.InsertInputCount;
            t[2] += m.UpdateInputCount;
            t[3] += m.RetractInputCount;
        }
    }

    private static bool Known(LicenseRisk.Model.SignalRecord s) => s.Date <= RealisticGenerator.AsOfDate && s.Known <= RealisticGenerator.AsOfDate;

    private sealed class Resolver(object eval) : NRules.Extensibility.IDependencyResolver
    {
        public object Resolve(NRules.Extensibility.IResolutionContext context, Type serviceType) => eval;
    }

    private static void Facts(RealisticWorkload r)
    {
        const int N = 500;
        var ourTally = new SortedDictionary<string, double[]>();
        var fluentTally = new SortedDictionary<string, double[]>();
        double signals = 0, ours = 0, fluent = 0, ourFired = 0, fluentFired = 0;
        for (var i = 0; i < N; i++)
        {
            var d = r.Dossiers[i];
            signals += d.Signals.Count;
            var session = r.Pack.Factory.CreateSession();
            var count = 0;
            session.Events.RuleFiredEvent += (_, _) => count++;
            var eval = new LicenseRisk.Rules.Runtime.EvalContext(RealisticGenerator.AsOfDate);
            session.DependencyResolver = new Resolver(eval);
            var facts = d.Signals.Where(s => Known(s)).Select(s => SignalFact.From(s, RealisticGenerator.AsOfDate)).ToList();
            session.InsertAll(facts);
            session.Fire();
            Tally(r.Pack.Factory, session, ourTally);
            ourFired += count;
            ours += session.Query<object>().Count();

            var fs = r.Fluent.Factory.CreateSession();
            var fcount = 0;
            fs.Events.RuleFiredEvent += (_, _) => fcount++;
            var recorder = new FluentRecorder();
            fs.DependencyResolver = new FluentRecorder.Resolver(recorder);
            fs.InsertAll(r.Neutral[i].Signals);
            fs.Fire();
            Tally(r.Fluent.Factory, fs, fluentTally);
            fluentFired += fcount;
            fluent += fs.Query<object>().Count();
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"== per dossier ({N}): signals {signals / N:0.0}; facts in memory after firing: LicenseRisk {ours / N:0.0}, fluent {fluent / N:0.0}; rules fired: LicenseRisk {ourFired / N:0.0}, fluent {fluentFired / N:0.0}"));
        Console.WriteLine("   node type          | nodes touched, insert/update/retract inputs per dossier: LicenseRisk | fluent");
        foreach (var key in ourTally.Keys.Union(fluentTally.Keys).Order())
        {
            var a = ourTally.GetValueOrDefault(key) ?? new double[4];
            var b = fluentTally.GetValueOrDefault(key) ?? new double[4];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"   {key,-18} | {a[0] / N,6:0.0} {a[1] / N,7:0.0} {a[2] / N,6:0.0} {a[3] / N,6:0.0} | {b[0] / N,6:0.0} {b[1] / N,7:0.0} {b[2] / N,6:0.0} {b[3] / N,6:0.0}"));
        }
    }
}
