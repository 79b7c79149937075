using System.Text.Json;
using LicenseRisk.Tests.Cli;
using LicenseRisk.Tests.Hosting;

namespace LicenseRisk.Tests.Collection;

/// <summary>
/// collect and review as a user runs them, against a real HTTP server on loopback serving
/// hand-made answers in the Hub's, OpenRouter's and RSS's shapes (Fixtures/collect/README.md).
/// </summary>
public sealed class CollectCommandTests : IDisposable
{
    internal static readonly string HubQuery = HubQueryFor("meta-llama");

    /// <summary>The Hub listing the collector asks for, for one organisation (first page).</summary>
    internal static string HubQueryFor(string author) =>
        $"/api/models?author={author}&expand[]=createdAt&expand[]=cardData&expand[]=gated&expand[]=safetensors&expand[]=downloads&expand[]=tags&expand[]=pipeline_tag&limit=100";

    internal const string GitHubQuery = "/orgs/meta-llama/repos?type=public&per_page=100";

    private readonly TempDir _dir = new();
    private readonly FixtureServer _server = new();

    public CollectCommandTests()
    {
        Dossier = _dir["meta.yaml"];
        var text = File.ReadAllText(Repo.Path("samples/vendors/meta.yaml"));
        File.WriteAllText(Dossier, text);
    }

    private string Dossier { get; }

    private string Inbox => _dir["meta.inbox.json"];

    public void Dispose()
    {
        _server.Dispose();
        _dir.Dispose();
    }

