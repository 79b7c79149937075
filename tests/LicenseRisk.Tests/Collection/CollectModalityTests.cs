using System.Text.Json;
using LicenseRisk.Collection;
using LicenseRisk.Model;
using LicenseRisk.Tests.Cli;
using LicenseRisk.Tests.Hosting;
using LicenseRisk.Yaml;

namespace LicenseRisk.Tests.Collection;

/// <summary>
/// The collectors write a release's <c>modality</c> where the source says it (docs/collection.md,
/// "Modality"): collect, review and score as a user runs them, against the loopback fixture server.
/// </summary>
public sealed class CollectModalityTests : IDisposable
{
    private static readonly string HubQuery = CollectCommandTests.HubQueryFor("acme-ai");

    private const string Acme = """
        vendor:
          id: acme
          name: Acme AI
          sources:
            huggingface: [acme-ai]
            openrouter: [acme]
        signals:
          - kind: statement
            date: 2025-01-10
            stance: neutral
            source: https://example.org/acme
        """;

    // Four launches on four days: an image generator (the largest: flagship), a model whose
    // pipeline tag the mapping does not know, one with no tag at all, and a coder.
    private const string Hub = """
        [
         {"id": "acme-ai/Acme-Image-1", "createdAt": "2025-03-01T10:00:00.000Z", "cardData": {"license": "apache-2.0"}, "tags": ["diffusers", "text-to-image", "license:apache-2.0"], "pipeline_tag": "text-to-image", "safetensors": {"total": 12000000000}},
         {"id": "acme-ai/Acme-Embed-1", "createdAt": "2025-04-01T10:00:00.000Z", "cardData": {"license": "apache-2.0"}, "tags": ["sentence-transformers", "feature-extraction"], "pipeline_tag": "feature-extraction", "safetensors": {"total": 300000000}},
         {"id": "acme-ai/Acme-Thing-1", "createdAt": "2025-05-01T10:00:00.000Z", "cardData": {"license": "apache-2.0"}, "tags": ["license:apache-2.0"], "safetensors": {"total": 1000000000}},
         {"id": "acme-ai/Acme-Coder-7B", "createdAt": "2025-06-01T10:00:00.000Z", "cardData": {"license": "apache-2.0"}, "tags": ["transformers", "text-generation", "code"], "pipeline_tag": "text-generation", "safetensors": {"total": 7000000000}},
         {"id": "acme-ai/Acme-Chat-7B", "createdAt": "2025-07-01T10:00:00.000Z", "cardData": {"license": "apache-2.0", "pipeline_tag": "text-generation"}, "tags": ["transformers", "text-generation", "code"], "safetensors": {"total": 7000000000}}
        ]
        """;

    // OpenRouter's architecture in the API's shape (the 2025-q2 snapshot's), and one listing without it.
    private const string OpenRouter = """
        {"data": [
         {"id": "acme/acme-vision", "name": "Acme: Vision", "created": 1740000000, "hugging_face_id": "", "architecture": {"modality": "text+image->text", "input_modalities": ["text", "image"], "output_modalities": ["text"]}},
         {"id": "acme/acme-painter", "name": "Acme: Painter", "created": 1740000000, "hugging_face_id": "", "architecture": {"modality": "text+image->text+image", "input_modalities": ["text", "image"], "output_modalities": ["image", "text"]}},
         {"id": "acme/acme-large", "name": "Acme: Large", "created": 1740000000, "hugging_face_id": "", "architecture": {"modality": "text->text", "input_modalities": ["text", "file"], "output_modalities": ["text"]}},
         {"id": "acme/acme-odd", "name": "Acme: Odd", "created": 1740000000, "hugging_face_id": "", "architecture": {"input_modalities": ["text", "smell"], "output_modalities": ["text"]}},
         {"id": "acme/acme-bare", "name": "Acme: Bare", "created": 1740000000, "hugging_face_id": ""}
        ]}
        """;

    private readonly TempDir _dir = new();
    private readonly FixtureServer _server = new();

    public CollectModalityTests()
    {
        _server.On(HubQuery, new Reply(200, Hub)).On("/api/v1/models", new Reply(200, OpenRouter));
    }

    public void Dispose()
    {
        _server.Dispose();
        _dir.Dispose();
    }

    private CliResult Collect(string dossier) =>
        CliProcess.InProcess("collect", dossier, "--hub-url", _server.Url, "--openrouter-url", _server.Url, "--no-cache", "--timeout", "30");

