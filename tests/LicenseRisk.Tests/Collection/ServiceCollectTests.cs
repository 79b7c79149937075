using System.Text.Json;
using LicenseRisk.Collection;
using LicenseRisk.Hosting.Service;
using LicenseRisk.Model;
using LicenseRisk.Tests.Hosting;
using LicenseRisk.Yaml;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace LicenseRisk.Tests.Collection;

/// <summary>
/// The service collects before its scheduled report: the report's "Collected evidence" section
/// (new since the last run, pending review with the oldest age, failed sources), against a real
/// HTTP server on loopback. A source that fails, or a collect that runs out of time, still gives a report.
/// </summary>
public sealed class ServiceCollectTests : IDisposable
{
    private const string Acme = """
        vendor:
          id: acme
          name: Acme AI
          sources:
            huggingface: [acme-ai]
        signals:
          - kind: release
            date: 2026-01-10
            model: Acme 1
            weights: open
            source: https://example.org/acme-1
        """;

    private readonly TempDir _dir = new();
    private readonly FixtureServer _server = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 9, 7, 0, 0, TimeSpan.Zero)); // a Monday
    private readonly TestLogs _logs = new();

    public ServiceCollectTests()
    {
        Directory.CreateDirectory(_dir["vendors"]);
        File.Copy(Repo.Path("samples/vendors/meta.yaml"), Meta);
        File.WriteAllText(_dir["vendors/acme.yaml"], Acme);
        CollectCommandTests.ServeMeta(_server);

        // acme's organisation answers an HTML error page with status 200: its source fails, meta's do not.
        _server.On(CollectCommandTests.HubQueryFor("acme-ai"),
            new Reply(200, "<!DOCTYPE html><html><body>Service unavailable</body></html>", "text/html"));
    }

    private string Meta => _dir["vendors/meta.yaml"];

    private string MetaInbox => _dir["vendors/meta.inbox.json"];

    public void Dispose()
    {
        _server.Dispose();
        _dir.Dispose();
        _logs.Dispose();
    }

    private IHost Start(Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["LicenseRisk:Vendors"] = _dir["vendors"],
            ["LicenseRisk:Rules"] = Repo.Path("rules"),
            ["LicenseRisk:Out"] = _dir["out"],
            ["LicenseRisk:Schedule"] = "0 6 1 1 *", // not within the test's days: the test runs the scheduled run itself
            ["LicenseRisk:Collect:HubUrl"] = _server.Url,
            ["LicenseRisk:Collect:OpenRouterUrl"] = _server.Url,
            ["LicenseRisk:Collect:GitHubUrl"] = _server.Url,
            ["LicenseRisk:Collect:Cache"] = _dir["cache"],
            ["LicenseRisk:Collect:MaxRetries"] = "0",
        };
        foreach (var (k, v) in extra ?? [])
        {
            settings[k] = v;
        }

        return ServiceHost.Build([], settings, configure: services =>
        {
            services.AddSingleton<TimeProvider>(_clock);
            services.AddLogging(l => l.AddProvider(_logs));
        });
    }

    private static ReportWorker Worker(IHost host) => host.Services.GetServices<IHostedService>().OfType<ReportWorker>().Single();

    private JsonElement Collection() => JsonDocument.Parse(File.ReadAllText(_dir["out/report.json"])).RootElement.GetProperty("collection");

    private static JsonElement Vendor(JsonElement collection, string id) => collection.GetProperty("vendors").EnumerateArray().Single(v => v.GetProperty("id").GetString() == id);

    [Fact]
    public async Task Scheduled_run_collects_first_and_the_report_shows_new_pending_with_the_oldest_age_and_the_failed_source()
    {
        using var host = Start();
        await host.StartAsync();
        var worker = Worker(host);

        // Week 1: everything collected is new; acme's source failed and the report names it.
        (await worker.RunOnceAsync(_clock.GetUtcNow(), CancellationToken.None)).ShouldNotBeNull();
        var inbox = Inbox.Load(Meta, new DiagnosticBag())!;
        var pending = inbox.Pending.Count;
        pending.ShouldBe(8); // 7 Hub launches and licence changes, 1 API-only model on OpenRouter
        var c = Collection();
        c.GetProperty("since").ValueKind.ShouldBe(JsonValueKind.Null);
        var meta = Vendor(c, "meta");
        meta.GetProperty("proposed").GetArrayLength().ShouldBe(pending);
        meta.GetProperty("pending").GetInt32().ShouldBe(pending);
        meta.GetProperty("oldest_pending").GetString().ShouldBe("2026-03-09");
        meta.GetProperty("oldest_pending_days").GetInt32().ShouldBe(0);
        var failed = c.GetProperty("failed").EnumerateArray().Single();
        failed.GetProperty("vendor").GetString().ShouldBe("acme");
        failed.GetProperty("source").GetString().ShouldBe("huggingface");
        failed.GetProperty("url").GetString()!.ShouldStartWith(_server.Url + "api/models?author=acme-ai");
        failed.GetProperty("reason").GetString()!.ShouldContain("the answer is not JSON (text/html");
        var md = File.ReadAllText(_dir["out/report.md"]);
        md.ShouldContain("## Collected evidence");
        md.ShouldContain($"| Meta (Llama / Meta Superintelligence Labs) (`meta`) | {pending} | 0 | {pending} | 0 days (since 2026-03-09) |");
        md.ShouldContain("- acme: huggingface " + _server.Url + "api/models?author=acme-ai");
        File.ReadAllText(_dir["out/report.html"]).ShouldContain("<ul class=\"warn\" id=\"failed-sources\">");
        _logs.Messages.ShouldContain(m => m.StartsWith("Collect: huggingface for 'acme' failed:", StringComparison.Ordinal));

        // Between the runs a person accepts one candidate and rejects another.
        var accept = inbox.Pending.First(x => x.Signal.Kind == "release" && x.Collector == "huggingface");
        var reject = inbox.Pending.First(x => x.Collector == "openrouter");
        var diags = new DiagnosticBag();
        var catalog = LicenseRisk.Rules.PackCompiler.Load(Repo.Path("rules"), new Limits(), diags)!.Catalog;
        Review.Accept(Meta, accept.Id, "seen on the Hub", [], catalog, new Limits(), new DateOnly(2026, 3, 11), diags).ShouldNotBeNull();
        Review.Reject(Meta, reject.Id, "not an API-only launch", new DateOnly(2026, 3, 11), diags).ShouldNotBeNull();

        // Week 2: nothing new is proposed (the same answers), one accepted, the rest pending for 7 days.
        _clock.Advance(TimeSpan.FromDays(7));
        (await worker.RunOnceAsync(_clock.GetUtcNow(), CancellationToken.None)).ShouldNotBeNull();
        c = Collection();
        c.GetProperty("since").GetString().ShouldBe("2026-03-09");
        meta = Vendor(c, "meta");
        meta.GetProperty("proposed").GetArrayLength().ShouldBe(0);
        meta.GetProperty("accepted").EnumerateArray().Single().GetProperty("id").GetString().ShouldBe(accept.Id);
        meta.GetProperty("pending").GetInt32().ShouldBe(pending - 2);
        meta.GetProperty("oldest_pending_days").GetInt32().ShouldBe(7);
        md = File.ReadAllText(_dir["out/report.md"]);
        md.ShouldContain($"| Meta (Llama / Meta Superintelligence Labs) (`meta`) | 0 | 1 | {pending - 2} | 7 days (since 2026-03-09) |");
        md.ShouldContain($"- `meta` `{accept.Id}`: accepted release");
        c.GetProperty("failed").GetArrayLength().ShouldBe(1);
        LicenseRisk.Tests.Schemas.OutputSchemaTests.Errors("report", System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(_dir["out/report.json"]))).ShouldBeEmpty();
        await host.StopAsync();
    }

    [Fact]
    public async Task A_collect_that_runs_out_of_time_keeps_the_inboxes_and_the_report_is_still_written()
    {
        // First a good collect, so meta's inbox has a last good state.
        using (var first = Start())
        {
            await first.StartAsync();
            (await Worker(first).RunOnceAsync(_clock.GetUtcNow(), CancellationToken.None)).ShouldNotBeNull();
            await first.StopAsync();
        }

        var inboxBefore = File.ReadAllText(MetaInbox);

        // Then meta names a feed that never answers, and the collect may take 5 s.
        File.WriteAllText(Meta, File.ReadAllText(Meta).Replace("    openrouter: [meta-llama]\n", $"    openrouter: [meta-llama]\n    feeds: [{_server.Url}hang.xml]\n", StringComparison.Ordinal));
        _server.On("/hang.xml", new Reply(200, "<rss/>", "application/rss+xml") { Delay = TimeSpan.FromSeconds(30) });
        _server.On("/api/v1/models", new Reply(200, CollectCommandTests.Fixture("openrouter-models.json").Replace("\"meta-llama/muse-spark\"", "\"meta-llama/muse-spark-2\"", StringComparison.Ordinal)));
        _clock.Advance(TimeSpan.FromDays(7));
        using var host = Start(new() { ["LicenseRisk:Collect:TimeoutSeconds"] = "5", ["LicenseRisk:Collect:RequestTimeoutSeconds"] = "600" });
        await host.StartAsync();
        var run = Worker(host).RunOnceAsync(_clock.GetUtcNow(), CancellationToken.None);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!run.IsCompleted && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        (await run).ShouldNotBeNull("the report is written when the collect runs out of time");

        // meta's inbox is as the good collect left it: the new OpenRouter model read before the hang is not half-added.
        File.ReadAllText(MetaInbox).ShouldBe(inboxBefore);
        var c = Collection();
        var failed = c.GetProperty("failed").EnumerateArray().Select(f => (f.GetProperty("source").GetString(), f.GetProperty("reason").GetString()!)).ToList();
        failed.ShouldContain(f => f.Item1 == "collect" && f.Item2.StartsWith("did not finish within 5 s", StringComparison.Ordinal));
        Vendor(c, "meta").GetProperty("pending").GetInt32().ShouldBe(8);
        Vendor(c, "meta").GetProperty("oldest_pending_days").GetInt32().ShouldBe(7);
        File.ReadAllText(_dir["out/report.md"]).ShouldContain("- collect: did not finish within 5 s");
        await host.StopAsync();

        // The next collect, with the feed answering, adds the new model once and nothing twice.
        _server.On("/hang.xml", new Reply(200, CollectCommandTests.Fixture("meta-news.xml"), "application/rss+xml"));
        _clock.Advance(TimeSpan.FromDays(7));
        using var again = Start();
        await again.StartAsync();
        (await Worker(again).RunOnceAsync(_clock.GetUtcNow(), CancellationToken.None)).ShouldNotBeNull();
        var ids = Inbox.Load(Meta, new DiagnosticBag())!.Candidates.Select(x => x.Id).ToList();
        ids.Count.ShouldBe(ids.Distinct().Count());
        ids.Count(x => x.StartsWith("or-", StringComparison.Ordinal)).ShouldBe(2);
        ids.Count(x => x.StartsWith("feed-", StringComparison.Ordinal)).ShouldBeGreaterThan(0);
        Collection().GetProperty("failed").EnumerateArray().ShouldNotContain(f => f.GetProperty("source").GetString() == "collect");
        await again.StopAsync();
    }

    [Fact]
    public async Task The_policy_auto_accepts_hub_releases_and_the_report_says_so()
    {
        File.WriteAllText(_dir["policy.yaml"], "policy: { name: auto }\ncollect:\n  auto_accept:\n    - collector: huggingface\n      kinds: [release]\n");
        using var host = Start(new() { ["LicenseRisk:Policy"] = _dir["policy.yaml"] });
        await host.StartAsync();
        (await Worker(host).RunOnceAsync(_clock.GetUtcNow(), CancellationToken.None)).ShouldNotBeNull();
        var meta = Vendor(Collection(), "meta");
        meta.GetProperty("accepted").GetArrayLength().ShouldBe(4);
        meta.GetProperty("accepted").EnumerateArray().ShouldAllBe(a => a.GetProperty("auto_accepted").GetBoolean());
        meta.GetProperty("pending").GetInt32().ShouldBe(4);
        File.ReadAllText(_dir["out/report.md"]).ShouldContain(": accepted automatically release 2025-04-02 by huggingface:");
        File.ReadAllText(Meta).ShouldContain("  auto_accepted_by: 'auto'\n");
        _logs.Messages.ShouldContain(m => m.StartsWith("Collect: 4 candidates of", StringComparison.Ordinal) && m.Contains("accepted automatically", StringComparison.Ordinal));
        await host.StopAsync();
    }

    [Fact]
    public async Task Collect_Schedule_collects_between_the_reports_without_writing_a_report()
    {
        using var host = Start(new() { ["LicenseRisk:Collect:Schedule"] = "0 5 * * *" });
        await host.StartAsync();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!_logs.Messages.Contains("Next collect at 2026-03-10 05:00:00Z") && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        _clock.Advance(TimeSpan.FromHours(22)); // 2026-03-10T05:00
        while (!File.Exists(MetaInbox) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        File.Exists(MetaInbox).ShouldBeTrue("the scheduled collect wrote meta's inbox");
        Inbox.Load(Meta, new DiagnosticBag())!.Pending.Select(x => x.FetchedAt).Distinct().ShouldBe(["2026-03-10T05:00:00Z"]);
        File.Exists(_dir["out/report.json"]).ShouldBeFalse();
        await host.StopAsync();
    }

    [Fact]
    public async Task Collecting_is_off_when_no_dossier_names_a_source_and_the_report_has_no_collection_section()
    {
        File.Delete(Meta);
        File.WriteAllText(_dir["vendors/acme.yaml"], Acme.Replace("  sources:\n    huggingface: [acme-ai]\n", string.Empty, StringComparison.Ordinal));
        using var host = Start();
        await host.StartAsync();
        (await Worker(host).RunOnceAsync(_clock.GetUtcNow(), CancellationToken.None)).ShouldNotBeNull();
        JsonDocument.Parse(File.ReadAllText(_dir["out/report.json"])).RootElement.TryGetProperty("collection", out _).ShouldBeFalse();
        File.ReadAllText(_dir["out/report.md"]).ShouldNotContain("Collected evidence");
        _server.Requests.ShouldBeEmpty();
        await host.StopAsync();
    }

    [Fact]
    public async Task Collect_Enabled_false_turns_it_off_even_when_dossiers_name_sources()
    {
        using var host = Start(new() { ["LicenseRisk:Collect:Enabled"] = "false" });
        await host.StartAsync();
        (await Worker(host).RunOnceAsync(_clock.GetUtcNow(), CancellationToken.None)).ShouldNotBeNull();
        File.ReadAllText(_dir["out/report.md"]).ShouldNotContain("Collected evidence");
        _server.Requests.ShouldBeEmpty();
        File.Exists(MetaInbox).ShouldBeFalse();
        await host.StopAsync();
    }
}
