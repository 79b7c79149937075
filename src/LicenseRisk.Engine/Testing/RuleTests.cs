using System.Globalization;
using LicenseRisk.Model;
using LicenseRisk.Rules;
using LicenseRisk.Scoring;
using LicenseRisk.Yaml;
using YamlDotNet.RepresentationModel;
using LicenseRisk.Application;

namespace LicenseRisk.Testing;

public sealed record Bounds(double? AtLeast, double? AtMost)
{
    public bool Holds(double x) => (AtLeast is null || x >= AtLeast - 1e-12) && (AtMost is null || x <= AtMost + 1e-12);

    public override string ToString() => (AtLeast, AtMost) switch
    {
        ({ } lo, { } hi) => FormattableString.Invariant($"between {lo} and {hi}"),
        ({ } lo, null) => FormattableString.Invariant($"at least {lo}"),
        (null, { } hi) => FormattableString.Invariant($"at most {hi}"),
        _ => "anything",
    };
}

/// <summary>One rule test (rule-format.md, "Rule tests").</summary>
public sealed record RuleTest(
    string Name,
    SourceSpan Span,
    DateOnly AsOf,
    int? HorizonMonths,
    IReadOnlyList<SignalRecord> Signals,
    IReadOnlyList<Located> Fires,
    IReadOnlyList<Located> NotFires,
    IReadOnlyList<Located> Derives,
    IReadOnlyList<Located> NotDerives,
    Bounds? Probability,
    IReadOnlyList<(Located Rule, Bounds Bounds)> Contributions,
    string? Band)
{
    /// <summary>Where the probability bounds are written (failures point there).</summary>
    public SourceSpan? ProbabilitySpan { get; init; }

    /// <summary>Where the expected band is written.</summary>
    public SourceSpan? BandSpan { get; init; }
}

public sealed record RuleTestResult(RuleTest Test, IReadOnlyList<string> Failures)
{
    public bool Passed => Failures.Count == 0;
}

/// <summary>Reads a pack's tests/*.yaml and runs each test against the compiled pack.</summary>
public static class RuleTests
{
    public static IReadOnlyList<RuleTest> Read(string packDirectory, CompiledPack pack, Limits limits, DiagnosticBag diags)
    {
        var dir = Path.Combine(packDirectory, "tests");
        if (!Directory.Exists(dir))
        {
            return [];
        }

        var tests = new List<RuleTest>();
        foreach (var file in SourcePaths.YamlFiles(dir, SearchOption.TopDirectoryOnly))
        {
            if (YamlSource.LoadFile(file, file, limits, diags) is { } root)
            {
                tests.AddRange(ReadFile(new Nodes(file, diags), root, pack));
            }
        }

        return tests;
    }

    public static IReadOnlyList<RuleTest> ReadFile(Nodes nodes, YamlNode root, CompiledPack pack)
    {
        var map = nodes.Map(root, "a rule test file");
        var testsNode = map?.Get("tests", required: true, what: "a rule test file");
        map?.RejectUnknown("a rule test file", ["tests"]);
        if (testsNode is null || nodes.Seq(testsNode, "'tests'") is not { } seq)
        {
            return [];
        }

        var result = new List<RuleTest>();
        foreach (var item in seq)
        {
            if (ReadTest(nodes, item, pack) is { } t)
            {
                result.Add(t);
            }
        }

        return result;
    }

