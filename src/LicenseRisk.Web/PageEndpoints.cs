using System.Globalization;
using System.Text;
using LicenseRisk.Application;
using LicenseRisk.Collection;
using LicenseRisk.Hosting.Service;
using LicenseRisk.Model;
using LicenseRisk.Presentation;
using LicenseRisk.Presentation.Backtest;
using LicenseRisk.Presentation.Report;
using LicenseRisk.Presentation.WhatIf;
using LicenseRisk.Yaml;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using static LicenseRisk.Web.Html;

namespace LicenseRisk.Web;

/// <summary>Server-rendered pages that work without JavaScript (none is served): overview, vendor, what-if.</summary>
internal static class PageEndpoints
{
    private const string HtmlType = "text/html; charset=utf-8";

    public static void Map(WebApplication app)
    {
        var pages = app.MapGroup("").ExcludeFromDescription();
        pages.MapGet("/", Overview);
        pages.MapGet("/vendors/{id}", VendorPage);
        pages.MapGet("/vendors/{id}/whatif", WhatIfForm);
        pages.MapPost("/vendors/{id}/whatif", WhatIfPost).RequireRateLimiting(WebHost.ScorePolicy);
        pages.MapPost("/runs", RunPost);
        pages.MapGet("/review", ReviewPage);
        pages.MapGet("/quality", QualityPage);
        pages.MapGet("/quality/chart.svg", QualityChart);
        pages.MapPost("/review/{id}/accept", (string id, HttpContext ctx, IAntiforgery antiforgery, IOptions<WebOptions> web, ReviewDesk desk) => ReviewPost(id, accept: true, ctx, antiforgery, web, desk));
        pages.MapPost("/review/{id}/reject", (string id, HttpContext ctx, IAntiforgery antiforgery, IOptions<WebOptions> web, ReviewDesk desk) => ReviewPost(id, accept: false, ctx, antiforgery, web, desk));
        pages.MapGet("/static/site.css", Css);
    }

    private static IResult Css()
    {
        using var s = typeof(PageEndpoints).Assembly.GetManifestResourceStream("site.css")!;
        using var r = new StreamReader(s);
        return TypedResults.Text(r.ReadToEnd(), "text/css; charset=utf-8");
    }

    private static IResult NotReady() =>
        TypedResults.Content(Page("Loading", "<p>The inputs are not loaded yet.</p>\n"), HtmlType, statusCode: StatusCodes.Status503ServiceUnavailable);

    private static IResult NotFound(string id) =>
        TypedResults.Content(Page("Not found", $"<p>No vendor '{E(id)}'.</p>\n"), HtmlType, statusCode: StatusCodes.Status404NotFound);

