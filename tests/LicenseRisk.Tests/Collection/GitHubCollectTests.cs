using System.Globalization;
using System.Text.Json;
using LicenseRisk.Tests.Cli;
using LicenseRisk.Tests.Hosting;

namespace LicenseRisk.Tests.Collection;

/// <summary>
/// The GitHub organisations collector as a user runs it (<c>collect --github-url</c>), against a
/// real HTTP server on loopback serving hand-made answers in GitHub's REST shape
/// (<c>/orgs/ORG/repos</c>, Link-header paging, <c>license.spdx_id</c>, <c>archived</c>, rate-limit headers).
/// </summary>
public sealed class GitHubCollectTests : IDisposable
{
    private const string Page1 = "/orgs/example-lab/repos?type=public&per_page=100";
    private const string Page2 = "/orgs/example-lab/repos?type=public&per_page=100&page=2";

    private const string Example = """
        # Example Lab: a hand-written dossier for the GitHub collector's tests.
        vendor:
          id: example
          name: Example Lab
          sources:
            github: [example-lab]   # its GitHub organisation

        signals:
          - kind: release
            date: 2024-01-10
            model: Lab LLM 1
            weights: open
            source: https://example.org/lab-llm-1
        """;

    private readonly TempDir _dir = new();
    private readonly FixtureServer _server = new();

    public GitHubCollectTests()
    {
        File.WriteAllText(Dossier, Example);
    }

    private string Dossier => _dir["example.yaml"];

    private string Inbox => _dir["example.inbox.json"];

    private static string Today => DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public void Dispose()
    {
        _server.Dispose();
        _dir.Dispose();
    }

    private static Dictionary<string, string> NextPage => new() { ["Link"] = $"<{{base}}orgs/example-lab/repos?type=public&per_page=100&page=2>; rel=\"next\", <{{base}}orgs/example-lab/repos?type=public&per_page=100&page=2>; rel=\"last\"" };

    private void Serve(bool later = false, Reply? first = null)
    {
        var page1 = new Reply(200, CollectCommandTests.Fixture(later ? "gh-example-lab-page1-later.json" : "gh-example-lab-page1.json"), Headers: NextPage) { ETag = later ? "W/\"l1\"" : "W/\"e1\"" };
        _server.On(Page1, first is null ? [page1] : [first, page1])
            .On(Page2, new Reply(200, CollectCommandTests.Fixture(later ? "gh-example-lab-page2-later.json" : "gh-example-lab-page2.json")) { ETag = later ? "W/\"l2\"" : "W/\"e2\"" });
    }

    private CliResult Collect(params string[] extra) =>
        CliProcess.InProcess(["collect", Dossier, "--github-url", _server.Url, "--cache", _dir["cache"], "--timeout", "30", .. extra]);

    private JsonElement Root => JsonDocument.Parse(File.ReadAllText(Inbox)).RootElement;

    private List<JsonElement> Candidates => [.. Root.GetProperty("candidates").EnumerateArray()];

    private static string Kind(JsonElement c) => c.GetProperty("signal").GetProperty("kind").GetString()!;

    private static string Field(JsonElement c, string name) => c.GetProperty("signal").GetProperty("fields").GetProperty(name).GetString()!;

    [Fact]
    public void First_collect_pages_through_the_organisation_proposes_the_archived_model_repo_and_records_the_licences()
    {
        Serve();
        var r = Collect();
        r.ExitCode.ShouldBe(0, r.Stderr);
        _server.Count(Page2).ShouldBe(1);

        // One candidate: the archived model repository, dated its updated_at (the latest the archiving can be).
        var c = Candidates.ShouldHaveSingleItem();
        Kind(c).ShouldBe("reorganization");
        c.GetProperty("collector").GetString().ShouldBe("github");
        c.GetProperty("id").GetString()!.ShouldStartWith("gh-");
        c.GetProperty("status").GetString().ShouldBe("pending");
        c.GetProperty("signal").GetProperty("date").GetString().ShouldBe("2025-03-02");
        Field(c, "detail").ShouldBe("GitHub repository example-lab/lab-llm-v1 archived; last push 2024-11-20");
        c.GetProperty("signal").GetProperty("source").GetString().ShouldBe("https://github.com/example-lab/lab-llm-v1");
        c.GetProperty("url").GetString().ShouldBe(_server.Url + Page1[1..]);
        c.GetProperty("sha256").GetString()!.Length.ShouldBe(64);
        c.GetProperty("why").GetString()!.ShouldContain("no bundled rule weighs");

        // The model repositories' licences are recorded for the next collect; forks and other repositories are not.
        var observed = Root.GetProperty("observed").EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
        observed.Keys.ShouldBe(["github:example-lab/lab-llm", "github:example-lab/lab-llm-v1", "github:example-lab/lab-vlm"]);
        observed["github:example-lab/lab-llm"].GetProperty("license").GetString().ShouldBe("Apache-2.0");
        observed["github:example-lab/lab-vlm"].GetProperty("archived").GetBoolean().ShouldBeFalse();
        r.Stdout.ShouldContain("1 new candidate");
    }

