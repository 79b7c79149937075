using System.Text.Json;
using LicenseRisk.Tests.Cli;

namespace LicenseRisk.Tests.Hosting;

/// <summary>
/// A policy with a waiver, on the fixture pack: the weekly report names the policy with its hash
/// and shows the waived rule in all three files, as score does; Markdown keeps a blank line
/// between the waiver list and the table that follows it.
/// </summary>
public sealed class PolicyInReportTests
{
    private const string Policy = """
        policy:
          name: fixture-policy
        waivers:
          - vendor: alpha
            rule: senior-departure
            reason: Ada's successor was named the same week
            approver: cto@example.org
            expires: 2026-12-31
        """;

    [Fact]
    public void Report_WithAWaiver_NamesThePolicyAndItsHash_AndShowsTheWaivedRule_InEveryFile()
    {
        using var dir = new TempDir();
        var policy = dir["policy.yaml"];
        File.WriteAllText(policy, Policy);
        var score = CliProcess.Run("score", Fixture.Vendors, "--rules", Fixture.Pack, "--policy", policy, "--as-of", "2026-03-05", "--format", "json", "-q");
        score.ExitCode.ShouldBe(0, score.Stderr);
        using var scored = JsonDocument.Parse(score.Stdout);
        var sha = scored.RootElement.GetProperty("policy").GetProperty("sha256").GetString()!;
        var file = scored.RootElement.GetProperty("policy").GetProperty("file").GetString()!;

        var run = CliProcess.Run("report", "--vendors", Fixture.Vendors, "--rules", Fixture.Pack, "--policy", policy, "--out", dir["out"], "--as-of", "2026-03-05", "-q");
        run.ExitCode.ShouldBe(0, run.Stderr);

        var md = File.ReadAllText(dir["out/report.md"]);
        md.ShouldContain($"Policy `fixture-policy` (file `{file}`), sha256 `{sha}`.");
        md.ShouldContain("- Waived: `senior-departure` (+0.70) until 2026-12-31, approved by cto@example.org: Ada's successor was named the same week\n\n### Signals added");

        var html = File.ReadAllText(dir["out/report.html"]);
        html.ShouldContain($"<p>Policy <code>fixture-policy</code> (file <code>{file}</code>), sha256 <code>{sha}</code>.</p>");
        html.ShouldContain("<li>waived: <code>senior-departure</code> (+0.70) until 2026-12-31, approved by cto@example.org: Ada&#39;s successor was named the same week</li>");

        using var json = JsonDocument.Parse(File.ReadAllText(dir["out/report.json"]));
        json.RootElement.GetProperty("policy").GetRawText().ShouldBe(scored.RootElement.GetProperty("policy").GetRawText());
        var alpha = json.RootElement.GetProperty("vendors").EnumerateArray().Single(v => v.GetProperty("id").GetString() == "alpha");
        var scoredAlpha = scored.RootElement.GetProperty("vendors").EnumerateArray().Single(v => v.GetProperty("id").GetString() == "alpha");
        alpha.GetProperty("waived").GetRawText().ShouldBe(scoredAlpha.GetProperty("waived").GetRawText());
        alpha.GetProperty("waived")[0].GetProperty("rule").GetString().ShouldBe("senior-departure");
        alpha.GetProperty("contributions").EnumerateArray().ShouldNotContain(c => c.GetProperty("rule").GetString() == "senior-departure");
    }

    [Fact]
    public void ScoreMarkdown_WithAWaiver_LeavesABlankLineBeforeTheTable()
    {
        using var dir = new TempDir();
        var policy = dir["policy.yaml"];
        File.WriteAllText(policy, Policy);
        var r = CliProcess.Run("score", Fixture.Path("vendors/alpha.yaml"), "--rules", Fixture.Pack, "--policy", policy, "--as-of", "2026-03-05", "--format", "markdown", "-q");
        r.ExitCode.ShouldBe(0, r.Stderr);
        r.Stdout.ShouldContain("approved by cto@example.org: Ada's successor was named the same week\n\n| contribution | rule | because | signals |\n");
    }
}
