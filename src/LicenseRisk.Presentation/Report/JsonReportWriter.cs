using System.Text.Encodings.Web;
using System.Text.Json;
using LicenseRisk.Model;
using LicenseRisk.Presentation.Score;

namespace LicenseRisk.Presentation.Report;

/// <summary>report.json, <c>licenserisk.report/1</c>: the report's data, fixed key order, byte-identical for equal inputs and history.</summary>
public static class JsonReportWriter
{
    public static void Write(Stream stream, WeeklyReport report)
    {
        using var w = new Utf8JsonWriter(stream, JsonOutput.Options);
        w.WriteStartObject();
        w.WriteString("schema", WeeklyReport.Schema);
        JsonOutput.WritePack(w, report.Pack, report.PackSha256);
        if (report.Policy is { } policy)
        {
            JsonScoreWriter.WritePolicy(w, policy);
        }

        if (report.StaleInputs is { } stale)
        {
            w.WriteStartObject("stale_inputs");
            w.WriteNumber("rejected_reload", stale.Reload);
            w.WriteString("rejected_at", Fmt.Utc(stale.RejectedAt));
            w.WriteNumber("error_count", stale.Errors.Count);
            w.WriteStartArray("errors");
            foreach (var d in stale.Errors)
            {
                w.WriteStringValue(d.ToString());
            }

            w.WriteEndArray();
            w.WriteString("last_good_loaded_at", Fmt.Utc(stale.LastGoodLoadedAt));
            w.WriteEndObject();
        }

        w.WriteString("as_of", IsoDate.Format(report.AsOf));
        w.WriteString("iso_week", report.IsoWeek);
        w.WriteNumber("horizon_months", report.HorizonMonths);
        if (report.Previous is { } p)
        {
            w.WriteStartObject("previous_run");
            w.WriteString("as_of", IsoDate.Format(p.AsOf));
            w.WriteString("iso_week", p.IsoWeek);
            w.WriteString("pack_sha256", p.PackSha256);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("previous_run");
        }

        if (report.Collection is { } collection)
        {
            Collection(w, collection, report.AsOf);
        }

        w.WriteStartArray("vendors");
        foreach (var v in report.Vendors)
        {
            Vendor(w, v);
            w.Flush(); // hand each vendor on to the stream instead of buffering the whole document
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.Flush();
        stream.Write("\n"u8);
    }

    /// <summary>The service's collection: new since the last run, pending review, failed sources.</summary>
    private static void Collection(Utf8JsonWriter w, CollectionSection c, DateOnly asOf)
    {
        static void Items(Utf8JsonWriter w, string name, IReadOnlyList<CollectedItem> items)
        {
            w.WriteStartArray(name);
            foreach (var i in items)
            {
                w.WriteStartObject();
                w.WriteString("id", i.Id);
                w.WriteString("kind", i.Kind);
                w.WriteString("date", IsoDate.Format(i.Date));
                w.WriteString("collector", i.Collector);
                w.WriteString("summary", i.Summary);
                if (i.AutoAccepted)
                {
                    w.WriteBoolean("auto_accepted", true);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteStartObject("collection");
        w.WriteString("collected_at", Fmt.Utc(c.CollectedAt));
        if (c.Since is { } since)
        {
            w.WriteString("since", IsoDate.Format(since));
        }
        else
        {
            w.WriteNull("since");
        }

        w.WriteStartArray("vendors");
        foreach (var v in c.Vendors)
        {
            w.WriteStartObject();
            w.WriteString("id", v.Vendor);
            Items(w, "proposed", v.Proposed);
            Items(w, "accepted", v.Accepted);
            w.WriteNumber("pending", v.Pending);
            if (v.OldestPending is { } oldest)
            {
                w.WriteString("oldest_pending", IsoDate.Format(oldest));
                w.WriteNumber("oldest_pending_days", CollectionText.OldestDays(v, asOf)!.Value);
            }
            else
            {
                w.WriteNull("oldest_pending");
                w.WriteNull("oldest_pending_days");
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        WriteFailed(w, c.Failed);
        w.WriteEndObject();
    }

    /// <summary>The "failed" list of sources (vendor, source, url, reason): the report's and <c>collect --format json</c>'s.</summary>
    public static void WriteFailed(Utf8JsonWriter w, IEnumerable<FailedSource> failed)
    {
        w.WriteStartArray("failed");
        foreach (var f in failed)
        {
            w.WriteStartObject();
            w.WriteString("vendor", f.Vendor);
            w.WriteString("source", f.Source);
            w.WriteString("url", f.Url);
            w.WriteString("reason", f.Reason);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void Vendor(Utf8JsonWriter w, VendorEntry v)
    {
        var s = v.Score;
        w.WriteStartObject();
        JsonScoreWriter.WriteScoreHead(w, s);
        if (v.Change is { } c)
        {
            w.WriteStartObject("change");
            w.WriteString("since", IsoDate.Format(c.PreviousAsOf));
            w.WriteNumber("previous_probability", R(c.PreviousProbability));
            w.WriteString("previous_band", c.PreviousBand);
            w.WriteNumber("delta", R(c.Delta));
            w.WriteBoolean("band_changed", c.BandChanged(s.Band));
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("change");
        }

        w.WriteNumber("signals_considered", s.SignalsConsidered);
        w.WriteBoolean("thin_evidence", s.Coverage.ThinEvidence);
        w.WriteStartArray("groups_without_data");
        foreach (var g in s.Coverage.GroupsWithoutData)
        {
            w.WriteStringValue(g);
        }

        w.WriteEndArray();
        w.WriteStartArray("contributions");
        foreach (var k in s.Contributions)
        {
            JsonScoreWriter.WriteContribution(w, k, null);
        }

        w.WriteEndArray();
        w.WriteStartArray("outweighed");
        foreach (var o in s.Outweighed)
        {
            JsonScoreWriter.WriteContribution(w, o.Contribution, o.By);
        }

        w.WriteEndArray();
        JsonScoreWriter.WriteWaived(w, s.Waived);
        w.WriteStartArray("new_signals");
        foreach (var n in v.NewSignals)
        {
            w.WriteStartObject();
            w.WriteString("signal", n.Label);
            w.WriteString("kind", n.Kind);
            w.WriteString("date", IsoDate.Format(n.Date));
            w.WriteString("source", n.Source);
            w.WriteString("note", n.Note);
            if (n.Provenance is { } provenance)
            {
                w.WriteString("provenance", provenance);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("data_warnings");
        foreach (var d in v.DataWarnings)
        {
            w.WriteStringValue(d);
        }

        w.WriteEndArray();
        w.WriteStartArray("trend");
        foreach (var t in v.Trend)
        {
            w.WriteStartObject();
            w.WriteString("as_of", IsoDate.Format(t.AsOf));
            w.WriteString("iso_week", t.IsoWeek);
            w.WriteNumber("probability", R(t.Probability));
            w.WriteStartArray("interval");
            w.WriteNumberValue(R(t.Low));
            w.WriteNumberValue(R(t.High));
            w.WriteEndArray();
            w.WriteString("band", t.Band);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static double R(double x) => JsonScoreWriter.Round(x);
}
