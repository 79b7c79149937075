using System.Globalization;
using System.Text;
using LicenseRisk.Model;
using LicenseRisk.Scoring;

namespace LicenseRisk.Presentation.Score;

/// <summary>
/// GitHub Actions workflow commands: one <c>::error</c> (vendor tripped the gate) or <c>::warning</c>
/// (no gate given) annotation per line of each matched signal of each counted positive contribution,
/// for the same vendors the SARIF log reports (<see cref="Gate.Reports"/>). Text from input files is
/// escaped as GitHub's toolkit does, so it can neither end the command nor start another.
/// </summary>
public static class GitHubScoreWriter
{
    public static string Render(ScoreReport report, Gate gate)
    {
        var sb = new StringBuilder();
        foreach (var v in report.Vendors.Where(gate.Reports))
        {
            var level = gate.Trips(v) ? "error" : "warning";
            var positive = Gate.Positive(v).ToList();
            if (positive.Count == 0 && gate.Trips(v))
            {
                var span = v.Dossier.Vendor.Span;
                Command(sb, level, span, $"LicenseRisk: {v.Id} is over the gate", $"{v.Name} ({v.Id}): {GateMessages.Summary(gate, v)}");
            }

            foreach (var c in positive)
            {
                var title = string.Create(CultureInfo.InvariantCulture, $"LicenseRisk: {v.Id} {c.Rule} ({c.Value:+0.00})");
                foreach (var span in SarifScoreWriter.Locations(v, c))
                {
                    Command(sb, level, span, title, SarifScoreWriter.Message(v, c));
                }
            }
        }

        return sb.ToString();
    }

    private static void Command(StringBuilder sb, string level, SourceSpan span, string title, string message)
    {
        sb.Append("::").Append(level).Append(" file=").Append(Property(span.File.Replace('\\', '/')));
        if (span.Line > 0)
        {
            sb.Append(",line=").Append(span.Line.ToString(CultureInfo.InvariantCulture));
            if (span.Column > 0)
            {
                sb.Append(",col=").Append(span.Column.ToString(CultureInfo.InvariantCulture));
            }
        }

        sb.Append(",title=").Append(Property(title)).Append("::").Append(Data(message)).Append('\n');
    }

    /// <summary>Escapes a command's message: % as %25, CR as %0D, LF as %0A (other control characters become spaces).</summary>
    public static string Data(string s) =>
        TableScoreWriter.Clean(s.Replace("%", "%25", StringComparison.Ordinal).Replace("\r", "%0D", StringComparison.Ordinal).Replace("\n", "%0A", StringComparison.Ordinal));

    /// <summary>Escapes a command property: as <see cref="Data"/>, plus ':' as %3A and ',' as %2C.</summary>
    public static string Property(string s) =>
        Data(s).Replace(":", "%3A", StringComparison.Ordinal).Replace(",", "%2C", StringComparison.Ordinal);
}
