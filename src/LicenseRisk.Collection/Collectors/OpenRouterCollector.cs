using System.Text.Json;
using LicenseRisk.Model;

namespace LicenseRisk.Collection.Collectors;

/// <summary>
/// OpenRouter's model list (<c>/api/v1/models</c>): a model under one of the vendor's author
/// prefixes with no Hugging Face id is proposed as a possible API-only release, always for review
/// (some open models lack the id too).
/// </summary>
public static class OpenRouterCollector
{
    /// <summary>The collector's name in provenance and messages.</summary>
    public const string Name = "openrouter";

    /// <summary>One model of OpenRouter's list: its id, display name, the day it was added, the Hugging Face id it names (null for none) and its modality (null when its architecture says none).</summary>
    public sealed record OpenRouterModel(string Id, string Name, DateOnly Created, string? HfId, string? Modality);

    /// <summary>The models list address.</summary>
    public static Uri ListUrl(Uri baseUrl) => new(baseUrl, "api/v1/models");

    /// <summary>Reads the list once (shared by every vendor of the run).</summary>
    public static async Task<(Fetched Page, IReadOnlyList<OpenRouterModel> Models)> ListAsync(SourceFetcher fetcher, CollectOptions options, CancellationToken ct)
    {
        var url = ListUrl(options.OpenRouterUrl);
        var fetched = await fetcher.GetAsync(Name, url, ct).ConfigureAwait(false);
        using var doc = fetched.Json();
        if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
        {
            throw new SourceException(Name, url.ToString(), "expected a JSON object with a \"data\" list of models");
        }

        var models = new List<OpenRouterModel>();
        foreach (var m in data.EnumerateArray())
        {
            if (m.ValueKind == JsonValueKind.Object && m.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
                && m.TryGetProperty("created", out var created) && created.ValueKind == JsonValueKind.Number && created.TryGetInt64(out var seconds))
            {
                var name = m.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : id.GetString()!;
                var hf = m.TryGetProperty("hugging_face_id", out var h) && h.ValueKind == JsonValueKind.String && h.GetString()!.Length > 0 ? h.GetString() : null;
                models.Add(new OpenRouterModel(id.GetString()!, name, DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime), hf, ModalityOf(m)));
            }
        }

        return (fetched, models);
    }

    /// <summary>The vendor's candidates from the list.</summary>
    public static IReadOnlyList<Candidate> Propose(Dossier dossier, Fetched page, IReadOnlyList<OpenRouterModel> models)
    {
        var candidates = new List<Candidate>();
        foreach (var prefix in dossier.Vendor.Sources.OpenRouter)
        {
            // One candidate per model: the ':free' and other ':variant' listings are the same model.
            foreach (var group in models.Where(m => m.Id.StartsWith(prefix + "/", StringComparison.OrdinalIgnoreCase) && m.HfId is null)
                         .GroupBy(m => m.Id.Split(':')[0], StringComparer.OrdinalIgnoreCase).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var m = group.OrderBy(x => x.Created).First();
                List<KeyValuePair<string, string>> fields = [new("model", m.Name), new("weights", "api_only")];
                if (m.Modality is not null)
                {
                    fields.Add(new("modality", m.Modality));
                }

                candidates.Add(new Candidate(
                    Candidate.MakeId(Name, $"api_only|{dossier.Vendor.Id}|{group.Key.ToLowerInvariant()}"),
                    Name,
                    page.Url.ToString(),
                    page.FetchedAt,
                    page.Sha256,
                    $"'{group.Key}' is listed on OpenRouter (since {IsoDate.Format(m.Created)}) with no Hugging Face id: possibly an API-only release; some open models lack the id too, so check"
                        + (m.Modality is null ? "; its architecture says no modality" : $"; modality '{m.Modality}' from its architecture's input and output modalities"),
                    new ProposedSignal("release", m.Created, fields, "https://openrouter.ai/" + group.Key, 0.6, null),
                    []));
            }
        }

        return candidates;
    }

    /// <summary>
    /// A model's modality from its <c>architecture.input_modalities</c> and <c>output_modalities</c>
    /// (docs/collection.md, "Modality"): image out is image; audio or video alone out is audio or
    /// video; text out from text in is text, from image, audio or video in multimodal; text with
    /// audio or video out is multimodal. 'file' in (documents) changes nothing. Null when the
    /// architecture is missing or names a modality this does not know.
    /// </summary>
    public static string? ModalityOf(JsonElement model)
    {
        if (!model.TryGetProperty("architecture", out var arch) || arch.ValueKind != JsonValueKind.Object
            || Words(arch, "input_modalities") is not { } input || Words(arch, "output_modalities") is not { } output
            || input.Count == 0 || output.Count == 0)
        {
            return null;
        }

        string[] known = ["text", "image", "audio", "video", "file"];
        if (input.Concat(output).Any(w => !known.Contains(w, StringComparer.Ordinal)) || output.Contains("file"))
        {
            return null;
        }

        if (output.Contains("image"))
        {
            return "image";
        }

        if (!output.Contains("text"))
        {
            return output.Count == 1 ? output.Single() : "multimodal";
        }

        return output.Count > 1 || input.Any(w => w is "image" or "audio" or "video") ? "multimodal" : "text";
    }

    private static HashSet<string>? Words(JsonElement arch, string name)
    {
        if (!arch.TryGetProperty(name, out var list) || list.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var words = new HashSet<string>(StringComparer.Ordinal);
        foreach (var w in list.EnumerateArray())
        {
            if (w.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            words.Add(w.GetString()!);
        }

        return words;
    }
}
