using System.Text.Json;
using LicenseRisk.Model;
using LicenseRisk.Scoring;
using LicenseRisk.Tests.Cli;
using LicenseRisk.Yaml;

namespace LicenseRisk.Tests.Policy;

public sealed class PolicyTests
{
    private const string Rules = """
        rules:
          - id: departure
            title: t
            weight: 1
            decay: false
            when:
              - signal: leadership_departure
          - id: release
            title: t
            weight: -0.5
            decay: false
            when:
              - signal: release
        """;

    private const string Signals = """
          - { kind: leadership_departure, date: 2026-03-03, seniority: lead, source: s }
          - { kind: release, date: 2026-03-02, model: M, weights: open, source: s }

        """;

    private static VendorScore Score(TestPack pack, string policyYaml, string asOf = "2026-03-10")
    {
        var compiled = pack.CompileOk();
        var diags = new DiagnosticBag();
        var policy = PolicyReader.Read(pack.Write("policy/policy.yaml", policyYaml), compiled, new Limits(), diags);
        TestPack.Errors(diags).ShouldBeEmpty();
        var dossier = Dossiers.Parse(compiled, Signals);
        return Evaluator.Score(compiled, dossier, DateOnly.Parse(asOf, System.Globalization.CultureInfo.InvariantCulture), null, policy);
    }

    [Fact]
    public void Overrides_ChangeTheScoreExactly()
    {
        using var pack = new TestPack(Rules, prior: "0.2");
        var s = Score(pack, "prior: 0.3\nweights: { departure: 2 }\ndisable: [release]\n");
        s.Contributions.Select(c => c.Rule).ShouldBe(["departure"]);
        s.Logit.ShouldBe(Math.Log(0.3 / 0.7) + 2, 1e-12);
    }

    [Fact]
    public void Waiver_RemovesTheRuleUntilItExpires_AndShowsItAsWaived()
    {
        using var pack = new TestPack(Rules, prior: "0.2");
        const string Policy = """
            waivers:
              - vendor: v
                rule: departure
                reason: replacement hired, reviewed
                approver: cto@example.org
                expires: 2026-03-31
            """;
        var active = Score(pack, Policy, asOf: "2026-03-31");
        active.Contributions.Select(c => c.Rule).ShouldBe(["release"]);
        active.Waived.Single().Contribution.Rule.ShouldBe("departure");
        active.Logit.ShouldBe(Math.Log(0.25) - 0.5, 1e-12);

        var expired = Score(pack, Policy, asOf: "2026-04-01");
        expired.Contributions.Select(c => c.Rule).ShouldBe(["departure", "release"]);
        expired.Waived.ShouldBeEmpty();
        expired.Warnings.ShouldContain(w => w.Contains("waiver of departure for v expired on 2026-03-31", StringComparison.Ordinal));
    }

    [Fact]
    public void BadPolicy_GivesLocatedErrors()
    {
        using var pack = new TestPack(Rules);
        var compiled = pack.CompileOk();
        var file = pack.Write("policy/policy.yaml", """
            prior: 1.5
            weights: { departur: 1 }
            waivers:
              - vendor: v
                rule: release
                expires: soon
            colour: red
            """);
        var diags = new DiagnosticBag();
        PolicyReader.Read(file, compiled, new Limits(), diags).ShouldBeNull();
        var e = TestPack.Errors(diags);
        e.ShouldContain($"{file}:1:8: error LR120: prior must be strictly between 0 and 1");
        e.ShouldContain($"{file}:2:12: error LR122: no rule 'departur' in the pack; did you mean 'departure'?");
        e.ShouldContain($"{file}:4:5: error LR017: missing required key 'reason'");
        e.ShouldContain($"{file}:6:14: error LR014: 'expires' must be a date YYYY-MM-DD, not 'soon'");
        e.ShouldContain($"{file}:7:1: error LR018: unknown key 'colour'");
    }

    [Fact]
    public void Cli_PolicyHashAndVendorThreshold_AreApplied()
    {
        using var pack = new TestPack(Rules, prior: "0.2");
        var dossier = pack.Write("d/v.yaml", "vendor: { id: v, name: V }\nsignals:\n" + Signals);
        var policy = pack.Write("policy/policy.yaml", "policy: { name: acme }\nthresholds:\n  fail_above: 0.9\n  vendors: { v: 0.1 }\n");
        var r = CliProcess.InProcess("score", dossier, "--rules", pack.Dir, "--policy", policy, "--as-of", "2026-03-10", "--format", "json");
        r.ExitCode.ShouldBe(1, r.Stderr);
        r.Stderr.ShouldContain("gate: v probability");
        var json = JsonDocument.Parse(r.Stdout).RootElement;
        json.GetProperty("policy").GetProperty("name").GetString().ShouldBe("acme");
        json.GetProperty("policy").GetProperty("sha256").GetString()!.Length.ShouldBe(64);
    }
}
