using System.Net;
using System.Text.RegularExpressions;

namespace LicenseRisk.Tests.Web;

/// <summary>The server-rendered pages: what they show, that every input is encoded, and that forms need their antiforgery token.</summary>
public sealed partial class PageTests
{
    internal const string Evil = """
        vendor:
          id: evil
          name: "Evil <b>Corp</b>"
          tags: [x-tag]
        signals:
          - kind: release
            date: 2026-01-10
            model: "<img src=x onerror=alert(1)>"
            weights: open
            tier: flagship
            source: "javascript:alert(1)"
            note: "<script>alert('note')</script>"
          - kind: release
            date: 2099-01-01
            model: Future 1
            weights: api_only
            tier: flagship
            source: https://example.org/future
        """;

    [GeneratedRegex("""<tr data-vendor="([^"]+)">""")]
    private static partial Regex Row();

    private static async Task<string> Page(WebServer web, string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var r = await web.Client.GetAsync(path);
        var body = await r.Content.ReadAsStringAsync();
        r.StatusCode.ShouldBe(expected, body);
        r.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        return body;
    }

    [Fact]
    public async Task Overview_ListsEveryVendor_SortsAndFiltersWithoutScript()
    {
        await using var web = await WebServer.Start();
        var html = await Page(web, "/");
        html.ShouldNotContain("<script");
        var byP = Row().Matches(html).Select(m => m.Groups[1].Value).ToList();
        byP.Count.ShouldBe(6);
        byP[0].ShouldBe("meta"); // highest probability first by default
        html.ShouldContain("<a href=\"/vendors/meta\">");
        html.ShouldContain("Bands: <span class=\"band band-0\">low</span>");

        var byName = Row().Matches(await Page(web, "/?sort=name&dir=asc")).Select(m => m.Groups[1].Value).ToList();
        byName.Count.ShouldBe(6);
        byName[0].ShouldBe("qwen"); // "Alibaba Qwen" sorts first by name
        var ascending = Row().Matches(await Page(web, "/?sort=probability&dir=asc")).Select(m => m.Groups[1].Value).ToList();
        ascending.ShouldBe(Enumerable.Reverse(byP).ToList());

        var china = Row().Matches(await Page(web, "/?tag=china")).Select(m => m.Groups[1].Value).ToList();
        china.ShouldBe(["qwen", "deepseek"], ignoreOrder: true);
    }

    [Fact]
    public async Task InputsAreEncoded_ASignalNoteWithScriptShowsAsText()
    {
        await using var web = await WebServer.Start(dossiers: new() { ["evil.yaml"] = Evil });
        var overview = await Page(web, "/");
        overview.ShouldContain("Evil &lt;b&gt;Corp&lt;/b&gt;");
        overview.ShouldNotContain("<b>Corp");

        var page = await Page(web, "/vendors/evil");
        page.ShouldNotContain("<script");
        page.ShouldNotContain("<img");
        page.ShouldContain("&lt;script&gt;alert(&#x27;note&#x27;)&lt;/script&gt;");
        page.ShouldNotContain("href=\"javascript:");
        page.ShouldContain("javascript:alert(1)"); // shown as text, not a link

        // The future-dated signal is listed as ignored.
        page.ShouldContain("<ul id=\"ignored\"><li>");
        page.ShouldContain("2099-01-01");
    }

    [Fact]
    public async Task VendorPage_ShowsContributionsSourcesAndInputHashes()
    {
        await using var web = await WebServer.Start();
        var page = await Page(web, "/vendors/qwen");
        page.ShouldContain("<table id=\"contributions\">");
        page.ShouldContain("rel=\"noopener noreferrer nofollow\""); // sources link out
        var hashes = page[page.IndexOf("<table id=\"hashes\">", StringComparison.Ordinal)..];
        var dossierHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Path.Combine(web.Vendors, "qwen.yaml"))));
        hashes.ShouldContain($"sha256 {dossierHash}");
        hashes.ShouldContain("<th>Pack</th>");
        page.ShouldContain("No stored runs yet");
        await Page(web, "/vendors/nobody", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task WhatIfForm_ScoresWithTheEdits_AndNeedsItsAntiforgeryToken()
    {
        await using var web = await WebServer.Start();
        var form = await Page(web, "/vendors/qwen/whatif");
        var token = Regex.Match(form, "name=\"af\" value=\"([^\"]+)\"").Groups[1].Value;
        token.ShouldNotBeNullOrEmpty();
        var current = Regex.Match(form, "id=\"current\">([0-9.]+)<").Groups[1].Value;

        var recent = DateTime.UtcNow.AddDays(-3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var add = $"{{kind: release, date: {recent}, model: Q, weights: api_only, tier: flagship}}";
        var fields = new List<KeyValuePair<string, string>> { new("af", token), new("remove", "1"), new("add", add), new("set", "") };
        var r = await web.Client.PostAsync("/vendors/qwen/whatif", new FormUrlEncodedContent(fields));
        var html = await r.Content.ReadAsStringAsync();
        r.StatusCode.ShouldBe(HttpStatusCode.OK, html);
        var after = Regex.Match(html, "id=\"whatif-probability\">([0-9.]+)<").Groups[1].Value;
        after.ShouldNotBeNullOrEmpty();
        after.ShouldNotBe(current);
        html.ShouldContain("<table id=\"changes\">");

        // Nothing saved: the vendor's score is as before.
        (await Page(web, "/vendors/qwen")).ShouldContain($"id=\"probability\">{current}<");

        // A bad edit: the located error, encoded, and a 400.
        var bad = await web.Client.PostAsync("/vendors/qwen/whatif", new FormUrlEncodedContent([new("af", token), new("set", "1.date=<not a day>")]));
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var badHtml = await bad.Content.ReadAsStringAsync();
        badHtml.ShouldContain("set[1]:");
        badHtml.ShouldContain("&lt;not a day&gt;");

        // Without the token (another site's form): refused.
        using var stranger = new HttpClient { BaseAddress = web.Base };
        (await stranger.PostAsync("/vendors/qwen/whatif", new FormUrlEncodedContent([new("remove", "1")]))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task RunForm_NeedsAntiforgeryAndTheToken()
    {
        await using var web = await WebServer.Start();
        var overview = await Page(web, "/");
        var af = Regex.Match(overview, "name=\"af\" value=\"([^\"]+)\"").Groups[1].Value;

        using var stranger = new HttpClient { BaseAddress = web.Base };
        (await stranger.PostAsync("/runs", new FormUrlEncodedContent([new("token", WebServer.TestToken)]))).StatusCode.ShouldBe(HttpStatusCode.BadRequest, "CSRF: no antiforgery token");
        (await web.Client.PostAsync("/runs", new FormUrlEncodedContent([new("af", af), new("token", "wrong")]))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        File.Exists(web.Dir["out/report.html"]).ShouldBeFalse();

        var ok = await web.Client.PostAsync("/runs", new FormUrlEncodedContent([new("af", af), new("token", WebServer.TestToken)]));
        ok.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        File.Exists(web.Dir["out/report.html"]).ShouldBeTrue();
        (await Page(web, "/vendors/meta")).ShouldContain("<figure class=\"chart\" id=\"chart-trend\"><svg");
    }
}