    private static RuleTest? ReadTest(Nodes nodes, YamlNode node, CompiledPack pack)
    {
        var map = nodes.Map(node, "a rule test");
        if (map is null)
        {
            return null;
        }

        var errors = nodes.Diags.Items.Count(d => d.IsError);
        var name = map.Str("name", required: true);
        var asOf = map.Date("as_of", required: true);
        var horizon = DossierReader.Horizon(nodes, map);

        var signals = new List<SignalRecord>();
        if (map.Get("signals", required: true) is { } sn && !Nodes.IsNull(sn) && nodes.Seq(sn, "'signals'") is { } seq)
        {
            foreach (var s in seq)
            {
                if (SignalReader.Read(nodes, s, pack.Catalog) is { } record)
                {
                    signals.Add(record);
                }
            }
        }

        var ruleIds = pack.Rules.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        var derivedKinds = pack.Catalog.Kinds.Where(k => k.Derived).Select(k => k.Name).ToHashSet(StringComparer.Ordinal);
        IReadOnlyList<Located> fires = [], notFires = [], derives = [], notDerives = [];
        Bounds? probability = null;
        string? band = null;
        var contributions = new List<(Located, Bounds)>();
        SourceSpan? probabilitySpan = null, bandSpan = null;
        if (map.GetNonNull("expect", required: true, what: "a rule test") is { } en && nodes.Map(en, "'expect'") is { } expect)
        {
            fires = Names(nodes, expect, "fires", ruleIds, "rule");
            notFires = Names(nodes, expect, "not_fires", ruleIds, "rule");
            derives = Names(nodes, expect, "derives", derivedKinds, "derived kind");
            notDerives = Names(nodes, expect, "not_derives", derivedKinds, "derived kind");
            if (expect.GetNonNull("probability") is { } pn)
            {
                probability = ReadBounds(nodes, pn, "'probability'");
                probabilitySpan = nodes.Span(pn);
            }

            if (expect.GetNonNull("contribution") is { } cn && nodes.Map(cn, "'contribution'") is { } cm)
            {
                foreach (var (k, v) in cm.Entries())
                {
                    cm.MarkSeen(k.Value!);
                    if (!ruleIds.Contains(k.Value!))
                    {
                        nodes.Report(k, DiagnosticCodes.UnknownTestTarget, $"no rule '{k.Value}' in the pack");
                    }
                    else if (ReadBounds(nodes, v, $"contribution of '{k.Value}'") is { } b)
                    {
                        contributions.Add((new Located(k.Value!, nodes.Span(k)), b));
                    }
                }
            }

            if (expect.Str("band") is { } bandName)
            {
                bandSpan = nodes.Span(expect.Get("band")!);
                if (pack.Bands.Thresholds.All(t => t.Key != bandName))
                {
                    nodes.Report(expect.Get("band")!, DiagnosticCodes.UnknownTestBand, $"no band '{bandName}'; the pack's bands are {string.Join(", ", pack.Bands.Thresholds.Select(t => t.Key))}");
                }

                band = bandName;
            }

            expect.RejectUnknown("'expect'", ["fires", "not_fires", "derives", "not_derives", "probability", "contribution", "band"]);
            if (fires.Count + notFires.Count + derives.Count + notDerives.Count + contributions.Count == 0 && probability is null && band is null
                && !nodes.Diags.HasErrors)
            {
                nodes.Report(en, DiagnosticCodes.TestChecksNothing, "'expect' checks nothing; a test that cannot fail is not a test");
            }
        }

        map.RejectUnknown("a rule test", ["name", "as_of", "horizon_months", "signals", "expect"]);
        if (nodes.Diags.Items.Count(d => d.IsError) > errors || name is null || asOf is null)
        {
            return null;
        }

        return new RuleTest(name, nodes.Span(node), asOf.Value, (int?)horizon, signals, fires, notFires, derives, notDerives, probability, contributions, band)
        {
            ProbabilitySpan = probabilitySpan,
            BandSpan = bandSpan,
        };
    }

    private static List<Located> Names(Nodes nodes, MapReader map, string key, HashSet<string> known, string what)
    {
        var result = new List<Located>();
        if (map.GetNonNull(key) is not { } node)
        {
            return result;
        }

        var items = node is YamlSequenceNode seq ? seq.Children : [node];
        foreach (var item in items)
        {
            if (nodes.Loc(item, $"an item of '{key}'") is not { } loc)
            {
                continue;
            }

            if (!known.Contains(loc.Text))
            {
                var hint = Suggest.Closest(loc.Text, known);
                nodes.Report(item, DiagnosticCodes.UnknownTestTarget, $"no {what} '{loc.Text}' in the pack{(hint is null ? string.Empty : $"; did you mean '{hint}'?")}");
                continue;
            }

            result.Add(loc);
        }

        return result;
    }