    private static IResult Overview(
        HttpContext ctx,
        LiveScores live,
        IAntiforgery antiforgery,
        ReviewDesk desk,
        [FromQuery(Name = "sort")] string? sort,
        [FromQuery(Name = "dir")] string? dir,
        [FromQuery(Name = "tag")] string? tag)
    {
        if (live.Current() is not { } view)
        {
            return NotReady();
        }

        var report = view.Report;
        var bands = view.Snapshot.Inputs.Pack.Bands;
        var key = sort is "name" or "change" or "probability" ? sort : "probability";
        var descending = dir is null ? key != "name" : dir == "desc";
        IEnumerable<VendorEntry> rows = report.Vendors.Where(v => tag is null || v.Score.Dossier.Vendor.Tags.Contains(tag, StringComparer.Ordinal));
        Func<VendorEntry, double> number = key == "change" ? v => v.Change?.Delta ?? 0 : v => v.Score.Probability;
        rows = key == "name"
            ? (descending ? rows.OrderByDescending(v => v.Score.Name, StringComparer.Ordinal) : rows.OrderBy(v => v.Score.Name, StringComparer.Ordinal))
            : (descending ? rows.OrderByDescending(number) : rows.OrderBy(number));
        rows = rows.ToList();

        var sb = new StringBuilder();
        sb.Append("<h1>Vendors</h1>\n<p>Chance that a vendor's next top models go API-only within ").Append(report.HorizonMonths)
          .Append(" months, as of ").Append(IsoDate.Format(report.AsOf)).Append(" (pack ").Append(E(report.Pack.Name)).Append(' ').Append(E(report.Pack.Version)).Append(").");
        if (report.Previous is { } prev)
        {
            sb.Append(" Change is since the stored run of ").Append(IsoDate.Format(prev.AsOf)).Append('.');
        }

        sb.Append("</p>\n").Append(Legend(bands));
        var inboxes = desk.Inboxes().ToDictionary(i => i.VendorId, StringComparer.Ordinal);
        var pending = inboxes.Values.Sum(i => i.Pending);
        sb.Append("<p id=\"review-summary\">").Append(pending == 0 ? "No candidate signals are waiting for review" : $"<a href=\"/review\">{Plural.Of(pending, "candidate signal")} waiting for review</a>")
          .Append(inboxes.Values.Any(i => i.Inbox is null) ? " (an inbox cannot be read: see <a href=\"/review\">review</a>)" : "").Append(".</p>\n");
        var tags = report.Vendors.SelectMany(v => v.Score.Dossier.Vendor.Tags).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (tags.Count > 0)
        {
            sb.Append("<p>Tag: ").Append(tag is null ? "<strong>all</strong>" : "<a href=\"/\">all</a>");
            foreach (var t in tags)
            {
                sb.Append(" · ").Append(t == tag ? $"<strong>{E(t)}</strong>" : $"<a href=\"/?tag={Uri.EscapeDataString(t)}\">{E(t)}</a>");
            }

            sb.Append("</p>\n");
        }

        string Header(string label, string column, string cls = "")
        {
            var nextDir = key == column && descending ? "asc" : "desc";
            var q = $"?sort={column}&dir={nextDir}" + (tag is null ? "" : $"&tag={Uri.EscapeDataString(tag)}");
            var mark = key == column ? (descending ? " ▼" : " ▲") : "";
            return $"<th{cls}><a href=\"/{E(q)}\">{E(label)}{mark}</a></th>";
        }

        sb.Append("<table id=\"vendors\"><thead><tr>").Append(Header("Vendor", "name")).Append("<th>Tags</th>")
          .Append(Header("P", "probability", " class=\"n\"")).Append("<th class=\"n\">90% interval</th><th>Band</th>")
          .Append(Header("Change", "change", " class=\"n\"")).Append("<th>Trend</th><th>Evidence</th><th class=\"n\">Review</th></tr></thead><tbody>\n");
        foreach (var v in rows)
        {
            var s = v.Score;
            var dirClass = v.Change is { Delta: > 0.005 } ? "up" : v.Change is { Delta: < -0.005 } ? "down" : "";
            sb.Append("<tr data-vendor=\"").Append(E(s.Id)).Append("\"><td><a href=\"/vendors/").Append(Uri.EscapeDataString(s.Id)).Append("\">").Append(E(s.Name)).Append("</a></td>")
              .Append("<td>").Append(E(string.Join(", ", s.Dossier.Vendor.Tags))).Append("</td>")
              .Append("<td class=\"n p\">").Append(Numbers.Probability(s.Probability)).Append("</td>")
              .Append("<td class=\"n\">").Append(Numbers.Probability(s.Low)).Append(" to ").Append(Numbers.Probability(s.High)).Append("</td>")
              .Append("<td>").Append(Band(bands, s.Band)).Append("</td>")
              .Append("<td class=\"n ").Append(dirClass).Append("\">").Append(E(Fmt.Delta(v.Change))).Append("</td>")
              .Append("<td>").Append(Sparkline(v.Trend)).Append("</td>")
              .Append("<td>").Append(s.Coverage.ThinEvidence ? $"<span class=\"thin\" title=\"{E(s.Coverage.ThinReason)}\">thin</span>" : "").Append("</td>")
              .Append("<td class=\"n pending\">").Append(inboxes.GetValueOrDefault(s.Id) is { } box && (box.Pending > 0 || box.Inbox is null)
                  ? $"<a href=\"/review#v-{E(s.Id)}\">{(box.Inbox is null ? "unreadable" : box.Pending.ToString(CultureInfo.InvariantCulture))}</a>" : "").Append("</td></tr>\n");
        }

        sb.Append("</tbody></table>\n");
        var tokens = antiforgery.GetAndStoreTokens(ctx);
        sb.Append("<h2>Run the report now</h2>\n<form method=\"post\" action=\"/runs\"><input type=\"hidden\" name=\"").Append(E(tokens.FormFieldName)).Append("\" value=\"").Append(E(tokens.RequestToken)).Append("\">")
          .Append("<label>Token <input type=\"password\" name=\"token\" autocomplete=\"off\"></label> <button type=\"submit\">Run</button></form>\n");
        return TypedResults.Content(Page("Vendors", sb.ToString(), view.Snapshot.Stale), HtmlType);
    }

