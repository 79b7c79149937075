using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using LicenseRisk.Model;

namespace LicenseRisk.Collection.Collectors;

/// <summary>
/// The Hugging Face Hub: an organisation's models from <c>/api/models?author=ORG</c> with the
/// <c>expand[]</c> fields it needs, paged through the <c>Link</c> header. Proposes one release per
/// model line and day (the variants of one launch together; quantized copies and fine-tunes of
/// another model left out), open or gated, with the licence tag and the size; a licence change when
/// a line's licence differs from its earlier release; and a tier from the size within the vendor's
/// own releases so far (flagship at half the largest or more, mid at a tenth, small below),
/// always reviewable.
/// </summary>
public static partial class HuggingFaceCollector
{
    /// <summary>The collector's name in provenance and messages.</summary>
    public const string Name = "huggingface";

    private static readonly string[] Expand = ["createdAt", "cardData", "gated", "safetensors", "downloads", "tags", "pipeline_tag"];

    /// <summary>A Hub model id without its organisation ("meta-llama/Llama-4-Scout" gives "Llama-4-Scout").</summary>
    private static string ShortName(string id) => id[(id.IndexOf('/', StringComparison.Ordinal) + 1)..];

    /// <summary>
    /// The Hub's pipeline tags that say a release's modality (docs/collection.md, "Modality"). A tag
    /// not listed here (fill-mask, feature-extraction, image-classification, ...) says none.
    /// </summary>
    private static readonly Dictionary<string, string> PipelineModality = new(StringComparer.Ordinal)
    {
        ["text-generation"] = "text",
        ["text2text-generation"] = "text",
        ["conversational"] = "text",
        ["text-to-image"] = "image",
        ["image-to-image"] = "image",
        ["unconditional-image-generation"] = "image",
        ["text-to-speech"] = "audio",
        ["text-to-audio"] = "audio",
        ["automatic-speech-recognition"] = "audio",
        ["audio-to-audio"] = "audio",
        ["text-to-video"] = "video",
        ["image-to-video"] = "video",
        ["image-text-to-text"] = "multimodal",
        ["visual-question-answering"] = "multimodal",
        ["any-to-any"] = "multimodal",
        ["video-text-to-text"] = "multimodal",
    };

    /// <summary>One model of the listing, with what the Hub says about it.</summary>
    public sealed record HubModel(string Id, DateOnly Created, string? License, string? Gated, double? Params, string? BaseModel, Fetched Page)
    {
        /// <summary>The pipeline tag the modality comes from, or null.</summary>
        public string? Task { get; init; }

        /// <summary>text, code, image, audio, video or multimodal, from <see cref="Task"/> and the name; null when the source does not say.</summary>
        public string? Modality => ModalityOf(Task, Id);
    }

    /// <summary>The first page's address for an organisation.</summary>
    public static Uri ListUrl(Uri hub, string org) =>
        new(hub, "api/models?author=" + Uri.EscapeDataString(org) + string.Concat(Expand.Select(e => "&expand[]=" + e)) + "&limit=100");

    /// <summary>Every model of <paramref name="org"/>, following the Link header's next page (at most MaxPages).</summary>
    public static async Task<IReadOnlyList<HubModel>> ListAsync(SourceFetcher fetcher, CollectOptions options, string org, CancellationToken ct)
    {
        var models = new List<HubModel>();
        Uri? url = ListUrl(options.HubUrl, org);
        for (var page = 0; url is not null && page < options.MaxPages; page++)
        {
            var fetched = await fetcher.GetAsync(Name, url, ct).ConfigureAwait(false);
            using var doc = fetched.Json();
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new SourceException(Name, url.ToString(), $"expected a JSON list of models, got {doc.RootElement.ValueKind.ToString().ToLowerInvariant()}");
            }

            foreach (var m in doc.RootElement.EnumerateArray())
            {
                if (Read(m, fetched) is { } model)
                {
                    models.Add(model);
                }
            }

            url = LinkHeader.Next(fetched.Link, url);
        }

