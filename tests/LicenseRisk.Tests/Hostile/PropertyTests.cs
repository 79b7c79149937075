using System.Text;
using CsCheck;
using LicenseRisk.Model;
using LicenseRisk.Rules;
using LicenseRisk.Rules.Syntax;
using LicenseRisk.Scoring;
using LicenseRisk.Yaml;
using LicenseRisk.Presentation.Score;

namespace LicenseRisk.Tests.Hostile;

/// <summary>
/// Property-based tests (CsCheck): readers never throw, and scoring keeps its invariants. Every
/// input, orders included, comes from CsCheck's seeded generator: a failure prints
/// <c>Set seed: "..." or -e CsCheck_Seed=...</c>, and setting the environment variable
/// <c>CsCheck_Seed</c> to that value (or passing it as <c>seed:</c>) replays the failing case.
/// </summary>
public sealed class PropertyTests
{
    private static readonly string[] Fragments =
    [
        "vendor:", " id: a", " name: A", "signals:", "  - kind: release", "    date: 2026-01-01", "    model: M",
        "    weights: open", "    confidence: 0.5", "case:", "  as_of: 2026-01-01", "  went_api_only: true", "extra: {",
        "- ", ": ", "[", "]", "{", "}", "&a", "*a", "!!str", "---", "...", "'", "\"", "#", "\t", "?", "|", ">", "%YAML 1.2",
        "  - { kind: leadership_departure, date: 2026-13-45, seniority: boss }", "null", "~", "1e999", ".nan",
    ];

    private static readonly Gen<string> YamlishText =
        Gen.OneOf(Gen.String, Gen.Int[0, Fragments.Length - 1].Array[0, 40].Select(ix => string.Join("\n", ix.Select(i => Fragments[i]))));

    private static readonly Lazy<CompiledPack> Bundled = new(() =>
    {
        var diags = new DiagnosticBag();
        return PackCompiler.Load(Repo.Path("rules"), new LicenseRisk.Yaml.Limits(), diags) ?? throw new InvalidOperationException(TestPack.Errors(diags));
    });

    [Fact]
    public void ExpressionParser_ReturnsAValueOrALocatedError_ForAnyText()
    {
        var alphabet = Gen.Char["()[]{}'\" .,=!<>+-*/andornotinbetweenxyz_0123456789"];
        Gen.OneOf(Gen.String, alphabet.Array[0, 80].Select(c => new string(c))).Sample(text =>
        {
            var (expr, error) = Parser.Parse(text);
            (expr is null).ShouldBe(error is not null);
            if (error is not null)
            {
                error.Pos.ShouldBeInRange(0, Math.Max(0, text.Length));
            }

            var (_, templateError) = TemplateParser.Parse(text);
            templateError?.Message.ShouldNotBeNullOrEmpty();
        }, iter: 3000);
    }

    [Fact]
    public void DossierReader_ReturnsADossierOrLocatedDiagnostics_ForAnyText()
    {
        var catalog = Bundled.Value.Catalog;
        YamlishText.Sample(text =>
        {
            var diags = new DiagnosticBag();
            var root = YamlSource.LoadText(text, "p.yaml", new LicenseRisk.Yaml.Limits(), diags);
            var dossier = root is null ? null : DossierReader.Read(root, "p.yaml", catalog, new LicenseRisk.Yaml.Limits(), diags);
            (dossier is not null || diags.HasErrors).ShouldBeTrue();
            diags.Items.ShouldAllBe(d => d.Span.File == "p.yaml" && d.Span.Line >= 1 && d.Span.Column >= 1);
        }, iter: 2000);
    }