    private static IResult VendorPage(string id, LiveScores live)
    {
        if (live.Current() is not { } view)
        {
            return NotReady();
        }

        if (view.Vendor(id) is not { } v)
        {
            return NotFound(id);
        }

        var s = v.Score;
        var inputs = view.Snapshot.Inputs;
        var bySignal = s.Dossier.Signals.GroupBy(x => x.Label, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var sb = new StringBuilder();
        sb.Append("<h1>").Append(E(s.Name)).Append("</h1>\n<p class=\"big\" id=\"probability\">").Append(Numbers.Probability(s.Probability)).Append("</p>\n<p>90% interval ")
          .Append(Numbers.Probability(s.Low)).Append(" to ").Append(Numbers.Probability(s.High)).Append(", band ").Append(Band(inputs.Pack.Bands, s.Band))
          .Append(", change ").Append(E(Fmt.Delta(v.Change))).Append(", as of ").Append(IsoDate.Format(s.AsOf)).Append(", ").Append(s.HorizonMonths).Append(" months.")
          .Append(s.Coverage.ThinEvidence ? $" <span class=\"thin\">thin evidence</span>: {E(s.Coverage.ThinReason)}" : "")
          .Append("</p>\n<p><a id=\"whatif\" href=\"/vendors/").Append(Uri.EscapeDataString(s.Id)).Append("/whatif\">What if…</a></p>\n");

        sb.Append("<h2>Score over time</h2>\n");
        if (v.Trend.Count > 0)
        {
            using var w = new StringWriter(CultureInfo.InvariantCulture);
            Charts.Trend(w, v, "chart-trend");
            sb.Append(w.ToString()).Append('\n');
            sb.Append("<table><thead><tr><th>Week</th><th>As of</th><th class=\"n\">P</th><th class=\"n\">90% interval</th><th>Band</th></tr></thead><tbody>\n");
            foreach (var t in v.Trend)
            {
                sb.Append("<tr><td>").Append(E(t.IsoWeek)).Append("</td><td>").Append(IsoDate.Format(t.AsOf)).Append("</td><td class=\"n\">").Append(Numbers.Probability(t.Probability))
                  .Append("</td><td class=\"n\">").Append(Numbers.Probability(t.Low)).Append(" to ").Append(Numbers.Probability(t.High)).Append("</td><td>").Append(E(t.Band)).Append("</td></tr>\n");
            }

            sb.Append("</tbody></table>\n");
        }
        else
        {
            sb.Append("<p>No stored runs yet: the history fills with each scheduled report.</p>\n");
        }

        sb.Append("<h2>Contributions</h2>\n");
        Contributions(sb, s.Contributions, bySignal);
        if (s.Outweighed.Count > 0)
        {
            sb.Append("<h3>Outweighed</h3>\n<ul>");
            foreach (var o in s.Outweighed)
            {
                sb.Append("<li>").Append(E(o.Contribution.Rule)).Append(": ").Append(E(o.Contribution.Because)).Append(" (outweighed by ").Append(E(o.By)).Append(")</li>");
            }

            sb.Append("</ul>\n");
        }

        if (s.Waived.Count > 0)
        {
            sb.Append("<h3>Waived by the policy</h3>\n<ul>");
            foreach (var x in s.Waived)
            {
                sb.Append("<li>").Append(E(x.Contribution.Rule)).Append(": ").Append(E(x.Contribution.Because)).Append("</li>");
            }

            sb.Append("</ul>\n");
        }

        sb.Append("<h2>Signals</h2>\n");
        Signals(sb, s.Dossier.Signals);
        sb.Append("<h2>Ignored signals</h2>\n");
        if (s.Ignored.Count == 0)
        {
            sb.Append("<p>None: no signal is dated after the as-of day.</p>\n");
        }
        else
        {
            sb.Append("<ul id=\"ignored\">");
            foreach (var i in s.Ignored)
            {
                sb.Append("<li>").Append(E(i.Label)).Append(", ").Append(IsoDate.Format(i.Date)).Append(": ").Append(E(i.Reason)).Append("</li>");
            }

            sb.Append("</ul>\n");
        }

        if (v.DataWarnings.Count > 0)
        {
            sb.Append("<h2>Data warnings</h2>\n<ul>");
            foreach (var w in v.DataWarnings)
            {
                sb.Append("<li>").Append(E(w)).Append("</li>");
            }

            sb.Append("</ul>\n");
        }

        sb.Append("<h2>Inputs</h2>\n<table id=\"hashes\"><tbody>")
          .Append("<tr><th>Pack</th><td>").Append(E($"{inputs.Pack.Info.Name} {inputs.Pack.Info.Version}")).Append("</td><td class=\"hash\">sha256 ").Append(E(inputs.Pack.Sha256)).Append("</td></tr>");
        if (inputs.Policy is { } policy)
        {
            sb.Append("<tr><th>Policy</th><td>").Append(E(policy.File)).Append("</td><td class=\"hash\">sha256 ").Append(E(policy.Sha256)).Append("</td></tr>");
        }

        sb.Append("<tr><th>Dossier</th><td>").Append(E(s.Dossier.File)).Append("</td><td class=\"hash\">sha256 ").Append(E(view.DossierHashes.GetValueOrDefault(s.Id, "unknown"))).Append("</td></tr>")
          .Append("</tbody></table>\n");
        return TypedResults.Content(Page(s.Name, sb.ToString(), view.Snapshot.Stale), HtmlType);
    }

    private static void Contributions(StringBuilder sb, IReadOnlyList<Contribution> contributions, IReadOnlyDictionary<string, SignalRecord> bySignal)
    {
        if (contributions.Count == 0)
        {
            sb.Append("<p>No rule fired: the score is the prior.</p>\n");
            return;
        }

        sb.Append("<table id=\"contributions\"><thead><tr><th>Rule</th><th class=\"n\">Log-odds</th><th>Because</th><th>Signals and sources</th></tr></thead><tbody>\n");
        foreach (var c in contributions)
        {
            sb.Append("<tr><td>").Append(E(c.Title)).Append("<br><code>").Append(E(c.Rule)).Append("</code></td><td class=\"n\">").Append(E(Numbers.Signed(c.Value)))
              .Append("</td><td>").Append(E(c.Because)).Append("</td><td><ul>");
            foreach (var label in c.Signals)
            {
                sb.Append("<li>").Append(E(label));
                if (bySignal.TryGetValue(label, out var signal) && signal.Source is { } source)
                {
                    sb.Append(": ").Append(Source(source));
                }

                sb.Append("</li>");
            }

            sb.Append("</ul></td></tr>\n");
        }

        sb.Append("</tbody></table>\n");
    }

    private static void Signals(StringBuilder sb, IReadOnlyList<SignalRecord> signals)
    {
        sb.Append("<table id=\"signals\"><thead><tr><th class=\"n\">#</th><th>Kind</th><th>Date</th><th>Fields</th><th class=\"n\">Confidence</th><th>Source</th><th>Note</th></tr></thead><tbody>\n");
        for (var i = 0; i < signals.Count; i++)
        {
            var x = signals[i];
            sb.Append("<tr><td class=\"n\">").Append(i + 1).Append("</td><td>").Append(E(x.Kind.Name)).Append(x.Id is null ? "" : $"<br><code>{E(x.Id)}</code>")
              .Append("</td><td>").Append(IsoDate.Format(x.Date)).Append("</td><td>").Append(E(WhatIfReport.Fields(x)))
              .Append("</td><td class=\"n\">").Append(x.Confidence.ToString("0.##", CultureInfo.InvariantCulture)).Append("</td><td>").Append(Source(x.Source))
              .Append("</td><td class=\"note\">").Append(E(x.Note)).Append("</td></tr>\n");
        }

        sb.Append("</tbody></table>\n");
    }

    private static IResult WhatIfForm(string id, HttpContext ctx, LiveScores live, IAntiforgery antiforgery)
    {
        if (live.Current() is not { } view)
        {
            return NotReady();
        }

        return view.Vendor(id) is { } v
            ? TypedResults.Content(Page($"What if: {v.Score.Name}", WhatIfBody(ctx, antiforgery, view, v, null, null, [], "", "")), HtmlType)
            : NotFound(id);
    }

    private static async Task<IResult> WhatIfPost(string id, HttpContext ctx, LiveScores live, IAntiforgery antiforgery, LicenseRiskOptions lr, WebCounters counters)
    {
        if (live.Current() is not { } view)
        {
            return NotReady();
        }

        if (view.Vendor(id) is not { } v)
        {
            return NotFound(id);
        }

        if (await Forgery(ctx, antiforgery) is { } refused)
        {
            return refused;
        }

        counters.WhatIf();
        var form = await ctx.Request.ReadFormAsync(ctx.RequestAborted);
        var removed = form["remove"].OfType<string>().ToList();
        var add = form["add"].ToString();
        var set = form["set"].ToString();
        var inputs = view.Snapshot.Inputs;
        var catalog = inputs.Pack.Catalog;
        var diags = new DiagnosticBag();
        var edits = new List<SignalEdit>();
        if (!string.IsNullOrWhiteSpace(add))
        {
            edits.AddRange(SignalEditReader.ReadAdd(add, "add", catalog, lr.Limits, diags));
        }

        edits.AddRange(removed.Select(r => SignalEditReader.ReadRemove(r, "remove")));
        var lines = set.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < lines.Length; i++)
        {
            if (SignalEditReader.ReadSet(lines[i], $"set[{i + 1}]", lr.Limits, diags) is { } edit)
            {
                edits.Add(edit);
            }
        }

        var dossier = v.Score.Dossier;
        var whatIf = WhatIf.Open(inputs.Pack, dossier, view.Report.AsOf, view.Report.HorizonMonths, inputs.Policy);
        var result = diags.HasErrors ? null : whatIf.Apply(edits, diags);
        var body = WhatIfBody(ctx, antiforgery, view, v, result, diags.HasErrors ? diags.Sorted() : null, removed, add, set);
        return TypedResults.Content(Page($"What if: {v.Score.Name}", body), HtmlType, statusCode: diags.HasErrors ? 400 : 200);
    }

