using System.Text.Json.Nodes;
using LicenseRisk.Tests.Cli;
using LicenseRisk.Tests.Hosting;
using LicenseRisk.Tests.Schemas;

namespace LicenseRisk.Tests.Ship;

/// <summary><c>licenserisk init DIR</c>: what it writes passes its own checks, and its CI workflow runs.</summary>
public sealed class InitCommandTests
{
    private static readonly string[] Written =
        ["vendors/example-labs.yaml", "policy.yaml", ".github/workflows/licenserisk.yml", ".config/dotnet-tools.json", "README.md"];

    [Fact]
    public void Init_WritesTheVendorWatchRepository()
    {
        using var dir = new TempDir();

        var r = CliProcess.InProcess("init", dir["watch"]);

        r.ExitCode.ShouldBe(0, r.Stderr);
        foreach (var file in Written)
        {
            File.Exists(dir[Path.Combine("watch", file)]).ShouldBeTrue(file);
            r.Stdout.ShouldContain($"wrote {dir[Path.Combine("watch", file)]}");
        }

        var manifest = JsonNode.Parse(dir.Read("watch/.config/dotnet-tools.json"))!;
        var version = manifest["tools"]!["licenserisk"]!["version"]!.GetValue<string>();
        version.ShouldNotContain("{{");
        version.ShouldNotContain("+");
        CliProcess.InProcess("--version").Stdout.ShouldStartWith($"licenserisk {version}");
        dir.Read("watch/README.md").ShouldContain("## What to do next");
        dir.Read("watch/policy.yaml").ShouldContain("# waivers:");
    }

    [Fact]
    public void InitOutput_PassesCheck_Score_AndTheSchemas()
    {
        using var dir = new TempDir();
        CliProcess.InProcess("init", dir.Path).ExitCode.ShouldBe(0);

        var check = CliProcess.RunIn(dir.Path, "check", "vendors", "--policy", "policy.yaml");
        check.ExitCode.ShouldBe(0, check.Stderr);
        check.Stdout.ShouldStartWith("1 dossier, 6 signals: no errors (pack licenserisk-core ");
        check.Stdout.ShouldEndWith(", policy my-vendor-watch)\n");
        check.Stderr.ShouldBeEmpty();

        var score = CliProcess.RunIn(dir.Path, "score", "vendors", "--policy", "policy.yaml", "--as-of", "2026-03-01");
        score.ExitCode.ShouldBe(0, score.Stderr);
        score.Stdout.ShouldContain("example-labs");

        var lint = CliProcess.RunIn(dir.Path, "rules", "lint");
        lint.ExitCode.ShouldBe(0, lint.Stderr);

        YamlSchemaTests.SchemaErrors("dossier.schema.json", dir.Read("vendors/example-labs.yaml")).ShouldBeEmpty();
        YamlSchemaTests.SchemaErrors("policy.schema.json", dir.Read("policy.yaml")).ShouldBeEmpty();
    }

    [Fact]
    public void ThePolicysCommentedWaiver_Uncommented_IsAValidWaiver()
    {
        using var dir = new TempDir();
        CliProcess.InProcess("init", dir.Path).ExitCode.ShouldBe(0);
        var lines = File.ReadAllLines(dir["policy.yaml"]);
        var from = Array.FindIndex(lines, l => l.StartsWith("# waivers:", StringComparison.Ordinal));
        File.WriteAllLines(dir["policy.yaml"], lines.Select((l, i) => i >= from && l.StartsWith('#') ? l[2..] : l));

        var score = CliProcess.RunIn(dir.Path, "score", "vendors", "--policy", "policy.yaml", "--as-of", "2026-03-01", "--format", "json");

        score.ExitCode.ShouldBe(0, score.Stderr);
        var waived = JsonNode.Parse(score.Stdout)!["vendors"]![0]!["waived"]!.AsArray();
        waived.Single()!["rule"]!.GetValue<string>().ShouldBe("api-pricing");
    }

    [Fact]
    public void TheGeneratedWorkflow_RunsHere_AndPasses()
    {
        using var dir = new TempDir();
        CliProcess.InProcess("init", dir.Path).ExitCode.ShouldBe(0);
        var workflow = YamlSchemaTests.ToJson(dir.Read(".github/workflows/licenserisk.yml"))!;
        using var run = new StepRunner(workflow["jobs"]!["gate"]!["steps"]!.AsArray().OfType<JsonObject>(), dir.Path);

        var results = run.RunAll();

        results.Values.ShouldAllBe(r => r.ExitCode == 0);
        results.Count.ShouldBe(3); // restore, check, score: the gate step is skipped
        run.Shell.DotnetCommands().ShouldContain("dotnet tool restore");
        run.StepOutputs["score"]["exit-code"].ShouldBe("0");
        File.ReadAllText(run.Summary).ShouldContain("example-labs");
        File.Exists(dir["licenserisk.sarif"]).ShouldBeTrue();
        run.Ran("Upload SARIF to code scanning").ShouldBeTrue();
        run.With("Upload SARIF to code scanning")["sarif_file"].ShouldBe("licenserisk.sarif");
    }

    [Fact]
    public void Init_OverExistingFiles_RefusesWithLocatedErrors_AndWritesNothing()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["README.md"], "mine\n");
        Directory.CreateDirectory(dir["vendors"]);
        File.WriteAllText(dir["vendors/example-labs.yaml"], "mine\n");

        var r = CliProcess.InProcess("init", dir.Path);

        r.ExitCode.ShouldBe(2);
        r.Stderr.ShouldContain($"{dir["README.md"]}: error LR920: already exists; init writes only new files, and wrote none");
        r.Stderr.ShouldContain($"{Path.Combine(dir.Path, "vendors/example-labs.yaml")}: error LR920:");
        r.Stderr.ShouldContain("2 errors");
        dir.Read("README.md").ShouldBe("mine\n");
        File.Exists(dir["policy.yaml"]).ShouldBeFalse();
        Directory.Exists(dir[".github"]).ShouldBeFalse();
    }
}
