using System.Globalization;
using System.Text;
using LicenseRisk.Model;
using LicenseRisk.Presentation.Score;

namespace LicenseRisk.Presentation.Report;

/// <summary>report.md: the summary table, then each vendor's reasons, new signals and data-quality warnings.</summary>
public static class MarkdownReportWriter
{
    /// <summary>Writes the report to <paramref name="text"/> a vendor at a time (a small buffer, handed on per vendor).</summary>
    public static void Write(TextWriter text, WeeklyReport report)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"# Weekly open-weights risk report, {report.IsoWeek}\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"Probability that each vendor's next top-tier model ships without downloadable weights within {report.HorizonMonths} months, as of {IsoDate.Format(report.AsOf)}.\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"Rule pack `{E(report.Pack.Name)}` {E(report.Pack.Version)}, sha256 `{report.PackSha256}`.\n\n");
        if (report.Policy is { } p)
        {
            sb.Append(CultureInfo.InvariantCulture, $"Policy `{E(p.Name ?? p.File)}`{(p.Name is null ? "" : $" (file `{E(p.File)}`)")}, sha256 `{p.Sha256}`.\n\n");
        }

        if (report.StaleInputs is { } stale)
        {
            sb.Append("> **Stale inputs:** ").Append(E(Fmt.Stale(stale))).Append("\n>\n");
            foreach (var d in stale.Errors)
            {
                sb.Append("> - ").Append(E(d.ToString())).Append('\n');
            }

            sb.Append('\n');
        }

        sb.Append(report.Previous is { } prev
            ? string.Create(CultureInfo.InvariantCulture, $"Changes are since the run of {IsoDate.Format(prev.AsOf)} ({prev.IsoWeek}){(prev.PackSha256 == report.PackSha256 ? "" : ", which used another rule pack")}.\n\n")
            : "No earlier run is stored: this is the first report.\n\n");
        sb.Append("| vendor | probability | 90% interval | band | change | top reasons |\n| --- | ---: | :---: | --- | ---: | --- |\n");
        foreach (var v in report.Vendors)
        {
            var s = v.Score;
            var top = s.Contributions.Count == 0
                ? "none: the prior alone"
                : string.Join(", ", s.Contributions.Take(3).Select(c => $"`{E(c.Rule)}` ({Numbers.Signed(c.Value)})"));
            var band = v.Change is { } ch && ch.BandChanged(s.Band) ? $"{E(s.Band)} (was {E(ch.PreviousBand)})" : E(s.Band);
            sb.Append(CultureInfo.InvariantCulture, $"| {E(s.Name)} (`{E(s.Id)}`) | {Numbers.Probability(s.Probability)} | {Numbers.Probability(s.Low)} to {Numbers.Probability(s.High)} | {band} | {Fmt.Delta(v.Change)} | {top} |\n");
            Flush(text, sb);
        }

        if (report.Collection is { } collection)
        {
            Collection(sb, collection, report);
            Flush(text, sb);
        }

