using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using LicenseRisk.Model;
using LicenseRisk.Scoring;

namespace LicenseRisk.Presentation.Score;

/// <summary>
/// A SARIF 2.1.0 log for code scanning: the pack's rules as the driver's reporting descriptors,
/// and one result per counted positive contribution of each reported vendor, located at the
/// dossier lines of the signals the rule matched. Byte-identical for equal inputs.
/// </summary>
/// <remarks>
/// Which vendors are reported: with a gate (<c>--fail-above</c>, <c>--fail-on</c>) only the vendors
/// that trip it, at level <c>error</c>, so the alerts are exactly what failed the build and close by
/// themselves when a vendor drops back under the gate. Without a gate there is no line to be over,
/// so every vendor counts as reported (the user asked for the log, and an empty log would hide
/// every reason), at level <c>warning</c>: informative, and it fails nothing.
/// </remarks>
public static class SarifScoreWriter
{
    public const string SchemaUri = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

    /// <summary>The key of the fingerprint code scanning uses to keep one alert per vendor and rule.</summary>
    public const string FingerprintKey = "licenseriskVendorRule/v1";

    public static void Write(Stream stream, ScoreReport report, Gate gate)
    {
        var ruleIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < report.Rules.Count; i++)
        {
            ruleIndex.TryAdd(report.Rules[i].Id, i);
        }

        using var w = new Utf8JsonWriter(stream, JsonOutput.Options);
        w.WriteStartObject();
        w.WriteString("$schema", SchemaUri);
        w.WriteString("version", "2.1.0");
        w.WriteStartArray("runs");
        w.WriteStartObject();
        w.WriteStartObject("tool");
        w.WriteStartObject("driver");
        w.WriteString("name", "LicenseRisk");
        w.WriteStartObject("properties");
        w.WriteString("pack", report.Pack.Name);
        w.WriteString("packVersion", report.Pack.Version);
        w.WriteString("packSha256", report.PackSha256);
        w.WriteEndObject();
        w.WriteStartArray("rules");
        foreach (var rule in report.Rules)
        {
            WriteRule(w, rule);
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteStartArray("results");
        foreach (var v in report.Vendors.Where(gate.Reports))
        {
            var level = gate.Trips(v) ? "error" : "warning";
            foreach (var c in Gate.Positive(v))
            {
                WriteResult(w, v, c, level, ruleIndex.TryGetValue(c.Rule, out var i) ? i : -1);
            }
        }

        w.WriteEndArray();
        w.WriteString("columnKind", "unicodeCodePoints");
        w.WriteStartObject("properties");
        w.WriteString("asOf", IsoDate.Format(report.AsOf));
        w.WriteNumber("horizonMonths", report.HorizonMonths);
        if (gate.FailAbove is { } p)
        {
            w.WriteNumber("failAbove", p);
        }

        if (gate.FailOn is { } band)
        {
            w.WriteString("failOn", band);
        }

        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
        w.Flush();
        stream.Write("\n"u8);
    }