    private static Bounds? ReadBounds(Nodes nodes, YamlNode node, string what)
    {
        var map = nodes.Map(node, what);
        if (map is null)
        {
            return null;
        }

        var lo = map.Number("at_least");
        var hi = map.Number("at_most");
        map.RejectUnknown(what, ["at_least", "at_most"]);
        if (lo is null && hi is null)
        {
            nodes.Report(node, DiagnosticCodes.BadTestRange, $"{what} needs at_least, at_most or both");
            return null;
        }

        if (lo > hi)
        {
            nodes.Report(node, DiagnosticCodes.BadTestRange, FormattableString.Invariant($"{what}: at_least {lo} is above at_most {hi}; no value can pass"));
            return null;
        }
        return new Bounds(lo, hi);
    }

    /// <summary>Runs the tests (scored together, in parallel); results keep the tests' order.</summary>
    public static IReadOnlyList<RuleTestResult> RunAll(CompiledPack pack, IReadOnlyList<RuleTest> tests)
    {
        var jobs = tests.Select(t => new ScoreJob(new Dossier(t.Span.File, new VendorInfo("rule-test", t.Name, null, null, [], t.Span), t.Signals, null), t.AsOf, t.HorizonMonths));
        var scores = BatchScorer.Score(pack, [.. jobs], policy: null);
        return [.. tests.Select((t, i) => Check(pack, t, scores[i]))];
    }

    private static RuleTestResult Check(CompiledPack pack, RuleTest test, VendorScore score)
    {
        var fired = score.Contributions.Concat(score.Outweighed.Select(o => o.Contribution)).ToDictionary(c => c.Rule, StringComparer.Ordinal);
        foreach (var d in score.Derived.Where(d => !fired.ContainsKey(d.By)))
        {
            // A derive-only rule fires by deriving; it has no contribution of its own.
            var rule = pack.Rules.First(r => r.Id == d.By);
            fired[d.By] = new Contribution(rule.Id, rule.Title, rule.Group, 0, 0, d.Confidence, 1, 0, $"derived {d.Kind}", d.Support, [], null);
        }

        var derivedKinds = score.Derived.Select(d => d.Kind).ToHashSet(StringComparer.Ordinal);
        var failures = new List<string>();
        var firedList = fired.Count == 0 ? "no rule fired" : $"fired: {string.Join(", ", fired.Keys.Order(StringComparer.Ordinal))}";
        foreach (var r in test.Fires.Where(r => !fired.ContainsKey(r.Text)))
        {
            failures.Add($"{r.Span}: expected {r.Text} to fire, but it did not ({firedList})");
        }

        foreach (var r in test.NotFires.Where(r => fired.ContainsKey(r.Text)))
        {
            failures.Add($"{r.Span}: expected {r.Text} not to fire, but it did: {fired[r.Text].Because}");
        }

        foreach (var k in test.Derives.Where(k => !derivedKinds.Contains(k.Text)))
        {
            failures.Add($"{k.Span}: expected a derived {k.Text} signal, but none was derived");
        }

        foreach (var k in test.NotDerives.Where(k => derivedKinds.Contains(k.Text)))
        {
            failures.Add($"{k.Span}: expected no derived {k.Text} signal, but one was derived");
        }

        if (test.Probability is { } p && !p.Holds(score.Probability))
        {
            failures.Add(FormattableString.Invariant($"{test.ProbabilitySpan ?? test.Span}: expected probability {p}, got {score.Probability:0.####} ({firedList})"));
        }

        foreach (var (rule, bounds) in test.Contributions)
        {
            var value = score.Contributions.FirstOrDefault(c => c.Rule == rule.Text)?.Value ?? 0;
            if (!bounds.Holds(value))
            {
                var lost = score.Outweighed.FirstOrDefault(o => o.Contribution.Rule == rule.Text);
                var why = lost is null
                    ? string.Empty
                    : FormattableString.Invariant($": it fired ({lost.Contribution.Value:0.####}) but was outweighed by {lost.By} in group {lost.Contribution.Group}");
                failures.Add(FormattableString.Invariant($"{rule.Span}: expected the contribution of {rule.Text} {bounds}, got {value:0.####}{why}"));
            }
        }

        if (test.Band is { } band && band != score.Band)
        {
            failures.Add($"{test.BandSpan ?? test.Span}: expected band {band}, got {score.Band} (probability {score.Probability.ToString("0.####", CultureInfo.InvariantCulture)})");
        }

        return new RuleTestResult(test, failures);
    }
}
