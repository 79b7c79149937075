using System.Text;
using LicenseRisk.Application;
using LicenseRisk.Hosting.Service;
using LicenseRisk.Model;
using LicenseRisk.Presentation.Backtest;
using LicenseRisk.Presentation.Report;
using LicenseRisk.Presentation.Score;
using LicenseRisk.Presentation.WhatIf;
using LicenseRisk.Scoring;
using LicenseRisk.Yaml;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LicenseRisk.Web;

/// <summary>The JSON API (<c>/api/v1</c>), health, readiness and metrics (docs/web.md).</summary>
internal static class ApiEndpoints
{
    private const string Json = "application/json";
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    public static void Map(WebApplication app)
    {
        var api = app.MapGroup("/api/v1").WithTags("api");
        api.MapGet("/vendors", Vendors)
            .WithSummary("Every vendor's score as of today with the inputs in use (licenserisk.report/1, as report.json)")
            .Produces(StatusCodes.Status200OK, contentType: Json).Produces(StatusCodes.Status503ServiceUnavailable, contentType: Json);
        api.MapGet("/vendors/{id}", Vendor)
            .WithSummary("One vendor's score as of today, as `score --format json` writes it (licenserisk.score/1)")
            .Produces(StatusCodes.Status200OK, contentType: Json).Produces(StatusCodes.Status404NotFound, contentType: Json);
        api.MapGet("/vendors/{id}/history", VendorHistory)
            .WithSummary("A vendor's stored weekly runs, oldest first, and today's score (licenserisk.history/1)")
            .Produces(StatusCodes.Status200OK, contentType: Json).Produces(StatusCodes.Status404NotFound, contentType: Json);
        api.MapPost("/score", Score)
            .WithSummary("Scores a dossier sent as YAML; the same JSON as `score --format json` (licenserisk.score/1), or 400 with the located errors (licenserisk.errors/1)")
            .Accepts<string>("application/yaml", "text/yaml", "text/plain")
            .Produces(StatusCodes.Status200OK, contentType: Json).Produces(StatusCodes.Status400BadRequest, contentType: Json)
            .Produces(StatusCodes.Status413PayloadTooLarge, contentType: Json).Produces(StatusCodes.Status429TooManyRequests)
            .RequireRateLimiting(WebHost.ScorePolicy);
        api.MapPost("/vendors/{id}/whatif", WhatIfApi)
            .WithSummary("A loaded vendor's score with the edits of a changes YAML (add, remove, set, sweep) applied, as `whatif --format json` (licenserisk.whatif/1); nothing is saved")
            .Accepts<string>("application/yaml", "text/yaml", "text/plain")
            .Produces(StatusCodes.Status200OK, contentType: Json).Produces(StatusCodes.Status400BadRequest, contentType: Json)
            .Produces(StatusCodes.Status404NotFound, contentType: Json).Produces(StatusCodes.Status429TooManyRequests)
            .RequireRateLimiting(WebHost.ScorePolicy);
        api.MapPost("/runs", Run)
            .WithSummary("Runs the weekly report now (writes the report files and the history). Needs the token: Authorization: Bearer TOKEN")
            .Produces<RunAnswer>(StatusCodes.Status200OK).Produces(StatusCodes.Status401Unauthorized, contentType: Json)
            .Produces(StatusCodes.Status403Forbidden, contentType: Json);

        api.MapGet("/review", ReviewList)
            .WithSummary("The pending candidates of every loaded vendor's inbox, with their provenance (licenserisk.review/1; each candidate as in NAME.inbox.json)")
            .Produces(StatusCodes.Status200OK, contentType: Json).Produces(StatusCodes.Status503ServiceUnavailable, contentType: Json);
        api.MapPost("/review/{id}/accept", ReviewAccept)
            .WithSummary("Accepts a pending candidate: appends its signal, with its provenance, to the dossier (as `review --accept`). JSON body {\"reason\": TEXT, \"set\": {FIELD: VALUE}}; query vendor when two inboxes hold the id. Needs the token: Authorization: Bearer TOKEN")
            .ReviewAnswers();
        api.MapPost("/review/{id}/reject", ReviewReject)
            .WithSummary("Rejects a pending candidate: it stays in the inbox, marked, and is never proposed again (as `review --reject`). JSON body {\"reason\": TEXT}. Needs the token: Authorization: Bearer TOKEN")
            .ReviewAnswers();

        api.MapGet("/quality", Quality)
            .WithSummary("The backtest of the running pack over the case folder (LicenseRisk:Web:Cases), as `backtest --format json` (licenserisk.backtest/1); 404 when no folder is configured, 500 with the located errors when a case in the folder has errors")
            .Produces(StatusCodes.Status200OK, contentType: Json).Produces(StatusCodes.Status500InternalServerError, contentType: Json)
            .Produces(StatusCodes.Status404NotFound, contentType: Json).Produces(StatusCodes.Status503ServiceUnavailable, contentType: Json);

        app.MapGet("/healthz", () => TypedResults.Ok(new Health("ok"))).WithTags("operations").WithSummary("The process answers");
        app.MapGet("/readyz", Ready).WithTags("operations")
            .WithSummary("503 until the inputs are loaded; then 200, status 'ready', or 'stale' after a rejected reload (the last good inputs are in use)")
            .Produces<Readiness>(StatusCodes.Status200OK).Produces<Readiness>(StatusCodes.Status503ServiceUnavailable);
        app.MapGet("/metrics", Metrics).WithTags("operations").WithSummary("Prometheus text format")
            .Produces(StatusCodes.Status200OK, contentType: "text/plain");
    }

