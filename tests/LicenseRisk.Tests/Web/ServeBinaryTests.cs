using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LicenseRisk.Collection;
using LicenseRisk.Model;
using LicenseRisk.Tests.Cli;
using LicenseRisk.Tests.Hosting;
using LicenseRisk.Tests.Schemas;

namespace LicenseRisk.Tests.Web;

/// <summary>
/// The web UI and API of the real <c>licenserisk serve</c> process, started as a user starts it
/// (in CI: the Native AOT binary, <see cref="CliProcess.BinaryVariable"/>), over a copy of the
/// sample dossiers: what a browser and an API client see, the token on review, and a clean stop.
/// </summary>
public sealed class ServeBinaryTests
{
    private const string Token = "an operator's token for this test";

    private static StringContent Yaml(string text) => new(text, Encoding.UTF8, "application/yaml");

    private static async Task<string> Body(HttpResponseMessage r, HttpStatusCode expected, string mediaType)
    {
        var body = await r.Content.ReadAsStringAsync();
        r.StatusCode.ShouldBe(expected, body);
        r.Content.Headers.ContentType!.MediaType.ShouldBe(mediaType);
        return body;
    }

    [Fact]
    public async Task Serve_AnswersPagesApiReviewAndMetrics_ThenStopsCleanly()
    {
        using var dir = new TempDir();
        var vendors = dir["vendors"];
        Directory.CreateDirectory(vendors);
        foreach (var f in Directory.GetFiles(Repo.Path("samples/vendors"), "*.yaml"))
        {
            File.Copy(f, Path.Combine(vendors, Path.GetFileName(f)));
        }

        File.WriteAllText(Path.Combine(vendors, "evil.yaml"), PageTests.Evil);
        var qwenFile = Path.Combine(vendors, "qwen.yaml");
        var a = ReviewWebTests.ApiOnly("Qwen-Max-Next");
        var b = ReviewWebTests.ApiOnly("Qwen-Plus-Next");
        var inbox = Inbox.Load(qwenFile, new DiagnosticBag())!;
        inbox.Merge([a, b], new HashSet<string>());
        inbox.Save();

        await using var serve = await ServeProcess.Start(
            ["--vendors", vendors, "--out", dir["out"], "--LicenseRisk:Collect:Enabled=false"],
            new Dictionary<string, string> { ["LICENSERISK__WEB__TOKEN"] = Token });
        var web = serve.Client;

        // Ready, with every dossier loaded.
        var ready = JsonNode.Parse(await Body(await web.GetAsync("/readyz"), HttpStatusCode.OK, "application/json"))!;
        OutputSchemaTests.Errors("readiness", ready).ShouldBeEmpty();
        ((string)ready["status"]!).ShouldBe("ready");
        ((int)ready["vendors"]!).ShouldBe(7);
        (await web.GetStringAsync("/healthz")).ShouldContain("\"ok\"");

        // The overview: every vendor, linked, with the review count; hardened headers; no script.
        var overviewResponse = await web.GetAsync("/");
        var overview = await Body(overviewResponse, HttpStatusCode.OK, "text/html");
        overviewResponse.Headers.GetValues("Content-Security-Policy").Single().ShouldStartWith("default-src 'none'");
        foreach (var id in new[] { "allenai", "deepseek", "meta", "mistral", "qwen", "silo-ai", "evil" })
        {
            overview.ShouldContain($"<tr data-vendor=\"{id}\">");
            overview.ShouldContain($"<a href=\"/vendors/{id}\">");
        }

        overview.ShouldContain("Alibaba Qwen");
        overview.ShouldContain("<a href=\"/review\">2 candidate signals waiting for review</a>");
        overview.ShouldContain("Evil &lt;b&gt;Corp&lt;/b&gt;");
        overview.ShouldNotContain("<script");

        // A vendor page, and the hostile one: the note shows as text.
        var qwenPage = await Body(await web.GetAsync("/vendors/qwen"), HttpStatusCode.OK, "text/html");
        qwenPage.ShouldContain("Alibaba Qwen");
        qwenPage.ShouldContain("id=\"probability\">");
        var evil = await Body(await web.GetAsync("/vendors/evil"), HttpStatusCode.OK, "text/html");
        evil.ShouldContain("&lt;script&gt;alert(&#x27;note&#x27;)&lt;/script&gt;");
        evil.ShouldNotContain("<script");
        (await web.GetAsync("/vendors/nobody")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // The API: every vendor against the report schema, and one against the score schema.
        var all = JsonNode.Parse(await Body(await web.GetAsync("/api/v1/vendors"), HttpStatusCode.OK, "application/json"))!;
        OutputSchemaTests.Errors("report", all).ShouldBeEmpty();
        all["vendors"]!.AsArray().Select(v => (string)v!["id"]!).ShouldBe(["allenai", "deepseek", "evil", "meta", "mistral", "qwen", "silo-ai"], ignoreOrder: true);
        var qwen = JsonNode.Parse(await Body(await web.GetAsync("/api/v1/vendors/qwen"), HttpStatusCode.OK, "application/json"))!;
        OutputSchemaTests.Errors("score", qwen).ShouldBeEmpty();
        var qwenBefore = (double)qwen["vendors"]![0]!["probability"]!;
        qwenBefore.ShouldBe((double)all["vendors"]!.AsArray().Single(v => (string)v!["id"]! == "qwen")!["probability"]!);

        // POST score: the same bytes as `licenserisk score FILE --format json` from the same program.
        // (The CLI runs from the repository root and names the file relative to it; so does the request.)
        const string Sample = "samples/vendors/mistral.yaml";
        var cli = CliProcess.Run("score", Sample, "--format", "json", "--as-of", "2026-03-05");
        cli.ExitCode.ShouldBe(0, cli.Stderr);
        var scored = await Body(await web.PostAsync($"/api/v1/score?as_of=2026-03-05&file={Uri.EscapeDataString(Sample)}", Yaml(File.ReadAllText(Repo.Path(Sample)))), HttpStatusCode.OK, "application/json");
        scored.ShouldBe(cli.Stdout);

        // Bad YAML: 400 with every error located, as JSON.
        const string Bad = "vendor: {id: x, name: X}\nsignals:\n  - kind: relase\n    date: 2026-01-10\n  - kind: release\n    date: 2026-13-01\n";
        var errors = JsonNode.Parse(await Body(await web.PostAsync("/api/v1/score?file=x.yaml", Yaml(Bad)), HttpStatusCode.BadRequest, "application/json"))!;
        OutputSchemaTests.Errors("errors", errors).ShouldBeEmpty();
        var texts = errors["errors"]!.AsArray().Select(e => (string)e!["text"]!).ToList();
        texts.ShouldContain("x.yaml:3:11: error LR020: unknown signal kind 'relase'; did you mean 'release'?");
        texts.ShouldContain(t => t.StartsWith("x.yaml:6:", StringComparison.Ordinal));

        // The OpenAPI document.
        var openApi = JsonNode.Parse(await Body(await web.GetAsync("/openapi/v1.json"), HttpStatusCode.OK, "application/json"))!;
        ((string)openApi["openapi"]!).ShouldStartWith("3.1");
        openApi["paths"]!["/api/v1/score"]!["post"].ShouldNotBeNull();
        openApi["paths"]!["/api/v1/review/{id}/accept"]!["post"].ShouldNotBeNull();

        // Review: refused without the token, nothing written; with it, the dossier on disk has the signal.
        var dossierBefore = File.ReadAllText(qwenFile);
        using (var anonymous = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/review/{a.Id}/accept") { Content = new StringContent("""{"reason": "r"}""", Encoding.UTF8, "application/json") })
        {
            (await web.SendAsync(anonymous)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        File.ReadAllText(qwenFile).ShouldBe(dossierBefore);
        using (var accept = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/review/{a.Id}/accept") { Content = new StringContent("""{"reason": "announced on the Qwen blog"}""", Encoding.UTF8, "application/json") })
        {
            accept.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            var decision = JsonNode.Parse(await Body(await web.SendAsync(accept), HttpStatusCode.OK, "application/json"))!;
            OutputSchemaTests.Errors("review", decision).ShouldBeEmpty();
            ((string)decision["status"]!).ShouldBe("accepted");
        }

        var afterApi = File.ReadAllText(qwenFile);
        afterApi.ShouldStartWith(dossierBefore.TrimEnd());
        afterApi.ShouldContain($"candidate: {a.Id}");
        afterApi.ShouldContain("announced on the Qwen blog");

        // The review page's form: antiforgery field and token, as a browser posts it.
        var reviewPage = await Body(await web.GetAsync("/review"), HttpStatusCode.OK, "text/html");
        reviewPage.ShouldContain("<p id=\"pending\">1 candidate pending.</p>");
        var af = Regex.Match(reviewPage, "name=\"af\" value=\"([^\"]+)\"").Groups[1].Value;
        af.ShouldNotBeNullOrEmpty();
        var form = await web.PostAsync($"/review/{b.Id}/accept", new FormUrlEncodedContent([new("af", af), new("vendor", "qwen"), new("reason", "seen <b>live</b>"), new("token", Token), new("set", "")]));
        form.StatusCode.ShouldBe(HttpStatusCode.Redirect, await form.Content.ReadAsStringAsync());
        File.ReadAllText(qwenFile).ShouldContain($"candidate: {b.Id}");
        Inbox.Load(qwenFile, new DiagnosticBag())!.Candidates.ShouldAllBe(c => c.Status == CandidateStatus.Accepted);

        // The service reloaded the reviewed dossier: two API-only flagship releases raise qwen's score.
        var qwenAfter = (double)JsonNode.Parse(await web.GetStringAsync("/api/v1/vendors/qwen"))!["vendors"]![0]!["probability"]!;
        qwenAfter.ShouldBeGreaterThan(qwenBefore);

        // Metrics: Prometheus text with what happened.
        var metricsResponse = await web.GetAsync("/metrics");
        var metrics = await Body(metricsResponse, HttpStatusCode.OK, "text/plain");
        metrics.ShouldContain("# TYPE licenserisk_vendors gauge\nlicenserisk_vendors 7\n");
        metrics.ShouldContain("licenserisk_http_score_requests_total 2\n");
        metrics.ShouldContain("licenserisk_http_score_rejected_total 1\n");
        metrics.ShouldContain("licenserisk_review_accepted_total 2\n");
        metrics.ShouldContain("licenserisk_review_candidates_pending 0\n");
        metrics.ShouldContain("licenserisk_inputs_stale 0\n");

        // A clean stop on SIGTERM: exit code 0, the host says it is shutting down.
        serve.Stop().ShouldBe(0, serve.Output);
        serve.Output.ShouldContain("Application is shutting down...");
    }
}
