using System.Globalization;
using System.Text;
using CsCheck;
using LicenseRisk.Application;
using LicenseRisk.Model;
using LicenseRisk.Presentation.Score;
using LicenseRisk.Rules;
using LicenseRisk.Scoring;
using LicenseRisk.Yaml;
using YamlDotNet.RepresentationModel;

namespace LicenseRisk.Tests.Scoring;

/// <summary>
/// Incremental what-if gives what a full re-score of the edited dossier gives, byte for byte in
/// JSON (probability, interval, band, every contribution, outweighed rules, derived signals,
/// ignored signals, coverage) and in the matched signals' places. Variants run one after another on
/// the same what-if, so the session carries each variant's state into the next. Inputs come from
/// CsCheck's seeded generator: a failure prints <c>Set seed: "..."</c>; setting <c>CsCheck_Seed</c>
/// to it replays the case.
/// </summary>
public sealed class WhatIfTests
{
    private static readonly DateOnly AsOf = new(2025, 9, 1);

    private static readonly Lazy<CompiledPack> Bundled = new(() =>
    {
        var diags = new DiagnosticBag();
        return PackCompiler.Load(Repo.Path("rules"), new Limits(), diags) ?? throw new InvalidOperationException(TestPack.Errors(diags));
    });

    /// <summary>
    /// The bundled pack has no <c>no:</c> item, so this pack adds them: over a dossier kind, over a
    /// derived kind, one a rule starts with, in a group and with a derive of its own; plus derive
    /// chains, a join, a count and a sum.
    /// </summary>
    private const string AbsenceRules = """
        rules:
          - id: appointment-from-closed-lab
            title: t
            when:
              - signal: leadership_appointment
                as: app
                where: from_closed_lab == true
            derive:
              kind: closed_lab_leadership
              date: "{app.date}"
              fields: { from_org: "{app.from_org}", person: "{app.person}" }
          - id: exodus
            title: t
            weight: 0.6
            group: people
            when:
              - signal: leadership_departure
                as: last
              - count: leadership_departure
                as: n
                where: days(date, last.date) between 0 and 180
                at_least: 2
            derive:
              kind: leadership_exodus
              date: "{last.date}"
              fields: { count: "{n.count}" }
            because: "{n.count} departures up to {last.date}"
          - id: exodus-unreplaced
            title: t
            weight: 0.5
            when:
              - signal: leadership_exodus
                as: ex
              - no: closed_lab_leadership
                where: days(ex.date, date) between -90 and 180
            because: "exodus of {ex.count} and no closed-lab leader"
          - id: closed-release-without-statement
            title: t
            weight: 0.8
            when:
              - signal: release
                as: rel
                where: weights == 'api_only'
              - no: statement
                where: stance == 'pro_open' and days(date, rel.date) between 0 and 365
            because: "{rel.model} went API-only with no pro-open statement in the year before"
          - id: no-open-release
            title: t
            weight: 0.3
            when:
              - no: release
                where: weights == 'open' and age <= 365
            because: no open release in a year
          - id: leader-and-no-exodus
            title: t
            weight: -0.4
            group: people
            when:
              - signal: closed_lab_leadership
                as: cl
              - no: leadership_exodus
            because: "{cl.person} leads without an exodus"
          - id: hires
            title: t
            weight: 0.35
            when:
              - sum: hiring.count
                as: h
                where: from_closed_lab == true and age <= 365
                at_least: 10
            because: "{h.sum} hires"
          - id: reorg-after-commercial
            title: t
            weight: 0.45
            when:
              - signal: commercialization
                as: c
              - signal: reorganization
                where: commercial_focus == true and days(c.date, date) between 0 and 120
            because: "reorganised after {c.channel}"
          - id: pro-open
            title: t
            weight: -0.3
            when:
              - signal: statement
                where: stance == 'pro_open'
        """;

