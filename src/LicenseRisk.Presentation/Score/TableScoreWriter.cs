using System.Globalization;
using System.Text;
using LicenseRisk.Model;

namespace LicenseRisk.Presentation.Score;

/// <summary>A plain-text table for people: vendor, probability, 90% interval, band and the top reasons.</summary>
public static class TableScoreWriter
{
    public const int TopReasons = 3;

    public static string Render(ScoreReport report)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"Pack {Clean(report.Pack.Name)} {Clean(report.Pack.Version)} ({report.PackSha256[..12]}){(report.Policy is { } pol ? $", policy {Clean(pol.Name ?? pol.File)} ({pol.Sha256[..12]})" : string.Empty)}, as of {IsoDate.Format(report.AsOf)}, horizon {report.HorizonMonths} months\n\n");
        var idWidth = Math.Max(6, report.Vendors.Select(v => Clean(v.Id).Length).DefaultIfEmpty(0).Max());
        var header = $"{"VENDOR".PadRight(idWidth)}  {"P",-5}  {"90% INTERVAL",-12}  {"BAND",-9}  TOP REASONS";
        sb.Append(header).Append('\n');
        var indent = new string(' ', idWidth + 2 + 5 + 2 + 12 + 2 + 9 + 2);
        foreach (var v in report.Vendors)
        {
            var band = v.Coverage.ThinEvidence ? v.Band + "*" : v.Band;
            var line = $"{Clean(v.Id).PadRight(idWidth)}  {Numbers.Probability(v.Probability),-5}  {Numbers.Probability(v.Low) + "-" + Numbers.Probability(v.High),-12}  {Clean(band),-9}  ";
            sb.Append(line);
            var reasons = v.Contributions.Take(TopReasons).ToList();
            if (reasons.Count == 0)
            {
                sb.Append("(no rule fired: the prior alone)\n");
            }

            for (var i = 0; i < reasons.Count; i++)
            {
                if (i > 0)
                {
                    sb.Append(indent);
                }

                var c = reasons[i];
                sb.Append(CultureInfo.InvariantCulture, $"{Numbers.Signed(c.Value),6} {Clean(c.Rule)}: {Shorten(Clean(c.Because.Length > 0 ? c.Because : c.Title), 110)}\n");
            }

            if (v.Contributions.Count > TopReasons)
            {
                sb.Append(indent).Append(CultureInfo.InvariantCulture, $"... and {v.Contributions.Count - TopReasons} more counted (--format json or markdown for all)\n");
            }

            if (v.Outweighed.Count > 0)
            {
                var items = v.Outweighed.Select(o => FormattableString.Invariant($"{Clean(o.Contribution.Rule)} ({Numbers.Signed(o.Contribution.Value)}, lost to {Clean(o.By)})"));
                sb.Append(indent).Append("outweighed in their group: ").Append(string.Join("; ", items)).Append('\n');
            }

            foreach (var group in v.Derived.GroupBy(d => (d.Kind, d.By, Fields: string.Join(", ", d.Fields.Select(f => $"{f.Key}={f.Value}")))))
            {
                var times = group.Count() > 1 ? $" x{group.Count()}" : string.Empty;
                var fields = group.Key.Fields.Length > 0 ? $" ({Clean(group.Key.Fields)})" : string.Empty;
                sb.Append(indent).Append(CultureInfo.InvariantCulture, $"derived: {Clean(group.Key.Kind)}{fields} by {Clean(group.Key.By)}{times}\n");
            }

            if (v.Coverage.ThinEvidence)
            {
                sb.Append(indent).Append(CultureInfo.InvariantCulture, $"* thin evidence: {v.Coverage.ThinReason}; the score leans on the prior (absence of a signal is not evidence of absence)\n");
            }

            foreach (var x in v.Waived)
            {
                sb.Append(indent).Append(CultureInfo.InvariantCulture, $"waived: {Clean(x.Contribution.Rule)} ({Numbers.Signed(x.Contribution.Value)}) until {IsoDate.Format(x.Waiver.Expires)}, approved by {Clean(x.Waiver.Approver)}: {Clean(x.Waiver.Reason)}\n");
            }

            if (v.Ignored.Count > 0)
            {
                sb.Append(indent).Append(CultureInfo.InvariantCulture, $"ignored: {v.Ignored.Count} signal(s) dated after {IsoDate.Format(v.AsOf)}\n");
            }
        }

        return sb.ToString();
    }

    private static string Shorten(string s, int max) => s.Length <= max ? s : s[..(max - 3)] + "...";

    /// <summary>Strips control characters (terminal escape sequences) from text that came from input files.</summary>
    public static string Clean(string s)
    {
        if (!s.Any(char.IsControl))
        {
            return s;
        }

        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            sb.Append(char.IsControl(c) ? ' ' : c);
        }

        return sb.ToString();
    }
}
