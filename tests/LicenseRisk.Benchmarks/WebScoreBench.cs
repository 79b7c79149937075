using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using LicenseRisk.Application;
using LicenseRisk.Model;
using LicenseRisk.Presentation.Score;
using LicenseRisk.Scoring;
using LicenseRisk.Web;
using LicenseRisk.Yaml;
using Microsoft.AspNetCore.Builder;

namespace LicenseRisk.Benchmarks;

/// <summary>
/// Requests per second of <c>POST /api/v1/score</c> on the real web host (Kestrel on a loopback
/// port, in this process, several clients with keep-alive) against the CLI's in-process cost per
/// dossier on the same dossiers: read the YAML, read the dossier, score, write
/// <c>score --format json</c> to memory, one thread, with the pack loaded once (as the service
/// keeps it). Paired rounds, the order alternating, the ratio taken within each round; the answer
/// bodies are checked equal to the in-process JSON first.
/// </summary>
public static class WebScoreBench
{
    private static readonly DateOnly AsOf = new(2026, 3, 5);
    private static long s_sink;

    public static void Run(string root, int rounds, double seconds, int clients)
    {
        var files = Directory.GetFiles(Path.Combine(root, "samples/vendors"), "*.yaml").Order(StringComparer.Ordinal).ToArray();
        var texts = files.Select(File.ReadAllText).ToArray();
        var limits = new LicenseRiskOptions().Limits;
        var diags = new DiagnosticBag();
        var pack = new LicenseRiskEngine(new LicenseRiskOptions()).LoadPack(diags, Path.Combine(root, "rules")) ?? throw new InvalidOperationException("the bundled pack does not load");

        byte[] InProcess(int i)
        {
            var d = new DiagnosticBag();
            var yaml = YamlSource.LoadText(texts[i], "request.yaml", limits, d)!;
            var dossier = DossierReader.Read(yaml, "request.yaml", pack.Catalog, limits, d)!;
            var score = Evaluator.Score(pack, dossier, AsOf, pack.Model.HorizonMonths, null);
            using var s = new MemoryStream();
            JsonScoreWriter.Write(s, ScoreReport.Of(pack, null, [score], AsOf, null, d.Items));
            return s.ToArray();
        }

        var tmp = Directory.CreateTempSubdirectory("licenserisk-webbench-");
        try
        {
            Directory.CreateDirectory(Path.Combine(tmp.FullName, "vendors"));
            foreach (var f in files)
            {
                File.Copy(f, Path.Combine(tmp.FullName, "vendors", Path.GetFileName(f)));
            }

            var app = WebHost.Build(["--Logging:LogLevel:Default=Warning"], new Dictionary<string, string?>
            {
                ["LicenseRisk:Vendors"] = Path.Combine(tmp.FullName, "vendors"),
                ["LicenseRisk:Out"] = Path.Combine(tmp.FullName, "out"),
                ["LicenseRisk:Rules"] = Path.Combine(root, "rules"),
                ["LicenseRisk:Web:ScoreRequestsPerMinute"] = "100000000",
                ["urls"] = "http://127.0.0.1:0",
            });
            app.StartAsync().GetAwaiter().GetResult();
            var baseUri = new Uri(app.Urls.First());
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients, PooledConnectionLifetime = Timeout.InfiniteTimeSpan }) { BaseAddress = baseUri };

            async Task<byte[]> Post(int i)
            {
                using var content = new StringContent(texts[i], Encoding.UTF8, "application/yaml");
                using var r = await http.PostAsync("/api/v1/score?as_of=2026-03-05", content);
                if (r.StatusCode != HttpStatusCode.OK)
                {
                    throw new InvalidOperationException($"POST score answered {(int)r.StatusCode}");
                }

                return await r.Content.ReadAsByteArrayAsync();
            }

            for (var i = 0; i < texts.Length; i++)
            {
                if (!Post(i).GetAwaiter().GetResult().AsSpan().SequenceEqual(InProcess(i)))
                {
                    throw new InvalidOperationException($"{files[i]}: the web answer differs from the in-process JSON");
                }
            }

            double CliRate()
            {
                var sw = Stopwatch.StartNew();
                long n = 0;
                while (sw.Elapsed.TotalSeconds < seconds)
                {
                    s_sink += InProcess((int)(n % texts.Length)).Length;
                    n++;
                }

                return n / sw.Elapsed.TotalSeconds;
            }

            double WebRate()
            {
                var sw = Stopwatch.StartNew();
                var tasks = Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
                {
                    long n = 0;
                    while (sw.Elapsed.TotalSeconds < seconds)
                    {
                        s_sink += (await Post((int)((n + c) % texts.Length))).Length;
                        n++;
                    }

                    return n;
                })).ToArray();
                var total = Task.WhenAll(tasks).GetAwaiter().GetResult().Sum();
                return total / sw.Elapsed.TotalSeconds;
            }

            // Warm-up: JIT, connections, the scorer's caches.
            WebRate();
            CliRate();
            Console.WriteLine($"POST /api/v1/score, {clients} clients, {texts.Length} dossiers of samples/vendors, {Environment.ProcessorCount} cores; {rounds} paired rounds of {seconds:0.#} s each way");
            var ratios = new List<double>();
            var webRates = new List<double>();
            var cliRates = new List<double>();
            for (var round = 0; round < rounds; round++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                double web, cli;
                if (round % 2 == 0)
                {
                    web = WebRate();
                    GC.Collect();
                    cli = CliRate();
                }
                else
                {
                    cli = CliRate();
                    GC.Collect();
                    web = WebRate();
                }

                webRates.Add(web);
                cliRates.Add(cli);
                ratios.Add(web / cli);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round + 1}: web {web:0} requests/s, CLI in-process {cli:0} dossiers/s, ratio {web / cli:0.00}"));
            }

            static double Median(List<double> xs)
            {
                var s = xs.Order().ToList();
                return s.Count % 2 == 1 ? s[s.Count / 2] : (s[(s.Count / 2) - 1] + s[s.Count / 2]) / 2;
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median: web {Median(webRates):0} requests/s, CLI in-process {Median(cliRates):0} dossiers/s (1 thread), ratio web/CLI {Median(ratios):0.00} (range {ratios.Min():0.00} to {ratios.Max():0.00})"));
            app.StopAsync().GetAwaiter().GetResult();
            ((IAsyncDisposable)app).DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        finally
        {
            tmp.Delete(recursive: true);
        }
    }
}