    private static void WriteRule(Utf8JsonWriter w, RuleSyntax rule)
    {
        w.WriteStartObject();
        w.WriteString("id", rule.Id);
        w.WriteString("name", Pascal(rule.Id));
        w.WriteStartObject("shortDescription");
        w.WriteString("text", rule.Title);
        w.WriteEndObject();
        w.WriteStartObject("fullDescription");
        w.WriteString("text", rule.Rationale ?? rule.Title);
        w.WriteEndObject();

        var text = new StringBuilder(rule.Rationale ?? rule.Title);
        var markdown = new StringBuilder(MarkdownScoreWriter.Escape(rule.Rationale ?? rule.Title));
        if (rule.References.Count > 0)
        {
            text.Append("\n\nReferences:");
            markdown.Append("\n\n**References**\n");
            foreach (var r in rule.References)
            {
                text.Append("\n- ").Append(r);
                markdown.Append("\n- ").Append(HttpUri(r) is { } u ? $"<{u}>" : MarkdownScoreWriter.Escape(r));
            }
        }

        w.WriteStartObject("help");
        w.WriteString("text", text.ToString());
        w.WriteString("markdown", markdown.ToString());
        w.WriteEndObject();
        if (rule.References.Select(HttpUri).FirstOrDefault(u => u is not null) is { } helpUri)
        {
            w.WriteString("helpUri", helpUri);
        }

        w.WriteStartObject("properties");
        w.WriteStartArray("tags");
        w.WriteStringValue("licenserisk");
        if (rule.Group is not null)
        {
            w.WriteStringValue(rule.Group);
        }

        w.WriteEndArray();
        if (rule.Weight is { } weight)
        {
            w.WriteNumber("weight", JsonScoreWriter.Round(weight));
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteResult(Utf8JsonWriter w, VendorScore v, Contribution c, string level, int ruleIndex)
    {
        w.WriteStartObject();
        w.WriteString("ruleId", c.Rule);
        if (ruleIndex >= 0)
        {
            w.WriteNumber("ruleIndex", ruleIndex);
        }

        w.WriteString("level", level);
        w.WriteStartObject("message");
        w.WriteString("text", MessageText(Message(v, c)));
        w.WriteEndObject();
        w.WriteStartArray("locations");
        foreach (var span in Locations(v, c))
        {
            w.WriteStartObject();
            w.WriteStartObject("physicalLocation");
            w.WriteStartObject("artifactLocation");
            w.WriteString("uri", Uri(span.File));
            w.WriteEndObject();
            if (span.Line > 0)
            {
                w.WriteStartObject("region");
                w.WriteNumber("startLine", span.Line);
                if (span.Column > 0)
                {
                    w.WriteNumber("startColumn", span.Column);
                }

                w.WriteEndObject();
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartObject("partialFingerprints");
        w.WriteString(FingerprintKey, Fingerprint(v.Dossier.File, v.Id, c.Rule));
        w.WriteEndObject();
        w.WriteStartObject("properties");
        w.WriteString("vendor", v.Id);
        w.WriteNumber("probability", JsonScoreWriter.Round(v.Probability));
        w.WriteString("band", v.Band);
        w.WriteNumber("contribution", JsonScoreWriter.Round(c.Value));
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>The plain message of a reported contribution (shared with the GitHub format).</summary>
    public static string Message(VendorScore v, Contribution c) =>
        FormattableString.Invariant($"{v.Name} ({v.Id}): probability {v.Probability:0.00}, band {v.Band}{(v.Coverage.ThinEvidence ? " (thin evidence: " + v.Coverage.ThinReason + ")" : string.Empty)}. {c.Rule} ({Numbers.Signed(c.Value)}): {(c.Because.Length > 0 ? c.Because : c.Title)}");

    /// <summary>
    /// Where a contribution is located: the matched signals' lines; a rule that matched no signal
    /// (only <c>no:</c> items) points at the vendor block.
    /// </summary>
    public static IReadOnlyList<SourceSpan> Locations(VendorScore v, Contribution c) =>
        c.Spans.Count > 0 ? c.Spans : [v.Dossier.Vendor.Span.Line > 0 ? v.Dossier.Vendor.Span : SourceSpan.None(v.Dossier.File)];

    /// <summary>A stable fingerprint of (dossier file, vendor, rule): the same alert across runs and line moves.</summary>
    public static string Fingerprint(string file, string vendor, string rule) =>
        ContentHash.Of($"{file}\n{vendor}\n{rule}")[..32];

    /// <summary>
    /// A path as given, as a URI reference: forward slashes, characters outside the unreserved set
    /// percent-encoded (UTF-8); absolute paths become <c>file://</c> URIs.
    /// </summary>
    public static string Uri(string path)
    {
        var p = path.Replace('\\', '/');
        var prefix = string.Empty;
        if (p.StartsWith('/'))
        {
            prefix = "file://";
        }
        else if (p.Length >= 2 && char.IsAsciiLetter(p[0]) && p[1] == ':')
        {
            prefix = "file:///";
        }

        var sb = new StringBuilder(prefix);
        foreach (var b in Encoding.UTF8.GetBytes(p))
        {
            var ch = (char)b;
            if (char.IsAsciiLetterOrDigit(ch) || ch is '-' or '.' or '_' or '~' or '/' || (ch == ':' && prefix.Length > 0))
            {
                sb.Append(ch);
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }

    /// <summary>SARIF plain-text messages treat <c>[text](target)</c> as a link: escape brackets and backslashes.</summary>
    public static string MessageText(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var ch in s)
        {
            if (ch is '\\' or '[' or ']')
            {
                sb.Append('\\');
            }

            sb.Append(ch);
        }

        return sb.ToString();
    }

    private static string? HttpUri(string reference) =>
        System.Uri.TryCreate(reference.Trim(), UriKind.Absolute, out var u) && (u.Scheme == System.Uri.UriSchemeHttps || u.Scheme == System.Uri.UriSchemeHttp) && !reference.Trim().Contains(' ', StringComparison.Ordinal)
            ? u.AbsoluteUri
            : null;

    private static string Pascal(string id) =>
        string.Concat(id.Split('-', StringSplitOptions.RemoveEmptyEntries).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
}
