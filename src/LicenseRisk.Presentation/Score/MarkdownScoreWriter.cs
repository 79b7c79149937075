using System.Globalization;
using System.Text;
using LicenseRisk.Model;

namespace LicenseRisk.Presentation.Score;

/// <summary>A Markdown report for people (and job summaries): a summary table, then every reason per vendor.</summary>
public static class MarkdownScoreWriter
{
    public static string Render(ScoreReport report)
    {
        var sb = new StringBuilder();
        sb.Append("# Open-weights risk\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"Probability that each vendor's next top-tier model ships without downloadable weights within {report.HorizonMonths} months, as of {IsoDate.Format(report.AsOf)}. ");
        sb.Append(CultureInfo.InvariantCulture, $"Rule pack `{Escape(report.Pack.Name)}` {Escape(report.Pack.Version)} (sha256 `{report.PackSha256[..12]}`).\n\n");
        sb.Append("| vendor | probability | 90% interval | band | top reason |\n| --- | ---: | :---: | --- | --- |\n");
        foreach (var v in report.Vendors)
        {
            var top = v.Contributions.Count > 0 ? $"`{v.Contributions[0].Rule}` ({Numbers.Signed(v.Contributions[0].Value)})" : "none: the prior alone";
            sb.Append(CultureInfo.InvariantCulture, $"| {Escape(v.Name)} (`{Escape(v.Id)}`) | {Numbers.Probability(v.Probability)} | {Numbers.Probability(v.Low)} to {Numbers.Probability(v.High)} | {Escape(v.Band)} | {top} |\n");
        }

        foreach (var v in report.Vendors)
        {
            sb.Append(CultureInfo.InvariantCulture, $"\n## {Escape(v.Name)}\n\n");
            sb.Append(CultureInfo.InvariantCulture, $"**{Numbers.Probability(v.Probability)}** (90% interval {Numbers.Probability(v.Low)} to {Numbers.Probability(v.High)}, band {Escape(v.Band)}), from {v.SignalsConsidered} signals in `{Escape(v.Dossier.File)}`.\n\n");
            if (v.Coverage.ThinEvidence)
            {
                sb.Append(CultureInfo.InvariantCulture, $"> **Thin evidence:** {Escape(v.Coverage.ThinReason ?? string.Empty)}. The score leans on the prior; absence of a signal is not evidence of absence.\n\n");
            }

            if (v.Coverage.GroupsWithoutData.Count > 0)
            {
                sb.Append(CultureInfo.InvariantCulture, $"Factor groups with no data at all: {Escape(string.Join(", ", v.Coverage.GroupsWithoutData))}.\n\n");
            }

            foreach (var x in v.Waived)
            {
                sb.Append("- ").Append(Waived(x)).Append('\n');
            }

            if (v.Waived.Count > 0)
            {
                sb.Append('\n'); // a list running into a table makes the table part of the last item
            }

            if (v.Contributions.Count > 0)
            {
                sb.Append("| contribution | rule | because | signals |\n| ---: | --- | --- | --- |\n");
                foreach (var c in v.Contributions)
                {
                    sb.Append(CultureInfo.InvariantCulture, $"| {Numbers.Signed(c.Value)} | `{Escape(c.Rule)}` {Escape(c.Title)} | {Escape(c.Because)} | {Escape(string.Join(", ", c.Signals))} |\n");
                }

                sb.Append('\n');
            }

            if (v.Outweighed.Count > 0)
            {
                sb.Append("Also fired, but outweighed in their group (counted once per group):\n\n");
                foreach (var o in v.Outweighed)
                {
                    sb.Append(CultureInfo.InvariantCulture, $"- `{Escape(o.Contribution.Rule)}` ({Numbers.Signed(o.Contribution.Value)}) lost to `{Escape(o.By)}` in `{Escape(o.Contribution.Group ?? string.Empty)}`: {Escape(o.Contribution.Because)}\n");
                }

                sb.Append('\n');
            }

            if (v.Derived.Count > 0)
            {
                sb.Append("Derived signals:\n\n");
                foreach (var d in v.Derived)
                {
                    sb.Append(CultureInfo.InvariantCulture, $"- {Escape(d.Kind)} ({Escape(string.Join(", ", d.Fields.Select(f => $"{f.Key}: {f.Value}")))}) on {IsoDate.Format(d.Date)} by `{Escape(d.By)}`\n");
                }

                sb.Append('\n');
            }

            if (v.Ignored.Count > 0)
            {
                sb.Append(CultureInfo.InvariantCulture, $"Ignored ({IgnoredSignal.After(v.Ignored)} {IsoDate.Format(v.AsOf)}): {Escape(string.Join(", ", v.Ignored.Select(i => i.Label)))}\n");
            }
        }

        return sb.ToString();
    }

    /// <summary>A waived contribution as one line of Markdown; the weekly report shows the same.</summary>
    public static string Waived(WaivedContribution x) =>
        string.Create(CultureInfo.InvariantCulture, $"Waived: `{Escape(x.Contribution.Rule)}` ({Numbers.Signed(x.Contribution.Value)}) until {IsoDate.Format(x.Waiver.Expires)}, approved by {Escape(x.Waiver.Approver)}: {Escape(x.Waiver.Reason)}");

    /// <summary>Escapes text from input files so it cannot break the table or inject HTML.</summary>
    public static string Escape(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            switch (c)
            {
                case '|' or '\\' or '`' or '*' or '_' or '[' or ']' or '<' or '>' or '#':
                    sb.Append('\\').Append(c);
                    break;
                case '\r' or '\n':
                    sb.Append(' ');
                    break;
                default:
                    sb.Append(char.IsControl(c) ? ' ' : c);
                    break;
            }
        }

        return sb.ToString();
    }
}
