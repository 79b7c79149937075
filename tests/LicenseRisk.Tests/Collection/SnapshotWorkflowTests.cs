using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using LicenseRisk.Tests.Cli;
using LicenseRisk.Tests.Hosting;

namespace LicenseRisk.Tests.Collection;

/// <summary>
/// Done means, through the real CLI process: the snapshot of tests/snapshot/2025-q2 (the Hub,
/// OpenRouter, GitHub and an Atom feed, in the real APIs' shapes, for Qwen, Mistral and DeepSeek
/// in April to June 2025; hand-made, not recorded: see its README) served on loopback. The sample
/// dossiers without what they list for those months (their releases and partnership) are collected;
/// collect proposes what the person typed, review --accept makes them signals with provenance,
/// and report lists them as new evidence, collected and reviewed.
/// </summary>
public sealed class SnapshotWorkflowTests : IDisposable
{
    private static readonly DateOnly From = new(2025, 4, 1);
    private static readonly DateOnly To = new(2025, 6, 30);

    private readonly TempDir _dir = new();
    private readonly FixtureServer _server = FixtureServer.Snapshot(Repo.Path("tests/snapshot/2025-q2"));

    public void Dispose()
    {
        _server.Dispose();
        _dir.Dispose();
    }

    /// <summary>A hand-typed signal taken out of a sample dossier: what a person listed for the months.</summary>
    private sealed record Listed(string Vendor, string Kind, string Date, string? Weights, string? License);

    /// <summary>
    /// The dossier's text without its releases and partnerships dated in the snapshot's months
    /// (each signal is a "- kind:" item at the start of a line), and those signals.
    /// </summary>
    private static (string Text, List<Listed> Removed) WithoutTheMonths(string vendor, string yaml)
    {
        var removed = new List<Listed>();
        var kept = new List<string>();
        var item = new List<string>();
        void Flush()
        {
            var block = string.Join('\n', item);
            var kind = Regex.Match(block, @"^- kind: (\w+)", RegexOptions.Multiline);
            var date = Regex.Match(block, @"^  date: (\d{4}-\d{2}-\d{2})", RegexOptions.Multiline);
            if (kind.Success && date.Success && kind.Groups[1].Value is "release" or "partnership"
                && DateOnly.ParseExact(date.Groups[1].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture) is var d && d >= From && d <= To)
            {
                var weights = Regex.Match(block, @"^  weights: (\w+)", RegexOptions.Multiline);
                var license = Regex.Match(block, @"^  license: (\S+)", RegexOptions.Multiline);
                removed.Add(new Listed(vendor, kind.Groups[1].Value, date.Groups[1].Value, weights.Success ? weights.Groups[1].Value : null, license.Success ? license.Groups[1].Value : null));
            }
            else
            {
                kept.AddRange(item);
            }

            item.Clear();
        }

        foreach (var line in yaml.Split('\n'))
        {
            if (line.StartsWith("- kind:", StringComparison.Ordinal))
            {
                Flush();
            }

            item.Add(line);
        }

        Flush();
        return (string.Join('\n', kept), removed);
    }

    private CliResult Cli(params string[] args)
    {
        var r = CliProcess.RunIn(_dir.Path, args);
        return r;
    }