    internal static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "collect", name));

    internal static void ServeMeta(FixtureServer server, Reply? firstPage = null)
    {
        server.On(HubQuery, firstPage ?? new Reply(200, Fixture("hf-meta-llama-page1.json"), Headers: new Dictionary<string, string> { ["Link"] = $"<{{base}}api/models?author=meta-llama&cursor=eyJwIjo2fQ>; rel=\"next\"" }) { ETag = "W/\"p1\"" })
            .On("/api/models?author=meta-llama&cursor=eyJwIjo2fQ", new Reply(200, Fixture("hf-meta-llama-page2.json")) { ETag = "W/\"p2\"" })
            .On("/api/v1/models", new Reply(200, Fixture("openrouter-models.json")))
            .On(GitHubQuery, new Reply(200, Fixture("gh-meta-llama-repos.json")) { ETag = "W/\"gh1\"" });
    }

    // The fixture server answers at once, but the suite runs in parallel on a loaded machine: a
    // 2 s timeout there made a source fail now and then (exit 1). Tests of a hanging source give
    // their own --timeout.
    private CliResult Collect(params string[] extra) =>
        CliProcess.InProcess(["collect", Dossier, "--hub-url", _server.Url, "--openrouter-url", _server.Url, "--github-url", _server.Url, "--cache", _dir["cache"], .. extra.Contains("--timeout") ? extra : ["--timeout", "30", .. extra]]);

    /// <summary>The result of a run that must succeed; its stderr is the message when it does not.</summary>
    internal static CliResult Ok(CliResult r)
    {
        r.ExitCode.ShouldBe(0, r.Stderr);
        return r;
    }

    internal static JsonElement Candidates(string inbox) => JsonDocument.Parse(File.ReadAllText(inbox)).RootElement.GetProperty("candidates");

    [Fact]
    public void Collect_pages_through_the_hub_and_proposes_one_release_per_launch_with_a_tier_and_licence_changes()
    {
        ServeMeta(_server);
        var r = Collect();
        r.ExitCode.ShouldBe(0, r.Stderr);
        _server.Count("/api/models?author=meta-llama&cursor=").ShouldBe(1);
        var list = Candidates(Inbox).EnumerateArray().ToList();
        var releases = list.Where(c => c.GetProperty("signal").GetProperty("kind").GetString() == "release" && c.GetProperty("collector").GetString() == "huggingface").ToList();

        // Llama 3, 3.1, 3.2 and 4: one per launch; the Instruct fine-tune and the FP8 copy are not releases of their own.
        releases.Select(c => c.GetProperty("signal").GetProperty("date").GetString()).ShouldBe(["2024-04-17", "2024-07-14", "2024-09-18", "2025-04-02"]);
        var llama4 = releases[^1].GetProperty("signal").GetProperty("fields");
        llama4.GetProperty("model").GetString().ShouldBe("Llama-4-Maverick-17B-128E, Llama-4-Scout-17B-16E");
        llama4.GetProperty("weights").GetString().ShouldBe("gated");
        llama4.GetProperty("license").GetString().ShouldBe("llama4");
        llama4.GetProperty("tier").GetString().ShouldBe("flagship");
        llama4.GetProperty("params_b").GetString().ShouldBe("401.6");

        // Modality from the pipeline tags: Llama 3 and 3.1 text; Llama 3.2 takes its headline (first-named) Vision model's, and says the launch mixes.
        releases.Select(c => c.GetProperty("signal").GetProperty("fields").GetProperty("modality").GetString()).ShouldBe(["text", "text", "multimodal", "multimodal"]);
        releases[2].GetProperty("why").GetString()!.ShouldEndWith("; modality 'multimodal' from Llama-3.2-11B-Vision's pipeline tag 'image-text-to-text' (other models of the launch: text; review it)");
        releases[0].GetProperty("url").GetString().ShouldStartWith(_server.Url + "api/models?author=meta-llama");
        releases[0].GetProperty("sha256").GetString()!.Length.ShouldBe(64);
        releases.ShouldAllBe(c => c.GetProperty("status").GetString() == "pending");

        // Each later Llama line changed its licence tag: a licence change whose direction the reviewer gives.
        var changes = list.Where(c => c.GetProperty("signal").GetProperty("kind").GetString() == "license_change").ToList();
        changes.Count.ShouldBe(3);
        changes[0].GetProperty("needs")[0].GetString().ShouldBe("more_restrictive");

        // OpenRouter: the vendor-prefixed model with no Hugging Face id, once (its ':free' listing is the same model).
        var api = list.Where(c => c.GetProperty("collector").GetString() == "openrouter").ToList();
        api.Count.ShouldBe(1);
        api[0].GetProperty("signal").GetProperty("fields").GetProperty("weights").GetString().ShouldBe("api_only");
        r.Stdout.ShouldContain($"{list.Count} new candidates");
    }

    [Fact]
    public void Collecting_twice_proposes_nothing_twice_and_a_rejected_candidate_stays_rejected()
    {
        ServeMeta(_server);
        Ok(Collect());
        var first = Candidates(Inbox).GetArrayLength();
        var id = Candidates(Inbox)[0].GetProperty("id").GetString()!;
        var rejected = CliProcess.InProcess("review", Dossier, "--reject", id, "--reason", "already listed by hand");
        rejected.ExitCode.ShouldBe(0, rejected.Stderr);

        var again = Collect();
        again.ExitCode.ShouldBe(0, again.Stderr);
        again.Stdout.ShouldContain("0 new candidates");
        Candidates(Inbox).GetArrayLength().ShouldBe(first);
        Candidates(Inbox)[0].GetProperty("status").GetString().ShouldBe("rejected");
        Candidates(Inbox)[0].GetProperty("reason").GetString().ShouldBe("already listed by hand");

        // The second run asked with the cached ETags and got 304 for both pages.
        _server.Requests.Count(q => q.IfNoneMatch is not null).ShouldBe(3); // two Hub pages and GitHub's listing
    }

    [Fact]
    public void Review_lists_pending_as_table_and_json()
    {
        ServeMeta(_server);
        Ok(Collect());
        var table = CliProcess.InProcess("review", Dossier);
        table.ExitCode.ShouldBe(0, table.Stderr);
        table.Stdout.ShouldContain("release");
        table.Stdout.ShouldContain("Llama-4-Maverick-17B-128E, Llama-4-Scout-17B-16E");
        table.Stdout.ShouldContain("[needs more_restrictive]");
        var json = CliProcess.InProcess("review", Dossier, "--format", "json");
        json.ExitCode.ShouldBe(0, json.Stderr);
        var doc = JsonDocument.Parse(json.Stdout).RootElement;
        doc.GetProperty("pending").GetInt32().ShouldBe(Candidates(Inbox).GetArrayLength());
    }

    [Fact]
    public void Accepting_appends_the_signal_with_provenance_and_keeps_the_dossier_text()
    {
        ServeMeta(_server);
        Ok(Collect());
        var before = File.ReadAllText(Dossier);
        var candidate = Candidates(Inbox).EnumerateArray().First(c => c.GetProperty("signal").GetProperty("date").GetString() == "2025-04-02");
        var id = candidate.GetProperty("id").GetString()!;

        var r = CliProcess.InProcess("review", Dossier, "--accept", id, "--reason", "Llama 4 on the Hub", "--set", "weights=open");
        r.ExitCode.ShouldBe(0, r.Stderr);
        var after = File.ReadAllText(Dossier);
        after.ShouldStartWith(before.TrimEnd('\n'));
        var added = after[before.TrimEnd('\n').Length..];
        added.ShouldStartWith("\n\n- kind: release\n  date: 2025-04-02\n  model: 'Llama-4-Maverick-17B-128E, Llama-4-Scout-17B-16E'\n  weights: open\n");
        added.ShouldContain($"  id: {id}\n  provenance:\n    collector: huggingface\n");
        added.ShouldContain("    reason: 'Llama 4 on the Hub'");
        Candidates(Inbox).EnumerateArray().First(c => c.GetProperty("id").GetString() == id).GetProperty("status").GetString().ShouldBe("accepted");

        // The dossier still scores; the explanation tells the collected evidence from the typed one.
        var score = CliProcess.InProcess("score", Dossier, "--as-of", "2026-12-01", "--format", "json");
        score.ExitCode.ShouldBe(0, score.Stderr);
        var collected = JsonDocument.Parse(score.Stdout).RootElement.GetProperty("vendors")[0].GetProperty("collected_signals");
        collected.GetArrayLength().ShouldBe(1);
        collected[0].GetProperty("candidate").GetString().ShouldBe(id);
        collected[0].GetProperty("collector").GetString().ShouldBe("huggingface");
        var table = CliProcess.InProcess("score", Dossier, "--as-of", "2026-12-01");
        System.Text.RegularExpressions.Regex.Replace(table.Stdout, @"\s+", " ").ShouldContain($"Collected by LicenseRisk and accepted in review: {id} (huggingface, reviewed");
        var again = CliProcess.InProcess("review", Dossier, "--accept", id, "--reason", "again");
        again.ExitCode.ShouldBe(2);
        again.Stderr.ShouldContain("LR144");
        File.ReadAllText(Dossier).ShouldBe(after);
    }

    [Fact]
    public void Accepting_a_licence_change_needs_its_direction_and_a_reason()
    {
        ServeMeta(_server);
        Ok(Collect());
        var before = File.ReadAllText(Dossier);
        var id = Candidates(Inbox).EnumerateArray().First(c => c.GetProperty("signal").GetProperty("kind").GetString() == "license_change").GetProperty("id").GetString()!;

        var noReason = CliProcess.InProcess("review", Dossier, "--accept", id);
        noReason.ExitCode.ShouldBe(2);
        noReason.Stderr.ShouldContain("--reason: error LR900");

        var incomplete = CliProcess.InProcess("review", Dossier, "--accept", id, "--reason", "checked");
        incomplete.ExitCode.ShouldBe(2);
        incomplete.Stderr.ShouldContain("error LR145");
        incomplete.Stderr.ShouldContain("--set more_restrictive=VALUE");

        var typo = CliProcess.InProcess("review", Dossier, "--accept", id[..^1], "--reason", "checked");
        typo.Stderr.ShouldContain($"error LR143: no candidate '{id[..^1]}' in this inbox (did you mean '{id}'?)");
        File.ReadAllText(Dossier).ShouldBe(before);

        var ok = CliProcess.InProcess("review", Dossier, "--accept", id, "--reason", "checked", "--set", "more_restrictive=false");
        ok.ExitCode.ShouldBe(0, ok.Stderr);
        File.ReadAllText(Dossier).ShouldContain("  more_restrictive: false\n");
    }

    [Fact]
    public void A_failing_source_is_named_with_its_address_and_the_others_still_run()
    {
        ServeMeta(_server, new Reply(200, "<!DOCTYPE html><html><body>Service unavailable</body></html>", "text/html"));
        var r = Collect();
        r.ExitCode.ShouldBe(1);
        r.Stderr.ShouldContain($"{_server.Url}api/models?author=meta-llama");
        r.Stderr.ShouldContain("error LR140: huggingface for 'meta': the answer is not JSON (text/html");
        Candidates(Inbox).EnumerateArray().ShouldAllBe(c => c.GetProperty("collector").GetString() == "openrouter");
    }

    [Fact]
    public void Rate_limits_and_server_errors_are_retried_after_the_wait_asked()
    {
        ServeMeta(_server, new Reply(429, "{\"error\":\"rate limited\"}", Headers: new Dictionary<string, string> { ["RateLimit"] = "\"api\";r=0;t=1" }));
        _server.On(HubQuery,
            new Reply(429, "{\"error\":\"rate limited\"}", Headers: new Dictionary<string, string> { ["RateLimit"] = "\"api\";r=0;t=1" }),
            new Reply(503, "upstream error", "text/plain"),
            new Reply(200, Fixture("hf-meta-llama-page1.json")));
        var r = CliProcess.InProcess(["collect", Dossier, "--hub-url", _server.Url, "--openrouter-url", _server.Url, "--github-url", _server.Url, "--no-cache"]);
        r.ExitCode.ShouldBe(0, r.Stderr);
        _server.Count(HubQuery).ShouldBe(3);
        Candidates(Inbox).EnumerateArray().Count(c => c.GetProperty("collector").GetString() == "huggingface").ShouldBeGreaterThan(0);
    }

    [Fact]
    public void A_rate_limit_longer_than_allowed_a_hanging_source_and_a_redirect_elsewhere_fail_their_source_only()
    {
        ServeMeta(_server, new Reply(429, "{}", Headers: new Dictionary<string, string> { ["Retry-After"] = "3600" }));
        _server.On("/api/v1/models", new Reply(200, Fixture("openrouter-models.json")) { Delay = TimeSpan.FromSeconds(5) });
        var r = Collect("--timeout", "2");
        r.ExitCode.ShouldBe(1);
        r.Stderr.ShouldContain("huggingface for 'meta': rate limited (HTTP 429); the source asks to wait 3600 s");
        r.Stderr.ShouldContain($"{_server.Url}api/v1/models: error LR140: openrouter for 'meta': no answer within 2 s");
        Candidates(Inbox).GetArrayLength().ShouldBe(0); // only what GitHub showed of meta-llama's model repositories, for the next run to compare

        _server.On(HubQuery, new Reply(302, "", Headers: new Dictionary<string, string> { ["Location"] = "http://198.51.100.7/api/models" }));
        _server.On("/api/v1/models", new Reply(200, Fixture("openrouter-models.json")));
        var moved = Collect("--timeout", "2");
        moved.ExitCode.ShouldBe(1);
        moved.Stderr.ShouldContain("redirected to http://198.51.100.7, not followed: only " + _server.Url.TrimEnd('/') + " is contacted for this source");
        Candidates(Inbox).GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public void Score_of_a_folder_is_unchanged_by_an_inbox_beside_the_dossiers()
    {
        ServeMeta(_server);
        var before = CliProcess.InProcess("score", _dir.Path, "--as-of", "2026-12-01", "--format", "json");
        Ok(Collect());
        File.Exists(Inbox).ShouldBeTrue();
        var after = CliProcess.InProcess("score", _dir.Path, "--as-of", "2026-12-01", "--format", "json");
        after.ExitCode.ShouldBe(before.ExitCode);
        after.Stdout.ShouldBe(before.Stdout);
        after.Stderr.ShouldBe(before.Stderr);
    }
}
