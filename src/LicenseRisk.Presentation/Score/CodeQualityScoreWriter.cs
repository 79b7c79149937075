using System.Text.Json;
using LicenseRisk.Model;
using LicenseRisk.Scoring;

namespace LicenseRisk.Presentation.Score;

/// <summary>
/// A GitLab Code Quality report (<c>artifacts:reports:codequality</c>): a JSON array of issues, one
/// per counted positive contribution of each reported vendor (<see cref="Gate.Reports"/>, as SARIF),
/// located at the dossier line of the first signal the rule matched. Byte-identical for equal inputs.
/// </summary>
/// <remarks>
/// <para><c>fingerprint</c> is the SARIF fingerprint of (dossier file, vendor, rule): it survives line
/// moves, so GitLab shows an issue as new only when a vendor gains a reason.</para>
/// <para><c>severity</c> follows the vendor's band in the pack's order: the lowest band <c>info</c>, the
/// highest <c>critical</c>, the ones between <c>minor</c> then <c>major</c>; a vendor that trips the gate
/// is at least <c>major</c>. <c>blocker</c> is never used: the gate's exit code is what blocks.</para>
/// </remarks>
public static class CodeQualityScoreWriter
{
    /// <summary>GitLab's severities, least severe first.</summary>
    public static readonly IReadOnlyList<string> Severities = ["info", "minor", "major", "critical", "blocker"];

    public static void Write(Stream stream, ScoreReport report, Gate gate)
    {
        var bands = report.Bands.Thresholds.Select(t => t.Key).ToList();
        using var w = new Utf8JsonWriter(stream, JsonOutput.Options);
        w.WriteStartArray();
        foreach (var v in report.Vendors.Where(gate.Reports))
        {
            var severity = Severity(bands, v.Band, gate.Trips(v));
            var positive = Gate.Positive(v).ToList();
            if (positive.Count == 0 && gate.Trips(v))
            {
                WriteIssue(w, $"{v.Name} ({v.Id}): {GateMessages.Summary(gate, v)}", "licenserisk-gate", SarifScoreWriter.Fingerprint(v.Dossier.File, v.Id, string.Empty), severity, v.Dossier.Vendor.Span.File, v.Dossier.Vendor.Span.Line);
            }

            foreach (var c in positive)
            {
                var at = SarifScoreWriter.Locations(v, c)[0];
                WriteIssue(w, SarifScoreWriter.Message(v, c), c.Rule, SarifScoreWriter.Fingerprint(v.Dossier.File, v.Id, c.Rule), severity, at.File, at.Line);
            }
        }

        w.WriteEndArray();
    }

    /// <summary>The severity of a vendor's issues: its band's place in the pack's order, at least major when it trips the gate.</summary>
    public static string Severity(IReadOnlyList<string> bands, string band, bool trips)
    {
        var rank = Gate.IndexOf(bands, band);
        var level = rank <= 0 || bands.Count <= 1 ? 0
            : rank == bands.Count - 1 ? 3
            : 1 + ((rank - 1) * 2 / Math.Max(1, bands.Count - 2));
        return Severities[trips ? Math.Max(level, 2) : level];
    }

    private static void WriteIssue(Utf8JsonWriter w, string description, string checkName, string fingerprint, string severity, string file, int line)
    {
        w.WriteStartObject();
        w.WriteString("type", "issue");
        w.WriteString("description", description);
        w.WriteString("check_name", checkName);
        w.WriteString("fingerprint", fingerprint);
        w.WriteString("severity", severity);
        w.WriteStartObject("location");
        w.WriteString("path", file.Replace('\\', '/'));
        w.WriteStartObject("lines");
        w.WriteNumber("begin", Math.Max(1, line));
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