        return models;
    }

    /// <summary>The candidates for a vendor from its organisations' models.</summary>
    public static IReadOnlyList<Candidate> Propose(Dossier dossier, IReadOnlyList<HubModel> models, Uri hub)
    {
        var launches = models
            .Where(m => !IsCopy(m.Id) && (m.BaseModel is null || IsOwnNewLine(m, dossier.Vendor)))
            .GroupBy(m => (Line: Line(m.Id, dossier.Vendor), m.Created))
            .Select(g => g.OrderBy(m => m.Id, StringComparer.Ordinal).ToList())
            .OrderBy(g => g[0].Created).ThenBy(g => Line(g[0].Id, dossier.Vendor), StringComparer.Ordinal)
            .ToList();
        var candidates = new List<Candidate>();
        var largest = 0.0;
        var lastLicense = new Dictionary<string, (string License, string Model)>(StringComparer.Ordinal);
        foreach (var launch in launches)
        {
            var first = launch[0];
            var line = Line(first.Id, dossier.Vendor);
            var names = string.Join(", ", launch.Select(m => ShortName(m.Id)));
            var size = launch.Max(m => m.Params);
            var license = launch.Select(m => m.License).FirstOrDefault(l => l is not null);
            var gated = launch.Any(m => m.Gated is not null);
            var fields = new List<KeyValuePair<string, string>> { new("model", names), new("weights", gated ? "gated" : "open") };
            if (license is not null)
            {
                fields.Add(new("license", license));
            }

            // The headline model's modality: the one the 'model' field names first (docs/dossier-format.md, "Modality").
            var modality = first.Modality;
            var others = launch.Select(m => m.Modality ?? "no modality").Where(m => m != (modality ?? "no modality")).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

            string? tier = null;
            if (size is { } p)
            {
                largest = Math.Max(largest, p);
                tier = p >= largest / 2 ? "flagship" : p >= largest / 10 ? "mid" : "small";
                fields.Add(new("tier", tier));
                fields.Add(new("params_b", Inbox.Number(Math.Round(p, 1))));
            }

            if (modality is not null)
            {
                fields.Add(new("modality", modality));
            }

            var why = $"{launch.Count} model{(launch.Count == 1 ? "" : "s")} of line '{line}' published on the Hub on {IsoDate.Format(first.Created)}"
                + (gated ? ", gated (licence acceptance needed)" : ", open")
                + (license is null ? ", no licence tag" : $", licence '{license}'")
                + (tier is null ? "; size unknown, no tier proposed" : $"; tier '{tier}' proposed from {Inbox.Number(Math.Round(size!.Value, 1))}B parameters against the vendor's largest so far ({Inbox.Number(Math.Round(largest, 1))}B): review it")
                + ModalityWhy(first, modality, others);
            candidates.Add(new Candidate(
                Candidate.MakeId(Name, $"release|{dossier.Vendor.Id}|{line}|{IsoDate.Format(first.Created)}"),
                Name,
                first.Page.Url.ToString(),
                first.Page.FetchedAt,
                first.Page.Sha256,
                why,
                new ProposedSignal("release", first.Created, fields, new Uri(hub, first.Id).ToString(), 0.9, null),
                []));

            if (license is not null)
            {
                if (lastLicense.TryGetValue(line, out var before) && !string.Equals(before.License, license, StringComparison.OrdinalIgnoreCase))
                {
                    candidates.Add(new Candidate(
                        Candidate.MakeId(Name, $"license_change|{dossier.Vendor.Id}|{line}|{IsoDate.Format(first.Created)}"),
                        Name,
                        first.Page.Url.ToString(),
                        first.Page.FetchedAt,
                        first.Page.Sha256,
                        $"line '{line}' changed licence tag from '{before.License}' ({before.Model}) to '{license}' ({names}); whether it is more restrictive is the reviewer's call",
                        new ProposedSignal("license_change", first.Created, [new("model", names), new("from", before.License), new("to", license)], new Uri(hub, first.Id).ToString(), 0.9, null),
                        ["more_restrictive"]));
                }

                lastLicense[line] = (license, names);
            }
        }

        return candidates;
    }

    /// <summary>
    /// A model's line: the letters its name starts with, lowercased, after a leading word that
    /// only names the vendor ("Meta-Llama-3-8B" and "Llama-3.1-8B" are both "llama").
    /// </summary>
    public static string Line(string id, VendorInfo vendor)
    {
        var name = ShortName(id);
        var tokens = name.Split('-', '_', '.', ' ').Where(t => t.Length > 0).ToList();
        var vendorWords = vendor.Id.Split('-').Concat(vendor.Sources.HuggingFace.SelectMany(o => o.ToLowerInvariant().Split('-', '_'))).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (tokens.Count > 1 && vendorWords.Contains(tokens[0]) && tokens[1].Length > 0 && char.IsLetter(tokens[1][0]))
        {
            tokens.RemoveAt(0);
        }

        var first = tokens.Count == 0 ? name : tokens[0];
        var letters = new string([.. first.TakeWhile(char.IsLetter)]);
        return (letters.Length == 0 ? first : letters).ToLowerInvariant();
    }

    /// <summary>
    /// The modality a pipeline tag says, for a model of this id: the table above, and <c>code</c>
    /// instead of <c>text</c> only when the model's name says code (<see cref="NamesCode"/>). Null for
    /// a tag the table does not list or no tag: absence is not text.
    /// </summary>
    public static string? ModalityOf(string? pipelineTag, string id)
    {
        if (pipelineTag is null || !PipelineModality.TryGetValue(pipelineTag, out var modality))
        {
            return null;
        }

        return modality == "text" && NamesCode(id) ? "code" : modality;
    }

    /// <summary>
    /// Whether a model's name (after the organisation) says it is a code model: a word, between
    /// '-', '_', '.' or ' ', that is "code" or "coder" in any case (Qwen2.5-Coder, Yi-Coder,
    /// granite-8b-code-instruct), or a capitalised compound starting with "Code" (CodeLlama,
    /// CodeGemma) or ending in "Coder" (StarCoder, WizardCoder). Not the Hub's <c>code</c> tag:
    /// general models carry it too. Names that hide it (Codestral) are left to the reviewer.
    /// </summary>
    public static bool NamesCode(string id)
    {
        var name = ShortName(id);
        foreach (var word in name.Split('-', '_', '.', ' '))
        {
            if (word.Equals("code", StringComparison.OrdinalIgnoreCase) || word.Equals("coder", StringComparison.OrdinalIgnoreCase)
                || CodeCompound().IsMatch(word))
            {
                return true;
            }
        }

        return false;
    }

    private static string ModalityWhy(HubModel first, string? modality, IReadOnlyList<string> others)
    {
        var headline = ShortName(first.Id);
        var said = modality is null
            ? first.Task is null ? $"; no pipeline tag on {headline}, no modality proposed" : $"; pipeline tag '{first.Task}' of {headline} says no modality, none proposed"
            : $"; modality '{modality}' from {headline}'s pipeline tag '{first.Task}'" + (modality == "code" ? " and its name" : string.Empty);
        return others.Count == 0 ? said : said + $" (other models of the launch: {string.Join(", ", others)}; review it)";
    }

    private static string? ReadTask(JsonElement m)
    {
        if (m.TryGetProperty("pipeline_tag", out var top) && top.ValueKind == JsonValueKind.String && top.GetString()!.Length > 0)
        {
            return top.GetString();
        }

        if (m.TryGetProperty("cardData", out var card) && card.ValueKind == JsonValueKind.Object
            && card.TryGetProperty("pipeline_tag", out var c) && c.ValueKind == JsonValueKind.String && c.GetString()!.Length > 0)
        {
            return c.GetString();
        }

        // Without a pipeline tag, the tags list: only when exactly one of its tags is a task the table maps.
        if (m.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Array)
        {
            var tasks = tags.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!)
                .Where(PipelineModality.ContainsKey).Distinct(StringComparer.Ordinal).ToList();
            if (tasks.Count == 1)
            {
                return tasks[0];
            }
        }

        return null;
    }

    private static bool IsCopy(string id) => CopyPattern().IsMatch(id);

    /// <summary>
    /// A model built on the vendor's own model of another line is a launch of its own (Magistral and
    /// Devstral on Mistral Small); one built on another organisation's model (a distill on Qwen3), or
    /// on its own line's model (an Instruct on its Base, a Mistral Small 3.2 on 3.1), is not.
    /// </summary>
    private static bool IsOwnNewLine(HubModel m, VendorInfo vendor)
    {
        var org = m.Id[..Math.Max(0, m.Id.IndexOf('/', StringComparison.Ordinal))];
        var baseModel = m.BaseModel!;
        var slash = baseModel.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && org.Length > 0
            && string.Equals(baseModel[..slash], org, StringComparison.OrdinalIgnoreCase)
            && !string.Equals(Line(baseModel, vendor), Line(m.Id, vendor), StringComparison.Ordinal);
    }

    private static HubModel? Read(JsonElement m, Fetched page)
    {
        if (m.ValueKind != JsonValueKind.Object || !m.TryGetProperty("id", out var idEl) || idEl.ValueKind != JsonValueKind.String
            || !m.TryGetProperty("createdAt", out var c) || c.ValueKind != JsonValueKind.String
            || !DateTimeOffset.TryParse(c.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var created))
        {
            return null;
        }

        string? license = null;
        string? baseModel = null;
        if (m.TryGetProperty("cardData", out var card) && card.ValueKind == JsonValueKind.Object)
        {
            license = card.TryGetProperty("license", out var l) && l.ValueKind == JsonValueKind.String ? l.GetString() : null;
            if (card.TryGetProperty("base_model", out var b))
            {
                baseModel = b.ValueKind == JsonValueKind.String ? b.GetString() : b.ValueKind == JsonValueKind.Array && b.GetArrayLength() > 0 ? b[0].GetString() : null;
            }
        }

        if (license is null && m.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Array)
        {
            license = tags.EnumerateArray().Select(t => t.ValueKind == JsonValueKind.String ? t.GetString() : null)
                .FirstOrDefault(t => t?.StartsWith("license:", StringComparison.Ordinal) == true)?["license:".Length..];
        }

        string? gated = m.TryGetProperty("gated", out var g) && g.ValueKind == JsonValueKind.String ? g.GetString() : null;
        double? size = m.TryGetProperty("safetensors", out var st) && st.ValueKind == JsonValueKind.Object && st.TryGetProperty("total", out var total) && total.ValueKind == JsonValueKind.Number
            ? total.GetDouble() / 1e9
            : null;
        var id = idEl.GetString()!;
        var task = ReadTask(m);
        return new HubModel(id, DateOnly.FromDateTime(created.UtcDateTime), license, gated, size, baseModel, page) { Task = task };
    }

    [GeneratedRegex(@"^(Code[A-Z]|.*[a-z]Coder[0-9]*$)")]
    private static partial Regex CodeCompound();

    [GeneratedRegex(@"(?i)[-_.](gguf|awq|gptq|fp8|int4|int8|mlx|bnb|4bit|8bit|exl2|onnx)(\b|[-_.]|$)")]
    private static partial Regex CopyPattern();
}