    private static string WhatIfBody(
        HttpContext ctx, IAntiforgery antiforgery, LiveView view, VendorEntry v, WhatIfResult? result, IReadOnlyList<Diagnostic>? errors,
        IReadOnlyList<string> removed, string add, string set)
    {
        var s = v.Score;
        var bands = view.Snapshot.Inputs.Pack.Bands;
        var sb = new StringBuilder();
        sb.Append("<h1>What if: <a href=\"/vendors/").Append(Uri.EscapeDataString(s.Id)).Append("\">").Append(E(s.Name)).Append("</a></h1>\n")
          .Append("<p>Edit the signals and score again. Nothing is saved: the dossier on disk and the service's scores stay as they are.</p>\n");
        if (errors is not null)
        {
            sb.Append(Diagnostics(errors));
        }

        sb.Append("<div class=\"side\"><div><h2>Current</h2><p class=\"big\" id=\"current\">").Append(Numbers.Probability(s.Probability)).Append("</p><p>")
          .Append(Numbers.Probability(s.Low)).Append(" to ").Append(Numbers.Probability(s.High)).Append(' ').Append(Band(bands, s.Band)).Append("</p></div>");
        if (result is not null)
        {
            var n = result.Score;
            sb.Append("<div><h2>What if</h2><p class=\"big\" id=\"whatif-probability\">").Append(Numbers.Probability(n.Probability)).Append("</p><p>")
              .Append(Numbers.Probability(n.Low)).Append(" to ").Append(Numbers.Probability(n.High)).Append(' ').Append(Band(bands, n.Band))
              .Append(", change ").Append(E(Numbers.Signed(n.Probability - s.Probability))).Append("</p></div>");
        }

        sb.Append("</div>\n");
        if (result is not null)
        {
            sb.Append("<h2>Changed contributions</h2>\n");
            if (result.Changes.Count == 0)
            {
                sb.Append("<p>No contribution changed.</p>\n");
            }
            else
            {
                sb.Append("<table id=\"changes\"><thead><tr><th>Rule</th><th class=\"n\">Before</th><th class=\"n\">After</th><th class=\"n\">Change</th><th>Because (after)</th></tr></thead><tbody>\n");
                foreach (var c in result.Changes)
                {
                    sb.Append("<tr><td><code>").Append(E(c.Rule)).Append("</code></td><td class=\"n\">").Append(c.Before is null ? "none" : E(Numbers.Signed(c.Before.Value)))
                      .Append("</td><td class=\"n\">").Append(c.After is null ? "none" : E(Numbers.Signed(c.After.Value))).Append("</td><td class=\"n\">").Append(E(Numbers.Signed(c.Delta)))
                      .Append("</td><td>").Append(E(c.After?.Because ?? c.Before?.Because)).Append("</td></tr>\n");
                }

                sb.Append("</tbody></table>\n");
            }
        }

        var tokens = antiforgery.GetAndStoreTokens(ctx);
        sb.Append("<form method=\"post\" id=\"whatif-form\"><input type=\"hidden\" name=\"").Append(E(tokens.FormFieldName)).Append("\" value=\"").Append(E(tokens.RequestToken)).Append("\">\n")
          .Append("<h2>Signals</h2>\n<table id=\"signals\"><thead><tr><th>Remove</th><th class=\"n\">#</th><th>Kind</th><th>Date</th><th>Fields</th><th>Note</th></tr></thead><tbody>\n");
        for (var i = 0; i < s.Dossier.Signals.Count; i++)
        {
            var x = s.Dossier.Signals[i];
            var n = (i + 1).ToString(CultureInfo.InvariantCulture);
            sb.Append("<tr><td><input type=\"checkbox\" name=\"remove\" value=\"").Append(n).Append('"').Append(removed.Contains(n) ? " checked" : "").Append(" aria-label=\"remove signal ").Append(n).Append("\"></td>")
              .Append("<td class=\"n\">").Append(n).Append("</td><td>").Append(E(x.Kind.Name)).Append("</td><td>").Append(IsoDate.Format(x.Date)).Append("</td><td>")
              .Append(E(WhatIfReport.Fields(x))).Append("</td><td>").Append(E(x.Note)).Append("</td></tr>\n");
        }

        sb.Append("</tbody></table>\n<p><label for=\"add\">Add signals (YAML: one mapping or a list), e.g. <code>{kind: statement, date: ")
          .Append(IsoDate.Format(view.Report.AsOf)).Append(", stance: pro_closed}</code></label><br><textarea id=\"add\" name=\"add\" rows=\"5\">").Append(E(add)).Append("</textarea></p>\n")
          .Append("<p><label for=\"set\">Change fields, one per line: <code>N.FIELD=VALUE</code> (e.g. <code>3.date=2026-01-01</code>)</label><br><textarea id=\"set\" name=\"set\" rows=\"3\">").Append(E(set)).Append("</textarea></p>\n")
          .Append("<p><button type=\"submit\" id=\"score\">Score</button></p></form>\n");
        return sb.ToString();
    }