    private static readonly Lazy<(TestPack Owner, CompiledPack Pack)> Absences = new(() =>
    {
        var owner = new TestPack(AbsenceRules, signals: File.ReadAllText(Repo.Path("rules/signals.yaml")));
        return (owner, owner.CompileOk());
    });

    private static string Day(int offset) => new DateOnly(2024, 1, 1).AddDays(offset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A signal as a flow mapping; days run past the as-of day, and some departures are reported
    /// later than they happened, so some signals are ignored.</summary>
    private static readonly Gen<string> SignalText = Gen.OneOf(
        Gen.Select(Gen.Int[0, 700], Gen.Int[1, 10], Gen.OneOf("open", "gated", "api_only"),
            (d, c, w) => $"{{ kind: release, date: {Day(d)}, model: M{d}, weights: {w}, confidence: {c / 10.0} }}"),
        Gen.Select(Gen.Int[0, 700], Gen.Int[1, 10], Gen.OneOf("founder", "executive", "lead", "senior"), Gen.Bool, Gen.Int[-200, 200],
            (d, c, s, closed, lag) => $"{{ kind: leadership_departure, date: {Day(d)}, seniority: {s}, to_closed_lab: {(closed ? "true" : "false")}, person: P{d}, confidence: {c / 10.0}{(lag > 0 ? $", reported: {Day(d + lag)}" : "")} }}"),
        Gen.Select(Gen.Int[0, 700], Gen.Bool, Gen.OneOf("founder", "executive", "lead"),
            (d, closed, s) => $"{{ kind: leadership_appointment, date: {Day(d)}, seniority: {s}, from_closed_lab: {(closed ? "true" : "false")}, person: A{d}, from_org: O{d % 3} }}"),
        Gen.Select(Gen.Int[0, 700], Gen.OneOf("pro_open", "neutral", "pro_closed"), (d, s) => $"{{ kind: statement, date: {Day(d)}, stance: {s} }}"),
        Gen.Select(Gen.Int[0, 700], Gen.OneOf("api_pricing", "enterprise", "consumer_product", "device"), (d, ch) => $"{{ kind: commercialization, date: {Day(d)}, channel: {ch} }}"),
        Gen.Select(Gen.Int[0, 700], Gen.Bool, (d, m) => $"{{ kind: reorganization, date: {Day(d)}, merged_with_product_unit: {(m ? "true" : "false")}, commercial_focus: true }}"),
        Gen.Select(Gen.Int[0, 700], Gen.Int[1, 9], (d, n) => $"{{ kind: hiring, date: {Day(d)}, count: {n}, from_closed_lab: true }}"),
        Gen.Select(Gen.Int[0, 700], Gen.Double[0.05, 9.5], (d, amount) => $"{{ kind: funding, date: {Day(d)}, amount_usd: {amount.ToString("R", CultureInfo.InvariantCulture)}e8, investor_type: strategic }}"));

    /// <summary>
    /// One edit, drawn as numbers and resolved against the signals of the moment: add a signal,
    /// remove one, or set a field (date, confidence, or a field of the target's kind) to a value.
    /// </summary>
    private sealed record EditDraw(int Op, string Added, int Target, int Field, int Value, int Day);

    private static readonly Gen<EditDraw> EditGen =
        Gen.Select(Gen.Int[0, 2], SignalText, Gen.Int[0, 1000], Gen.Int[0, 1000], Gen.Int[0, 1000], Gen.Int[0, 700], (op, added, t, f, v, d) => new EditDraw(op, added, t, f, v, d));

    private static readonly Gen<(string[] Signals, EditDraw[][] Variants)> Case =
        Gen.Select(SignalText.Array[0, 18], EditGen.Array[1, 4].Array[1, 6]);

    private static string Yaml(IEnumerable<string> signals) =>
        "vendor: { id: v, name: V }\nsignals:\n" + string.Concat(signals.Select((s, i) => $"  - {s[..^2]}, id: s{i} }}\n"));

    private static Dossier Read(CompiledPack pack, string yaml)
    {
        var diags = new DiagnosticBag();
        var root = YamlSource.LoadText(yaml, "v.yaml", new Limits(), diags);
        var d = root is null ? null : DossierReader.Read(root, "v.yaml", pack.Catalog, new Limits(), diags);
        diags.Items.Where(x => x.IsError).ShouldBeEmpty();
        return d!;
    }

    /// <summary>Turns drawn numbers into edits valid for the signals as they stand after the edits before.</summary>
    private static List<SignalEdit> Resolve(CompiledPack pack, Dossier dossier, EditDraw[] draws)
    {
        var edits = new List<SignalEdit>();
        var live = dossier.Signals.Select((s, i) => (Number: i + 1, Signal: (SignalRecord?)s)).ToList();
        var added = 0;
        foreach (var draw in draws)
        {
            var present = live.Where(x => x.Signal is not null).ToList();
            if (draw.Op == 0 || present.Count == 0)
            {
                var diags = new DiagnosticBag();
                var text = $"{draw.Added[..^2]}, id: added{added++} }}";
                var add = SignalEditReader.ReadAdd(text, "--add", pack.Catalog, new Limits(), diags).Single();
                diags.HasErrors.ShouldBeFalse();
                edits.Add(add);
                live.Add((live.Count + 1, add.Signal));
                continue;
            }

            var (number, target) = present[draw.Target % present.Count];
            if (draw.Op == 1)
            {
                edits.Add(new RemoveSignal(new SignalRef(number.ToString(CultureInfo.InvariantCulture), SourceSpan.None("--remove"))));
                live[number - 1] = (number, null);
                continue;
            }

            var (field, value) = FieldAndValue(target!, draw);
            var setDiags = new DiagnosticBag();
            var set = SignalEditReader.ReadSet($"{number}.{field}={value}", "--set", new Limits(), setDiags)!;
            setDiags.HasErrors.ShouldBeFalse();
            edits.Add(set);
            var changed = SignalEditReader.Apply(target!, set, setDiags);
            setDiags.HasErrors.ShouldBeFalse(string.Join("\n", setDiags.Items));
            live[number - 1] = (number, changed);
        }

        return edits;
    }

    private static (string Field, string Value) FieldAndValue(SignalRecord target, EditDraw draw)
    {
        var editable = target.Kind.Fields.Where(f => f.Type is FieldType.Enum or FieldType.Bool or FieldType.Int or FieldType.Number).ToList();
        var choice = draw.Field % (editable.Count + 2);
        if (choice == 0)
        {
            return ("date", Day(draw.Day));
        }

        if (choice == 1)
        {
            return ("confidence", ((draw.Value % 10) + 1) / 10.0 is var c ? c.ToString(CultureInfo.InvariantCulture) : "1");
        }

        var field = editable[choice - 2];
        return (field.Name, field.Type switch
        {
            FieldType.Enum => field.Values[draw.Value % field.Values.Count],
            FieldType.Bool => draw.Value % 2 == 0 ? "true" : "false",
            FieldType.Int => (draw.Value % 12).ToString(CultureInfo.InvariantCulture),
            _ => (draw.Value * 1.37e6).ToString("R", CultureInfo.InvariantCulture),
        });
    }

    private static string Json(CompiledPack pack, VendorScore s)
    {
        using var ms = new MemoryStream();
        JsonScoreWriter.Write(ms, new ScoreReport(pack.Info, pack.Sha256, AsOf, s.HorizonMonths, [s], []));
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    /// <summary>What the user sees of a score, plus where each contribution's signals are written.</summary>
    private static string Seen(CompiledPack pack, VendorScore s) =>
        Json(pack, s) + string.Join("\n", s.Contributions.Concat(s.Outweighed.Select(o => o.Contribution)).Select(c => c.Rule + ": " + string.Join(", ", c.Spans)));

    private static string[] Listed(IReadOnlyList<ContributionChange> changes) =>
        [.. changes.Select(c => $"{c.Rule} {c.Before?.Value:R} {c.After?.Value:R} {c.Before?.Because} {c.After?.Because}")];

    private static void CheckVariants(CompiledPack pack, Dossier dossier, EditDraw[][] variants, LicenseRisk.Model.Policy? policy = null, int? horizon = null)
    {
        var whatIf = WhatIf.Open(pack, dossier, AsOf, horizon, policy);
        Seen(pack, whatIf.Base).ShouldBe(Seen(pack, Evaluator.Score(pack, dossier, AsOf, horizon, policy)));
        for (var v = 0; v < variants.Length; v++)
        {
            var edits = Resolve(pack, dossier, variants[v]);
            var diags = new DiagnosticBag();
            var result = whatIf.Apply(edits, diags);
            diags.Items.ShouldBeEmpty();
            var full = Evaluator.Score(pack, result!.Dossier, AsOf, horizon, policy);
            Seen(pack, result.Score).ShouldBe(Seen(pack, full), $"variant {v + 1} of {variants.Length}");
            Listed(result.Changes).ShouldBe(Listed(WhatIf.Changes(whatIf.Base, full)), $"variant {v + 1}: the changes against the base");
            if (v == 2)
            {
                Seen(pack, whatIf.Reset()).ShouldBe(Seen(pack, whatIf.Base));
            }
        }
    }

    [Fact]
    public void Variants_WithAbsencesAndDerivedSignals_ScoreAsAFullReScoreOfTheEditedDossier()
    {
        var pack = Absences.Value.Pack;
        Case.Sample((signals, variants) => CheckVariants(pack, Read(pack, Yaml(signals)), variants), iter: 250);
    }

    [Fact]
    public void Variants_OnTheBundledPack_ScoreAsAFullReScoreOfTheEditedDossier()
    {
        var pack = Bundled.Value;
        Case.Sample((signals, variants) => CheckVariants(pack, Read(pack, Yaml(signals)), variants, horizon: 24), iter: 150);
    }

    [Fact]
    public void Variants_OfTheSampleDossiers_ScoreAsAFullReScoreOfTheEditedDossier()
    {
        var pack = Bundled.Value;
        var diags = new DiagnosticBag();
        var files = DossierReader.Expand([Repo.Path("samples/vendors"), Repo.Path("samples/cases")], diags);
        var dossiers = DossierReader.ReadAll(files, pack.Catalog, new Limits(), diags);
        diags.HasErrors.ShouldBeFalse();
        var policyDiags = new DiagnosticBag();
        var policy = PolicyReader.Read(Repo.Path("samples/policies/acme.yaml"), pack, new Limits(), policyDiags);
        policyDiags.HasErrors.ShouldBeFalse();
        Gen.Select(Gen.Int[0, dossiers.Count - 1], EditGen.Array[1, 5].Array[1, 5], Gen.Bool).Sample((which, variants, withPolicy) =>
            CheckVariants(pack, dossiers[which], variants, withPolicy ? policy : null), iter: 120);
    }

    /// <summary>One <c>--set SIGNAL.date=DAY</c> edit applied, which must read without a problem.</summary>
    private static WhatIfResult SetDate(WhatIf whatIf, string signal, string day)
    {
        var diags = new DiagnosticBag();
        var set = new SetField(new SignalRef(signal, SourceSpan.None("--set")), "date", new YamlScalarNode(day), "--set", SourceSpan.None("--set"));
        var result = whatIf.Apply([set], diags)!;
        diags.Items.ShouldBeEmpty();
        return result;
    }

    [Fact]
    public void ASignalReportedAfterTheAsOfDay_StaysOutOfTheWhatIf_WhenAnEditMovesItsDateBack()
    {
        // The departure happened after the as-of day and was reported later still; moving its date
        // back before the as-of day does not make it known then (allenai's Farhadi departure, found
        // by the sample-dossier property test).
        var pack = Bundled.Value;
        var dossier = Read(pack, Yaml([
            "{ kind: release, date: 2025-02-01, model: M1, weights: open, tier: flagship }",
            "{ kind: leadership_departure, date: 2025-10-01, seniority: lead, person: P, reported: 2026-03-25 }",
        ]));
        var whatIf = WhatIf.Open(pack, dossier, AsOf);
        var result = SetDate(whatIf, "s1", "2025-06-01");
        var full = Evaluator.Score(pack, result.Dossier, AsOf);
        result.Score.Probability.ShouldBe(full.Probability);
        result.Score.Ignored.Select(i => i.Reason).ShouldBe(["reported 2026-03-25, after the as-of day"]);
        Dossiers.Fired(result.Score).ShouldBe(Dossiers.Fired(whatIf.Base));
    }

    [Fact]
    public void ADateFieldAfterTheAsOfDay_StaysUnseen_WhenAnEditChangesItsSignal()
    {
        // The staged flagship's weights came out after the as-of day: a fresh session does not see
        // weights_date, so that release blocks no-api-only-flagship-ever. Editing the release's date
        // updates its fact in place, which must leave weights_date unseen as well.
        var pack = Bundled.Value;
        var dossier = Read(pack, Yaml([
            "{ kind: release, date: 2025-02-01, model: M1, weights: open, tier: flagship }",
            "{ kind: release, date: 2025-03-01, model: M2, weights: staged, tier: flagship, weights_date: 2025-12-01 }",
        ]));
        var whatIf = WhatIf.Open(pack, dossier, AsOf);
        Dossiers.Fired(whatIf.Base).ShouldNotContain("no-api-only-flagship-ever");
        var result = SetDate(whatIf, "s1", "2025-04-01");
        Seen(pack, result.Score).ShouldBe(Seen(pack, Evaluator.Score(pack, result.Dossier, AsOf)));
        Dossiers.Fired(result.Score).ShouldNotContain("no-api-only-flagship-ever");
    }

    [Fact]
    public void ADerivedSignal_GoesWithItsCause_AndANoItemFiresWhenTheBlockingSignalIsRemoved()
    {
        var pack = Absences.Value.Pack;
        var dossier = Read(pack, Yaml([
            "{ kind: leadership_departure, date: 2025-05-01, seniority: lead, person: A }",
            "{ kind: leadership_departure, date: 2025-06-01, seniority: lead, person: B }",
            "{ kind: leadership_appointment, date: 2025-06-15, seniority: lead, from_closed_lab: true, person: C, from_org: X }",
        ]));
        var whatIf = WhatIf.Open(pack, dossier, AsOf);
        whatIf.Base.Derived.Select(d => d.Kind).ShouldBe(["leadership_exodus", "closed_lab_leadership"], ignoreOrder: true);
        Dossiers.Fired(whatIf.Base).ShouldNotContain("exodus-unreplaced");

        var diags = new DiagnosticBag();
        var result = whatIf.Apply([new RemoveSignal(new SignalRef("s2", SourceSpan.None("--remove")))], diags)!;
        result.Score.Derived.Select(d => d.Kind).ShouldBe(["leadership_exodus"]);
        Dossiers.Fired(result.Score).ShouldContain("exodus-unreplaced");
        result.Changes.Select(c => c.Rule).ShouldContain("exodus-unreplaced");
        result.Score.Probability.ShouldBe(Evaluator.Score(pack, result.Dossier, AsOf).Probability);
    }

    [Fact]
    public void ChangesWrittenAsJson_ApplyAsTheCommandLinesDo_AndTheirErrorsPointIntoTheText()
    {
        var pack = Bundled.Value;
        var dossier = Read(pack, Yaml([
            "{ kind: leadership_departure, date: 2025-05-01, seniority: lead, person: A }",
            "{ kind: release, date: 2025-04-20, model: M, weights: open }",
        ]));
        var whatIf = WhatIf.Open(pack, dossier, AsOf);
        var diags = new DiagnosticBag();
        var changes = SignalEditReader.ReadChanges("""{"add": [{"kind": "statement", "date": "2025-06-01", "stance": "pro_closed"}], "set": {"s1.date": "2025-04-25", "s0.to_closed_lab": true}}""", "request", pack.Catalog, new Limits(), diags);
        var json = whatIf.Apply(changes.Edits, diags)!;
        diags.Items.ShouldBeEmpty();
        var cli = new DiagnosticBag();
        var same = whatIf.Apply(
            [
                .. SignalEditReader.ReadAdd("{kind: statement, date: 2025-06-01, stance: pro_closed}", "--add", pack.Catalog, new Limits(), cli),
                SignalEditReader.ReadSet("s1.date=2025-04-25", "--set", new Limits(), cli)!,
                SignalEditReader.ReadSet("s0.to_closed_lab=true", "--set", new Limits(), cli)!,
            ],
            cli)!;
        cli.Items.ShouldBeEmpty();
        json.Score.Probability.ShouldBe(same.Score.Probability);
        json.Changes.Select(c => c.Rule).ShouldBe(same.Changes.Select(c => c.Rule));
        json.Changes.ShouldNotBeEmpty();

        var bad = new DiagnosticBag();
        var broken = SignalEditReader.ReadChanges("""{"remove": ["s0"], "set": {"s0.date": "2025-01-01", "s1.weights": "closed"}}""", "request", pack.Catalog, new Limits(), bad);
        whatIf.Apply(broken.Edits, bad).ShouldBeNull();
        bad.Sorted().Select(d => d.ToString()).ShouldBe([
            "request:1:28: error LR133: signal s0 is removed by an earlier edit",
            "request:1:67: error LR023: 'closed' is not a value of release.weights; expected one of: open, gated, api_only, withheld, demo_only, staged",
        ]);
    }

    [Fact]
    public void BadEdits_AreLocatedErrors_AndLeaveTheWhatIfAsItWas()
    {
        var pack = Bundled.Value;
        var dossier = Read(pack, Yaml(["{ kind: leadership_departure, date: 2025-05-01, seniority: lead, person: A }"]));
        var whatIf = WhatIf.Open(pack, dossier, AsOf);
        var diags = new DiagnosticBag();
        var edits = new List<SignalEdit>
        {
            SignalEditReader.ReadSet("1.seniority=boss", "--set", new Limits(), diags)!,
            SignalEditReader.ReadSet("s0.senority=lead", "--set", new Limits(), diags)!,
            SignalEditReader.ReadSet("1.kind=release", "--set", new Limits(), diags)!,
            new RemoveSignal(new SignalRef("7", SourceSpan.None("--remove"))),
            new RemoveSignal(new SignalRef("s9", SourceSpan.None("--remove"))),
        };
        diags.Items.ShouldBeEmpty();
        whatIf.Apply(edits, diags).ShouldBeNull();
        diags.Sorted().Select(d => d.ToString()).ShouldBe([
            "--remove: error LR130: no signal 7: the signals are numbered 1 to 1 (the dossier's, then the added ones)",
            "--remove: error LR130: no signal with id 's9'; did you mean 's0'?",
            "--set:1:3: error LR132: the kind of a signal cannot be changed; remove signal 1 and add a signal of the other kind",
            "--set:1:4: error LR018: a leadership_departure signal has no field 'senority'; did you mean 'seniority'?",
            "--set:1:13: error LR023: 'boss' is not a value of leadership_departure.seniority; expected one of: founder, executive, lead, senior",
        ], ignoreOrder: true);
        var again = new DiagnosticBag();
        whatIf.Apply([], again)!.Score.Probability.ShouldBe(whatIf.Base.Probability);
    }
}
