using System.Text.Json;
using System.Text.Json.Serialization;
using LicenseRisk.Collection;
using LicenseRisk.Model;
using LicenseRisk.Presentation;
using LicenseRisk.Presentation.Report;
using LicenseRisk.Presentation.Score;

namespace LicenseRisk.Web;

/// <summary><c>/healthz</c>: the process answers.</summary>
public sealed record Health([property: JsonPropertyName("status")] string Status);

/// <summary><c>/readyz</c>: whether inputs are loaded, which, and whether a rejected reload made them stale.</summary>
public sealed record Readiness(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("pack")] ReadyPack? Pack,
    [property: JsonPropertyName("vendors")] int Vendors,
    [property: JsonPropertyName("loaded_at")] string? LoadedAt,
    [property: JsonPropertyName("stale")] ReadyStale? Stale);

public sealed record ReadyPack(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("sha256")] string Sha256);

public sealed record ReadyStale(
    [property: JsonPropertyName("rejected_at")] string RejectedAt,
    [property: JsonPropertyName("errors")] IReadOnlyList<string> Errors);

/// <summary>An answer to an action (<c>POST /api/v1/runs</c>).</summary>
public sealed record RunAnswer(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("as_of")] string? AsOf,
    [property: JsonPropertyName("vendors")] int Vendors,
    [property: JsonPropertyName("files")] IReadOnlyList<string> Files);

/// <summary>System.Text.Json source generation: no reflection, so it works in the Native AOT binary.</summary>
[JsonSourceGenerationOptions(WriteIndented = false, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(Health))]
[JsonSerializable(typeof(Readiness))]
[JsonSerializable(typeof(RunAnswer))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(int?))]
[JsonSerializable(typeof(int))]
internal sealed partial class WebJsonContext : JsonSerializerContext;

/// <summary>The API's own JSON bodies written as the CLI's writers write theirs (snake_case, fixed key order).</summary>
public static class WebJson
{
    public const string ErrorsSchema = "licenserisk.errors/1";
    public const string HistorySchema = "licenserisk.history/1";
    public const string ReviewSchema = "licenserisk.review/1";
    public const string DecisionSchema = "licenserisk.decision/1";

    /// <summary>The pending candidates of every loaded vendor's inbox (as <c>review --format json</c>, with the vendor ids), and the inboxes that cannot be read.</summary>
    public static void WriteReview(Stream stream, IReadOnlyList<VendorInbox> inboxes)
    {
        using var w = new Utf8JsonWriter(stream, JsonOutput.Options);
        w.WriteStartObject();
        w.WriteString("schema", ReviewSchema);
        var readable = inboxes.Where(i => i.Inbox is not null).ToList();
        var vendors = readable.ToDictionary(i => i.Inbox!, i => i.VendorId);
        Inbox.WritePending(w, [.. readable.Select(i => i.Inbox!)], inbox => vendors[inbox]);
        w.WriteStartArray("errors");
        foreach (var d in inboxes.SelectMany(i => i.Problems))
        {
            w.WriteStringValue(d.ToString());
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.Flush();
        stream.Write("\n"u8);
    }

    /// <summary>A decision taken: accepted or rejected, the vendor, its dossier and inbox, and the candidate as now in the inbox.</summary>
    public static void WriteDecision(Stream stream, VendorInbox where, Candidate candidate)
    {
        using var w = new Utf8JsonWriter(stream, JsonOutput.Options);
        w.WriteStartObject();
        w.WriteString("schema", DecisionSchema);
        w.WriteString("status", Inbox.StatusName(candidate.Status));
        w.WriteString("vendor", where.VendorId);
        w.WriteString("dossier", where.Dossier);
        w.WriteString("inbox", Inbox.PathFor(where.Dossier));
        w.WritePropertyName("candidate");
        Inbox.WriteCandidate(w, candidate);
        w.WriteEndObject();
        w.Flush();
        stream.Write("\n"u8);
    }

    /// <summary>Located errors (file, line, column, code, message) and the line the CLI would print for each.</summary>
    public static void WriteErrors(Stream stream, IEnumerable<Diagnostic> diagnostics)
    {
        using var w = new Utf8JsonWriter(stream, JsonOutput.Options);
        w.WriteStartObject();
        w.WriteString("schema", ErrorsSchema);
        w.WriteStartArray("errors");
        foreach (var d in diagnostics)
        {
            w.WriteStartObject();
            w.WriteString("file", d.Span.File);
            w.WriteNumber("line", d.Span.Line);
            w.WriteNumber("column", d.Span.Column);
            w.WriteString("severity", d.IsError ? "error" : "warning");
            w.WriteString("code", d.Code);
            w.WriteString("message", d.Message);
            w.WriteString("text", d.ToString());
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.Flush();
        stream.Write("\n"u8);
    }

    /// <summary>One problem that is not in an input file (unknown vendor, missing token, too large).</summary>
    public static void WriteError(Stream stream, string message)
    {
        using var w = new Utf8JsonWriter(stream, JsonOutput.Options);
        w.WriteStartObject();
        w.WriteString("schema", ErrorsSchema);
        w.WriteStartArray("errors");
        w.WriteStartObject();
        w.WriteString("message", message);
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
        w.Flush();
        stream.Write("\n"u8);
    }

    /// <summary>A vendor's stored runs, oldest first, and today's score under the inputs in use.</summary>
    public static void WriteHistory(Stream stream, VendorEntry v, int horizonMonths)
    {
        using var w = new Utf8JsonWriter(stream, JsonOutput.Options);
        w.WriteStartObject();
        w.WriteString("schema", HistorySchema);
        w.WriteString("vendor", v.Score.Id);
        w.WriteNumber("horizon_months", horizonMonths);
        w.WriteStartArray("runs");
        foreach (var t in v.Trend)
        {
            w.WriteStartObject();
            w.WriteString("as_of", IsoDate.Format(t.AsOf));
            w.WriteString("iso_week", t.IsoWeek);
            w.WriteNumber("probability", JsonScoreWriter.Round(t.Probability));
            w.WriteStartArray("interval");
            w.WriteNumberValue(JsonScoreWriter.Round(t.Low));
            w.WriteNumberValue(JsonScoreWriter.Round(t.High));
            w.WriteEndArray();
            w.WriteString("band", t.Band);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartObject("current");
        w.WriteString("as_of", IsoDate.Format(v.Score.AsOf));
        w.WriteNumber("probability", JsonScoreWriter.Round(v.Score.Probability));
        w.WriteStartArray("interval");
        w.WriteNumberValue(JsonScoreWriter.Round(v.Score.Low));
        w.WriteNumberValue(JsonScoreWriter.Round(v.Score.High));
        w.WriteEndArray();
        w.WriteString("band", v.Score.Band);
        w.WriteEndObject();
        w.WriteEndObject();
        w.Flush();
        stream.Write("\n"u8);
    }
}
