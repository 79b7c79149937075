using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LicenseRisk.Hosting.Service;
using LicenseRisk.Tests.Hosting;

namespace LicenseRisk.Tests.Web;

/// <summary>Scoring requests from many clients while the pack is reloaded (and a reload is rejected): none fails, none sees a half-loaded pack.</summary>
public sealed class ConcurrencyTests
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
        var packB = packA.Replace("version: 1.2.0", "version: 2.0.0-b", StringComparison.Ordinal).Replace("prior: 0.20", "prior: 0.40", StringComparison.Ordinal);
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
        expected.Keys.ShouldBe(["1.2.0", "2.0.0-b"], ignoreOrder: true);
        expected["1.2.0"].ShouldNotBe(expected["2.0.0-b"]);

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
}