        foreach (var v in report.Vendors)
        {
            Vendor(sb, v);
            Flush(text, sb);
        }
    }

    private static void Flush(TextWriter text, StringBuilder sb)
    {
        text.Write(sb);
        sb.Clear();
    }

    /// <summary>The service's collection: new since the last run, pending review, failed sources.</summary>
    private static void Collection(StringBuilder sb, CollectionSection c, WeeklyReport report)
    {
        sb.Append("\n## Collected evidence\n\n").Append(E(CollectionText.Intro(c))).Append("\n\n");
        sb.Append("| vendor | proposed | accepted | pending review | oldest pending |\n| --- | ---: | ---: | ---: | --- |\n");
        foreach (var v in c.Vendors)
        {
            sb.Append(CultureInfo.InvariantCulture, $"| {E(v.Name)} (`{E(v.Vendor)}`) | {v.Proposed.Count} | {v.Accepted.Count} | {v.Pending} | {CollectionText.OldestAge(v, report.AsOf)} |\n");
        }

        sb.Append("\n### New since the last run\n\n");
        var any = false;
        foreach (var v in c.Vendors)
        {
            foreach (var (verb, i) in v.Accepted.Select(i => ("accepted", i)).Concat(v.Proposed.Select(i => ("proposed", i))))
            {
                sb.Append(CultureInfo.InvariantCulture, $"- `{E(v.Vendor)}` `{E(i.Id)}`: {E(CollectionText.Item(verb, i))}\n");
                any = true;
            }
        }

        sb.Append(any ? "\n" : "Nothing.\n\n");
        sb.Append("### Sources that failed this run\n\n");
        if (c.Failed.Count == 0)
        {
            sb.Append(CollectionText.NoFailures).Append('\n');
        }

        foreach (var f in c.Failed)
        {
            sb.Append("- ").Append(E(CollectionText.Failure(f))).Append('\n');
        }
    }

    private static void Vendor(StringBuilder sb, VendorEntry v)
    {
        var s = v.Score;
        sb.Append(CultureInfo.InvariantCulture, $"\n## {E(s.Name)} (`{E(s.Id)}`)\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"**{Numbers.Probability(s.Probability)}** (90% interval {Numbers.Probability(s.Low)} to {Numbers.Probability(s.High)}, band {E(s.Band)}), from {s.SignalsConsidered} signals in `{E(s.Dossier.File)}`.");
        sb.Append(v.Change is { } c
            ? string.Create(CultureInfo.InvariantCulture, $" Change since {IsoDate.Format(c.PreviousAsOf)}: {Numbers.Signed(c.Delta)} (was {Numbers.Probability(c.PreviousProbability)}, {E(c.PreviousBand)}).\n\n")
            : " No earlier score is stored.\n\n");
        if (v.Trend.Count > 1)
        {
            sb.Append("Trend: ").Append(string.Join(" → ", v.Trend.Select(t => $"{Numbers.Probability(t.Probability)} ({t.IsoWeek})"))).Append("\n\n");
        }

        sb.Append("### Contributions\n\n");
        if (s.Contributions.Count == 0)
        {
            sb.Append(s.Waived.Count == 0 ? "No rule fired: the probability is the pack's prior.\n\n" : "No rule counted (a policy waived what fired): the probability is the pack's prior.\n\n");
        }
        else
        {
            sb.Append("| contribution | rule | because | weight × confidence × decay | signals |\n| ---: | --- | --- | --- | --- |\n");
            foreach (var k in s.Contributions)
            {
                sb.Append(CultureInfo.InvariantCulture,
                    $"| {Numbers.Signed(k.Value)} | `{E(k.Rule)}` {E(k.Title)} | {E(k.Because)} | {k.Weight:0.00} × {k.Confidence:0.00} × {k.Decay:0.00} | {E(string.Join(", ", k.Signals))} |\n");
            }

            sb.Append('\n');
        }

        foreach (var o in s.Outweighed)
        {
            sb.Append(CultureInfo.InvariantCulture, $"- outweighed: `{E(o.Contribution.Rule)}` ({Numbers.Signed(o.Contribution.Value)}) lost to `{E(o.By)}` in its group: {E(o.Contribution.Because)}\n");
        }

        foreach (var x in s.Waived)
        {
            sb.Append("- ").Append(MarkdownScoreWriter.Waived(x)).Append('\n');
        }

        if (s.Outweighed.Count + s.Waived.Count > 0)
        {
            sb.Append('\n');
        }

        sb.Append("### Signals added since the last run\n\n");
        if (v.Change is null)
        {
            sb.Append("No earlier run to compare with.\n\n");
        }
        else if (v.NewSignals.Count == 0)
        {
            sb.Append("None.\n\n");
        }
        else
        {
            foreach (var n in v.NewSignals)
            {
                sb.Append(CultureInfo.InvariantCulture, $"- {IsoDate.Format(n.Date)} {E(n.Kind)} `{E(n.Label)}`{(n.Note is null ? "" : ": " + E(n.Note))}{(n.Source is null ? "" : " (source: " + E(n.Source) + ")")}{(n.Provenance is null ? "" : " [" + E(n.Provenance) + "]")}\n");
            }

            sb.Append('\n');
        }

        sb.Append("### Data quality\n\n");
        if (v.DataWarnings.Count == 0)
        {
            sb.Append("No warnings.\n");
        }
        else
        {
            foreach (var w in v.DataWarnings)
            {
                sb.Append("- ").Append(E(w)).Append('\n');
            }
        }
    }

    private static string E(string s) => MarkdownScoreWriter.Escape(s);
}