    private static async Task<IResult> RunPost(HttpContext ctx, IAntiforgery antiforgery, IOptions<WebOptions> web, IEnumerable<IHostedService> hosted, TimeProvider time)
    {
        if (await Action(ctx, antiforgery, web, "") is (null, { } refused))
        {
            return refused;
        }

        var result = await hosted.OfType<ReportWorker>().Single().RunOnceAsync(time.GetUtcNow(), ctx.RequestAborted);
        return result is null
            ? TypedResults.Content(Page("Run failed", "<p>The report run failed or the output folder was locked; see the service's log.</p>\n"), HtmlType, statusCode: 500)
            : TypedResults.Redirect("/", permanent: false);
    }

    private static IResult QualityPage(LiveScores live, ForecastQuality quality)
    {
        if (live.Current() is not { } view)
        {
            return NotReady();
        }

        var pack = view.Snapshot.Inputs.Pack;
        var sb = new StringBuilder("<h1>Forecast quality</h1>\n");
        if (quality.Current() is not { } q)
        {
            sb.Append("<p id=\"no-cases\">No case folder is configured, so there is nothing to backtest. Start the service with <code>--cases DIR</code> (or set <code>LicenseRisk:Web:Cases</code>): ")
              .Append("a folder of dossiers with a <code>case:</code> block (an as-of day and the known outcome), such as <code>samples/cases</code>. This page then shows <code>licenserisk backtest DIR</code> for the running pack.</p>\n");
            return TypedResults.Content(Page("Forecast quality", sb.ToString(), view.Snapshot.Stale), HtmlType);
        }

        sb.Append("<p>The running pack (").Append(E($"{pack.Info.Name} {pack.Info.Version}")).Append(view.Snapshot.Inputs.Policy is null ? "" : ", with the policy")
          .Append(") backtested over the cases in <code>").Append(E(q.Folder)).Append("</code>: each case scored as of its own day, with no look-ahead, against its known outcome, as <code>licenserisk backtest</code> does. ")
          .Append("Recomputed when the inputs reload or a case changes. The same figures as JSON: <a href=\"/api/v1/quality\">/api/v1/quality</a>.</p>\n");
        if (q.Report is not { } report)
        {
            sb.Append(Diagnostics(q.Errors, "The cases cannot be read:"));
            return TypedResults.Content(Page("Forecast quality", sb.ToString(), view.Snapshot.Stale), HtmlType);
        }

        if (report.Cases == 0)
        {
            sb.Append("<p id=\"no-cases\">No dossier in the folder has a <code>case:</code> block.</p>\n");
        }
        else
        {
            sb.Append("<figure class=\"chart\" id=\"reliability\"><img src=\"/quality/chart.svg\" width=\"1200\" height=\"520\" alt=\"Reliability diagram (mean forecast against observed frequency per bin) and each case's forecast against its outcome\"></figure>\n");
        }

        sb.Append("<pre id=\"backtest\">").Append(E(BacktestWriters.Table(report, markdown: false))).Append("</pre>\n");
        return TypedResults.Content(Page("Forecast quality", sb.ToString(), view.Snapshot.Stale), HtmlType);
    }

