using System.Net;
using System.Text.Json.Nodes;
using LicenseRisk.Tests.Cli;
using LicenseRisk.Tests.Hosting;
using LicenseRisk.Tests.Schemas;

namespace LicenseRisk.Tests.Web;

/// <summary>/quality and /api/v1/quality: the running pack backtested over the configured case folder, as `licenserisk backtest` reports it.</summary>
public sealed class QualityWebTests
{
    [Fact]
    public async Task WithACaseFolder_ThePageAndTheApiShowTheCliBacktest()
    {
        var cases = Repo.Path("samples/cases");
        await using var web = await WebServer.Start(new() { ["LicenseRisk:Web:Cases"] = cases });
        var cli = CliProcess.InProcess("backtest", cases, "--format", "json");
        cli.ExitCode.ShouldBe(0, cli.Stderr);

        var api = await web.Client.GetAsync("/api/v1/quality");
        var json = await api.Content.ReadAsStringAsync();
        api.StatusCode.ShouldBe(HttpStatusCode.OK, json);
        json.ShouldBe(cli.Stdout);
        OutputSchemaTests.Errors("backtest", JsonNode.Parse(json)).ShouldBeEmpty();

        var table = CliProcess.InProcess("backtest", cases);
        table.ExitCode.ShouldBe(0, table.Stderr);
        var page = await web.Client.GetStringAsync("/quality");
        page.ShouldContain("<pre id=\"backtest\">");
        var brier = table.Stdout.Split('\n').Single(l => l.StartsWith("Brier score", StringComparison.Ordinal));
        page.ShouldContain(System.Net.WebUtility.HtmlEncode(brier).Replace("&#39;", "&#x27;", StringComparison.Ordinal));
        page.ShouldContain("Brier skill score");
        page.ShouldContain("ROC AUC");
        page.ShouldContain("mean LR, no flip");
        page.ShouldContain("<img src=\"/quality/chart.svg\"");

        var chart = await web.Client.GetAsync("/quality/chart.svg");
        chart.StatusCode.ShouldBe(HttpStatusCode.OK);
        chart.Content.Headers.ContentType!.MediaType.ShouldBe("image/svg+xml");
        var svg = await chart.Content.ReadAsStringAsync();
        svg.ShouldStartWith("<svg xmlns=\"http://www.w3.org/2000/svg\"");
        svg.ShouldContain("Reliability");
    }

    [Fact]
    public async Task WithoutACaseFolder_ThePageSaysSo_AndTheApiIs404()
    {
        await using var web = await WebServer.Start();
        var page = await web.Client.GetStringAsync("/quality");
        page.ShouldContain("<p id=\"no-cases\">No case folder is configured");
        page.ShouldContain("--cases DIR");
        (await web.Client.GetAsync("/api/v1/quality")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await web.Client.GetAsync("/quality/chart.svg")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ABadCase_IsShownWithItsLocatedError_AndAFixIsPickedUp()
    {
        using var cases = new TempDir();
        var good = File.ReadAllText(Repo.Path("samples/cases/ai21-2024-09-01.yaml"));
        File.WriteAllText(cases["ai21.yaml"], good.Replace("kind: release", "kind: relase", StringComparison.Ordinal));
        await using var web = await WebServer.Start(new() { ["LicenseRisk:Web:Cases"] = cases.Path });

        var bad = await web.Client.GetAsync("/api/v1/quality");
        bad.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        var errors = JsonNode.Parse(await bad.Content.ReadAsStringAsync())!;
        ((string)errors["errors"]![0]!["code"]!).ShouldBe("LR020");
        (await web.Client.GetStringAsync("/quality")).ShouldContain("did you mean &#x27;release&#x27;?");

        File.WriteAllText(cases["ai21.yaml"], good);
        File.SetLastWriteTimeUtc(cases["ai21.yaml"], DateTime.UtcNow.AddMinutes(1));
        var fixedAnswer = JsonNode.Parse(await web.Client.GetStringAsync("/api/v1/quality"))!;
        ((int)fixedAnswer["cases"]!).ShouldBe(1);
    }
}
