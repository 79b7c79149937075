using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LicenseRisk.Collection;
using LicenseRisk.Model;
using LicenseRisk.Tests.Hosting;
using LicenseRisk.Tests.Schemas;
using LicenseRisk.Yaml;

namespace LicenseRisk.Tests.Web;

/// <summary>The review inbox on the web: the page and the API list pending candidates; accept and reject need the token (and a form its antiforgery token) and write the dossier as `licenserisk review` does.</summary>
public sealed class ReviewWebTests
{
    private static readonly SignalCatalog Catalog = LicenseRisk.Rules.PackCompiler.Load(Repo.Path("rules"), new Limits(), new DiagnosticBag())!.Catalog;
    private static readonly string Recent = DateTime.UtcNow.AddDays(-3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    internal static Candidate ApiOnly(string model) => new(
        Candidate.MakeId("openrouter", "qwen/" + model),
        "openrouter",
        "http://127.0.0.1:1/api/v1/models",
        "2026-12-05T10:00:00Z",
        new string('b', 64),
        $"'{model}' is listed with no hugging_face_id <script>x</script>",
        new ProposedSignal("release", IsoDate.TryParse(Recent, out var d) ? d : default, [new("model", model), new("weights", "api_only"), new("tier", "flagship")], "https://openrouter.ai/qwen/" + model, 0.6, null),
        []);

    /// <summary>A server whose qwen dossier has two pending candidates in its inbox.</summary>
    private static async Task<(WebServer Web, Candidate A, Candidate B)> Start()
    {
        var web = await WebServer.Start();
        var a = ApiOnly("Qwen-Max-Next");
        var b = ApiOnly("Qwen-Plus-Next");
        var inbox = Inbox.Load(Path.Combine(web.Vendors, "qwen.yaml"), new DiagnosticBag())!;
        inbox.Merge([a, b], new HashSet<string>());
        inbox.Save();
        return (web, a, b);
    }

    private static async Task<(HttpStatusCode Status, JsonNode Body)> Post(WebServer web, string path, string? token, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        var r = await web.Client.SendAsync(request);
        return (r.StatusCode, JsonNode.Parse(await r.Content.ReadAsStringAsync())!);
    }

    private static async Task<double> Probability(WebServer web) =>
        (double)JsonNode.Parse(await web.Client.GetStringAsync("/api/v1/vendors/qwen"))!["vendors"]![0]!["probability"]!;

    private static Dossier Dossier(WebServer web) =>
        DossierReader.ReadFile(Path.Combine(web.Vendors, "qwen.yaml"), Catalog, new Limits(), new DiagnosticBag())!;

    [Fact]
    public async Task List_ApiAndPage_ShowPendingCandidatesWithProvenance_AndTheOverviewCountsThem()
    {
        var (web, a, b) = await Start();
        await using var _ = web;

        var list = JsonNode.Parse(await web.Client.GetStringAsync("/api/v1/review"))!;
        ((string)list["schema"]!).ShouldBe("licenserisk.review/1");
        OutputSchemaTests.Errors("review", list).ShouldBeEmpty();
        ((int)list["pending"]!).ShouldBe(2);
        var qwen = list["dossiers"]!.AsArray().Single(d => (string)d!["vendor"]! == "qwen")!;
        qwen["pending"]!.AsArray().Select(c => (string)c!["id"]!).ShouldBe([a.Id, b.Id]);
        var first = qwen["pending"]![0]!;
        ((string)first["collector"]!).ShouldBe("openrouter");
        ((string)first["url"]!).ShouldBe("http://127.0.0.1:1/api/v1/models");
        ((string)first["fetched_at"]!).ShouldBe("2026-12-05T10:00:00Z");
        ((string)first["why"]!).ShouldStartWith("'Qwen-Max-Next' is listed");
        list["dossiers"]!.AsArray().Where(d => (string)d!["vendor"]! != "qwen").SelectMany(d => d!["pending"]!.AsArray()).ShouldBeEmpty();

        var page = await web.Client.GetStringAsync("/review");
        page.ShouldContain("<p id=\"pending\">2 candidates pending.</p>");
        page.ShouldContain($"<section class=\"candidate\" id=\"c-{a.Id}\">");
        page.ShouldContain("<th>Collector</th><td>openrouter</td>");
        page.ShouldContain("<th>Fetched</th><td>2026-12-05T10:00:00Z</td>");
        page.ShouldContain("<a href=\"https://openrouter.ai/qwen/Qwen-Max-Next\"");
        page.ShouldContain("&lt;script&gt;x&lt;/script&gt;"); // the collector's text is encoded
        page.ShouldNotContain("<script>");
        page.ShouldContain($"action=\"/review/{a.Id}/accept\"");
        page.ShouldContain($"action=\"/review/{a.Id}/reject\"");

        var overview = await web.Client.GetStringAsync("/");
        overview.ShouldContain("<a href=\"/review\">2 candidate signals waiting for review</a>");
        overview.ShouldContain("<td class=\"n pending\"><a href=\"/review#v-qwen\">2</a></td>");

        (await web.Client.GetStringAsync("/metrics")).ShouldContain("\nlicenserisk_review_candidates_pending 2\n");
    }

    [Fact]
    public async Task Api_Accept_NeedsTheToken_AppendsTheSignal_AndTheScoreFollows()
    {
        var (web, a, _) = await Start();
        await using var _ = web;
        var dossierBefore = File.ReadAllText(Path.Combine(web.Vendors, "qwen.yaml"));
        var before = await Probability(web);
        var body = """{"reason": "announced on the vendor's blog"}""";

        (await Post(web, $"/api/v1/review/{a.Id}/accept", null, body)).Status.ShouldBe(HttpStatusCode.Unauthorized);
        (await Post(web, $"/api/v1/review/{a.Id}/accept", "wrong", body)).Status.ShouldBe(HttpStatusCode.Forbidden);
        File.ReadAllText(Path.Combine(web.Vendors, "qwen.yaml")).ShouldBe(dossierBefore);

        var noReason = await Post(web, $"/api/v1/review/{a.Id}/accept", WebServer.TestToken, "{}");
        noReason.Status.ShouldBe(HttpStatusCode.BadRequest);
        ((string)noReason.Body["errors"]![0]!["message"]!).ShouldContain("a reason is required");

        var unknown = await Post(web, "/api/v1/review/or-000000000000/accept", WebServer.TestToken, body);
        unknown.Status.ShouldBe(HttpStatusCode.NotFound);
        ((string)unknown.Body["errors"]![0]!["message"]!).ShouldStartWith("no candidate 'or-000000000000'");

        var (status, answer) = await Post(web, $"/api/v1/review/{a.Id}/accept", WebServer.TestToken, body);
        status.ShouldBe(HttpStatusCode.OK, answer.ToJsonString());
        ((string)answer["schema"]!).ShouldBe("licenserisk.decision/1");
        OutputSchemaTests.Errors("review", answer).ShouldBeEmpty();
        OutputSchemaTests.Errors("errors", noReason.Body).ShouldBeEmpty();
        ((string)answer["status"]!).ShouldBe("accepted");
        ((string)answer["vendor"]!).ShouldBe("qwen");
        ((string)answer["candidate"]!["reason"]!).ShouldBe("announced on the vendor's blog");

        // The dossier on disk has the signal, with its provenance, at the end; the inbox marks it.
        var signal = Dossier(web).Signals[^1];
        signal.Id.ShouldBe(a.Id);
        signal.Provenance!.Collector.ShouldBe("openrouter");
        signal.Provenance.Reason.ShouldBe("announced on the vendor's blog");
        File.ReadAllText(Path.Combine(web.Vendors, "qwen.yaml")).ShouldStartWith(dossierBefore.TrimEnd());
        Inbox.Load(Path.Combine(web.Vendors, "qwen.yaml"), new DiagnosticBag())!.Find(a.Id)!.Status.ShouldBe(CandidateStatus.Accepted);

        // The service reloaded: an API-only flagship release raises the score.
        (await Probability(web)).ShouldBeGreaterThan(before);

        var again = await Post(web, $"/api/v1/review/{a.Id}/accept", WebServer.TestToken, body);
        again.Status.ShouldBe(HttpStatusCode.Conflict);
        ((string)again.Body["errors"]![0]!["message"]!).ShouldContain("already accepted");
        ((int)JsonNode.Parse(await web.Client.GetStringAsync("/api/v1/review"))!["pending"]!).ShouldBe(1);
    }

    [Fact]
    public async Task Api_Reject_MarksTheCandidate_AndLeavesTheDossier()
    {
        var (web, _, b) = await Start();
        await using var _ = web;
        var dossierBefore = File.ReadAllText(Path.Combine(web.Vendors, "qwen.yaml"));
        (await Post(web, $"/api/v1/review/{b.Id}/reject", null, """{"reason": "r"}""")).Status.ShouldBe(HttpStatusCode.Unauthorized);

        var (status, answer) = await Post(web, $"/api/v1/review/{b.Id}/reject?vendor=qwen", WebServer.TestToken, """{"reason": "a renamed listing"}""");
        status.ShouldBe(HttpStatusCode.OK, answer.ToJsonString());
        ((string)answer["status"]!).ShouldBe("rejected");
        File.ReadAllText(Path.Combine(web.Vendors, "qwen.yaml")).ShouldBe(dossierBefore);
        var rejected = Inbox.Load(Path.Combine(web.Vendors, "qwen.yaml"), new DiagnosticBag())!.Find(b.Id)!;
        rejected.Status.ShouldBe(CandidateStatus.Rejected);
        rejected.Reason.ShouldBe("a renamed listing");

        (await Post(web, $"/api/v1/review/{b.Id}/reject?vendor=meta", WebServer.TestToken, """{"reason": "r"}""")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await Post(web, $"/api/v1/review/{b.Id}/reject", WebServer.TestToken, "not json")).Status.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Page_AcceptAndReject_NeedAntiforgeryAndTheToken()
    {
        var (web, a, b) = await Start();
        await using var _ = web;
        var dossierFile = Path.Combine(web.Vendors, "qwen.yaml");
        var dossierBefore = File.ReadAllText(dossierFile);
        var page = await web.Client.GetStringAsync("/review");
        var af = Regex.Match(page, "name=\"af\" value=\"([^\"]+)\"").Groups[1].Value;
        af.ShouldNotBeNullOrEmpty();
        KeyValuePair<string, string>[] Fields(string? antiforgery, string token, string reason) =>
            [.. new KeyValuePair<string, string>[] { new("vendor", "qwen"), new("reason", reason), new("token", token), new("set", "") }
                .Concat(antiforgery is null ? [] : [new("af", antiforgery)])];

        // CSRF: another site's form (no antiforgery cookie and field) is refused before anything else.
        using var stranger = new HttpClient { BaseAddress = web.Base };
        (await stranger.PostAsync($"/review/{a.Id}/accept", new FormUrlEncodedContent(Fields(null, WebServer.TestToken, "r")))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await web.Client.PostAsync($"/review/{a.Id}/accept", new FormUrlEncodedContent(Fields(null, WebServer.TestToken, "r")))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await web.Client.PostAsync($"/review/{a.Id}/accept", new FormUrlEncodedContent(Fields(af, "wrong", "r")))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await web.Client.PostAsync($"/review/{a.Id}/accept", new FormUrlEncodedContent(Fields(af, "", "r")))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        File.ReadAllText(dossierFile).ShouldBe(dossierBefore);

        var missing = await web.Client.PostAsync("/review/or-000000000000/accept", new FormUrlEncodedContent(Fields(af, WebServer.TestToken, "r")));
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var ok = await web.Client.PostAsync($"/review/{a.Id}/accept", new FormUrlEncodedContent(Fields(af, WebServer.TestToken, "seen <b>live</b>")));
        ok.StatusCode.ShouldBe(HttpStatusCode.Redirect, await ok.Content.ReadAsStringAsync());
        var after = await web.Client.GetStringAsync(ok.Headers.Location!);
        after.ShouldContain($"<p class=\"notice\" id=\"done\">Accepted {a.Id} (release {Recent}) into qwen.yaml");
        after.ShouldContain("<p id=\"pending\">1 candidate pending.</p>");
        Dossier(web).Signals[^1].Provenance!.Reason.ShouldBe("seen <b>live</b>");

        var rejected = await web.Client.PostAsync($"/review/{b.Id}/reject", new FormUrlEncodedContent(Fields(af, WebServer.TestToken, "duplicate")));
        rejected.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        Inbox.Load(dossierFile, new DiagnosticBag())!.Find(b.Id)!.Status.ShouldBe(CandidateStatus.Rejected);
        (await web.Client.GetStringAsync("/")).ShouldContain("No candidate signals are waiting for review");
    }

    [Fact]
    public async Task Api_Accept_WhileAnotherProcessHoldsTheDossierLock_Is503WithLR147_AndChangesNothing()
    {
        var (web, a, _) = await Start();
        await using var _ = web;
        var file = Path.Combine(web.Vendors, "qwen.yaml");
        var before = File.ReadAllText(file);
        using (var held = DossierLock.Acquire(file, new DiagnosticBag()))
        {
            held.ShouldNotBeNull();
            var (status, body) = await Post(web, $"/api/v1/review/{a.Id}/accept", WebServer.TestToken, """{"reason": "r"}""");
            status.ShouldBe(HttpStatusCode.ServiceUnavailable, body.ToJsonString());
            OutputSchemaTests.Errors("errors", body).ShouldBeEmpty();
            ((string)body["errors"]![0]!["code"]!).ShouldBe("LR147");
            ((string)body["errors"]![0]!["file"]!).ShouldBe(DossierLock.PathFor(file));
        }

        File.ReadAllText(file).ShouldBe(before);
        (await Post(web, $"/api/v1/review/{a.Id}/accept", WebServer.TestToken, """{"reason": "r"}""")).Status.ShouldBe(HttpStatusCode.OK);
    }
}
