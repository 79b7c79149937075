using System.Text.Json.Nodes;
using LicenseRisk.Tests.Hosting;
using LicenseRisk.Tests.Ship;

namespace LicenseRisk.Tests.Cli;

/// <summary>
/// One <c>score</c> run writes several formats (<c>--sarif-output FILE</c> and the like) with the
/// same bytes as one run per format; and <c>--format codequality</c>, GitLab's Code Quality report.
/// </summary>
public sealed class ScoreOutputsTests
{
    private static readonly string[] Gate = ["score", "samples/vendors", "--as-of", "2026-11-29", "--policy", "samples/policies/acme.yaml", "-q"];

    [Fact]
    public void OneRun_WritesEveryFormat_AsOneRunPerFormatWould()
    {
        using var dir = new TempDir();
        string[] formats = ["json", "markdown", "sarif", "junit", "github", "codequality"];

        var r = CliProcess.Run([.. Gate, .. formats.SelectMany(f => new[] { $"--{f}-output", dir[f] })]);

        r.ExitCode.ShouldBe(1); // meta and qwen trip the policy's thresholds
        r.Stdout.ShouldBe(CliProcess.Run([.. Gate, "--format", "table"]).Stdout);
        r.Stderr.ShouldContain("samples/vendors/qwen.yaml: gate: qwen probability 0.44");
        foreach (var f in formats)
        {
            dir.Read(f).ShouldBe(CliProcess.Run([.. Gate, "--format", f]).Stdout, f);
        }
    }

    [Fact]
    public void TheMainFormat_CanGoToAFileBesideTheOthers()
    {
        using var dir = new TempDir();

        var r = CliProcess.Run([.. Gate, "--format", "json", "--output", dir["s.json"], "--sarif-output", dir["s.sarif"]]);

        r.ExitCode.ShouldBe(1);
        r.Stdout.ShouldBeEmpty();
        dir.Read("s.json").ShouldBe(CliProcess.Run([.. Gate, "--format", "json"]).Stdout);
        dir.Read("s.sarif").ShouldBe(CliProcess.Run([.. Gate, "--format", "sarif"]).Stdout);
    }

    [Fact]
    public void TwoFormatsIntoOneFile_IsACommandLineError_AndNothingIsWritten()
    {
        using var dir = new TempDir();

        var r = CliProcess.Run([.. Gate, "--sarif-output", dir["x"], "--junit-output", dir["x"]]);

        r.ExitCode.ShouldBe(2);
        r.Stderr.ShouldContain($"licenserisk: error LR900: '{dir["x"]}' is given as the output of 2 formats; give each format its own file");
        File.Exists(dir["x"]).ShouldBeFalse();
    }

    [Fact]
    public void BadInput_WritesNoneOfTheFiles()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["bad.yaml"], "vendor:\n  id: bad\n  name: Bad\nsignals:\n- kind: release\n  date: 2026-13-01\n  model: X\n  weights: open\n");

        var r = CliProcess.Run("score", dir["bad.yaml"], "--sarif-output", dir["s.sarif"], "--markdown-output", dir["s.md"]);

        r.ExitCode.ShouldBe(2);
        File.Exists(dir["s.sarif"]).ShouldBeFalse();
        File.Exists(dir["s.md"]).ShouldBeFalse();
    }

    [Fact]
    public void CodeQuality_WithAGate_MatchesGitLabsDocumentedShape_OnlyForTrippedVendors()
    {
        var r = CliProcess.Run([.. Gate, "--format", "codequality"]);

        r.ExitCode.ShouldBe(1);
        var issues = JsonNode.Parse(r.Stdout)!.AsArray();
        CiShell.SchemaErrors("gitlab-codequality.schema.json", issues).ShouldBeEmpty();
        issues.Select(i => i!["location"]!["path"]!.GetValue<string>()).Distinct().Order().ShouldBe(["samples/vendors/meta.yaml", "samples/vendors/qwen.yaml"]);
        issues.Select(i => i!["fingerprint"]!.GetValue<string>()).ShouldBeUnique();

        // meta is high: major; qwen is elevated (minor) but trips the policy's threshold: at least major.
        issues.Select(i => i!["severity"]!.GetValue<string>()).Distinct().ShouldBe(["major"]);
        var lead = issues.First(i => i!["location"]!["path"]!.GetValue<string>() == "samples/vendors/qwen.yaml")!;
        lead["check_name"]!.GetValue<string>().ShouldBe("closed-flagship-after-open-release");
        lead["description"]!.GetValue<string>().ShouldStartWith("Alibaba Qwen (qwen): probability 0.44, band elevated. closed-flagship-after-open-release (+0.36): Qwen3-Max");
        var line = lead["location"]!["lines"]!["begin"]!.GetValue<int>();
        File.ReadAllLines(Repo.Path("samples/vendors/qwen.yaml"))[line - 1].ShouldContain("kind: release");
    }

    [Fact]
    public void CodeQuality_WithoutAGate_ReportsEveryVendor_AtItsBandsSeverity()
    {
        var r = CliProcess.Run("score", "samples/vendors", "--as-of", "2026-03-05", "--format", "codequality");

        r.ExitCode.ShouldBe(0, r.Stderr);
        var issues = JsonNode.Parse(r.Stdout)!.AsArray();
        CiShell.SchemaErrors("gitlab-codequality.schema.json", issues).ShouldBeEmpty();
        string Severity(string vendor) => issues.First(i => i!["location"]!["path"]!.GetValue<string>().EndsWith($"/{vendor}.yaml", StringComparison.Ordinal))!["severity"]!.GetValue<string>();
        Severity("qwen").ShouldBe("major");    // high
        Severity("meta").ShouldBe("minor");    // elevated
        Severity("allenai").ShouldBe("info");  // low
    }

    [Fact]
    public void CodeQuality_Fingerprints_StayTheSame_WhenTheDossiersLinesMove()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir["samples/vendors"]);
        File.Copy(Repo.Path("samples/vendors/qwen.yaml"), dir["samples/vendors/qwen.yaml"]);
        string[] args = ["score", "samples/vendors/qwen.yaml", "--as-of", "2026-03-05", "--format", "codequality"];
        var before = JsonNode.Parse(CliProcess.RunIn(dir.Path, args).Stdout)!.AsArray();

        File.WriteAllText(dir["samples/vendors/qwen.yaml"], "# a new first line\n\n" + dir.Read("samples/vendors/qwen.yaml"));
        var after = JsonNode.Parse(CliProcess.RunIn(dir.Path, args).Stdout)!.AsArray();

        after.Select(i => i!["fingerprint"]!.GetValue<string>()).ShouldBe(before.Select(i => i!["fingerprint"]!.GetValue<string>()));
        after.Select(i => i!["location"]!["lines"]!["begin"]!.GetValue<int>()).ShouldBe(before.Select(i => i!["location"]!["lines"]!["begin"]!.GetValue<int>() + 2));
    }

    [Fact]
    public void TheSchema_RejectsAnIssueWithoutItsLine()
    {
        var issues = JsonNode.Parse(CliProcess.Run([.. Gate, "--format", "codequality"]).Stdout)!.AsArray();
        issues[0]!["location"]!.AsObject().Remove("lines");

        CiShell.SchemaErrors("gitlab-codequality.schema.json", issues).ShouldNotBeEmpty();
    }
}