    private static IResult QualityChart(ForecastQuality quality) =>
        quality.Current() is { Chart: { } svg }
            ? TypedResults.Text(svg, "image/svg+xml; charset=utf-8")
            : TypedResults.Content(Page("Not found", "<p>No backtest chart: no case folder with cases is configured.</p>\n"), HtmlType, statusCode: StatusCodes.Status404NotFound);

    private static IResult ReviewPage(HttpContext ctx, LiveScores live, IAntiforgery antiforgery, ReviewDesk desk, [FromQuery(Name = "done")] string? done)
    {
        if (live.Current() is not { } view)
        {
            return NotReady();
        }

        var inboxes = desk.Inboxes();
        var pending = inboxes.Sum(i => i.Pending);
        var sb = new StringBuilder();
        sb.Append("<h1>Review</h1>\n");
        if (!string.IsNullOrEmpty(done))
        {
            sb.Append("<p class=\"notice\" id=\"done\">").Append(E(done)).Append("</p>\n");
        }

        sb.Append("<p>Candidate signals the collectors proposed (<code>licenserisk collect</code>), waiting in each dossier's <code>NAME.inbox.json</code>. A pending candidate counts in no score. ")
          .Append("Accepting appends the signal, with its provenance, to the end of the dossier's signals (as <code>licenserisk review --accept</code>) and the service reloads; rejecting keeps it in the inbox, marked, so it is never proposed again. ")
          .Append("Both need the token and a reason.</p>\n<p id=\"pending\">").Append(Plural.Of(pending, "candidate")).Append(" pending.</p>\n");
        var tokens = antiforgery.GetAndStoreTokens(ctx);
        var af = $"<input type=\"hidden\" name=\"{E(tokens.FormFieldName)}\" value=\"{E(tokens.RequestToken)}\">";
        foreach (var box in inboxes)
        {
            if (box.Inbox is null)
            {
                sb.Append("<h2 id=\"v-").Append(E(box.VendorId)).Append("\">").Append(E(box.VendorName)).Append("</h2>\n").Append(Diagnostics(box.Problems, "The inbox cannot be read:"));
                continue;
            }

            if (box.Pending == 0)
            {
                continue;
            }

            sb.Append("<h2 id=\"v-").Append(E(box.VendorId)).Append("\"><a href=\"/vendors/").Append(Uri.EscapeDataString(box.VendorId)).Append("\">").Append(E(box.VendorName)).Append("</a>: ")
              .Append(box.Pending).Append(" pending</h2>\n<p>Inbox <code>").Append(E(box.Inbox.Path)).Append("</code></p>\n");
            foreach (var c in box.Inbox.Pending)
            {
                var id = Uri.EscapeDataString(c.Id);
                sb.Append("<section class=\"candidate\" id=\"c-").Append(E(c.Id)).Append("\"><h3><code>").Append(E(c.Id)).Append("</code> ").Append(E(c.Signal.Kind)).Append(' ').Append(IsoDate.Format(c.Signal.Date)).Append("</h3>\n")
                  .Append("<table class=\"provenance\"><tbody>")
                  .Append("<tr><th>Proposes</th><td>").Append(E(c.Summary())).Append("</td></tr>")
                  .Append("<tr><th>Why</th><td>").Append(E(c.Why)).Append("</td></tr>")
                  .Append("<tr><th>Collector</th><td>").Append(E(c.Collector)).Append("</td></tr>")
                  .Append("<tr><th>From</th><td>").Append(Source(c.Url)).Append("</td></tr>")
                  .Append("<tr><th>Fetched</th><td>").Append(E(c.FetchedAt)).Append("</td></tr>")
                  .Append("<tr><th>Source</th><td>").Append(Source(c.Signal.Source)).Append("</td></tr>")
                  .Append("<tr><th>Confidence</th><td>").Append(c.Signal.Confidence.ToString("0.##", CultureInfo.InvariantCulture)).Append("</td></tr>")
                  .Append("<tr><th>Content SHA-256</th><td class=\"hash\">").Append(E(c.Sha256)).Append("</td></tr>")
                  .Append("</tbody></table>\n");
                var needs = string.Concat(c.Needs.Select(n => n + "=\n"));
                sb.Append("<form method=\"post\" class=\"accept\" action=\"/review/").Append(id).Append("/accept\">").Append(af)
                  .Append("<input type=\"hidden\" name=\"vendor\" value=\"").Append(E(box.VendorId)).Append("\">")
                  .Append("<label>Reason <input type=\"text\" name=\"reason\" required></label> ")
                  .Append("<label>Fields to give or correct, <code>FIELD=VALUE</code> per line").Append(c.Needs.Count > 0 ? $" (needs {E(string.Join(", ", c.Needs))})" : "").Append(" <textarea name=\"set\" rows=\"2\">").Append(E(needs)).Append("</textarea></label> ")
                  .Append("<label>Token <input type=\"password\" name=\"token\" autocomplete=\"off\"></label> <button type=\"submit\">Accept</button></form>\n")
                  .Append("<form method=\"post\" class=\"reject\" action=\"/review/").Append(id).Append("/reject\">").Append(af)
                  .Append("<input type=\"hidden\" name=\"vendor\" value=\"").Append(E(box.VendorId)).Append("\">")
                  .Append("<label>Reason <input type=\"text\" name=\"reason\" required></label> ")
                  .Append("<label>Token <input type=\"password\" name=\"token\" autocomplete=\"off\"></label> <button type=\"submit\">Reject</button></form></section>\n");
            }
        }

        return TypedResults.Content(Page("Review", sb.ToString(), view.Snapshot.Stale), HtmlType);
    }

