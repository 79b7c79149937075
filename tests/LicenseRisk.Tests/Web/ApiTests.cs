using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using LicenseRisk.Hosting.Service;
using LicenseRisk.Tests.Cli;
using LicenseRisk.Tests.Schemas;
using LicenseRisk.Web;

namespace LicenseRisk.Tests.Web;

/// <summary>The JSON API, health, readiness, metrics and OpenAPI of <c>serve</c>, over HTTP on loopback.</summary>
public sealed class ApiTests
{
    private static StringContent Yaml(string text) => new(text, Encoding.UTF8, "application/yaml");

    private static async Task<JsonNode> Json(HttpResponseMessage r, HttpStatusCode expected)
    {
        var body = await r.Content.ReadAsStringAsync();
        r.StatusCode.ShouldBe(expected, body);
        r.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        return JsonNode.Parse(body)!;
    }

    [Fact]
    public async Task Vendors_Vendor_History_MatchTheirSchemas()
    {
        await using var web = await WebServer.Start();
        var all = await Json(await web.Client.GetAsync("/api/v1/vendors"), HttpStatusCode.OK);
        OutputSchemaTests.Errors("report", all).ShouldBeEmpty();
        all["vendors"]!.AsArray().Select(v => (string)v!["id"]!).ShouldBe(["allenai", "deepseek", "meta", "mistral", "qwen", "silo-ai"], ignoreOrder: true);

        var meta = await Json(await web.Client.GetAsync("/api/v1/vendors/meta"), HttpStatusCode.OK);
        OutputSchemaTests.Errors("score", meta).ShouldBeEmpty();
        var p = (double)meta["vendors"]![0]!["probability"]!;
        p.ShouldBe((double)all["vendors"]!.AsArray().Single(v => (string)v!["id"]! == "meta")!["probability"]!);

        // No stored run yet: the history is today's score only; after a run it holds that run.
        var history = await Json(await web.Client.GetAsync("/api/v1/vendors/meta/history"), HttpStatusCode.OK);
        OutputSchemaTests.Errors("history", history).ShouldBeEmpty();
        history["runs"]!.AsArray().Count.ShouldBe(0);
        ((double)history["current"]!["probability"]!).ShouldBe(p);

        using var run = new HttpRequestMessage(HttpMethod.Post, "/api/v1/runs");
        run.Headers.Authorization = new AuthenticationHeaderValue("Bearer", WebServer.TestToken);
        (await web.Client.SendAsync(run)).StatusCode.ShouldBe(HttpStatusCode.OK);
        history = await Json(await web.Client.GetAsync("/api/v1/vendors/meta/history"), HttpStatusCode.OK);
        OutputSchemaTests.Errors("history", history).ShouldBeEmpty();
        history["runs"]!.AsArray().Count.ShouldBe(1);
        ((double)history["runs"]![0]!["probability"]!).ShouldBe(p);

        var missing = await Json(await web.Client.GetAsync("/api/v1/vendors/nobody"), HttpStatusCode.NotFound);
        OutputSchemaTests.Errors("errors", missing).ShouldBeEmpty();
        ((string)missing["errors"]![0]!["message"]!).ShouldBe("no vendor 'nobody'");
        (await web.Client.GetAsync("/api/v1/vendors/nobody/history")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Score_AnswersTheSameBytesAsTheCli()
    {
        await using var web = await WebServer.Start();
        var file = Repo.Path("samples/vendors/qwen.yaml");
        var cli = CliProcess.InProcess("score", file, "--format", "json", "--as-of", "2026-03-05");
        cli.ExitCode.ShouldBe(0, cli.Stderr);

        var r = await web.Client.PostAsync($"/api/v1/score?as_of=2026-03-05&file={Uri.EscapeDataString(file)}", Yaml(File.ReadAllText(file)));
        var body = await r.Content.ReadAsStringAsync();
        r.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        body.ShouldBe(cli.Stdout);
        OutputSchemaTests.Errors("score", JsonNode.Parse(body)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Score_BadYaml_Is400WithEveryLocatedError()
    {
        await using var web = await WebServer.Start();
        const string Bad = "vendor: {id: x, name: X}\nsignals:\n  - kind: nope\n    date: 2026-01-01\n  - kind: release\n    date: 2026-13-01\n";
        var errors = await Json(await web.Client.PostAsync("/api/v1/score?file=x.yaml", Yaml(Bad)), HttpStatusCode.BadRequest);
        OutputSchemaTests.Errors("errors", errors).ShouldBeEmpty();
        var list = errors["errors"]!.AsArray();
        list.Count.ShouldBeGreaterThanOrEqualTo(2);
        list.Select(e => (string)e!["text"]!).ShouldContain(t => t.StartsWith("x.yaml:3:11: error LR020: unknown signal kind 'nope'", StringComparison.Ordinal));
        list.ShouldContain(e => (int)e!["line"]! == 6);

        // Not YAML at all: still located, never a stack trace.
        var broken = await Json(await web.Client.PostAsync("/api/v1/score", Yaml("vendor: [unclosed\n")), HttpStatusCode.BadRequest);
        ((string)broken["errors"]![0]!["file"]!).ShouldBe("request.yaml");
        ((string)broken["errors"]![0]!["code"]!).ShouldStartWith("LR");
    }

    [Fact]
    public async Task Score_BodyOverTheLimit_Is413()
    {
        // A limit just above the largest file the service itself loads (pack and sample dossiers).
        var limit = Directory.GetFiles(Repo.Path("rules"), "*.yaml").Concat(Directory.GetFiles(Repo.Path("samples/vendors"), "*.yaml")).Max(f => new FileInfo(f).Length) + 1000;
        await using var web = await WebServer.Start(new() { ["LicenseRisk:Limits:MaxFileBytes"] = limit.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var big = "vendor: {id: x, name: X}\n# " + new string('a', (int)limit) + "\nsignals: []\n";
        var r = await web.Client.PostAsync("/api/v1/score", Yaml(big));
        var body = await Json(r, HttpStatusCode.RequestEntityTooLarge);
        OutputSchemaTests.Errors("errors", body).ShouldBeEmpty();
        ((string)body["errors"]![0]!["message"]!).ShouldContain(limit.ToString(System.Globalization.CultureInfo.InvariantCulture));

        // Under the limit it scores.
        (await web.Client.PostAsync("/api/v1/score", Yaml("vendor: {id: x, name: X}\nsignals: []\n"))).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Score_IsRateLimitedPerClient()
    {
        await using var web = await WebServer.Start(new() { ["LicenseRisk:Web:ScoreRequestsPerMinute"] = "2" });
        const string Dossier = "vendor: {id: x, name: X}\nsignals: []\n";
        (await web.Client.PostAsync("/api/v1/score", Yaml(Dossier))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await web.Client.PostAsync("/api/v1/score", Yaml(Dossier))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await web.Client.PostAsync("/api/v1/score", Yaml(Dossier))).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        (await web.Client.GetAsync("/api/v1/vendors")).StatusCode.ShouldBe(HttpStatusCode.OK, "reading is not limited");
    }

    [Fact]
    public async Task WhatIf_RemovingASignal_ChangesTheScore_AndBadEditsAreLocated()
    {
        await using var web = await WebServer.Start();
        const string Changes = "add:\n  - {kind: release, date: 2026-03-01, model: Q, weights: api_only, tier: flagship}\n";
        var json = await Json(await web.Client.PostAsync("/api/v1/vendors/qwen/whatif?as_of=2026-03-05", Yaml(Changes)), HttpStatusCode.OK);
        OutputSchemaTests.Errors("whatif", json).ShouldBeEmpty();
        var variants = json["variants"]!.AsArray();
        variants.Count.ShouldBe(2);
        ((double)variants[1]!["probability_change"]!).ShouldBe(0.076); // as `whatif --add` gives for the same edit

        var bad = await Json(await web.Client.PostAsync("/api/v1/vendors/qwen/whatif", Yaml("remove: [999]\n")), HttpStatusCode.BadRequest);
        OutputSchemaTests.Errors("errors", bad).ShouldBeEmpty();
        ((string)bad["errors"]![0]!["text"]!).ShouldContain("error LR");
        ((string)bad["errors"]![0]!["file"]!).ShouldBe("changes.yaml");
        (await web.Client.PostAsync("/api/v1/vendors/nobody/whatif", Yaml("remove: [1]\n"))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Runs_NeedTheToken()
    {
        await using var web = await WebServer.Start();
        async Task<HttpStatusCode> Post(string? token)
        {
            using var m = new HttpRequestMessage(HttpMethod.Post, "/api/v1/runs");
            if (token is not null)
            {
                m.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            var r = await web.Client.SendAsync(m);
            if (r.StatusCode != HttpStatusCode.OK)
            {
                OutputSchemaTests.Errors("errors", JsonNode.Parse(await r.Content.ReadAsStringAsync())).ShouldBeEmpty();
            }

            return r.StatusCode;
        }

        (await Post(null)).ShouldBe(HttpStatusCode.Unauthorized);
        (await Post("wrong")).ShouldBe(HttpStatusCode.Forbidden);
        File.Exists(web.Dir["out/report.json"]).ShouldBeFalse();
        (await Post(WebServer.TestToken)).ShouldBe(HttpStatusCode.OK);
        File.Exists(web.Dir["out/report.json"]).ShouldBeTrue();
    }

    [Fact]
    public async Task Runs_WithoutAConfiguredToken_AreRefused()
    {
        await using var web = await WebServer.Start(new() { ["LicenseRisk:Web:Token"] = null });
        using var m = new HttpRequestMessage(HttpMethod.Post, "/api/v1/runs");
        m.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "anything");
        var r = await web.Client.SendAsync(m);
        r.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await r.Content.ReadAsStringAsync()).ShouldContain("no token is configured");
    }

    [Fact]
    public async Task Health_Ready_Metrics()
    {
        await using var web = await WebServer.Start();
        (await web.Client.GetStringAsync("/healthz")).ShouldBe("{\"status\":\"ok\"}");
        var ready = await Json(await web.Client.GetAsync("/readyz"), HttpStatusCode.OK);
        OutputSchemaTests.Errors("readiness", ready).ShouldBeEmpty();
        ((string)ready["status"]!).ShouldBe("ready");
        ((int)ready["vendors"]!).ShouldBe(6);

        // A rejected reload: the last good inputs stay, readiness says stale, with the located error.
        File.WriteAllText(Path.Combine(web.Vendors, "broken.yaml"), "vendor: {id: broken\n");
        web.Service<InputState>().Reload().ShouldBeFalse();
        ready = await Json(await web.Client.GetAsync("/readyz"), HttpStatusCode.OK);
        OutputSchemaTests.Errors("readiness", ready).ShouldBeEmpty();
        ((string)ready["status"]!).ShouldBe("stale");
        ((string)ready["stale"]!["errors"]![0]!).ShouldContain("broken.yaml:");
        ((int)ready["vendors"]!).ShouldBe(6);

        (await web.Client.PostAsync("/api/v1/score", Yaml("vendor: {id: x, name: X}\nsignals: []\n"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        var metrics = await web.Client.GetAsync("/metrics");
        metrics.Content.Headers.ContentType!.MediaType.ShouldBe("text/plain");
        var text = await metrics.Content.ReadAsStringAsync();
        text.ShouldContain("# TYPE licenserisk_report_runs_total counter\nlicenserisk_report_runs_total 0\n");
        text.ShouldContain("licenserisk_vendors 6\n");
        text.ShouldContain("licenserisk_inputs_reloads_rejected_total 1\n");
        text.ShouldContain("licenserisk_inputs_stale 1\n");
        text.ShouldContain("licenserisk_http_score_requests_total 1\n");
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            line.ShouldMatch(@"^(# (HELP|TYPE) licenserisk_[a-z_]+ .+|licenserisk_[a-z_]+ [0-9.E+-]+)$");
        }
    }

    [Fact]
    public async Task OpenApi_DescribesEveryApiEndpoint()
    {
        await using var web = await WebServer.Start();
        var doc = await Json(await web.Client.GetAsync("/openapi/v1.json"), HttpStatusCode.OK);
        ((string)doc["openapi"]!).ShouldStartWith("3.1");
        ((string)doc["info"]!["title"]!).ShouldBe("LicenseRisk");
        var paths = doc["paths"]!.AsObject();
        var expected = new (string Path, string Method)[]
        {
            ("/api/v1/vendors", "get"), ("/api/v1/vendors/{id}", "get"), ("/api/v1/vendors/{id}/history", "get"),
            ("/api/v1/score", "post"), ("/api/v1/vendors/{id}/whatif", "post"), ("/api/v1/runs", "post"),
            ("/api/v1/review", "get"), ("/api/v1/review/{id}/accept", "post"), ("/api/v1/review/{id}/reject", "post"),
            ("/api/v1/quality", "get"),
            ("/healthz", "get"), ("/readyz", "get"), ("/metrics", "get"),
        };
        paths.Select(p => p.Key).ShouldBe(expected.Select(e => e.Path).Distinct(), ignoreOrder: true);
        foreach (var (path, method) in expected)
        {
            var op = paths[path]![method].ShouldNotBeNull($"{method} {path}");
            ((string)op["summary"]!).ShouldNotBeNullOrWhiteSpace();
            op["responses"]!.AsObject().Count.ShouldBeGreaterThan(0);
        }

        var score = paths["/api/v1/score"]!["post"]!;
        score["requestBody"]!["content"]!.AsObject().Select(c => c.Key).ShouldContain("application/yaml");
        score["parameters"]!.AsArray().Select(p => (string)p!["name"]!).ShouldBe(["as_of", "horizon", "file"], ignoreOrder: true);
        var accept = paths["/api/v1/review/{id}/accept"]!["post"]!;
        accept["responses"]!.AsObject().Select(r => r.Key).ShouldBe(["200", "400", "401", "403", "404", "409", "503"], ignoreOrder: true);
        accept["parameters"]!.AsArray().Select(p => (string)p!["name"]!).ShouldBe(["id", "vendor"], ignoreOrder: true);
    }

    [Fact]
    public async Task EveryAnswer_CarriesTheSecurityHeaders()
    {
        await using var web = await WebServer.Start();
        foreach (var path in new[] { "/", "/vendors/meta", "/api/v1/vendors", "/healthz", "/nowhere" })
        {
            var r = await web.Client.GetAsync(path);
            r.Headers.GetValues("Content-Security-Policy").Single().ShouldBe(SecurityHeaders.ContentSecurityPolicy, path);
            r.Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff");
            r.Headers.GetValues("X-Frame-Options").Single().ShouldBe("DENY");
            r.Headers.GetValues("Referrer-Policy").Single().ShouldBe("no-referrer");
        }

        SecurityHeaders.ContentSecurityPolicy.ShouldContain("default-src 'none'");
        SecurityHeaders.ContentSecurityPolicy.ShouldNotContain("unsafe-inline");
    }

    [Fact]
    public void Token_IsComparedWhole()
    {
        Token.Verify("abc", "abc").ShouldBe(Token.Check.Ok);
        Token.Verify("abc", "abd").ShouldBe(Token.Check.Wrong);
        Token.Verify("abc", "abcd").ShouldBe(Token.Check.Wrong);
        Token.Verify("abc", "").ShouldBe(Token.Check.Missing);
        Token.Verify("", "abc").ShouldBe(Token.Check.NotConfigured);
        Token.Verify(null, null).ShouldBe(Token.Check.NotConfigured);
    }
}
