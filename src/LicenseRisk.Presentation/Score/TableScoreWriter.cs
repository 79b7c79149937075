using System.Globalization;
using System.Text;
using LicenseRisk.Model;
using LicenseRisk.Scoring;

namespace LicenseRisk.Presentation.Score;

/// <summary>
/// The default view of <c>score</c>, for people: a summary line per vendor (probability, 90%
/// interval, band), then each vendor's strongest reasons as sentences, wrapped to the width, then a
/// legend that says how to read it. Rule ids, derived-signal kinds and every signal stay in the
/// JSON and Markdown outputs. The text depends only on the report and the width.
/// </summary>
public static class TableScoreWriter
{
    /// <summary>The width when the output is not a terminal (a pipe, a file): the same on every machine.</summary>
    public const int DefaultWidth = 80;

    public const int TopReasons = 3;

    /// <summary>Where a reason's text starts: after two spaces and a signed contribution.</summary>
    private const int ReasonIndent = 9;

    public static string Render(ScoreReport report, int width = DefaultWidth)
    {
        var sb = new StringBuilder();
        var policy = report.Policy is { } pol ? $", policy {Clean(pol.Name ?? pol.File)} ({pol.Sha256[..12]})" : string.Empty;
        Wrap(sb, string.Empty, $"Pack {Clean(report.Pack.Name)} {Clean(report.Pack.Version)} ({report.PackSha256[..12]}){policy}, as of {IsoDate.Format(report.AsOf)}, horizon {report.HorizonMonths} months", width, 2);
        sb.Append('\n');

        var idWidth = Math.Max(6, report.Vendors.Select(v => Clean(v.Id).Length).DefaultIfEmpty(0).Max());
        sb.Append(CultureInfo.InvariantCulture, $"{"VENDOR".PadRight(idWidth)}  {"P",-4}  {"90% INTERVAL",-12}  BAND\n");
        foreach (var v in report.Vendors)
        {
            var band = Clean(v.Band) + (v.Coverage.ThinEvidence ? " *" : string.Empty);
            sb.Append(CultureInfo.InvariantCulture, $"{Clean(v.Id).PadRight(idWidth)}  {Numbers.Probability(v.Probability),-4}  {Numbers.Probability(v.Low) + "-" + Numbers.Probability(v.High),-12}  {band}\n");
        }

        foreach (var v in report.Vendors)
        {
            sb.Append('\n');
            Vendor(sb, v, width);
        }

        if (report.Vendors.Count > 0)
        {
            sb.Append('\n');
            Legend(sb, report, width);
        }

        return sb.ToString();
    }

    private static void Vendor(StringBuilder sb, VendorScore v, int width)
    {
        var name = Clean(v.Name) == Clean(v.Id) ? Clean(v.Id) : $"{Clean(v.Id)}, {Clean(v.Name)}";
        Wrap(sb, string.Empty, $"{name}: {Numbers.Probability(v.Probability)}, {Clean(v.Band)}{(v.Coverage.ThinEvidence ? " *" : string.Empty)}", width, 2);
        var reasons = v.Contributions.Take(TopReasons).ToList();
        if (reasons.Count == 0)
        {
            Note(sb, "No rule fired: the probability is the prior's.", width);
        }

        foreach (var c in reasons)
        {
            Wrap(sb, $"  {Numbers.Signed(c.Value),5}  ", Sentence(c), width, ReasonIndent);
        }

        var more = v.Contributions.Count - reasons.Count;
        if (more > 0)
        {
            Note(sb, $"{Plural.Of(more, "more reason")} counted, each weaker.", width);
        }

        if (v.Outweighed.Count > 0)
        {
            Note(sb, $"{Plural.Of(v.Outweighed.Count, "more reason")} not counted: a stronger reason of the same kind already counts.", width);
        }

        var collected = JsonScoreWriter.CollectedSignals(v);
        if (collected.Count > 0)
        {
            var listed = collected.Select(s => $"{Clean(s.Label)} ({Clean(s.Provenance!.Collector)}{Clean(Report.NewSignal.Accepted(s.Provenance))})");
            Note(sb, $"Collected by LicenseRisk and accepted in review: {string.Join("; ", listed)}. The other {Plural.Of(v.SignalsConsidered - collected.Count, "signal")} were typed by hand.", width);
        }

        if (v.Derived.Count > 0)
        {
            var inferred = v.Derived
                .Select(d => Words(d.Kind) + (d.Fields.Count > 0 ? $" ({string.Join(", ", d.Fields.Select(f => $"{Words(f.Key)} {Human(f.Value)}"))})" : string.Empty))
                .Distinct(StringComparer.Ordinal);
            Note(sb, $"Inferred from the signals: {string.Join("; ", inferred)}.", width);
        }

        foreach (var x in v.Waived)
        {
            Note(sb, $"Waived by the policy until {IsoDate.Format(x.Waiver.Expires)} (approved by {Clean(x.Waiver.Approver)}: {Clean(x.Waiver.Reason)}), not counted: {Numbers.Signed(x.Contribution.Value)} {Sentence(x.Contribution)}", width);
        }

        if (v.Coverage.ThinEvidence)
        {
            Note(sb, $"* Thin evidence: {Clean(v.Coverage.ThinReason ?? string.Empty)}. The probability leans on the prior; a missing signal is not evidence that nothing happened.", width);
        }

        if (v.Ignored.Count > 0)
        {
            Note(sb, $"{Plural.Of(v.Ignored.Count, "signal")} {IgnoredSignal.After(v.Ignored)} {IsoDate.Format(v.AsOf)} left out (not used).", width);
        }
    }

