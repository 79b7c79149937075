using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using LicenseRisk.Tests.Cli;
using LicenseRisk.Tests.Hosting;
using LicenseRisk.Tests.Schemas;
using YamlDotNet.RepresentationModel;

namespace LicenseRisk.Tests.Ship;

/// <summary>
/// The GitLab CI template (templates/licenserisk.yml, a CI/CD component) and the pre-commit hooks
/// (.pre-commit-hooks.yaml): their structure checked, and their commands run here as GitLab's
/// runner and pre-commit would run them.
/// </summary>
public sealed class GitLabAndPreCommitTests
{
    [Fact]
    public void GitLabTemplate_DeclaresItsInputs_AndKeepsEveryReport()
    {
        var (spec, job) = GitLabTemplate();

        var inputs = spec["spec"]!["inputs"]!.AsObject();
        inputs.ShouldAllBe(i => i.Value!["default"] != null && i.Value["description"] != null);
        var used = Regex.Matches(File.ReadAllText(Repo.Path("templates/licenserisk.yml")), @"\$\[\[\s*inputs\.([\w-]+)\s*\]\]").Select(m => m.Groups[1].Value).Distinct();
        used.ShouldBe(inputs.Select(i => i.Key), ignoreOrder: true);

        job["artifacts"]!["when"]!.GetValue<string>().ShouldBe("always");
        job["artifacts"]!["reports"]!["junit"]!.GetValue<string>().ShouldBe("licenserisk-junit.xml");
        job["artifacts"]!["reports"]!["codequality"]!.GetValue<string>().ShouldBe("gl-code-quality-report.json");
        job["artifacts"]!["paths"]!.AsArray().Select(p => p!.GetValue<string>()).ShouldContain("licenserisk.sarif");
    }

    [Fact]
    public void GitLabTemplate_Script_RunsHere_WritesJUnitCodeQualityAndSarif_AndFailsOnTheGate()
    {
        var (_, job) = GitLabTemplate();
        using var shell = new CiShell();
        using var project = new TempDir();
        CopyDir(Repo.Path("samples/vendors"), project["vendors"]);
        var env = job["variables"]!.AsObject().ToDictionary(kv => kv.Key, kv => InputDefault(kv.Value!.GetValue<string>()), StringComparer.Ordinal);
        env["CI_PROJECT_DIR"] = project.Path;
        env["LICENSERISK_FAIL_ON"] = "low"; // as an include's inputs: { fail-on: low } would; every vendor trips, whatever the day
        env["LICENSERISK_FAIL_ON"].ShouldNotBe(InputDefault("$[[ inputs.fail-on ]]"));
        var script = string.Join('\n', job["script"]!.AsArray().Select(l => l!.GetValue<string>()));

        var r = shell.Run(script, project.Path, env, shell: "sh");

        r.ExitCode.ShouldBe(1, r.Stderr); // the gate trips: the job fails
        r.Stderr.ShouldContain(": gate: ");
        shell.DotnetCommands().ShouldContain($"dotnet tool install licenserisk --tool-path {project.Path}/.licenserisk-tool");
        CiShell.SchemaErrors("gitlab-codequality.schema.json", JsonNode.Parse(project.Read("gl-code-quality-report.json"))).ShouldBeEmpty();
        XDocument.Load(project["licenserisk-junit.xml"]).Descendants("failure").ShouldNotBeEmpty();
        JsonNode.Parse(project.Read("licenserisk.sarif"))!["version"]!.GetValue<string>().ShouldBe("2.1.0");
        project.Read("licenserisk.md").ShouldContain("vendors/qwen.yaml");
    }

    [Fact]
    public void PreCommitHooks_MatchTheManifestSchema()
    {
        var hooks = YamlSchemaTests.ToJson(File.ReadAllText(Repo.Path(".pre-commit-hooks.yaml")));

        CiShell.SchemaErrors("pre-commit-hooks.schema.json", hooks).ShouldBeEmpty();
        hooks!.AsArray().Select(h => h!["id"]!.GetValue<string>()).ShouldBe(["licenserisk-check", "licenserisk-rules-lint"]);
    }

