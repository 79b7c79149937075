using System.Globalization;
using System.Net;
using System.Text;
using LicenseRisk.Model;

namespace LicenseRisk.Presentation.Report;

/// <summary>report.html: the Markdown report's content, self-contained (inline CSS and SVG charts, no external requests).</summary>
public static class HtmlReportWriter
{
    private const string Css = """
        body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:980px;color:#222;line-height:1.4}
        table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #ccc;padding:.25rem .5rem;vertical-align:top}
        td.n{text-align:right;font-variant-numeric:tabular-nums}code{background:#f4f4f4;padding:0 .2rem}
        .warn{color:#8a4b00}.up{color:#a11}.down{color:#161}figure.chart{margin:1rem 0}figure.chart svg{max-width:100%;height:auto}
        """;

    /// <summary>
    /// Writes the page to <paramref name="page"/> a vendor at a time: each vendor's section (with
    /// its charts) is built in a small buffer and handed on, so memory does not grow with the report.
    /// </summary>
    public static void Write(TextWriter page, WeeklyReport report)
    {
        var sb = new StringBuilder();
        using var charts = new StringWriter(sb, CultureInfo.InvariantCulture);
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        sb.Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n");
        sb.Append(CultureInfo.InvariantCulture, $"<title>Weekly open-weights risk report, {report.IsoWeek}</title>\n<style>{Css}</style>\n</head>\n<body>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<h1>Weekly open-weights risk report, {report.IsoWeek}</h1>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<p>Probability that each vendor's next top-tier model ships without downloadable weights within {report.HorizonMonths} months, as of {IsoDate.Format(report.AsOf)}.</p>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<p>Rule pack <code>{H(report.Pack.Name)}</code> {H(report.Pack.Version)}, sha256 <code>{H(report.PackSha256)}</code>.</p>\n");
        if (report.Policy is { } p)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<p>Policy <code>{H(p.Name ?? p.File)}</code>{(p.Name is null ? "" : $" (file <code>{H(p.File)}</code>)")}, sha256 <code>{H(p.Sha256)}</code>.</p>\n");
        }

        if (report.StaleInputs is { } stale)
        {
            sb.Append("<div id=\"stale-inputs\" class=\"warn\">\n<p><strong>Stale inputs:</strong> ").Append(H(Fmt.Stale(stale))).Append("</p>\n<ul>\n");
            foreach (var d in stale.Errors)
            {
                sb.Append("<li>").Append(H(d.ToString())).Append("</li>\n");
            }

            sb.Append("</ul>\n</div>\n");
        }

        sb.Append(report.Previous is { } prev
            ? string.Create(CultureInfo.InvariantCulture, $"<p>Changes are since the run of {IsoDate.Format(prev.AsOf)} ({prev.IsoWeek}){(prev.PackSha256 == report.PackSha256 ? "" : ", which used another rule pack")}.</p>\n")
            : "<p>No earlier run is stored: this is the first report.</p>\n");
        sb.Append("<table id=\"summary\">\n<tr><th>vendor</th><th>probability</th><th>90% interval</th><th>band</th><th>change</th><th>top reasons</th></tr>\n");
        foreach (var v in report.Vendors)
        {
            var s = v.Score;
            var band = v.Change is { } ch && ch.BandChanged(s.Band) ? $"{H(s.Band)} (was {H(ch.PreviousBand)})" : H(s.Band);
            var top = s.Contributions.Count == 0 ? "none: the prior alone" : string.Join(", ", s.Contributions.Take(3).Select(c => $"<code>{H(c.Rule)}</code> ({Numbers.Signed(c.Value)})"));
            sb.Append(CultureInfo.InvariantCulture,
                $"<tr><td><a href=\"#v-{H(s.Id)}\">{H(s.Name)}</a></td><td class=\"n\">{Numbers.Probability(s.Probability)}</td><td class=\"n\">{Numbers.Probability(s.Low)} to {Numbers.Probability(s.High)}</td><td>{band}</td><td class=\"n {Dir(v.Change)}\">{Fmt.Delta(v.Change)}</td><td>{top}</td></tr>\n");
            Flush(page, sb);
        }