    [Fact]
    public void A_licence_change_and_a_newly_archived_repo_are_proposed_on_the_next_collect_once_and_the_change_can_be_accepted()
    {
        Serve();
        Collect().ExitCode.ShouldBe(0);
        Serve(later: true);
        var r = Collect();
        r.ExitCode.ShouldBe(0, r.Stderr);

        var change = Candidates.Single(c => Kind(c) == "license_change");
        change.GetProperty("signal").GetProperty("date").GetString().ShouldBe(Today);
        Field(change, "model").ShouldBe("lab-llm");
        Field(change, "from").ShouldBe("Apache-2.0");
        Field(change, "to").ShouldBe("NOASSERTION");
        change.GetProperty("needs")[0].GetString().ShouldBe("more_restrictive");
        change.GetProperty("why").GetString()!.ShouldContain("GitHub does not say when it changed");

        var archived = Candidates.Where(c => Kind(c) == "reorganization").Select(c => Field(c, "detail")).ToList();
        archived.ShouldBe(["GitHub repository example-lab/lab-llm-v1 archived; last push 2024-11-20", "GitHub repository example-lab/lab-vlm archived; last push 2025-05-20"]);
        Candidates.Single(c => Kind(c) == "reorganization" && Field(c, "detail").Contains("lab-vlm", StringComparison.Ordinal))
            .GetProperty("signal").GetProperty("date").GetString().ShouldBe(Today);
        Root.GetProperty("observed").GetProperty("github:example-lab/lab-llm").GetProperty("license").GetString().ShouldBe("NOASSERTION");

        // Collecting again proposes nothing twice.
        var inboxBefore = File.ReadAllText(Inbox);
        var again = Collect();
        again.ExitCode.ShouldBe(0, again.Stderr);
        again.Stdout.ShouldContain("0 new candidates");
        File.ReadAllText(Inbox).ShouldBe(inboxBefore);

        // The reviewer gives the direction; the signal enters the dossier with its provenance, comments kept.
        var id = change.GetProperty("id").GetString()!;
        var accept = CliProcess.InProcess("review", Dossier, "--accept", id, "--reason", "the repository now points at a custom licence", "--set", "more_restrictive=true");
        accept.ExitCode.ShouldBe(0, accept.Stderr);
        var text = File.ReadAllText(Dossier);
        text.ShouldStartWith("# Example Lab: a hand-written dossier");
        text.ShouldContain("    github: [example-lab]   # its GitHub organisation\n");
        text.ShouldContain($"  - kind: license_change\n    date: {Today}\n    model: 'lab-llm'\n    from: 'Apache-2.0'\n    to: 'NOASSERTION'\n    more_restrictive: true\n");
        text.ShouldContain("      collector: github\n");
        var score = CliProcess.InProcess("score", Dossier, "--as-of", Today, "--format", "json");
        score.ExitCode.ShouldBe(0, score.Stderr);
        JsonDocument.Parse(score.Stdout).RootElement.GetProperty("vendors")[0].GetProperty("collected_signals")[0].GetProperty("collector").GetString().ShouldBe("github");
    }

    [Fact]
    public void A_conditional_request_gets_304_and_reuses_the_cached_listing()
    {
        Serve();
        Collect().ExitCode.ShouldBe(0);
        var before = File.ReadAllText(Inbox);
        var again = Collect();
        again.ExitCode.ShouldBe(0, again.Stderr);
        _server.Requests.Where(q => q.PathAndQuery.StartsWith("/orgs/", StringComparison.Ordinal)).Select(q => q.IfNoneMatch).ShouldBe([null, null, "W/\"e1\"", "W/\"e2\""]);
        File.ReadAllText(Inbox).ShouldBe(before);
    }