    /// <summary>What an accept or a reject may answer, for the OpenAPI document.</summary>
    private static RouteHandlerBuilder ReviewAnswers(this RouteHandlerBuilder b) =>
        b.Accepts<string>(Json)
            .Produces(StatusCodes.Status200OK, contentType: Json).Produces(StatusCodes.Status400BadRequest, contentType: Json)
            .Produces(StatusCodes.Status401Unauthorized, contentType: Json).Produces(StatusCodes.Status403Forbidden, contentType: Json)
            .Produces(StatusCodes.Status404NotFound, contentType: Json).Produces(StatusCodes.Status409Conflict, contentType: Json)
            .Produces(StatusCodes.Status503ServiceUnavailable, contentType: Json);

    private static IResult Ready(InputState state)
    {
        if (state.Current is not { } s)
        {
            return TypedResults.Json(new Readiness("loading", null, 0, null, null), WebJsonContext.Default.Readiness, statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        var pack = s.Inputs.Pack;
        var stale = s.Stale is { } st ? new ReadyStale(Fmt.Utc(st.RejectedAt), [.. st.Errors.Select(e => e.ToString())]) : null;
        return TypedResults.Json(
            new Readiness(stale is null ? "ready" : "stale", new ReadyPack(pack.Info.Name, pack.Info.Version, pack.Sha256), s.Inputs.Dossiers.Count, Fmt.Utc(s.LoadedAt), stale),
            WebJsonContext.Default.Readiness);
    }

    private static IResult Metrics(WebCounters counters, ServiceStatus status, InputState state, ReviewDesk desk, CollectionRunner collect) =>
        TypedResults.Text(counters.Prometheus(status, state, desk.PendingCount(), collect.Last), "text/plain; version=0.0.4; charset=utf-8");

    private static Task Quality(HttpContext ctx, InputState state, ForecastQuality quality)
    {
        if (state.Current is null)
        {
            return NotReady(ctx);
        }

        if (quality.Current() is not { } view)
        {
            return Error(ctx, 404, "no case folder is configured: serve --cases DIR (LicenseRisk:Web:Cases)");
        }

        return view.Report is { } report
            ? Write(ctx, 200, s => BacktestWriters.WriteJson(s, report))
            : Write(ctx, 500, s => WebJson.WriteErrors(s, view.Errors));
    }

    private static Task ReviewList(HttpContext ctx, InputState state, ReviewDesk desk) =>
        state.Current is null ? NotReady(ctx) : Write(ctx, 200, s => WebJson.WriteReview(s, desk.Inboxes()));

    private static Task ReviewAccept(string id, HttpContext ctx, ReviewDesk desk, IOptions<WebOptions> web, LicenseRiskOptions lr, [FromQuery(Name = "vendor")] string? vendor) =>
        Decide(id, accept: true, ctx, desk, web, lr, vendor);

    private static Task ReviewReject(string id, HttpContext ctx, ReviewDesk desk, IOptions<WebOptions> web, LicenseRiskOptions lr, [FromQuery(Name = "vendor")] string? vendor) =>
        Decide(id, accept: false, ctx, desk, web, lr, vendor);

    private static async Task Decide(string id, bool accept, HttpContext ctx, ReviewDesk desk, IOptions<WebOptions> web, LicenseRiskOptions lr, string? vendor)
    {
        var check = Token.Verify(web.Value.Token, Token.Bearer(ctx));
        if (check != Token.Check.Ok)
        {
            await Error(ctx, Token.Status(check), Token.Explain(check));
            return;
        }

        if (await ReadBody(ctx, lr.Limits.MaxFileBytes) is not { } text)
        {
            return;
        }

        string? reason = null;
        var problems = new List<string>();
        var set = new List<KeyValuePair<string, string>>();
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(string.IsNullOrWhiteSpace(text) ? "{}" : text);
            var root = doc.RootElement;
            if (root.ValueKind != System.Text.Json.JsonValueKind.Object)
            {
                problems.Add("the body must be a JSON object: {\"reason\": TEXT, \"set\": {FIELD: VALUE}}");
            }
            else
            {
                if (root.TryGetProperty("reason", out var r) && r.ValueKind == System.Text.Json.JsonValueKind.String)
                {
                    reason = r.GetString();
                }

                if (root.TryGetProperty("set", out var fields))
                {
                    if (!accept || fields.ValueKind != System.Text.Json.JsonValueKind.Object)
                    {
                        problems.Add(accept ? "set: must be an object of FIELD: VALUE strings" : "set: goes with accept only");
                    }
                    else
                    {
                        foreach (var f in fields.EnumerateObject())
                        {
                            if (f.Value.ValueKind == System.Text.Json.JsonValueKind.String)
                            {
                                set.Add(new(f.Name, f.Value.GetString()!));
                            }
                            else
                            {
                                problems.Add($"set.{f.Name}: must be a string");
                            }
                        }
                    }
                }
            }
        }
        catch (System.Text.Json.JsonException ex)
        {
            problems.Add($"the body is not JSON: {ex.Message}");
        }

        if (problems.Count > 0)
        {
            await Error(ctx, 400, string.Join("; ", problems));
            return;
        }

        var outcome = await desk.Decide(id, vendor, accept, reason, set, ctx.RequestAborted);
        if (!outcome.Done)
        {
            await (outcome.Message is { } message ? Error(ctx, outcome.Status, message) : Write(ctx, outcome.Status, s => WebJson.WriteErrors(s, outcome.Problems)));
            return;
        }

        await Write(ctx, 200, s => WebJson.WriteDecision(s, outcome.Where!, outcome.Candidate!));
    }

    private static Task Vendors(HttpContext ctx, LiveScores live) =>
        live.Current() is { } view ? Write(ctx, 200, s => JsonReportWriter.Write(s, view.Report)) : NotReady(ctx);

    private static Task Vendor(string id, HttpContext ctx, LiveScores live)
    {
        if (live.Current() is not { } view)
        {
            return NotReady(ctx);
        }

        if (view.Vendor(id) is not { } v)
        {
            return Error(ctx, 404, $"no vendor '{id}'");
        }

        var inputs = view.Snapshot.Inputs;
        var warnings = inputs.Warnings.Where(d => d.Span.File == v.Score.Dossier.File).ToList();
        var report = ScoreReport.Of(inputs.Pack, inputs.Policy, [v.Score], view.Report.AsOf, view.Report.HorizonMonths, warnings);
        return Write(ctx, 200, s => JsonScoreWriter.Write(s, report));
    }

    private static Task VendorHistory(string id, HttpContext ctx, LiveScores live)
    {
        if (live.Current() is not { } view)
        {
            return NotReady(ctx);
        }

        return view.Vendor(id) is { } v
            ? Write(ctx, 200, s => WebJson.WriteHistory(s, v, view.Report.HorizonMonths))
            : Error(ctx, 404, $"no vendor '{id}'");
    }

    private static async Task Score(
        HttpContext ctx,
        InputState state,
        LicenseRiskOptions lr,
        LiveScores live,
        WebCounters counters,
        [FromQuery(Name = "as_of")] string? asOf,
        [FromQuery(Name = "horizon")] int? horizon,
        [FromQuery(Name = "file")] string? file)
    {
        if (state.Current is not { } snapshot)
        {
            await NotReady(ctx);
            return;
        }

        if (await Parameters(ctx, live, asOf, horizon) is not { } day)
        {
            return;
        }

        if (await ReadBody(ctx, lr.Limits.MaxFileBytes) is not { } text)
        {
            return;
        }

        var name = string.IsNullOrWhiteSpace(file) ? "request.yaml" : file;
        var inputs = snapshot.Inputs;
        var diags = new DiagnosticBag();
        var root = YamlSource.LoadText(text, name, lr.Limits, diags);
        var dossier = root is null ? null : DossierReader.Read(root, name, inputs.Pack.Catalog, lr.Limits, diags);
        if (dossier is null || diags.HasErrors)
        {
            counters.Scored(ok: false);
            await Write(ctx, 400, s => WebJson.WriteErrors(s, diags.Sorted()));
            return;
        }

        var months = horizon ?? live.HorizonMonths;
        var score = Evaluator.Score(inputs.Pack, dossier, day, months ?? inputs.Pack.Model.HorizonMonths, inputs.Policy);
        var report = ScoreReport.Of(inputs.Pack, inputs.Policy, [score], day, months, diags.Items);
        counters.Scored(ok: true);
        await Write(ctx, 200, s => JsonScoreWriter.Write(s, report));
    }

    private static async Task WhatIfApi(
        string id,
        HttpContext ctx,
        LiveScores live,
        LicenseRiskOptions lr,
        WebCounters counters,
        [FromQuery(Name = "as_of")] string? asOf,
        [FromQuery(Name = "horizon")] int? horizon)
    {
        if (live.Current() is not { } view)
        {
            await NotReady(ctx);
            return;
        }

        var inputs = view.Snapshot.Inputs;
        if (inputs.Dossiers.FirstOrDefault(d => d.Vendor.Id == id) is not { } dossier)
        {
            await Error(ctx, 404, $"no vendor '{id}'");
            return;
        }

        if (await Parameters(ctx, live, asOf, horizon) is not { } day || await ReadBody(ctx, lr.Limits.MaxFileBytes) is not { } text)
        {
            return;
        }

        counters.WhatIf();
        var diags = new DiagnosticBag();
        var changes = SignalEditReader.ReadChanges(text, "changes.yaml", inputs.Pack.Catalog, lr.Limits, diags);
        var months = horizon ?? live.HorizonMonths;
        var whatIf = WhatIf.Open(inputs.Pack, dossier, day, months, inputs.Policy);
        var variants = WhatIfReport.ScoreVariants(whatIf, changes.Edits, changes.Sweep, diags);
        if (diags.HasErrors)
        {
            await Write(ctx, 400, s => WebJson.WriteErrors(s, diags.Sorted()));
            return;
        }

        var report = WhatIfReport.Of(inputs.Pack, inputs.Policy, day, months, dossier, changes.Edits, variants);
        await Write(ctx, 200, s => WhatIfWriters.WriteJson(s, report));
    }

    private static async Task Run(HttpContext ctx, IOptions<WebOptions> web, IEnumerable<IHostedService> hosted, TimeProvider time)
    {
        var check = Token.Verify(web.Value.Token, Token.Bearer(ctx));
        if (check != Token.Check.Ok)
        {
            await Error(ctx, Token.Status(check), Token.Explain(check));
            return;
        }

        var worker = hosted.OfType<ReportWorker>().Single();
        var result = await worker.RunOnceAsync(time.GetUtcNow(), ctx.RequestAborted);
        var answer = result is null
            ? new RunAnswer("failed", null, 0, [])
            : new RunAnswer("written", IsoDate.Format(result.Report.AsOf), result.Report.Vendors.Count, result.Files);
        await TypedResults.Json(answer, WebJsonContext.Default.RunAnswer, statusCode: result is null ? 500 : 200).ExecuteAsync(ctx);
    }

    /// <summary>The day (as_of, default today) and checks the horizon; null after answering 400.</summary>
    private static async Task<DateOnly?> Parameters(HttpContext ctx, LiveScores live, string? asOf, int? horizon)
    {
        if (horizon is < 1 or > 120)
        {
            await Error(ctx, 400, $"horizon: must be between 1 and 120 months, not {horizon}");
            return null;
        }

        if (asOf is null)
        {
            return live.Today();
        }

        if (IsoDate.TryParse(asOf, out var day))
        {
            return day;
        }

        await Error(ctx, 400, $"as_of: '{asOf}' is not a day YYYY-MM-DD");
        return null;
    }

    /// <summary>The request body as UTF-8 text of at most <paramref name="max"/> bytes; null after answering 413 or 400.</summary>
    internal static async Task<string?> ReadBody(HttpContext ctx, long max)
    {
        if (ctx.Request.ContentLength > max)
        {
            await Error(ctx, 413, $"the body is {ctx.Request.ContentLength} bytes; at most {max} (LicenseRisk:Limits:MaxFileBytes)");
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            int n;
            while ((n = await ctx.Request.Body.ReadAsync(chunk, ctx.RequestAborted)) > 0)
            {
                if (buffer.Length + n > max)
                {
                    await Error(ctx, 413, $"the body is over {max} bytes (LicenseRisk:Limits:MaxFileBytes)");
                    return null;
                }

                buffer.Write(chunk, 0, n);
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await Error(ctx, 413, $"the body is over {max} bytes (LicenseRisk:Limits:MaxFileBytes)");
            return null;
        }

        try
        {
            return StrictUtf8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (DecoderFallbackException)
        {
            await Error(ctx, 400, "the body is not UTF-8 text");
            return null;
        }
    }

    private static Task NotReady(HttpContext ctx) => Error(ctx, 503, "the inputs are not loaded yet");

    internal static Task Error(HttpContext ctx, int status, string message) => Write(ctx, status, s => WebJson.WriteError(s, message));

    /// <summary>Writes a JSON body made by one of the synchronous writers (buffered, then sent).</summary>
    internal static async Task Write(HttpContext ctx, int status, Action<Stream> write)
    {
        using var buffer = new MemoryStream();
        write(buffer);
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json; charset=utf-8";
        ctx.Response.ContentLength = buffer.Length;
        await ctx.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), ctx.RequestAborted);
    }
}