    [Fact]
    public void RuleReader_AndBinder_ReturnRulesOrLocatedDiagnostics_ForAnyText()
    {
        var catalog = Bundled.Value.Catalog;
        var expressions = Gen.Char["()'. =<>!andornotinage0123456789seniority_weights"].Array[0, 40].Select(c => new string(c));
        Gen.OneOf(YamlishText, expressions.Select(e => $"rules:\n  - id: r\n    title: t\n    weight: 1\n    when:\n      - signal: release\n        where: \"{e.Replace("\"", string.Empty, StringComparison.Ordinal)}\"\n")).Sample(text =>
        {
            var diags = new DiagnosticBag();
            var root = YamlSource.LoadText(text, "r.yaml", new LicenseRisk.Yaml.Limits(), diags);
            if (root is null)
            {
                diags.HasErrors.ShouldBeTrue();
                return;
            }

            foreach (var rule in RuleFileReader.Read(new Nodes("r.yaml", diags), root))
            {
                _ = LicenseRisk.Rules.Binding.RuleBinder.Bind(rule, catalog, diags);
            }

            diags.Items.ShouldAllBe(d => d.Span.Line >= 1 && d.Span.Column >= 1);
        }, iter: 2000);
    }

    private static readonly Gen<string> SignalLine = Gen.OneOf(
        Gen.Select(Gen.Int[0, 780], Gen.Int[0, 10], Gen.OneOf("open", "gated", "api_only"), Gen.OneOf("flagship", "mid", "small"),
            (d, c, w, t) => $"  - {{ kind: release, date: {Day(d)}, model: M{d}, weights: {w}, tier: {t}, confidence: {c / 10.0}, source: s }}"),
        Gen.Select(Gen.Int[0, 780], Gen.Int[0, 10], Gen.OneOf("founder", "executive", "lead", "senior"), Gen.Bool,
            (d, c, s, closed) => $"  - {{ kind: leadership_departure, date: {Day(d)}, seniority: {s}, to_closed_lab: {(closed ? "true" : "false")}, person: P{d}, confidence: {c / 10.0}, source: s }}"),
        Gen.Select(Gen.Int[0, 780], Gen.Bool, (d, closed) => $"  - {{ kind: leadership_appointment, date: {Day(d)}, seniority: lead, from_closed_lab: {(closed ? "true" : "false")}, person: A{d}, source: s }}"),
        Gen.Select(Gen.Int[0, 780], Gen.OneOf("pro_open", "neutral", "pro_closed"), (d, s) => $"  - {{ kind: statement, date: {Day(d)}, stance: {s}, source: s }}"),
        Gen.Select(Gen.Int[0, 780], Gen.OneOf("api_pricing", "enterprise", "consumer_product", "device"), (d, ch) => $"  - {{ kind: commercialization, date: {Day(d)}, channel: {ch}, source: s }}"),
        Gen.Select(Gen.Int[0, 780], Gen.Bool, (d, m) => $"  - {{ kind: reorganization, date: {Day(d)}, merged_with_product_unit: {(m ? "true" : "false")}, commercial_focus: true, source: s }}"),
        Gen.Select(Gen.Int[0, 780], Gen.Int[1, 50], (d, n) => $"  - {{ kind: hiring, date: {Day(d)}, count: {n}, from_closed_lab: true, source: s }}"));

    private static string Day(int offset) => new DateOnly(2024, 1, 1).AddDays(offset).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static readonly DateOnly AsOf = new(2026, 3, 1);

    private static VendorScore Score(CompiledPack pack, IEnumerable<string> lines) =>
        Evaluator.Score(pack, Dossiers.Parse(pack, string.Join("\n", lines) + "\n"), AsOf);

    private static string Json(CompiledPack pack, VendorScore s)
    {
        using var ms = new MemoryStream();
        JsonScoreWriter.Write(ms, new ScoreReport(pack.Info, pack.Sha256, AsOf, 12, [s], []));
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    [Fact]
    public void Scoring_ProbabilityIsStrictlyInsideZeroOne_AndTheIntervalContainsIt()
    {
        var pack = Bundled.Value;
        SignalLine.Array[0, 30].Sample(lines =>
        {
            var s = Score(pack, lines);
            s.Probability.ShouldBeGreaterThan(0);
            s.Probability.ShouldBeLessThan(1);
            s.Low.ShouldBeLessThanOrEqualTo(s.Probability);
            s.High.ShouldBeGreaterThanOrEqualTo(s.Probability);
        }, iter: 150);
    }

    /// <summary>
    /// Signal lines and the same lines in another order, both drawn from CsCheck's seeded generator,
    /// so a failure's printed seed replays the order too. Labels are file:line, so the same signals
    /// in another order get other labels: each line gets an id.
    /// </summary>
    private static readonly Gen<(string[] Lines, string[] Shuffled)> SignalsWithTheirShuffle =
        SignalLine.Array[1, 25]
            .Select(lines => lines.Select((l, i) => l.Replace("source: s }", $"source: s, id: s{i} }}", StringComparison.Ordinal)).ToArray())
            .SelectMany(lines => Gen.Shuffle(lines.ToArray()).Select(shuffled => (lines, shuffled)));

    [Fact]
    public void APropertyFailure_PrintsItsSeed_AndThatSeedReplaysTheSameSignalsInTheSameOrder()
    {
        var drawn = new List<(string[] Lines, string[] Shuffled)>();
        var failure = Should.Throw<CsCheckException>(() => SignalsWithTheirShuffle.Sample((lines, shuffled) =>
        {
            lock (drawn)
            {
                drawn.Add((lines, shuffled));
            }

            lines.Length.ShouldBeLessThan(3);
        }, iter: 200, threads: 1));
        var seed = System.Text.RegularExpressions.Regex.Match(failure.Message, "Set seed: \"(?<seed>[^\"]+)\" or -e CsCheck_Seed=").Groups["seed"].Value;
        seed.ShouldNotBeEmpty(failure.Message);

        var replayed = new List<(string[] Lines, string[] Shuffled)>();
        Should.Throw<CsCheckException>(() => SignalsWithTheirShuffle.Sample((lines, shuffled) =>
        {
            replayed.Add((lines, shuffled));
            lines.Length.ShouldBeLessThan(3);
        }, seed: seed, iter: 1, threads: 1));
        var first = replayed[0];
        first.Lines.Length.ShouldBeGreaterThanOrEqualTo(3);
        drawn.ShouldContain(d => d.Lines.SequenceEqual(first.Lines) && d.Shuffled.SequenceEqual(first.Shuffled), "the printed seed draws the failing signals in the failing order again");
    }

    [Fact]
    public void Scoring_SignalOrderNeverChangesTheOutputBytes()
    {
        var pack = Bundled.Value;
        SignalsWithTheirShuffle.Sample((withIds, shuffled) =>
        {
            var reversed = withIds.Reverse().ToArray();
            var a = Json(pack, Score(pack, withIds));
            Json(pack, Score(pack, reversed)).ShouldBe(a);
            Json(pack, Score(pack, shuffled)).ShouldBe(a);
        }, iter: 150);
    }

    [Fact]
    public void Scoring_SignalsAfterAsOfAreIgnoredExactly()
    {
        var pack = Bundled.Value;
        Gen.Select(SignalLine.Array[0, 20], SignalLine.Array[1, 10]).Sample((past, future) =>
        {
            var later = future.Select(l => System.Text.RegularExpressions.Regex.Replace(l, @"date: \d{4}-\d{2}-\d{2}", "date: 2026-06-01")).ToArray();
            var without = Score(pack, past);
            var with = Score(pack, [.. past, .. later]);
            with.Probability.ShouldBe(without.Probability);
            with.Contributions.Select(c => c.Rule).ShouldBe(without.Contributions.Select(c => c.Rule));
            with.Ignored.Count.ShouldBe(later.Length);
        }, iter: 80);
    }

    [Fact]
    public void Scoring_APositiveWeightFiringNeverLowersTheProbability()
    {
        using var testPack = new TestPack("""
            rules:
              - id: departures
                title: t
                weight: 0.7
                group: people
                when:
                  - signal: leadership_departure
              - id: closed-lab
                title: t
                weight: 0.4
                group: people
                when:
                  - signal: leadership_appointment
                    where: from_closed_lab
              - id: hires
                title: t
                weight: 0.3
                when:
                  - sum: hiring.count
                    at_least: 10
              - id: releases
                title: t
                weight: 0.2
                when:
                  - signal: release
                    where: weights == 'api_only'
            """, signals: File.ReadAllText(Repo.Path("rules/signals.yaml")));
        var pack = testPack.CompileOk();
        Gen.Select(SignalLine.Array[0, 15], SignalLine).Sample((lines, extra) =>
        {
            var before = Score(pack, lines);
            var after = Score(pack, [.. lines, extra]);
            after.Probability.ShouldBeGreaterThanOrEqualTo(before.Probability - 1e-12);
        }, iter: 200);
    }
}
