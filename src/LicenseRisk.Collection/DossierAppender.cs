using System.Globalization;
using System.Text;
using LicenseRisk.Model;
using LicenseRisk.Yaml;
using YamlDotNet.RepresentationModel;

namespace LicenseRisk.Collection;

/// <summary>
/// Appends one signal to a dossier's text at the end of its <c>signals:</c> list, located by the
/// YAML reader's spans: everything else (comments, blank lines, quoting, key order) stays as written.
/// </summary>
internal static class DossierAppender
{
    /// <summary>The new text, or null with the reason when the list cannot be appended to.</summary>
    public static string? Append(string text, YamlNode root, IReadOnlyList<string> itemLines, out string? problem)
    {
        problem = null;
        var newline = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        if (root is not YamlMappingNode map)
        {
            problem = "the dossier is not a mapping";
            return null;
        }

        var (key, value) = map.Children.FirstOrDefault(kv => kv.Key is YamlScalarNode { Value: "signals" });
        if (key is null)
        {
            problem = "the dossier has no 'signals:' key";
            return null;
        }

        if (value is YamlSequenceNode { Children.Count: > 0 } seq)
        {
            if (seq.Style == YamlDotNet.Core.Events.SequenceStyle.Flow)
            {
                problem = "'signals' is written as a flow list [...]; write it as a block list (one '- ' item per signal) to accept into it";
                return null;
            }

            var first = seq.Children[0];
            var firstLine = LineStart(text, (int)first.Start.Index);
            var inner = (int)first.Start.Index - firstLine;
            var dash = text.IndexOf('-', firstLine);
            var dashIndent = dash >= firstLine && dash < first.Start.Index ? dash - firstLine : Math.Max(0, inner - 2);
            var last = seq.Children[^1];
            var end = (int)last.AllNodes.Max(n => n.End.Index);
            var lineEnd = text.IndexOf('\n', Math.Max(0, end - 1));
            if (lineEnd < 0)
            {
                lineEnd = text.Length;
            }
            else if (lineEnd > 0 && text[lineEnd - 1] == '\r')
            {
                lineEnd--;
            }

            var blank = PreviousLineBlank(text, LineStart(text, (int)last.Start.Index));
            var sb = new StringBuilder();
            sb.Append(newline);
            if (blank)
            {
                sb.Append(newline);
            }

            AppendItem(sb, itemLines, dashIndent, inner, newline);
            return text[..lineEnd] + sb + text[lineEnd..];
        }

        if (value is YamlSequenceNode or YamlScalarNode && (value is YamlSequenceNode || Nodes.IsNull(value)))
        {
            // An empty list ('signals:' or 'signals: []'): the item goes on the lines after the key.
            var colon = text.IndexOf(':', (int)key.End.Index);
            var lineEnd = text.IndexOf('\n', colon);
            if (lineEnd < 0)
            {
                lineEnd = text.Length;
            }
            else if (text[lineEnd - 1] == '\r')
            {
                lineEnd--;
            }

            var keyIndent = (int)key.Start.Index - LineStart(text, (int)key.Start.Index);
            var sb = new StringBuilder();
            sb.Append(newline);
            AppendItem(sb, itemLines, keyIndent, keyIndent + 2, newline);
            return text[..(colon + 1)] + sb + text[lineEnd..];
        }

        problem = "'signals' is not a list";
        return null;
    }

    /// <summary>The YAML lines of a signal item: "- kind: ..." then the other keys, unindented.</summary>
    public static IReadOnlyList<string> ItemLines(KindDef kind, ProposedSignal signal, IReadOnlyList<KeyValuePair<string, string>> fields, string id, SignalProvenance provenance)
    {
        var lines = new List<string> { $"kind: {kind.Name}", $"date: {IsoDate.Format(signal.Date)}" };
        foreach (var def in kind.Fields)
        {
            if (fields.FirstOrDefault(f => f.Key == def.Name).Value is { } v)
            {
                lines.Add($"{def.Name}: {Scalar(v, def.Type)}");
            }
        }

        lines.Add($"source: {Quote(signal.Source)}");
        lines.Add($"confidence: {signal.Confidence.ToString("0.0##", CultureInfo.InvariantCulture)}");
        if (signal.Note is not null)
        {
            lines.Add($"note: {Quote(signal.Note)}");
        }

        lines.Add($"id: {id}");
        lines.Add("provenance:");
        lines.Add($"  collector: {provenance.Collector}");
        lines.Add($"  url: {Quote(provenance.Url)}");
        lines.Add($"  fetched_at: {Quote(provenance.FetchedAt)}");
        lines.Add($"  sha256: {provenance.Sha256}");
        lines.Add($"  candidate: {provenance.Candidate}");
        if (provenance.Reviewed is { } day)
        {
            lines.Add($"  reviewed: {IsoDate.Format(day)}");
        }

        if (provenance.Reason is not null)
        {
            lines.Add($"  reason: {Quote(provenance.Reason)}");
        }

        if (provenance.AutoAcceptedBy is not null)
        {
            lines.Add($"  auto_accepted_by: {Quote(provenance.AutoAcceptedBy)}");
        }

        return lines;
    }

    /// <summary>A single-quoted YAML scalar: always read back as the same text.</summary>
    public static string Quote(string s) => "'" + s.ReplaceLineEndings(" ").Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string Scalar(string value, FieldType type) => type switch
    {
        FieldType.String => Quote(value),
        FieldType.Enum when Names.IsName(value) => value,
        FieldType.Number or FieldType.Int or FieldType.Bool or FieldType.Date when !value.Any(c => char.IsWhiteSpace(c) || c is '#' or ':' or '\'' or '"') && value.Length > 0 => value,
        _ => Quote(value),
    };

    private static void AppendItem(StringBuilder sb, IReadOnlyList<string> lines, int dashIndent, int inner, string newline)
    {
        for (var i = 0; i < lines.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(newline);
            }

            sb.Append(i == 0 ? new string(' ', dashIndent) + "-" + new string(' ', Math.Max(1, inner - dashIndent - 1)) : new string(' ', inner));
            sb.Append(lines[i]);
        }
    }

    private static int LineStart(string text, int index) => index <= 0 ? 0 : text.LastIndexOf('\n', index - 1) + 1;

    private static bool PreviousLineBlank(string text, int lineStart)
    {
        if (lineStart == 0)
        {
            return false;
        }

        var prevStart = LineStart(text, lineStart - 1);
        return string.IsNullOrWhiteSpace(text[prevStart..(lineStart - 1)]);
    }
}