    private static void Legend(StringBuilder sb, ScoreReport report, int width)
    {
        sb.Append("How to read this\n");
        Wrap(sb, "  ", $"P is the chance that the vendor's next top-tier model ships without downloadable weights within {report.HorizonMonths} months; the 90% interval is how sure that is.", width, 4);
        var bands = report.Bands.Thresholds;
        if (bands.Count > 0)
        {
            var parts = bands.Select((b, i) => Clean(b.Key) + (i + 1 < bands.Count
                ? i == 0 ? $" below {Numbers.Probability(bands[1].Value)}" : $" from {Numbers.Probability(b.Value)} to {Numbers.Probability(bands[i + 1].Value)}"
                : i == 0 ? " at any P" : $" from {Numbers.Probability(b.Value)} up"));
            Wrap(sb, "  ", $"Bands (from the pack): {string.Join(", ", parts)}.", width, 4);
        }

        Wrap(sb, "  ", "A reason's number is what it adds to the log-odds of the prior: +0.69 doubles the odds, -0.69 halves them; older signals count less.", width, 4);
        Wrap(sb, "  ", $"* marks thin evidence: under {EvidenceCoverage.ThinSignals} signals, the newest older than {EvidenceCoverage.StaleDays} days, or data in under a third of the factor groups; a low P then does not mean safe.", width, 4);
        Wrap(sb, "  ", "Every reason, rule and signal: --format markdown or --format json.", width, 4);
    }

    /// <summary>A note under a vendor's reasons, indented as the reasons' text.</summary>
    private static void Note(StringBuilder sb, string text, int width) =>
        Wrap(sb, new string(' ', ReasonIndent), text, width, ReasonIndent);

    /// <summary>The reason as the rule words it (its <c>because</c>, else its title), with numbers for people.</summary>
    private static string Sentence(Contribution c) => Human(Clean(c.Because.Length > 0 ? c.Because : c.Title));

    /// <summary>An identifier such as <c>closed_lab_leadership</c> as words.</summary>
    private static string Words(string id) => Clean(id).Replace('_', ' ');

    /// <summary>
    /// Text for people: whole numbers of 5 digits or more read as "90,000", "700 M", "7.4 B"; a
    /// lone <c>?</c> (a field the dossier does not give) reads as "unknown".
    /// </summary>
    public static string Human(string text)
    {
        var sb = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            var boundaryBefore = i == 0 || !(char.IsLetterOrDigit(text[i - 1]) || text[i - 1] is '.' or ',' or '-' or '_');
            if (char.IsAsciiDigit(c) && boundaryBefore)
            {
                var end = i;
                while (end < text.Length && char.IsAsciiDigit(text[end]))
                {
                    end++;
                }

                var boundaryAfter = end == text.Length || !(char.IsLetterOrDigit(text[end]) || text[end] == '_' || (text[end] is '.' or ',' && end + 1 < text.Length && char.IsAsciiDigit(text[end + 1])));
                var digits = text[i..end];
                sb.Append(boundaryAfter && digits.Length >= 5 && digits[0] != '0' && double.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? Numbers.Large(n) : digits);
                i = end;
            }
            else if (c == '?' && (i == 0 || text[i - 1] is ' ' or '(') && (i + 1 == text.Length || text[i + 1] is ' ' or ')' or ',' or ';' or ':'))
            {
                sb.Append("unknown");
                i++;
            }
            else
            {
                sb.Append(c);
                i++;
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// Appends <paramref name="prefix"/> then <paramref name="text"/> word-wrapped to <paramref name="width"/>
    /// columns, the lines after the first indented by <paramref name="hanging"/>. A word longer than
    /// a line (a URL) gets a line of its own.
    /// </summary>
    private static void Wrap(StringBuilder sb, string prefix, string text, int width, int hanging)
    {
        var line = new StringBuilder(prefix);
        var empty = true;
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!empty && line.Length + 1 + word.Length > width)
            {
                sb.Append(line).Append('\n');
                line.Clear().Append(' ', hanging);
                empty = true;
            }

            if (!empty)
            {
                line.Append(' ');
            }

            line.Append(word);
            empty = false;
        }

        sb.Append(line).Append('\n');
    }

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