    private static List<JsonElement> Inbox(string dossier) =>
        [.. JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(dossier, null) + ".inbox.json")).RootElement.GetProperty("candidates").EnumerateArray()];

    private static string Field(JsonElement c, string name) =>
        c.GetProperty("signal").GetProperty("fields").TryGetProperty(name, out var v) ? v.GetString()! : string.Empty;

    [Fact]
    public void Collect_proposes_what_a_person_listed_review_makes_signals_and_report_shows_them_as_new_collected_evidence()
    {
        Directory.CreateDirectory(_dir["vendors"]);
        var listed = new List<Listed>();
        foreach (var vendor in (string[])["qwen", "mistral", "deepseek"])
        {
            var (text, removed) = WithoutTheMonths(vendor, File.ReadAllText(Repo.Path($"samples/vendors/{vendor}.yaml")));
            if (vendor == "mistral")
            {
                // The snapshot's Atom feed of Mistral's announcements, on the loopback server.
                text = text.Replace("    github: [mistralai]\n", $"    github: [mistralai]\n    feeds: [{_server.Url}feeds/mistral-news.atom]\n", StringComparison.Ordinal);
                text.ShouldContain("feeds: [");
            }

            File.WriteAllText(_dir[$"vendors/{vendor}.yaml"], text);
            listed.AddRange(removed);
        }

        // What the samples list for April to June 2025: Qwen3; Mistral Medium 3 (API only), Magistral
        // Small (open) and Medium (API only), the NVIDIA partnership (Mistral Compute); DeepSeek-R1-0528.
        listed.Select(l => $"{l.Vendor} {l.Kind} {l.Date} {l.Weights}").ShouldBe(
        [
            "qwen release 2025-04-29 open",
            "mistral release 2025-05-07 api_only", "mistral release 2025-06-10 open", "mistral release 2025-06-10 api_only", "mistral partnership 2025-06-11 ",
            "deepseek release 2025-05-28 open",
        ]);

        var baseline = Cli("report", "--vendors", "vendors", "--output-dir", "before", "--as-of", "2025-07-01", "--history", "history.db");
        baseline.ExitCode.ShouldBe(0, baseline.Stderr);

        var collect = Cli("collect", "vendors", "--hub-url", _server.Url, "--openrouter-url", _server.Url, "--github-url", _server.Url, "--cache", "cache");
        collect.ExitCode.ShouldBe(0, collect.Stderr);
        collect.Stdout.ShouldContain("vendors/qwen.yaml: 1 new candidate, 1 pending in vendors/qwen.inbox.json");
        collect.Stdout.ShouldContain("vendors/deepseek.yaml: 1 new candidate, 1 pending in vendors/deepseek.inbox.json");
        collect.Stdout.ShouldContain("vendors/mistral.yaml: 6 new candidates, 6 pending in vendors/mistral.inbox.json");
        _server.Count("/api/models?author=Qwen&").ShouldBe(2); // both pages, through the Link header

        // Each signal the person listed is proposed: same kind, day, weights and licence.
        var candidates = new Dictionary<string, List<JsonElement>>();
        foreach (var vendor in (string[])["qwen", "mistral", "deepseek"])
        {
            candidates[vendor] = Inbox(_dir[$"vendors/{vendor}.yaml"]);
        }

        var matched = new List<(string Vendor, JsonElement Candidate)>();
        foreach (var l in listed)
        {
            var c = candidates[l.Vendor].Where(c => c.GetProperty("signal").GetProperty("kind").GetString() == l.Kind
                && c.GetProperty("signal").GetProperty("date").GetString() == l.Date
                && (l.Weights is null || Field(c, "weights") == l.Weights)).ToList();
            c.Count.ShouldBe(1, $"one candidate for {l}");
            if (l.License is not null && Field(c[0], "license").Length > 0)
            {
                Field(c[0], "license").ShouldBe(l.License, StringCompareShould.IgnoreCase);
            }

            matched.Add((l.Vendor, c[0]));
        }

        // What else was proposed, and nothing more: Devstral Small (a release the samples do not list)
        // and the Devstral announcement's "in collaboration with All Hands AI" read as a partnership.
        // Left out: fine-tunes of another organisation's model (the R1 distill on Qwen3-8B), the same
        // line's derivatives (Qwen3-Embedding, Mistral Small 3.2), quantized copies (-FP8, _gguf), models
        // OpenRouter maps to a Hub id, other vendors' models, and GitHub on its first read.
        var others = candidates.SelectMany(kv => kv.Value.Select(c => (Vendor: kv.Key, Candidate: c)))
            .Where(x => !matched.Any(m => m.Candidate.GetProperty("id").GetString() == x.Candidate.GetProperty("id").GetString())).ToList();
        others.Select(x => $"{x.Vendor} {x.Candidate.GetProperty("collector").GetString()} {x.Candidate.GetProperty("signal").GetProperty("kind").GetString()} {x.Candidate.GetProperty("signal").GetProperty("date").GetString()}")
            .ShouldBe(["mistral huggingface release 2025-05-21", "mistral feed partnership 2025-05-21"], ignoreOrder: true);
        matched.Select(m => m.Candidate.GetProperty("collector").GetString()).ShouldBe(["huggingface", "openrouter", "huggingface", "openrouter", "feed", "huggingface"]);

        // A person reviews: accepts what they would have typed (correcting what the collector could not
        // know), rejects the rest with a reason.
        foreach (var (vendor, c) in matched)
        {
            var id = c.GetProperty("id").GetString()!;
            string[] set = Field(c, "model") switch
            {
                var m when m.StartsWith("Magistral-Small", StringComparison.Ordinal) => ["--set", "tier=small"],
                _ when c.GetProperty("signal").GetProperty("kind").GetString() == "partnership" => ["--set", "partner=NVIDIA (Mistral Compute)", "--set", "exclusive=false", "--set", "cloud_distribution=false"],
                _ => [],
            };
            var accept = Cli(["review", $"vendors/{vendor}.yaml", "--accept", id, "--reason", "checked against the vendor's announcement", .. set]);
            accept.ExitCode.ShouldBe(0, accept.Stderr);
            accept.Stdout.ShouldContain($"accepted {id}");
        }

        foreach (var (vendor, c) in others)
        {
            var reject = Cli("review", $"vendors/{vendor}.yaml", "--reject", c.GetProperty("id").GetString()!, "--reason", "not listed for this dossier");
            reject.ExitCode.ShouldBe(0, reject.Stderr);
        }

        var pending = Cli("review", "vendors");
        pending.ExitCode.ShouldBe(0, pending.Stderr);
        pending.Stdout.ShouldBe("No pending candidates.\n");

        // The dossiers now hold the signals, each with its provenance, and still read.
        var mistral = File.ReadAllText(_dir["vendors/mistral.yaml"]);
        mistral.ShouldContain("  tier: small\n");
        foreach (var (vendor, c) in matched)
        {
            File.ReadAllText(_dir[$"vendors/{vendor}.yaml"]).ShouldContain($"    candidate: {c.GetProperty("id").GetString()}\n");
        }

        var score = Cli("score", "vendors");
        score.ExitCode.ShouldBe(0, score.Stderr);
        score.Stdout.ShouldContain("Collected by LicenseRisk and accepted in review");

        // The next weekly report lists them as new since the last run, as collected and reviewed evidence.
        var report = Cli("report", "--vendors", "vendors", "--output-dir", "after", "--as-of", "2025-07-08", "--history", "history.db");
        report.ExitCode.ShouldBe(0, report.Stderr);
        var md = File.ReadAllText(_dir["after/report.md"]);
        foreach (var (vendor, c) in matched)
        {
            var signal = c.GetProperty("signal");
            var collector = c.GetProperty("collector").GetString();
            Regex.IsMatch(md, $@"^- {signal.GetProperty("date").GetString()} {signal.GetProperty("kind").GetString()} `[^`]+`.*\[collected by {collector}, reviewed \d{{4}}-\d{{2}}-\d{{2}}\]$", RegexOptions.Multiline)
                .ShouldBeTrue($"report.md lists {vendor}'s {signal.GetProperty("kind").GetString()} of {signal.GetProperty("date").GetString()} as new collected evidence");
        }

        using var json = JsonDocument.Parse(File.ReadAllText(_dir["after/report.json"]));
        var qwen = json.RootElement.GetProperty("vendors").EnumerateArray().Single(v => v.GetProperty("id").GetString() == "qwen");
        qwen.GetProperty("new_signals").EnumerateArray().ShouldContain(n => n.GetProperty("date").GetString() == "2025-04-29");
    }
}