    private static async Task<IResult> ReviewPost(string id, bool accept, HttpContext ctx, IAntiforgery antiforgery, IOptions<WebOptions> web, ReviewDesk desk)
    {
        var (form, refused) = await Action(ctx, antiforgery, web, "<p><a href=\"/review\">Back to the review</a></p>\n");
        if (form is null)
        {
            return refused!;
        }

        var problems = new List<string>();
        var set = accept ? Review.ParseSet(form["set"].ToString().Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries), problems.Add) : [];
        var vendor = form["vendor"].ToString();
        var outcome = problems.Count > 0 ? null : await desk.Decide(id, vendor.Length == 0 ? null : vendor, accept, form["reason"].ToString(), set, ctx.RequestAborted);
        if (outcome is { Done: true } o)
        {
            var what = accept
                ? $"Accepted {o.Candidate!.Id} ({o.Candidate.Signal.Kind} {IsoDate.Format(o.Candidate.Signal.Date)}) into {Path.GetFileName(o.Where!.Dossier)}; the scores were reloaded."
                : $"Rejected {o.Candidate!.Id}; it will not be proposed again.";
            return TypedResults.Redirect("/review?done=" + Uri.EscapeDataString(what), permanent: false);
        }

        var lines = outcome?.Lines ?? problems;
        var body = new StringBuilder("<h1>Not ").Append(accept ? "accepted" : "rejected").Append("</h1>\n<div class=\"errors\"><ul>");
        foreach (var line in lines)
        {
            body.Append("<li><code>").Append(E(line)).Append("</code></li>");
        }