    [Fact]
    public void PreCommitHooks_RunAsPreCommitWould_PassOnTheSamples()
    {
        var check = RunHook("licenserisk-check", ["vendors/qwen.yaml", "vendors/meta.yaml"], out var matched);
        matched.ShouldBeTrue();
        check.ExitCode.ShouldBe(0, check.Stderr);
        check.Stdout.ShouldStartWith("2 dossiers, ");

        var lint = RunHook("licenserisk-rules-lint", ["rules/leadership.yaml"], out matched);
        matched.ShouldBeTrue();
        lint.ExitCode.ShouldBe(0, lint.Stderr);
        lint.Stdout.ShouldContain("no errors");
    }

    [Fact]
    public void CheckHook_OnABrokenDossier_FailsWithTheLocatedError()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir["vendors"]);
        File.WriteAllText(dir["vendors/bad.yaml"], "vendor:\n  id: bad\n  name: Bad\nsignals:\n- kind: statement\n  date: 2026-01-01\n  stance: maybe\n");

        var r = RunHook("licenserisk-check", ["vendors/bad.yaml"], out var matched, dir.Path);

        matched.ShouldBeTrue();
        r.ExitCode.ShouldBe(2);
        r.Stderr.ShouldContain("vendors/bad.yaml:7:11: error LR023");
    }

    /// <summary>
    /// Runs a hook as pre-commit does: the files its <c>files:</c> pattern matches, appended to its
    /// entry and args unless <c>pass_filenames: false</c>; the entry's <c>licenserisk</c> is the
    /// program built with these tests. Repository-relative names are resolved from the folder given
    /// (samples/ stands for a vendor-watch repository by default).
    /// </summary>
    private static CliResult RunHook(string id, string[] changed, out bool matched, string? root = null)
    {
        var hook = YamlSchemaTests.ToJson(File.ReadAllText(Repo.Path(".pre-commit-hooks.yaml")))!.AsArray().Single(h => h!["id"]!.GetValue<string>() == id)!;
        var files = changed.Where(f => Regex.IsMatch(f, hook["files"]!.GetValue<string>())).ToList();
        matched = files.Count > 0;
        var entry = hook["entry"]!.GetValue<string>().Split(' ');
        entry[0].ShouldBe("licenserisk");
        var args = (hook["args"]?.AsArray().Select(a => a!.GetValue<string>()) ?? []).ToList();
        var passFiles = hook["pass_filenames"]?.GetValue<bool>() ?? true;
        string[] command = [.. entry[1..], .. args, .. passFiles ? files : []];
        return CliProcess.RunIn(root ?? (id == "licenserisk-rules-lint" ? Repo.Root : Repo.Path("samples")), command);
    }

    private static (JsonNode Spec, JsonNode Job) GitLabTemplate()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Repo.Path("templates/licenserisk.yml"))));
        stream.Documents.Count.ShouldBe(2); // the component's spec, then the job
        var spec = YamlSchemaTests.ToJson(Document(stream, 0))!;
        var jobs = YamlSchemaTests.ToJson(Document(stream, 1))!.AsObject();
        return (spec, jobs["licenserisk"]!);
    }

    private static string Document(YamlStream stream, int index)
    {
        var writer = new StringWriter();
        new YamlStream(stream.Documents[index]).Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    /// <summary>The value GitLab gives a variable written as <c>$[[ inputs.NAME ]]</c> when the include sets no inputs.</summary>
    private static string InputDefault(string value)
    {
        var (spec, _) = GitLabTemplate();
        return Regex.Replace(value, @"\$\[\[\s*inputs\.([\w-]+)\s*\]\]", m => spec["spec"]!["inputs"]![m.Groups[1].Value]!["default"]!.GetValue<string>());
    }

    private static void CopyDir(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var f in Directory.EnumerateFiles(from, "*.yaml"))
        {
            File.Copy(f, Path.Combine(to, Path.GetFileName(f)));
        }
    }
}
