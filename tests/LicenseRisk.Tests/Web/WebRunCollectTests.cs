using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using LicenseRisk.Collection;
using LicenseRisk.Model;
using LicenseRisk.Tests.Collection;

namespace LicenseRisk.Tests.Web;

/// <summary>
/// A report run started from the web (the overview's form, <c>POST /api/v1/runs</c>) collects first,
/// as a scheduled run does, with the LicenseRisk:Collect settings: against a loopback server serving
/// Meta's organisations; the other sample vendors' organisations answer 404 there. Nothing leaves loopback.
/// </summary>
public sealed class WebRunCollectTests : IDisposable
{
    private readonly FixtureServer _server = new();

    public WebRunCollectTests() => CollectCommandTests.ServeMeta(_server);

    public void Dispose() => _server.Dispose();

    private Task<WebServer> Start(string? enabled) => WebServer.Start(new()
    {
        ["LicenseRisk:Collect:Enabled"] = enabled,
        ["LicenseRisk:Collect:HubUrl"] = _server.Url,
        ["LicenseRisk:Collect:OpenRouterUrl"] = _server.Url,
        ["LicenseRisk:Collect:GitHubUrl"] = _server.Url,
        ["LicenseRisk:Collect:MaxRetries"] = "0",
    });

    private static JsonElement Collection(WebServer web) => JsonDocument.Parse(File.ReadAllText(web.Dir["out/report.json"])).RootElement.GetProperty("collection");

    private static async Task<HttpStatusCode> RunFromApi(WebServer web)
    {
        using var run = new HttpRequestMessage(HttpMethod.Post, "/api/v1/runs");
        run.Headers.Authorization = new AuthenticationHeaderValue("Bearer", WebServer.TestToken);
        var r = await web.Client.SendAsync(run);
        return r.StatusCode;
    }

    [Fact]
    public async Task Api_run_collects_first_with_the_collect_settings_and_the_report_shows_what_was_collected()
    {
        // Collect:Enabled unset: on, because the samples name sources (as for a scheduled run).
        await using var web = await Start(null);
        var metaInbox = Inbox.PathFor(Path.Combine(web.Vendors, "meta.yaml"));
        File.Exists(metaInbox).ShouldBeFalse();

        (await RunFromApi(web)).ShouldBe(HttpStatusCode.OK);

        // The sources were read from the configured server, with the configured cache.
        _server.Count(CollectCommandTests.HubQuery).ShouldBe(1);
        _server.Count("/api/v1/models").ShouldBe(1);
        Directory.EnumerateFiles(web.Dir["cache"], "*", SearchOption.AllDirectories).ShouldNotBeEmpty();
        var inbox = Inbox.Load(Path.Combine(web.Vendors, "meta.yaml"), new DiagnosticBag())!;
        inbox.Pending.Count.ShouldBe(8); // as a scheduled run proposes from the same answers (ServiceCollectTests)

        // The report written by this run says what was collected and which sources failed.
        var c = Collection(web);
        var meta = c.GetProperty("vendors").EnumerateArray().Single(v => v.GetProperty("id").GetString() == "meta");
        meta.GetProperty("proposed").GetArrayLength().ShouldBe(8);
        meta.GetProperty("pending").GetInt32().ShouldBe(8);
        var failed = c.GetProperty("failed").EnumerateArray().Select(f => (f.GetProperty("vendor").GetString(), f.GetProperty("source").GetString())).ToList();
        failed.ShouldContain(("qwen", "huggingface"));
        failed.ShouldNotContain(f => f.Item1 == "meta");
        var md = File.ReadAllText(web.Dir["out/report.md"]);
        md.ShouldContain("## Collected evidence");
        md.ShouldContain("| Meta (Llama / Meta Superintelligence Labs) (`meta`) | 8 | 0 | 8 |");

        // The review API sees the new candidates at once.
        var review = JsonDocument.Parse(await web.Client.GetStringAsync("/api/v1/review")).RootElement;
        var pendingAll = Directory.GetFiles(web.Vendors, "*.yaml").Sum(d => Inbox.Load(d, new DiagnosticBag())!.Pending.Count);
        pendingAll.ShouldBeGreaterThan(8); // another sample vendor has an API-only model in the OpenRouter list
        review.GetProperty("pending").GetInt32().ShouldBe(pendingAll);
        review.GetProperty("dossiers").EnumerateArray().Single(d => d.GetProperty("vendor").GetString() == "meta").GetProperty("pending").GetArrayLength().ShouldBe(8);

        // A second run proposes nothing twice.
        (await RunFromApi(web)).ShouldBe(HttpStatusCode.OK);
        Inbox.Load(Path.Combine(web.Vendors, "meta.yaml"), new DiagnosticBag())!.Pending.Count.ShouldBe(8);
        Collection(web).GetProperty("vendors").EnumerateArray().Single(v => v.GetProperty("id").GetString() == "meta").GetProperty("pending").GetInt32().ShouldBe(8);
    }

    [Fact]
    public async Task Run_form_collects_first_too()
    {
        await using var web = await Start("true");
        var overview = await web.Client.GetStringAsync("/");
        var af = Regex.Match(overview, "name=\"af\" value=\"([^\"]+)\"").Groups[1].Value;

        var ok = await web.Client.PostAsync("/runs", new FormUrlEncodedContent([new("af", af), new("token", WebServer.TestToken)]));
        ok.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        Inbox.Load(Path.Combine(web.Vendors, "meta.yaml"), new DiagnosticBag())!.Pending.Count.ShouldBe(8);
        File.ReadAllText(web.Dir["out/report.md"]).ShouldContain("## Collected evidence");

        // The overview counts them as waiting for review.
        (await web.Client.GetStringAsync("/")).ShouldContain("<a href=\"/review#v-meta\">8</a>");
    }

    [Fact]
    public async Task With_collecting_off_a_web_run_reads_no_source_and_writes_no_inbox()
    {
        await using var web = await Start("false");
        (await RunFromApi(web)).ShouldBe(HttpStatusCode.OK);
        _server.Requests.ShouldBeEmpty();
        Directory.GetFiles(web.Vendors, "*.inbox.json").ShouldBeEmpty();
        File.ReadAllText(web.Dir["out/report.md"]).ShouldNotContain("## Collected evidence");
        JsonDocument.Parse(File.ReadAllText(web.Dir["out/report.json"])).RootElement.TryGetProperty("collection", out _).ShouldBeFalse();
    }
}
