using System.Text.Json;
using System.Text.Json.Nodes;
using LicenseRisk.Tests.Hosting;

namespace LicenseRisk.Tests.Cli;

/// <summary><c>licenserisk whatif</c>: the variants' table and JSON, the listing, changes files, and located errors with exit 2.</summary>
public sealed class WhatIfCommandTests
{
    private const string Qwen = "samples/vendors/qwen.yaml";

    private static CliResult WhatIf(params string[] args) => CliProcess.Run(["whatif", Qwen, "--as-of", "2026-03-05", .. args]);

    private static JsonNode Json(CliResult r)
    {
        r.ExitCode.ShouldBe(0, r.Stderr);
        return JsonNode.Parse(r.Stdout)!;
    }

    [Fact]
    public void Edits_GiveTheBaseThenTheEditedVariant_WithTheRulesThatChanged()
    {
        var r = WhatIf("--remove", "lin-departure", "--remove", "25", "--add", "{kind: statement, date: 2026-03-05, stance: pro_open, speaker: CEO}");
        r.ExitCode.ShouldBe(0, r.Stderr);
        r.Stderr.ShouldBeEmpty();
        var lines = r.Stdout.Split('\n');
        lines.ShouldContain("Edits (every variant):");
        lines.ShouldContain("  add statement 2026-03-05 (--add:1)");
        lines.ShouldContain("  remove lin-departure");
        lines.ShouldContain("  remove 25");
        var base_ = lines.Single(l => l.StartsWith("base ", StringComparison.Ordinal));
        var edited = lines.Single(l => l.StartsWith("edited ", StringComparison.Ordinal));
        base_.ShouldStartWith("base     0.63   0.35-0.84     high");
        edited.ShouldContain("-0.40 closed-lab-leader (gone)");
        edited.ShouldContain("-0.55 pro-open-statement (new)");
    }

    [Fact]
    public void TheBaseVariant_IsTheScoreCommandsVendor_AndTheEditedOneLowersQwen()
    {
        var score = Json(CliProcess.Run("score", Qwen, "--as-of", "2026-03-05", "--format", "json"));
        var whatIf = Json(WhatIf("--remove", "lin-departure", "--remove", "25", "--format", "json"));
        whatIf["schema"]!.GetValue<string>().ShouldBe("licenserisk.whatif/1");
        whatIf["edits"]!.AsArray().Select(e => e!.GetValue<string>()).ShouldBe(["remove lin-departure", "remove 25"]);
        var variants = whatIf["variants"]!.AsArray();
        variants.Select(v => v!["name"]!.GetValue<string>()).ShouldBe(["base", "edited"]);
        variants[0]!["score"]!.ToJsonString().ShouldBe(score["vendors"]![0]!.ToJsonString());
        variants[0]!["probability_change"]!.GetValue<double>().ShouldBe(0);
        var edited = variants[1]!;
        edited["probability_change"]!.GetValue<double>().ShouldBeLessThan(0);
        edited["score"]!["contributions"]!.AsArray().ShouldNotContain(c => c!["rule"]!.GetValue<string>() == "closed-lab-leader");
        var changed = edited["changed_contributions"]!.AsArray().ToDictionary(c => c!["rule"]!.GetValue<string>(), c => c!);
        changed["closed-lab-leader"]["after"].ShouldBeNull();

        // Another lead left within 30 days of the release too, a day later: the rule still counts, a little less.
        changed["lead-departs-after-open-release"]["after"]!.GetValue<double>().ShouldBeLessThan(changed["lead-departs-after-open-release"]["before"]!.GetValue<double>());
    }

    [Fact]
    public void ASweep_PrintsOneRowPerValue_BaseFirst()
    {
        var r = WhatIf("--sweep", "19.date=2025-01-01,2026-02-01,2026-03-03");
        r.ExitCode.ShouldBe(0, r.Stderr);
        var rows = r.Stdout.Split('\n').SkipWhile(l => !l.StartsWith("VARIANT", StringComparison.Ordinal)).Skip(1).Where(l => l.Length > 0).ToList();
        rows.Select(l => l.Split(' ')[0]).ShouldBe(["base", "19.date=2025-01-01", "19.date=2026-02-01", "19.date=2026-03-03"]);

        // The signal's own date changes nothing; moving it away loses the rule it fed.
        rows[3].ShouldBe("19.date=2026-03-03  0.63   0.35-0.84     high       0.00");
        rows[1].ShouldContain("lead-departs-after-open-release");
    }

    [Fact]
    public void ASweepOverAnAddedSignal_NumbersItAfterTheDossiers()
    {
        var json = Json(WhatIf("--add", "{kind: statement, date: 2026-03-05, stance: neutral}", "--sweep", "33.stance=pro_open,pro_closed", "--format", "json"));
        var variants = json["variants"]!.AsArray();
        variants.Select(v => v!["name"]!.GetValue<string>()).ShouldBe(["base", "33.stance=pro_open", "33.stance=pro_closed"]);
        var p = variants.Select(v => v!["score"]!["probability"]!.GetValue<double>()).ToList();
        p[1].ShouldBeLessThan(p[0]);
        p[2].ShouldBeGreaterThan(p[0]);
    }