    [Fact]
    public void A_403_rate_limit_is_waited_out_until_its_reset_and_retried()
    {
        var reset = DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        Serve(first: new Reply(403, "{\"message\":\"API rate limit exceeded for 127.0.0.1.\",\"documentation_url\":\"https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting\"}",
            Headers: new Dictionary<string, string> { ["X-RateLimit-Limit"] = "60", ["X-RateLimit-Remaining"] = "0", ["X-RateLimit-Reset"] = reset, ["X-RateLimit-Resource"] = "core" }));
        var r = Collect("--no-cache");
        r.ExitCode.ShouldBe(0, r.Stderr);
        _server.Requests.Count(q => q.PathAndQuery == Page1).ShouldBe(2);
        Candidates.Count.ShouldBe(1);
    }

    [Fact]
    public void A_403_rate_limit_resetting_later_than_allowed_fails_the_source_naming_the_reset()
    {
        var at = DateTimeOffset.UtcNow.AddHours(2);
        Serve(first: new Reply(403, "{\"message\":\"API rate limit exceeded\"}",
            Headers: new Dictionary<string, string> { ["X-RateLimit-Remaining"] = "0", ["X-RateLimit-Reset"] = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) }));
        var r = Collect("--no-cache");
        r.ExitCode.ShouldBe(1);
        r.Stderr.ShouldContain($"{_server.Url}orgs/example-lab/repos?type=public&per_page=100: error LR140: github for 'example': rate limited (HTTP 403, X-RateLimit-Remaining: 0); the limit resets at {at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}");
        _server.Requests.Count(q => q.PathAndQuery == Page1).ShouldBe(1);
        File.Exists(Inbox).ShouldBeFalse();
    }

    [Fact]
    public void A_server_error_then_success_is_retried()
    {
        Serve(first: new Reply(502, "<html><body>Bad gateway</body></html>", "text/html"));
        var r = Collect("--no-cache");
        r.ExitCode.ShouldBe(0, r.Stderr);
        _server.Requests.Count(q => q.PathAndQuery == Page1).ShouldBe(2);
        Candidates.Count.ShouldBe(1);
    }

    [Fact]
    public void A_malformed_answer_fails_the_source_with_what_it_got_and_writes_nothing()
    {
        _server.On(Page1, new Reply(200, "{\"message\":\"Not Found\",\"documentation_url\":\"https://docs.github.com/rest/repos/repos#list-organization-repositories\",\"status\":\"404\"}"));
        var r = Collect();
        r.ExitCode.ShouldBe(1);
        r.Stderr.ShouldContain("error LR140: github for 'example': expected a JSON list of repositories, got object");

        _server.On(Page1, new Reply(200, "[{\"id\": 990101, \"full_name\": \"example-lab/lab-llm\""));
        var cut = Collect("--no-cache");
        cut.ExitCode.ShouldBe(1);
        cut.Stderr.ShouldContain("error LR140: github for 'example': the answer is not JSON (application/json");

        _server.On(Page1, new Reply(200, "[{\"id\": 990101, \"name\": \"lab-llm\"}]"));
        var shape = Collect("--no-cache");
        shape.ExitCode.ShouldBe(1);
        shape.Stderr.ShouldContain("github for 'example': repository 1 lacks full_name, html_url or created_at");
        File.Exists(Inbox).ShouldBeFalse();
    }

    [Fact]
    public void A_redirect_to_another_host_is_refused()
    {
        _server.On(Page1, new Reply(301, "", Headers: new Dictionary<string, string> { ["Location"] = "http://198.51.100.7/orgs/example-lab/repos" }));
        var r = Collect();
        r.ExitCode.ShouldBe(1);
        r.Stderr.ShouldContain("github for 'example': redirected to http://198.51.100.7, not followed: only " + _server.Url.TrimEnd('/') + " is contacted for this source");
        _server.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public void The_token_goes_to_the_github_host_only_and_is_never_printed_or_written()
    {
        Serve();
        const string token = "ghp_test_token_never_written_0123456789";
        var r = CliProcess.RunWith(new Dictionary<string, string> { ["GITHUB_TOKEN"] = token }, ["collect", Dossier, "--github-url", _server.Url, "--no-cache", "--timeout", "30"]);
        r.ExitCode.ShouldBe(0, r.Stderr);
        _server.Requests.ShouldAllBe(q => q.Authorization == "Bearer " + token);
        (r.Stdout + r.Stderr).ShouldNotContain(token);
        File.ReadAllText(Inbox).ShouldNotContain(token);
    }
}