        body.Append("</ul></div>\n<p><a href=\"/review\">Back to the review</a></p>\n");
        return TypedResults.Content(Page("Not " + (accept ? "accepted" : "rejected"), body.ToString()), HtmlType, statusCode: outcome?.Status ?? StatusCodes.Status400BadRequest);
    }

    /// <summary>
    /// A form that changes state: its antiforgery token must match its cookie (else the 400 page),
    /// then its token field the configured token (else the 401 or 403 page, with <paramref name="back"/>).
    /// </summary>
    /// <returns>the form, or null and the page refusing it.</returns>
    private static async Task<(IFormCollection? Form, IResult? Refused)> Action(HttpContext ctx, IAntiforgery antiforgery, IOptions<WebOptions> web, string back)
    {
        if (await Forgery(ctx, antiforgery) is { } refused)
        {
            return (null, refused);
        }

        var form = await ctx.Request.ReadFormAsync(ctx.RequestAborted);
        var check = Token.Verify(web.Value.Token, form["token"].ToString());
        return check == Token.Check.Ok
            ? (form, null)
            : (null, TypedResults.Content(Page("Refused", $"<p>{E(check == Token.Check.Missing ? "This action needs the token." : Token.Explain(check))}</p>\n{back}"), HtmlType, statusCode: Token.Status(check)));
    }

    /// <summary>Null when the form's antiforgery token matches its cookie; otherwise the 400 page.</summary>
    private static async Task<IResult?> Forgery(HttpContext ctx, IAntiforgery antiforgery)
    {
        if (await antiforgery.IsRequestValidAsync(ctx))
        {
            return null;
        }

        return TypedResults.Content(Page("Refused", "<p>The form's antiforgery token is missing or does not match: reload the page and send the form again.</p>\n"), HtmlType, statusCode: StatusCodes.Status400BadRequest);
    }
}