        sb.Append("</table>\n");
        Charts.Probabilities(charts, report, "chart-probabilities");
        Flush(page, sb);
        if (report.Collection is { } collection)
        {
            Collection(sb, collection, report);
            Flush(page, sb);
        }

        foreach (var v in report.Vendors)
        {
            Vendor(sb, charts, v);
            Flush(page, sb);
        }

        sb.Append("</body>\n</html>\n");
        Flush(page, sb);
    }

    private static void Flush(TextWriter page, StringBuilder sb)
    {
        page.Write(sb);
        sb.Clear();
    }

    /// <summary>The service's collection: new since the last run, pending review, failed sources.</summary>
    private static void Collection(StringBuilder sb, CollectionSection c, WeeklyReport report)
    {
        sb.Append("<section id=\"collection\">\n<h2>Collected evidence</h2>\n<p>").Append(H(CollectionText.Intro(c))).Append("</p>\n");
        sb.Append("<table>\n<tr><th>vendor</th><th>proposed</th><th>accepted</th><th>pending review</th><th>oldest pending</th></tr>\n");
        foreach (var v in c.Vendors)
        {
            sb.Append(CultureInfo.InvariantCulture,
                $"<tr><td><a href=\"#v-{H(v.Vendor)}\">{H(v.Name)}</a></td><td class=\"n\">{v.Proposed.Count}</td><td class=\"n\">{v.Accepted.Count}</td><td class=\"n\">{v.Pending}</td><td>{CollectionText.OldestAge(v, report.AsOf)}</td></tr>\n");
        }

        sb.Append("</table>\n<h3>New since the last run</h3>\n");
        var items = c.Vendors.SelectMany(v => v.Accepted.Select(i => (v.Vendor, Verb: "accepted", i)).Concat(v.Proposed.Select(i => (v.Vendor, Verb: "proposed", i)))).ToList();
        if (items.Count == 0)
        {
            sb.Append("<p>Nothing.</p>\n");
        }
        else
        {
            sb.Append("<ul>\n");
            foreach (var (vendor, verb, i) in items)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<li><code>{H(vendor)}</code> <code>{H(i.Id)}</code>: {H(CollectionText.Item(verb, i))}</li>\n");
            }

            sb.Append("</ul>\n");
        }

        sb.Append("<h3>Sources that failed this run</h3>\n");
        if (c.Failed.Count == 0)
        {
            sb.Append("<p>").Append(CollectionText.NoFailures).Append("</p>\n");
        }
        else
        {
            sb.Append("<ul class=\"warn\" id=\"failed-sources\">\n");
            foreach (var f in c.Failed)
            {
                sb.Append("<li>").Append(H(CollectionText.Failure(f))).Append("</li>\n");
            }

            sb.Append("</ul>\n");
        }

        sb.Append("</section>\n");
    }

    /// <summary>A vendor's section; <paramref name="charts"/> writes into <paramref name="sb"/>.</summary>
    private static void Vendor(StringBuilder sb, TextWriter charts, VendorEntry v)
    {
        var s = v.Score;
        sb.Append(CultureInfo.InvariantCulture, $"<section id=\"v-{H(s.Id)}\">\n<h2>{H(s.Name)} (<code>{H(s.Id)}</code>)</h2>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<p><strong>{Numbers.Probability(s.Probability)}</strong> (90% interval {Numbers.Probability(s.Low)} to {Numbers.Probability(s.High)}, band {H(s.Band)}), from {s.SignalsConsidered} signals in <code>{H(s.Dossier.File)}</code>.");
        sb.Append(v.Change is { } c
            ? string.Create(CultureInfo.InvariantCulture, $" Change since {IsoDate.Format(c.PreviousAsOf)}: <span class=\"{Dir(c)}\">{Numbers.Signed(c.Delta)}</span> (was {Numbers.Probability(c.PreviousProbability)}, {H(c.PreviousBand)}).</p>\n")
            : " No earlier score is stored.</p>\n");
        Charts.Trend(charts, v, $"chart-trend-{s.Id}");
        sb.Append("<h3>Contributions</h3>\n");
        if (s.Contributions.Count == 0)
        {
            sb.Append(s.Waived.Count == 0 ? "<p>No rule fired: the probability is the pack's prior.</p>\n" : "<p>No rule counted (a policy waived what fired): the probability is the pack's prior.</p>\n");
        }
        else
        {
            Charts.Contributions(charts, v, $"chart-contrib-{s.Id}");
            sb.Append("<table>\n<tr><th>contribution</th><th>rule</th><th>because</th><th>weight × confidence × decay</th><th>signals</th></tr>\n");
            foreach (var k in s.Contributions)
            {
                sb.Append(CultureInfo.InvariantCulture,
                    $"<tr><td class=\"n\">{Numbers.Signed(k.Value)}</td><td><code>{H(k.Rule)}</code> {H(k.Title)}</td><td>{H(k.Because)}</td><td class=\"n\">{k.Weight:0.00} × {k.Confidence:0.00} × {k.Decay:0.00}</td><td>{H(string.Join(", ", k.Signals))}</td></tr>\n");
            }

            sb.Append("</table>\n");
        }

        if (s.Outweighed.Count + s.Waived.Count > 0)
        {
            sb.Append("<ul>\n");
            foreach (var o in s.Outweighed)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<li>outweighed: <code>{H(o.Contribution.Rule)}</code> ({Numbers.Signed(o.Contribution.Value)}) lost to <code>{H(o.By)}</code> in its group: {H(o.Contribution.Because)}</li>\n");
            }

            foreach (var x in s.Waived)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<li>waived: <code>{H(x.Contribution.Rule)}</code> ({Numbers.Signed(x.Contribution.Value)}) until {IsoDate.Format(x.Waiver.Expires)}, approved by {H(x.Waiver.Approver)}: {H(x.Waiver.Reason)}</li>\n");
            }

            sb.Append("</ul>\n");
        }

        sb.Append("<h3>Signals added since the last run</h3>\n");
        if (v.Change is null)
        {
            sb.Append("<p>No earlier run to compare with.</p>\n");
        }
        else if (v.NewSignals.Count == 0)
        {
            sb.Append("<p>None.</p>\n");
        }
        else
        {
            sb.Append("<ul>\n");
            foreach (var n in v.NewSignals)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<li>{IsoDate.Format(n.Date)} {H(n.Kind)} <code>{H(n.Label)}</code>{(n.Note is null ? "" : ": " + H(n.Note))}{(n.Source is null ? "" : " (source: " + H(n.Source) + ")")}{(n.Provenance is null ? "" : " [" + H(n.Provenance) + "]")}</li>\n");
            }

            sb.Append("</ul>\n");
        }

        sb.Append("<h3>Data quality</h3>\n");
        if (v.DataWarnings.Count == 0)
        {
            sb.Append("<p>No warnings.</p>\n");
        }
        else
        {
            sb.Append("<ul class=\"warn\">\n");
            foreach (var w in v.DataWarnings)
            {
                sb.Append("<li>").Append(H(w)).Append("</li>\n");
            }

            sb.Append("</ul>\n");
        }

        sb.Append("</section>\n");
    }

    private static string Dir(Change? c) => c is null ? "" : c.Delta > 0.005 ? "up" : c.Delta < -0.005 ? "down" : "";

    /// <summary>HTML-escapes text from input files.</summary>
    public static string H(string s) => WebUtility.HtmlEncode(s);
}