    private static List<JsonElement> Candidates(string inbox) => [.. CollectCommandTests.Candidates(inbox).EnumerateArray()];

    private static string? Modality(JsonElement candidate) =>
        candidate.GetProperty("signal").GetProperty("fields").TryGetProperty("modality", out var m) ? m.GetString() : null;

    private static string Model(JsonElement candidate) => candidate.GetProperty("signal").GetProperty("fields").GetProperty("model").GetString()!;

    [Fact]
    public void A_text_to_image_model_becomes_an_image_release_and_accepting_it_writes_modality_image()
    {
        var dossier = _dir["acme.yaml"];
        File.WriteAllText(dossier, Acme);
        var r = Collect(dossier);
        r.ExitCode.ShouldBe(0, r.Stderr);
        r.Stdout.ShouldContain("Acme-Image-1, weights=open, license=apache-2.0, tier=flagship, params_b=12, modality=image");

        var hub = Candidates(_dir["acme.inbox.json"]).Where(c => c.GetProperty("collector").GetString() == "huggingface" && c.GetProperty("signal").GetProperty("kind").GetString() == "release").ToList();
        hub.Select(c => (Model(c), Modality(c))).ShouldBe(
            [("Acme-Image-1", "image"), ("Acme-Embed-1", null), ("Acme-Thing-1", null), ("Acme-Coder-7B", "code"), ("Acme-Chat-7B", "text")]);
        hub[0].GetProperty("why").GetString()!.ShouldContain("modality 'image' from Acme-Image-1's pipeline tag 'text-to-image'");
        hub[1].GetProperty("why").GetString()!.ShouldContain("pipeline tag 'feature-extraction' of Acme-Embed-1 says no modality, none proposed");
        hub[2].GetProperty("why").GetString()!.ShouldContain("no pipeline tag on Acme-Thing-1, no modality proposed");

        var id = hub[0].GetProperty("id").GetString()!;
        var accept = CliProcess.InProcess("review", dossier, "--accept", id, "--reason", "Acme's image model on the Hub");
        accept.ExitCode.ShouldBe(0, accept.Stderr);
        var text = File.ReadAllText(dossier);
        text.ShouldContain("- kind: release\n    date: 2025-03-01\n    model: 'Acme-Image-1'\n    weights: open\n    license: 'apache-2.0'\n    tier: flagship\n    params_b: 12\n    modality: image\n");

        // The accepted dossier reads back with the modality, and scores: the media rule reads it.
        var catalog = LicenseRisk.Rules.PackCompiler.Load(Repo.Path("rules"), new Limits(), new DiagnosticBag())!.Catalog;
        var reread = DossierReader.ReadFile(dossier, catalog, new Limits(), new DiagnosticBag())!;
        reread.Signals[^1].Values.Single(v => v.Field.Name == "modality").Text.ShouldBe("image");
        var score = CliProcess.InProcess("score", dossier, "--as-of", "2025-12-01", "--format", "json");
        score.ExitCode.ShouldBe(0, score.Stderr);
        score.Stdout.ShouldContain("media-generation-flagship");
    }

    [Fact]
    public void OpenRouter_candidates_take_modality_from_the_architecture_and_none_without_it()
    {
        var dossier = _dir["acme.yaml"];
        File.WriteAllText(dossier, Acme);
        CollectCommandTests.Ok(Collect(dossier));
        var or = Candidates(_dir["acme.inbox.json"]).Where(c => c.GetProperty("collector").GetString() == "openrouter").ToList();
        or.Select(c => (Model(c), Modality(c))).ShouldBe(
            [("Acme: Bare", null), ("Acme: Large", "text"), ("Acme: Odd", null), ("Acme: Painter", "image"), ("Acme: Vision", "multimodal")]);
        or[0].GetProperty("why").GetString()!.ShouldContain("its architecture says no modality");
        or[4].GetProperty("why").GetString()!.ShouldContain("modality 'multimodal' from its architecture's input and output modalities");
    }

