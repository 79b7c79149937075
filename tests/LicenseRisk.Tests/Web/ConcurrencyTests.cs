using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LicenseRisk.Hosting.Service;
using LicenseRisk.Tests.Hosting;

namespace LicenseRisk.Tests.Web;

/// <summary>Scoring requests from many clients while the pack is reloaded (and a reload is rejected): none fails, none sees a half-loaded pack.</summary>
public sealed partial class ConcurrencyTests
{
    [Fact]
    public async Task ManyScoreRequests_DuringReloads_EachSeeOneWholePack()
    {
        using var rules = new TempDir();
        foreach (var f in Directory.GetFiles(Repo.Path("rules"), "*.yaml"))
        {
            File.Copy(f, Path.Combine(rules.Path, Path.GetFileName(f)));
        }

        var packA = File.ReadAllText(rules["pack.yaml"]);
        var packB = packA.Replace("version: 1.6.1", "version: 2.0.0-b", StringComparison.Ordinal).Replace("prior: 0.20", "prior: 0.40", StringComparison.Ordinal);
        packB.ShouldNotBe(packA);

        await using var web = await WebServer.Start(rules: rules.Path);
        var dossier = File.ReadAllText(Repo.Path("samples/vendors/qwen.yaml"));
        async Task<JsonNode> ScoreOnce()
        {
            var r = await web.Client.PostAsync("/api/v1/score?as_of=2026-03-05", new StringContent(dossier, Encoding.UTF8, "application/yaml"));
            var body = await r.Content.ReadAsStringAsync();
            r.StatusCode.ShouldBe(HttpStatusCode.OK, body);
            return JsonNode.Parse(body)!;
        }

        // The score each whole pack gives.
        var state = web.Service<InputState>();
        var expected = new Dictionary<string, double>();
        var a = await ScoreOnce();
        expected[(string)a["pack"]!["version"]!] = (double)a["vendors"]![0]!["probability"]!;
        File.WriteAllText(rules["pack.yaml"], packB);
        state.Reload().ShouldBeTrue();
        var b = await ScoreOnce();
        expected[(string)b["pack"]!["version"]!] = (double)b["vendors"]![0]!["probability"]!;
        expected.Keys.ShouldBe(["1.6.1", "2.0.0-b"], ignoreOrder: true);
        expected["1.6.1"].ShouldNotBe(expected["2.0.0-b"]);

        // Clients score while the pack flips between A and B, and one reload in the middle is rejected.
        using var stop = new CancellationTokenSource();
        var reloads = 0;
        var reloader = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                File.WriteAllText(rules["pack.yaml"], i % 3 == 2 ? "pack: [broken\n" : i % 2 == 0 ? packA : packB);
                state.Reload();
                reloads++;
                await Task.Delay(5);
            }
        });

        var clients = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            var seen = new List<(string, double)>();
            for (var i = 0; i < 25; i++)
            {
                var json = await ScoreOnce();
                seen.Add(((string)json["pack"]!["version"]!, (double)json["vendors"]![0]!["probability"]!));
            }

            return seen;
        })).ToList();
        var results = (await Task.WhenAll(clients)).SelectMany(x => x).ToList();
        await stop.CancelAsync();
        await reloader;

        results.Count.ShouldBe(200);
        reloads.ShouldBeGreaterThan(2);
        foreach (var (version, p) in results)
        {
            expected.ShouldContainKey(version);
            p.ShouldBe(expected[version], $"pack {version} scored as another pack would");
        }
    }

    [GeneratedRegex("""id="probability">([^<]+)<""")]
    private static partial Regex PageProbability();

    [GeneratedRegex("""<tr><th>Dossier</th><td>[^<]*</td><td class="hash">sha256 ([0-9a-f]{64})</td>""")]
    private static partial Regex PageDossierHash();

    /// <summary>What one reader saw of mistral: where, the probability (as shown) and the dossier's hash when the answer shows one.</summary>
    private sealed record Seen(string Where, string Probability, string? Hash);

    [Fact]
    public async Task ScoringAndReading_WhileARunRunsAndADossierIsEditedBrokenAndFixed_SeeOldOrNewNeverHalf()
    {
        // The watcher stays out of the way (the edits reload explicitly), so readiness can be asserted at each step.
        await using var web = await WebServer.Start(new() { ["LicenseRisk:ReloadDebounceSeconds"] = "3600" });
        var state = web.Service<InputState>();
        var file = Path.Combine(web.Vendors, "mistral.yaml");
        var oldText = File.ReadAllText(file);
        var recent = DateTime.UtcNow.AddDays(-3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var newText = oldText.TrimEnd() + $"\n\n- kind: release\n  date: {recent}\n  model: Mistral Closed Next\n  weights: api_only\n  tier: flagship\n  confidence: 0.9\n";
        var brokenText = newText + "- kind: release\n  date: [unclosed\n";

        // Edits as an editor saves: a whole new file in place (a hidden temporary file, then a rename).
        void Edit(string text)
        {
            var tmp = Path.Combine(web.Vendors, ".mistral.yaml.tmp");
            File.WriteAllText(tmp, text);
            File.Move(tmp, file, overwrite: true);
        }

        static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

        async Task<double> ApiProbability(string id) =>
            (double)JsonNode.Parse(await web.Client.GetStringAsync($"/api/v1/vendors/{id}"))!["vendors"]![0]!["probability"]!;

        async Task<(string P, string Hash)> Page()
        {
            var html = await web.Client.GetStringAsync("/vendors/mistral");
            return (PageProbability().Match(html).Groups[1].Value, PageDossierHash().Match(html).Groups[1].Value);
        }

        async Task<string> Readiness()
        {
            var r = await web.Client.GetAsync("/readyz");
            r.StatusCode.ShouldBe(HttpStatusCode.OK);
            return (string)JsonNode.Parse(await r.Content.ReadAsStringAsync())!["status"]!;
        }

        // The two whole states, as the service shows them when nothing else happens.
        var others = new Dictionary<string, double>();
        foreach (var id in new[] { "allenai", "deepseek", "meta", "qwen", "silo-ai" })
        {
            others[id] = await ApiProbability(id);
        }

        var oldP = await ApiProbability("mistral");
        var oldPage = await Page();
        oldPage.Hash.ShouldBe(Hash(oldText));
        Edit(newText);
        state.Reload().ShouldBeTrue();
        var newP = await ApiProbability("mistral");
        var newPage = await Page();
        newPage.Hash.ShouldBe(Hash(newText));
        newP.ShouldBeGreaterThan(oldP, "an API-only flagship release raises the score");
        newPage.P.ShouldNotBe(oldPage.P);
        Edit(oldText);
        state.Reload().ShouldBeTrue();

        var dossier = File.ReadAllText(Repo.Path("samples/vendors/qwen.yaml"));
        var scored = await web.Client.PostAsync("/api/v1/score?as_of=2026-03-05", new StringContent(dossier, Encoding.UTF8, "application/yaml"));
        var scoredBody = await scored.Content.ReadAsStringAsync();
        scored.StatusCode.ShouldBe(HttpStatusCode.OK, scoredBody);

        // Load: scorers, readers of the API and the page, and a report run after run, while the dossier
        // goes old -> new (valid) -> broken (rejected: stale, still new) -> old (fixed), again and again.
        using var stop = new CancellationTokenSource();
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var seen = new System.Collections.Concurrent.ConcurrentQueue<Seen>();
        var reports = new System.Collections.Concurrent.ConcurrentQueue<double>();
        var counts = new int[4];

        async Task Loop(int slot, Func<Task> body)
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await body();
                    Interlocked.Increment(ref counts[slot]);
                }
                catch (Exception ex) when (ex is HttpRequestException or ShouldAssertException or TaskCanceledException or IOException)
                {
                    failures.Enqueue($"{ex.GetType().Name}: {ex.Message}");
                }
            }
        }

        var scorers = Enumerable.Range(0, 3).Select(_ => Task.Run(() => Loop(0, async () =>
        {
            var r = await web.Client.PostAsync("/api/v1/score?as_of=2026-03-05", new StringContent(dossier, Encoding.UTF8, "application/yaml"));
            var body = await r.Content.ReadAsStringAsync();
            r.StatusCode.ShouldBe(HttpStatusCode.OK, body);
            body.ShouldBe(scoredBody, "the pack did not change: the same bytes every time");
        }))).ToList();
        var apiReaders = Enumerable.Range(0, 2).Select(_ => Task.Run(() => Loop(1, async () =>
        {
            var r = await web.Client.GetAsync("/api/v1/vendors");
            var body = await r.Content.ReadAsStringAsync();
            r.StatusCode.ShouldBe(HttpStatusCode.OK, body);
            foreach (var v in JsonNode.Parse(body)!["vendors"]!.AsArray())
            {
                var id = (string)v!["id"]!;
                var p = (double)v["probability"]!;
                if (id == "mistral")
                {
                    seen.Enqueue(new Seen("api", p.ToString(System.Globalization.CultureInfo.InvariantCulture), null));
                }
                else
                {
                    p.ShouldBe(others[id], $"{id} was not edited");
                }
            }
        }))).ToList();
        var pageReaders = Enumerable.Range(0, 2).Select(_ => Task.Run(() => Loop(2, async () =>
        {
            var (p, hash) = await Page();
            seen.Enqueue(new Seen("page", p, hash));
        }))).ToList();
        var runner = Task.Run(() => Loop(3, async () =>
        {
            using var run = new HttpRequestMessage(HttpMethod.Post, "/api/v1/runs");
            run.Headers.Authorization = new AuthenticationHeaderValue("Bearer", WebServer.TestToken);
            var r = await web.Client.SendAsync(run);
            r.StatusCode.ShouldBe(HttpStatusCode.OK, await r.Content.ReadAsStringAsync());
            var report = JsonNode.Parse(File.ReadAllText(web.Dir["out/report.json"]))!;
            reports.Enqueue((double)report["vendors"]!.AsArray().Single(v => (string)v!["id"]! == "mistral")!["probability"]!);
        }));

        var readiness = new List<string>();
        for (var cycle = 0; cycle < 4; cycle++)
        {
            await Task.Delay(150);
            Edit(newText);
            state.Reload().ShouldBeTrue("a valid edit");
            readiness.Add(await Readiness());
            await Task.Delay(150);
            Edit(brokenText);
            state.Reload().ShouldBeFalse("a broken edit is rejected");
            readiness.Add(await Readiness());
            await Task.Delay(150);
            Edit(oldText);
            state.Reload().ShouldBeTrue("the fix");
            readiness.Add(await Readiness());
        }

        await Task.Delay(150);
        await stop.CancelAsync();
        await Task.WhenAll([.. scorers, .. apiReaders, .. pageReaders, runner]);

        failures.ShouldBeEmpty();
        readiness.ShouldBe([.. Enumerable.Repeat<string[]>(["ready", "stale", "ready"], 4).SelectMany(x => x)]);
        counts.ShouldAllBe(n => n > 0, $"requests per kind (score, api, page, run): {string.Join(", ", counts)}");

        // Every answer is one whole state: the old dossier's score (and hash) or the new one's.
        var pair = new Dictionary<string, string> { [oldPage.P] = Hash(oldText), [newPage.P] = Hash(newText) };
        foreach (var s in seen)
        {
            if (s.Where == "api")
            {
                double.Parse(s.Probability, System.Globalization.CultureInfo.InvariantCulture).ShouldBeOneOf(oldP, newP);
            }
            else
            {
                pair.ShouldContainKey(s.Probability);
                s.Hash.ShouldBe(pair[s.Probability], $"the page shows {s.Probability} beside another dossier's hash");
            }
        }

        seen.Where(s => s.Where == "page").Select(s => s.Probability).Distinct().Count().ShouldBe(2, "the readers saw both states");
        reports.ShouldAllBe(p => p == oldP || p == newP);
        (await Readiness()).ShouldBe("ready");
    }
}
