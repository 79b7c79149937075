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

    private static readonly string[] Expand = ["createdAt", "cardData", "gated", "safetensors", "downloads", "tags"];

    /// <summary>One model of the listing, with what the Hub says about it.</summary>
    public sealed record HubModel(string Id, DateOnly Created, string? License, string? Gated, double? Params, string? BaseModel, Fetched Page);

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
            var names = string.Join(", ", launch.Select(m => m.Id[(m.Id.IndexOf('/', StringComparison.Ordinal) + 1)..]));
            var size = launch.Max(m => m.Params);
            var license = launch.Select(m => m.License).FirstOrDefault(l => l is not null);
            var gated = launch.Any(m => m.Gated is not null);
            var fields = new List<KeyValuePair<string, string>> { new("model", names), new("weights", gated ? "gated" : "open") };
            if (license is not null)
            {
                fields.Add(new("license", license));
            }

            string? tier = null;
            if (size is { } p)
            {
                largest = Math.Max(largest, p);
                tier = p >= largest / 2 ? "flagship" : p >= largest / 10 ? "mid" : "small";
                fields.Add(new("tier", tier));
                fields.Add(new("params_b", Inbox.Number(Math.Round(p, 1))));
            }

            var why = $"{launch.Count} model{(launch.Count == 1 ? "" : "s")} of line '{line}' published on the Hub on {IsoDate.Format(first.Created)}"
                + (gated ? ", gated (licence acceptance needed)" : ", open")
                + (license is null ? ", no licence tag" : $", licence '{license}'")
                + (tier is null ? "; size unknown, no tier proposed" : $"; tier '{tier}' proposed from {Inbox.Number(Math.Round(size!.Value, 1))}B parameters against the vendor's largest so far ({Inbox.Number(Math.Round(largest, 1))}B): review it");
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
        var name = id[(id.IndexOf('/', StringComparison.Ordinal) + 1)..];
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
        return new HubModel(idEl.GetString()!, DateOnly.FromDateTime(created.UtcDateTime), license, gated, size, baseModel, page);
    }

    [GeneratedRegex(@"(?i)[-_.](gguf|awq|gptq|fp8|int4|int8|mlx|bnb|4bit|8bit|exl2|onnx)(\b|[-_.]|$)")]
    private static partial Regex CopyPattern();
}