    [Fact]
    public void Collecting_the_same_answers_twice_writes_the_same_inbox_and_it_round_trips()
    {
        File.WriteAllText(_dir["a.yaml"], Acme);
        File.WriteAllText(_dir["b.yaml"], Acme);
        CollectCommandTests.Ok(Collect(_dir["a.yaml"]));
        CollectCommandTests.Ok(Collect(_dir["b.yaml"]));
        static string Stable(string path) => System.Text.RegularExpressions.Regex.Replace(
            File.ReadAllText(path).Replace("\"b.yaml\"", "\"a.yaml\"", StringComparison.Ordinal), "\"fetched_at\": \"[^\"]*\"", "\"fetched_at\": \"T\"");
        Stable(_dir["b.inbox.json"]).ShouldBe(Stable(_dir["a.inbox.json"]));

        // Loading the inbox and writing it back gives the same bytes, modality included.
        var before = File.ReadAllBytes(_dir["a.inbox.json"]);
        var inbox = Inbox.Load(_dir["a.yaml"], new DiagnosticBag())!;
        inbox.Candidates.Count(c => c.Signal.Field("modality") is not null).ShouldBe(6);
        inbox.Save();
        File.ReadAllBytes(_dir["a.inbox.json"]).ShouldBe(before);
    }

    [Theory]
    [InlineData("Qwen/Qwen2.5-Coder-32B-Instruct", "text-generation", "code")]
    [InlineData("01-ai/Yi-Coder-9B", "text-generation", "code")]
    [InlineData("ibm-granite/granite-8b-code-instruct", "text-generation", "code")]
    [InlineData("meta-llama/CodeLlama-7b-hf", "text-generation", "code")]
    [InlineData("bigcode/StarCoder", "text-generation", "code")]
    [InlineData("mistralai/Codestral-22B-v0.1", "text-generation", "text")]
    [InlineData("google/t5-Encoder-base", "text2text-generation", "text")]
    [InlineData("acme/Decoder-7B", "text-generation", "text")]
    [InlineData("acme/Coder-Image-1", "text-to-image", "image")]
    [InlineData("openai/whisper-large-v3", "automatic-speech-recognition", "audio")]
    [InlineData("Wan-AI/Wan2.1-T2V-14B", "text-to-video", "video")]
    [InlineData("Qwen/Qwen2.5-VL-7B-Instruct", "image-text-to-text", "multimodal")]
    [InlineData("acme/Embed", "feature-extraction", null)]
    [InlineData("acme/Thing", null, null)]
    public void The_hub_mapping_is_the_documented_table_and_code_only_when_the_name_says_it(string id, string? tag, string? modality) =>
        LicenseRisk.Collection.Collectors.HuggingFaceCollector.ModalityOf(tag, id).ShouldBe(modality);

    [Fact]
    public void An_inbox_written_before_modality_still_loads_lists_and_accepts()
    {
        var dossier = _dir["old.yaml"];
        File.WriteAllText(dossier, Acme);

        // A candidate as collect wrote it before this change: no modality among its fields.
        File.WriteAllText(_dir["old.inbox.json"], """
            {
              "inbox": 1,
              "dossier": "old.yaml",
              "candidates": [
                {
                  "id": "hf-0123456789ab",
                  "status": "pending",
                  "collector": "huggingface",
                  "url": "https://huggingface.co/api/models?author=acme-ai&expand[]=createdAt&expand[]=cardData&expand[]=gated&expand[]=safetensors&expand[]=downloads&expand[]=tags&limit=100",
                  "fetched_at": "2026-12-05T14:10:49Z",
                  "sha256": "02d9142e52e90327ac8a4966e13e0bbdd321d57a9a95eebf32726a28e893f1af",
                  "why": "1 model of line 'acme' published on the Hub on 2025-03-01, open, licence 'apache-2.0'; size unknown, no tier proposed",
                  "signal": {
                    "kind": "release",
                    "date": "2025-03-01",
                    "fields": { "model": "Acme-Image-1", "weights": "open", "license": "apache-2.0" },
                    "source": "https://huggingface.co/acme-ai/Acme-Image-1",
                    "confidence": 0.9
                  },
                  "needs": []
                }
              ]
            }
            """);
        var list = CliProcess.InProcess("review", dossier);
        list.ExitCode.ShouldBe(0, list.Stderr);
        list.Stdout.ShouldContain("hf-0123456789ab  release");
        list.Stdout.ShouldContain("Acme-Image-1, weights=open, license=apache-2.0");

        // Accepted as it is, it has no modality; the reviewer can give it.
        var accept = CliProcess.InProcess("review", dossier, "--accept", "hf-0123456789ab", "--reason", "r", "--set", "modality=image");
        accept.ExitCode.ShouldBe(0, accept.Stderr);
        File.ReadAllText(dossier).ShouldContain("    license: 'apache-2.0'\n    modality: image\n    source: 'https://huggingface.co/acme-ai/Acme-Image-1'\n");
    }
}