    [Fact]
    public void List_NumbersTheSignals_AsEditsNameThem()
    {
        var r = WhatIf("--list");
        r.ExitCode.ShouldBe(0, r.Stderr);
        var lines = r.Stdout.Split('\n');
        lines.ShouldContain(l => l.StartsWith("19  lin-departure   leadership_departure    2026-03-03  person=Junyang (Justin) Lin", StringComparison.Ordinal));
        lines.ShouldContain(l => l.StartsWith("30  qwen-3-6-plus", StringComparison.Ordinal) && l.EndsWith("(after the as-of day: ignored)", StringComparison.Ordinal));
    }

    [Fact]
    public void BadEdits_AreLocatedErrors_AllAtOnce_AndExitTwo()
    {
        var r = WhatIf(
            "--add", "{kind: statment, date: 2026-13-01}",
            "--set", "19.seniorty=lead",
            "--set", "19.seniority=boss",
            "--set", "20.kind=release",
            "--remove", "lin-depature",
            "--remove", "99",
            "--set", "3.date");
        r.ExitCode.ShouldBe(2);
        r.Stdout.ShouldBeEmpty();
        r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldBe([
            "--add:1:8: error LR020: unknown signal kind 'statment'; did you mean 'statement'?",
            "--add:1:24: error LR014: '2026-13-01' is not a date: there is no month 13; months run from 01 to 12",
            "--remove[1]: error LR130: no signal with id 'lin-depature'; did you mean 'lin-departure'?",
            "--remove[2]: error LR130: no signal 99: the signals are numbered 1 to 32 (the dossier's, then the added ones)",
            "--set[1]:1:4: error LR018: a leadership_departure signal has no field 'seniorty'; did you mean 'seniority'?",
            "--set[2]:1:14: error LR023: 'boss' is not a value of leadership_departure.seniority; expected one of: founder, executive, lead, senior",
            "--set[3]:1:4: error LR132: the kind of a signal cannot be changed; remove signal 20 and add a signal of the other kind",
            "--set[4]: error LR131: '3.date' does not read as TARGET.FIELD=VALUE (TARGET is a signal's number or id)",
            "8 errors",
        ], ignoreOrder: true);
    }

    [Fact]
    public void AnEditOfARemovedSignal_AndAnIdAlreadyUsed_AreErrors()
    {
        var r = WhatIf("--remove", "19", "--set", "19.date=2026-01-01", "--add", "{kind: statement, date: 2026-03-01, stance: neutral, id: qwen-3-5}");
        r.ExitCode.ShouldBe(2);
        r.Stderr.ShouldContain("--set: error LR133: signal 19 is removed by an earlier edit");
        r.Stderr.ShouldContain("--add:1:1: error LR033: signal id 'qwen-3-5' is already used by signal 16");
    }

    [Fact]
    public void AChangesFile_HoldsAddsRemovesSetsAndASweep_AndItsErrorsPointIntoIt()
    {
        using var dir = new TempDir();
        var changes = Path.Combine(dir.Path, "changes.yaml");
        File.WriteAllText(changes, """
            add:
              - { kind: statement, date: 2026-03-05, stance: pro_open, speaker: CEO }
            remove: [lin-departure]
            set:
              20.to_closed_lab: false
            sweep:
              21.seniority: [lead, senior]
            """);
        var json = Json(WhatIf("--changes", changes, "--format", "json"));
        json["edits"]!.AsArray().Select(e => e!.GetValue<string>()).ShouldBe([
            $"add statement 2026-03-05 ({changes.Replace('\\', '/')}:2)", "remove lin-departure", "set 20.to_closed_lab=false"]);
        json["variants"]!.AsArray().Select(v => v!["name"]!.GetValue<string>()).ShouldBe(["base", "21.seniority=lead", "21.seniority=senior"]);

        File.WriteAllText(changes, """
            remove: [lin-departure]
            set:
              20.to_closed_lab: maybe
              20date: 2026-01-01
            sweeps: {}
            """);
        var r = WhatIf("--changes", changes);
        r.ExitCode.ShouldBe(2);
        var file = changes.Replace('\\', '/');
        r.Stderr.ShouldContain($"{file}:3:21: error LR013: 'to_closed_lab' must be true or false, not 'maybe'");
        r.Stderr.ShouldContain($"{file}:4:3: error LR131: '20date' does not read as TARGET.FIELD: VALUE (TARGET is a signal's number or id)");
        r.Stderr.ShouldContain($"{file}:5:1: error LR018: unknown key 'sweeps' in a changes file; did you mean 'sweep'?");
    }

    [Fact]
    public void AMisspeltOption_IsLR900_WithTheClosestOption()
    {
        var r = WhatIf("--swep", "19.date=2026-01-01");
        r.ExitCode.ShouldBe(2);
        r.Stderr.ShouldContain("--swep: error LR900: unknown option for 'whatif'; did you mean '--sweep'?");
    }

    [Fact]
    public void AMissingDossier_IsLR001()
    {
        var r = CliProcess.Run("whatif", "samples/vendors/nobody.yaml", "--remove", "1");
        r.ExitCode.ShouldBe(2);
        r.Stderr.ShouldContain("samples/vendors/nobody.yaml: error LR001");
    }
}
