using System.Globalization;
using System.Text;
using System.Text.Json;
using LicenseRisk.Application;
using LicenseRisk.Model;
using LicenseRisk.Presentation.Score;

namespace LicenseRisk.Presentation.WhatIf;

/// <summary>The outputs of <c>whatif</c> (cli.md): a terminal table of the variants, <c>licenserisk.whatif/1</c> JSON, and the numbered signal listing.</summary>
public static class WhatIfWriters
{
    public const string Schema = "licenserisk.whatif/1";

    /// <summary>How many changed contributions a table row names before "and N more".</summary>
    public const int TopChanges = 3;

    public static string Table(WhatIfReport report)
    {
        var sb = new StringBuilder();
        Head(sb, report);
        if (report.Edits.Count > 0)
        {
            sb.Append("Edits (every variant):\n");
            foreach (var e in report.Edits)
            {
                sb.Append("  ").Append(TableScoreWriter.Clean(e)).Append('\n');
            }
        }

        sb.Append('\n');
        var width = Math.Max(7, report.Variants.Max(v => TableScoreWriter.Clean(v.Name).Length));
        sb.Append(CultureInfo.InvariantCulture, $"{"VARIANT".PadRight(width)}  {"P",-5}  {"90% INTERVAL",-12}  {"BAND",-9}  {"CHANGE",-6}  CONTRIBUTIONS THAT CHANGED\n");
        var baseScore = report.Variants[0].Score;
        foreach (var v in report.Variants)
        {
            var s = v.Score;
            var band = s.Coverage.ThinEvidence ? s.Band + "*" : s.Band;
            var change = ReferenceEquals(v, report.Variants[0]) ? string.Empty : Numbers.Signed(s.Probability - baseScore.Probability);
            var line = $"{TableScoreWriter.Clean(v.Name).PadRight(width)}  {Numbers.Probability(s.Probability),-5}  {Numbers.Probability(s.Low) + "-" + Numbers.Probability(s.High),-12}  {TableScoreWriter.Clean(band),-9}  {change,-6}  {Changes(v.Changes)}";
            sb.Append(line.TrimEnd()).Append('\n');
        }

        if (report.Variants.Any(v => v.Score.Coverage.ThinEvidence))
        {
            sb.Append("* thin evidence: the score leans on the prior (absence of a signal is not evidence of absence)\n");
        }

        return sb.ToString();
    }

    /// <summary>The dossier's signals numbered as edits name them (then the added ones), with those after the as-of day marked.</summary>
    public static string Listing(WhatIfReport report, IReadOnlyList<SignalRecord> signals)
    {
        var sb = new StringBuilder();
        Head(sb, report);
        sb.Append('\n');
        var idWidth = Math.Max(2, signals.Select(s => TableScoreWriter.Clean(s.Id ?? "-").Length).DefaultIfEmpty(0).Max());
        var kindWidth = Math.Max(4, signals.Select(s => s.Kind.Name.Length).DefaultIfEmpty(0).Max());
        var numberWidth = Math.Max(1, signals.Count.ToString(CultureInfo.InvariantCulture).Length);
        sb.Append(CultureInfo.InvariantCulture, $"{"#".PadLeft(numberWidth)}  {"ID".PadRight(idWidth)}  {"KIND".PadRight(kindWidth)}  {"DATE",-10}  FIELDS\n");
        for (var i = 0; i < signals.Count; i++)
        {
            var s = signals[i];
            var later = s.Date > report.AsOf ? " (after the as-of day: ignored)" : string.Empty;
            var line = $"{(i + 1).ToString(CultureInfo.InvariantCulture).PadLeft(numberWidth)}  {TableScoreWriter.Clean(s.Id ?? "-").PadRight(idWidth)}  {s.Kind.Name.PadRight(kindWidth)}  {IsoDate.Format(s.Date)}  {Shorten(TableScoreWriter.Clean(WhatIfReport.Fields(s)))}{later}";
            sb.Append(line.TrimEnd()).Append('\n');
        }

        return sb.ToString();
    }

    public static void WriteJson(Stream stream, WhatIfReport report)
    {
        using var w = new Utf8JsonWriter(stream, JsonOutput.Options);
        w.WriteStartObject();
        w.WriteString("schema", Schema);
        JsonOutput.WritePack(w, report.Pack, report.PackSha256);
        if (report.Policy is { } policy)
        {
            JsonScoreWriter.WritePolicy(w, policy);
        }

        w.WriteString("as_of", IsoDate.Format(report.AsOf));
        w.WriteNumber("horizon_months", report.HorizonMonths);
        w.WriteStartObject("vendor");
        w.WriteString("id", report.Dossier.Vendor.Id);
        w.WriteString("name", report.Dossier.Vendor.Name);
        w.WriteString("file", report.Dossier.File);
        w.WriteEndObject();
        w.WriteStartArray("edits");
        foreach (var e in report.Edits)
        {
            w.WriteStringValue(e);
        }

        w.WriteEndArray();
        w.WriteStartArray("variants");
        var baseScore = report.Variants[0].Score;
        foreach (var v in report.Variants)
        {
            w.WriteStartObject();
            w.WriteString("name", v.Name);
            w.WriteNumber("probability_change", JsonScoreWriter.Round(v.Score.Probability - baseScore.Probability));
            w.WriteStartArray("changed_contributions");
            foreach (var c in v.Changes)
            {
                w.WriteStartObject();
                w.WriteString("rule", c.Rule);
                Value(w, "before", c.Before);
                Value(w, "after", c.After);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WritePropertyName("score");
            JsonScoreWriter.WriteVendor(w, v.Score, []);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.Flush();
        stream.Write("\n"u8);
    }

    private static string Shorten(string s) => s.Length <= 100 ? s : s[..97] + "...";

    private static void Head(StringBuilder sb, WhatIfReport report)
    {
        sb.Append(CultureInfo.InvariantCulture, $"Pack {TableScoreWriter.Clean(report.Pack.Name)} {TableScoreWriter.Clean(report.Pack.Version)} ({report.PackSha256[..12]}){(report.Policy is { } pol ? $", policy {TableScoreWriter.Clean(pol.Name ?? pol.File)} ({pol.Sha256[..12]})" : string.Empty)}, as of {IsoDate.Format(report.AsOf)}, horizon {report.HorizonMonths} months\n");
        sb.Append(CultureInfo.InvariantCulture, $"Vendor {TableScoreWriter.Clean(report.Dossier.Vendor.Id)} ({TableScoreWriter.Clean(report.Dossier.Vendor.Name)}), {TableScoreWriter.Clean(report.Dossier.File)}\n");
    }

    private static string Changes(IReadOnlyList<ContributionChange> changes)
    {
        var parts = changes.Take(TopChanges).Select(c =>
            $"{Numbers.Signed(c.Delta)} {TableScoreWriter.Clean(c.Rule)}{(c.Before is null ? " (new)" : c.After is null ? " (gone)" : string.Empty)}").ToList();
        if (changes.Count > TopChanges)
        {
            parts.Add($"and {changes.Count - TopChanges} more");
        }

        return string.Join("; ", parts);
    }

    private static void Value(Utf8JsonWriter w, string name, Contribution? c)
    {
        if (c is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteNumber(name, JsonScoreWriter.Round(c.Value));
        }
    }
}
