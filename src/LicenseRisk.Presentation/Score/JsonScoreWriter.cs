using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using LicenseRisk.Model;

namespace LicenseRisk.Presentation.Score;

/// <summary>Writes <c>licenserisk.score/1</c> JSON (cli.md): snake_case, fixed key order, byte-identical for equal inputs.</summary>
public static class JsonScoreWriter
{
    public const string Schema = "licenserisk.score/1";

    public static void Write(Stream stream, ScoreReport report) => Write(stream, report, report.Vendors);

    /// <summary>Writes the report with <paramref name="vendors"/> streamed in (each written as it comes, none kept).</summary>
    public static void Write(Stream stream, ScoreReport report, IEnumerable<VendorScore> vendors)
    {
        using var w = new Utf8JsonWriter(stream, JsonOutput.Options);
        w.WriteStartObject();
        w.WriteString("schema", Schema);
        JsonOutput.WritePack(w, report.Pack, report.PackSha256);
        if (report.Policy is { } policy)
        {
            WritePolicy(w, policy);
        }

        w.WriteString("as_of", IsoDate.Format(report.AsOf));
        w.WriteNumber("horizon_months", report.HorizonMonths);
        w.WriteStartArray("vendors");
        foreach (var v in vendors)
        {
            WriteVendor(w, v, report.Warnings);
            if (w.BytesPending > 1 << 16)
            {
                w.Flush();
            }
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.Flush();
        stream.Write("\n"u8);
    }

    /// <summary>
    /// The considered signals a collector proposed and a person accepted, with their provenance
    /// (<c>collected_signals</c>); written only when there is one, so hand-typed dossiers read as before.
    /// </summary>
    private static void WriteCollected(Utf8JsonWriter w, VendorScore v)
    {
        var collected = CollectedSignals(v);
        if (collected.Count == 0)
        {
            return;
        }

        w.WriteStartArray("collected_signals");
        foreach (var s in collected)
        {
            var p = s.Provenance!;
            w.WriteStartObject();
            w.WriteString("signal", s.Label);
            w.WriteString("kind", s.Kind.Name);
            w.WriteString("date", IsoDate.Format(s.Date));
            w.WriteString("collector", p.Collector);
            w.WriteString("url", p.Url);
            w.WriteString("fetched_at", p.FetchedAt);
            w.WriteString("sha256", p.Sha256);
            w.WriteString("candidate", p.Candidate);
            if (p.Reviewed is { } day)
            {
                w.WriteString("reviewed", IsoDate.Format(day));
            }

            if (p.Reason is { } reason)
            {
                w.WriteString("reason", reason);
            }

            if (p.AutoAcceptedBy is { } by)
            {
                w.WriteString("auto_accepted_by", by);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    /// <summary>The signals considered for a score that came from a collector (provenance), in dossier order.</summary>
    public static IReadOnlyList<SignalRecord> CollectedSignals(VendorScore v) =>
        [.. v.Dossier.Signals.Where(s => s.Provenance is not null && s.Known <= v.AsOf)];

    public static double Round(double x) => Math.Round(x, 4, MidpointRounding.AwayFromZero) + 0.0;

    /// <summary>A vendor's identity and score (id, name, file, probability, interval, band); the weekly report writes the same.</summary>
    public static void WriteScoreHead(Utf8JsonWriter w, VendorScore v)
    {
        w.WriteString("id", v.Id);
        w.WriteString("name", v.Name);
        w.WriteString("file", v.Dossier.File);
        w.WriteNumber("probability", Round(v.Probability));
        w.WriteStartArray("interval");
        w.WriteNumberValue(Round(v.Low));
        w.WriteNumberValue(Round(v.High));
        w.WriteEndArray();
        w.WriteString("band", v.Band);
    }

    /// <summary>One vendor object of <c>vendors</c> (what-if writes one per variant).</summary>
    public static void WriteVendor(Utf8JsonWriter w, VendorScore v, IReadOnlyList<Diagnostic> warnings)
    {
        w.WriteStartObject();
        WriteScoreHead(w, v);
        w.WriteNumber("signals_considered", v.SignalsConsidered);
        w.WriteStartObject("coverage");
        w.WriteNumber("signals_considered", v.Coverage.SignalsConsidered);
        if (v.Coverage.NewestSignalAgeDays is { } age)
        {
            w.WriteNumber("newest_signal_age_days", age);
        }
        else
        {
            w.WriteNull("newest_signal_age_days");
        }

        WriteStrings(w, "groups_with_data", v.Coverage.GroupsWithData);
        WriteStrings(w, "groups_without_data", v.Coverage.GroupsWithoutData);
        w.WriteBoolean("thin_evidence", v.Coverage.ThinEvidence);
        if (v.Coverage.ThinReason is { } reason)
        {
            w.WriteString("thin_reason", reason);
        }

        w.WriteEndObject();
        w.WriteStartArray("contributions");
        foreach (var c in v.Contributions)
        {
            WriteContribution(w, c, null);
        }

        w.WriteEndArray();
        WriteCollected(w, v);
        w.WriteStartArray("outweighed");
        foreach (var o in v.Outweighed)
        {
            WriteContribution(w, o.Contribution, o.By);
        }

        w.WriteEndArray();
        WriteWaived(w, v.Waived);
        w.WriteStartArray("derived_signals");
        foreach (var d in v.Derived)
        {
            w.WriteStartObject();
            w.WriteString("kind", d.Kind);
            w.WriteString("date", IsoDate.Format(d.Date));
            w.WriteNumber("confidence", Round(d.Confidence));
            w.WriteString("derived_by", d.By);
            w.WriteStartObject("fields");
            foreach (var (k, val) in d.Fields)
            {
                w.WriteString(k, val);
            }

            w.WriteEndObject();
            WriteStrings(w, "signals", d.Support);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("ignored_signals");
        foreach (var s in v.Ignored)
        {
            w.WriteStartObject();
            w.WriteString("signal", s.Label);
            w.WriteString("date", IsoDate.Format(s.Date));
            if (s.ReportedLater is { } reported)
            {
                w.WriteString("reported", IsoDate.Format(reported));
            }

            w.WriteString("reason", s.Reason);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        var fileWarnings = warnings.Where(d => d.Span.File == v.Dossier.File).Select(d => d.ToString());
        WriteStrings(w, "warnings", [.. v.Warnings, .. fileWarnings]);
        w.WriteEndObject();
    }

    /// <summary>The policy as in <c>licenserisk.score/1</c> (file, name, sha256); the weekly report writes the same.</summary>
    public static void WritePolicy(Utf8JsonWriter w, Policy policy)
    {
        w.WriteStartObject("policy");
        w.WriteString("file", policy.File);
        if (policy.Name is null)
        {
            w.WriteNull("name");
        }
        else
        {
            w.WriteString("name", policy.Name);
        }

        w.WriteString("sha256", policy.Sha256);
        w.WriteEndObject();
    }

    /// <summary>The contributions a waiver kept out of the score, as in <c>licenserisk.score/1</c>; the weekly report writes the same.</summary>
    public static void WriteWaived(Utf8JsonWriter w, IReadOnlyList<WaivedContribution> waived)
    {
        w.WriteStartArray("waived");
        foreach (var x in waived)
        {
            w.WriteStartObject();
            w.WriteString("rule", x.Contribution.Rule);
            w.WriteNumber("contribution", Round(x.Contribution.Value));
            w.WriteString("because", x.Contribution.Because);
            w.WriteString("reason", x.Waiver.Reason);
            w.WriteString("approver", x.Waiver.Approver);
            w.WriteString("expires", IsoDate.Format(x.Waiver.Expires));
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    /// <summary>One contribution as in <c>licenserisk.score/1</c>; the weekly report writes the same shape.</summary>
    public static void WriteContribution(Utf8JsonWriter w, Contribution c, string? by)
    {
        w.WriteStartObject();
        w.WriteString("rule", c.Rule);
        w.WriteString("title", c.Title);
        if (c.Group is null)
        {
            w.WriteNull("group");
        }
        else
        {
            w.WriteString("group", c.Group);
        }

        w.WriteNumber("weight", Round(c.Weight));
        w.WriteNumber("sd", Round(c.Sd));
        w.WriteNumber("confidence", Round(c.Confidence));
        w.WriteNumber("decay", Round(c.Decay));
        w.WriteNumber("contribution", Round(c.Value));
        w.WriteString("because", c.Because);
        WriteStrings(w, "signals", c.Signals);
        if (by is not null)
        {
            w.WriteString("outweighed_by", by);
        }

        w.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, IEnumerable<string> items)
    {
        w.WriteStartArray(name);
        foreach (var s in items)
        {
            w.WriteStringValue(s);
        }

        w.WriteEndArray();
    }
}
