using System.Text.Json.Nodes;
using System.Xml.Linq;
using LicenseRisk.Tests.Cli;
using LicenseRisk.Tests.Hosting;
using LicenseRisk.Tests.Schemas;

namespace LicenseRisk.Tests.Ship;

/// <summary>
/// The repository's GitHub Action (action.yml): its metadata checked against the action schema,
/// and its steps run here as the runner would run them: each <c>run:</c> script with bash, its
/// <c>env:</c> and <c>if:</c> evaluated from the inputs and earlier steps' outputs, with the
/// runner's files ($GITHUB_OUTPUT, $GITHUB_STEP_SUMMARY). <c>uses:</c> steps (setup-dotnet,
/// upload-sarif) cannot run here; the test checks what they are given.
/// </summary>
public sealed class GitHubActionTests
{
    private static readonly JsonObject Action = YamlSchemaTests.ToJson(File.ReadAllText(Repo.Path("action.yml")))!.AsObject();

    [Fact]
    public void ActionYml_MatchesTheActionMetadataSchema() =>
        CiShell.SchemaErrors("github-action.schema.json", Action).ShouldBeEmpty();

    [Fact]
    public void TheSchema_RejectsARunStepWithoutShell_AsGitHubDoes()
    {
        var broken = Action.DeepClone().AsObject();
        broken["runs"]!["steps"]!.AsArray().OfType<JsonObject>().First(s => s["run"] is not null).Remove("shell");

        CiShell.SchemaErrors("github-action.schema.json", broken).ShouldNotBeEmpty();
    }

    [Fact]
    public void TheExampleWorkflow_UsesThisAction_OnTheSamples()
    {
        var workflow = YamlSchemaTests.ToJson(File.ReadAllText(Repo.Path(".github/workflows/licenserisk.yml")))!;
        var step = workflow["jobs"]!["gate"]!["steps"]!.AsArray().Single(s => s!["uses"]?.GetValue<string>() == "./")!;
        var with = step["with"]!.AsObject();
        Directory.Exists(Repo.Path(with["paths"]!.GetValue<string>())).ShouldBeTrue();
        with.Select(kv => kv.Key).ShouldBeSubsetOf(Action["inputs"]!.AsObject().Select(kv => kv.Key));
    }

    [Fact]
    public void Steps_OnTheSamplesOverTheGate_WriteSarifJUnitAndTheSummary_ThenFailTheJob()
    {
        using var run = ActionRun(new() { ["paths"] = "samples/vendors", ["as-of"] = "2026-03-05", ["fail-on"] = "high" });

        var results = run.RunAll();

        results["install"].ExitCode.ShouldBe(0, results["install"].Stderr);
        run.Shell.DotnetCommands().ShouldContain(c => c.StartsWith("dotnet tool install licenserisk --tool-path ", StringComparison.Ordinal));
        results["install"].Stdout.ShouldContain("licenserisk ");

        results["score"].ExitCode.ShouldBe(0, results["score"].Stderr);
        run.StepOutputs["score"]["exit-code"].ShouldBe("1"); // qwen is high as of 2026-03-05
        results["score"].Stdout.ShouldContain("::error file=samples/vendors/qwen.yaml,line=");
        results["score"].Stderr.ShouldContain("samples/vendors/qwen.yaml: gate: qwen probability 0.63");

        // The same bytes as one run per format.
        var single = new[] { "score", "samples/vendors", "--as-of", "2026-03-05", "--fail-on", "high", "-q", "--format" };
        File.ReadAllText(run.StepOutputs["score"]["sarif"]).ShouldBe(CliProcess.Run([.. single, "sarif"]).Stdout);
        File.ReadAllText(run.StepOutputs["score"]["junit"]).ShouldBe(CliProcess.Run([.. single, "junit"]).Stdout);
        File.ReadAllText(run.Summary).ShouldBe(CliProcess.Run([.. single, "markdown"]).Stdout);
        XDocument.Load(run.StepOutputs["score"]["junit"]).Descendants("failure").Count().ShouldBe(1);

        run.Ran("Upload SARIF to code scanning").ShouldBeTrue();
        run.With("Upload SARIF to code scanning")["sarif_file"].ShouldBe(run.StepOutputs["score"]["sarif"]);
        results["Gate"].ExitCode.ShouldBe(1);
        results["Gate"].Stdout.ShouldStartWith("::error::");
    }

    [Fact]
    public void Steps_UnderTheGate_PassAndSkipTheGateStep()
    {
        using var run = ActionRun(new() { ["paths"] = "samples/vendors/deepseek.yaml samples/vendors/allenai.yaml", ["as-of"] = "2026-03-05", ["upload-sarif"] = "false" });

        var results = run.RunAll();

        results["score"].ExitCode.ShouldBe(0, results["score"].Stderr);
        run.StepOutputs["score"]["exit-code"].ShouldBe("0");
        File.ReadAllText(run.Summary).ShouldContain("deepseek");
        run.Ran("Upload SARIF to code scanning").ShouldBeFalse();
        results.ShouldNotContainKey("Gate");
    }

    [Fact]
    public void Steps_OnABrokenDossier_FailTheScoreStepWithTheLocatedError()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["bad.yaml"], "vendor:\n  id: bad\n  name: Bad\nsignals:\n- kind: release\n  date: 2026-13-01\n  model: X\n  weights: open\n");
        using var run = ActionRun(new() { ["paths"] = dir["bad.yaml"] });

        var results = run.RunAll();

        results["score"].ExitCode.ShouldBe(2);
        results["score"].Stderr.ShouldContain($"{dir["bad.yaml"]}:6:9: error LR014");
        results["score"].Stdout.ShouldContain("::error::licenserisk score exited 2");
        results.ShouldNotContainKey("Gate");
    }

    /// <summary>One run of the action's steps, from the repository root as the workspace.</summary>
    private static StepRunner ActionRun(Dictionary<string, string> given)
    {
        var inputs = Action["inputs"]!.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value!["default"]?.ToString() ?? string.Empty, StringComparer.Ordinal);
        foreach (var (k, v) in given)
        {
            inputs.ContainsKey(k).ShouldBeTrue($"the action has no input '{k}'");
            inputs[k] = v;
        }

        return new StepRunner(Action["runs"]!["steps"]!.AsArray().OfType<JsonObject>(), Repo.Root, inputs);
    }
}
