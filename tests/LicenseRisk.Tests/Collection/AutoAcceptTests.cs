using System.Text.Json;
using LicenseRisk.Tests.Cli;
using LicenseRisk.Tests.Hosting;

namespace LicenseRisk.Tests.Collection;

/// <summary>
/// A policy's collect.auto_accept (off by default): mechanical Hub facts are accepted by collect
/// with provenance saying so; everything else still waits for a person; bad rules are located errors.
/// </summary>
public sealed class AutoAcceptTests : IDisposable
{
    private const string Policy = """
        policy: { name: auto-test }
        collect:
          auto_accept:
            - collector: huggingface
              kinds: [release]
              where: { weights: gated }
        """;

    private readonly TempDir _dir = new();
    private readonly FixtureServer _server = new();

    public AutoAcceptTests()
    {
        File.Copy(Repo.Path("samples/vendors/meta.yaml"), Dossier);
        CollectCommandTests.ServeMeta(_server);
    }

    private string Dossier => _dir["meta.yaml"];

    public void Dispose()
    {
        _server.Dispose();
        _dir.Dispose();
    }

    private CliResult Collect(params string[] extra) =>
        CliProcess.InProcess(["collect", Dossier, "--hub-url", _server.Url, "--openrouter-url", _server.Url, "--github-url", _server.Url, "--no-cache", "--timeout", "30", .. extra]);

    private List<JsonElement> Candidates() => [.. CollectCommandTests.Candidates(_dir["meta.inbox.json"]).EnumerateArray()];

    private static string Status(JsonElement c) => c.GetProperty("status").GetString()!;

    [Fact]
    public void Without_the_option_every_candidate_waits_and_the_dossier_is_not_written()
    {
        var before = File.ReadAllText(Dossier);
        File.WriteAllText(_dir["policy.yaml"], "policy: { name: plain }\nprior: 0.2\n");
        var r = Collect("--policy", _dir["policy.yaml"]);
        r.ExitCode.ShouldBe(0, r.Stderr);
        Candidates().ShouldAllBe(c => Status(c) == "pending");
        File.ReadAllText(Dossier).ShouldBe(before);
        r.Stdout.ShouldNotContain("accepted automatically");
    }

    [Fact]
    public void With_the_option_hub_releases_are_appended_with_provenance_and_the_rest_waits()
    {
        File.WriteAllText(_dir["policy.yaml"], Policy);
        var r = Collect("--policy", _dir["policy.yaml"]);
        r.ExitCode.ShouldBe(0, r.Stderr);
        r.Stdout.ShouldContain("4 pending in");
        r.Stdout.ShouldContain("4 accepted automatically (policy collect.auto_accept)");
        var list = Candidates();
        var accepted = list.Where(c => Status(c) == "accepted").ToList();
        accepted.Select(c => c.GetProperty("signal").GetProperty("date").GetString()).ShouldBe(["2024-04-17", "2024-07-14", "2024-09-18", "2025-04-02"]);
        accepted.ShouldAllBe(c => c.GetProperty("auto_accepted_by").GetString() == "auto-test" && c.GetProperty("collector").GetString() == "huggingface");

        // Licence changes need a person's 'more_restrictive'; OpenRouter's API-only guess is never automatic.
        list.Where(c => Status(c) == "pending").Select(c => c.GetProperty("signal").GetProperty("kind").GetString()).ShouldBe(["license_change", "license_change", "license_change", "release"], ignoreOrder: true);

        var text = File.ReadAllText(Dossier);
        text.ShouldContain($"  candidate: {accepted[^1].GetProperty("id").GetString()}\n");
        text.ShouldContain("  auto_accepted_by: 'auto-test'\n");
        text.ShouldContain("accepted automatically: policy ''auto-test'' collect.auto_accept (huggingface: release where weights=gated)");

        // The dossier still reads and scores, and says which evidence was accepted automatically.
        var score = CliProcess.InProcess("score", Dossier, "--as-of", "2026-11-29", "--format", "json");
        score.ExitCode.ShouldBeOneOf(0, 1);
        var collected = JsonDocument.Parse(score.Stdout).RootElement.GetProperty("vendors")[0].GetProperty("collected_signals");
        collected.GetArrayLength().ShouldBe(4);
        collected.EnumerateArray().ShouldAllBe(c => c.GetProperty("auto_accepted_by").GetString() == "auto-test");

        // Collecting again appends nothing twice.
        var again = Collect("--policy", _dir["policy.yaml"]);
        again.ExitCode.ShouldBe(0, again.Stderr);
        again.Stdout.ShouldContain("0 new candidates");
        File.ReadAllText(Dossier).ShouldBe(text);
    }

    [Theory]
    [InlineData("feed", "[release]", "", "4:18: error LR124: collector 'feed' is never auto-accepted")]
    [InlineData("openrouter", "[release]", "", "4:18: error LR124: collector 'openrouter' is never auto-accepted")]
    [InlineData("huggingface", "[relase]", "", "5:15: error LR124: no signal kind 'relase' a collector proposes in the pack; did you mean 'release'?")]
    [InlineData("huggingface", "[release]", "\n      where: { weigths: open }", "6:16: error LR124: a release signal has no field 'weigths'")]
    public void A_rule_that_is_not_allowed_is_a_located_error(string collector, string kinds, string where, string expected)
    {
        File.WriteAllText(_dir["policy.yaml"], $"policy: {{ name: bad }}\ncollect:\n  auto_accept:\n    - collector: {collector}\n      kinds: {kinds}{where}\n");
        var r = Collect("--policy", _dir["policy.yaml"]);
        r.ExitCode.ShouldBe(2);
        r.Stderr.ShouldContain(_dir["policy.yaml"] + ":" + expected);
        _server.Requests.ShouldBeEmpty();
    }
}
