using System.Net;
using LicenseRisk.Tests.Hosting;
using LicenseRisk.Web;
using Microsoft.AspNetCore.Builder;

namespace LicenseRisk.Tests.Web;

/// <summary>
/// <c>licenserisk serve</c>'s web host in this process on a free loopback port (Kestrel, as in
/// production), over a copy of samples/vendors, with a token and a client that keeps cookies.
/// </summary>
public sealed class WebServer : IAsyncDisposable
{
    public const string TestToken = "correct horse battery staple";

    /// <summary>A loopback address where nothing listens: the collectors' default in these tests.</summary>
    public const string NoServer = "http://127.0.0.1:9/";

    private WebServer(WebApplication app, TempDir dir)
    {
        App = app;
        Dir = dir;
        Base = new Uri(app.Urls.First());
        Client = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = Base, Timeout = TimeSpan.FromSeconds(100) };
    }

    public WebApplication App { get; }

    public TempDir Dir { get; }

    public Uri Base { get; }

    public CookieContainer Cookies { get; } = new();

    public HttpClient Client { get; }

    public string Vendors => Dir["vendors"];

    public T Service<T>() where T : notnull => (T)App.Services.GetService(typeof(T))!;

    /// <param name="extra">more settings (LicenseRisk:Web:Token, LicenseRisk:Limits:MaxFileBytes, ...); a null value removes one.</param>
    /// <param name="dossiers">more dossier files to put beside the samples: name and YAML text.</param>
    public static async Task<WebServer> Start(Dictionary<string, string?>? extra = null, Dictionary<string, string>? dossiers = null, string? rules = null)
    {
        var dir = new TempDir();
        Directory.CreateDirectory(dir["vendors"]);
        foreach (var f in Directory.GetFiles(Repo.Path("samples/vendors"), "*.yaml"))
        {
            File.Copy(f, Path.Combine(dir["vendors"], Path.GetFileName(f)));
        }

        foreach (var (name, text) in dossiers ?? [])
        {
            File.WriteAllText(Path.Combine(dir["vendors"], name), text);
        }

        var settings = new Dictionary<string, string?>
        {
            ["LicenseRisk:Vendors"] = dir["vendors"],
            ["LicenseRisk:Out"] = dir["out"],
            ["LicenseRisk:Rules"] = rules,
            ["LicenseRisk:ReloadDebounceSeconds"] = "0.2",
            ["LicenseRisk:Web:Token"] = TestToken,
            ["LicenseRisk:Web:ScoreRequestsPerMinute"] = "100000",
            ["urls"] = "http://127.0.0.1:0",

            // A run started from the web collects first, as a scheduled run does, and the samples name
            // real organisations: no collect unless a test turns it on, and then only on loopback
            // (port 9, where nothing listens, unless the test points the collectors at its own server).
            ["LicenseRisk:Collect:Enabled"] = "false",
            ["LicenseRisk:Collect:HubUrl"] = NoServer,
            ["LicenseRisk:Collect:OpenRouterUrl"] = NoServer,
            ["LicenseRisk:Collect:GitHubUrl"] = NoServer,
            ["LicenseRisk:Collect:Cache"] = dir["cache"],
        };
        foreach (var (k, v) in extra ?? [])
        {
            settings[k] = v;
        }

        var app = WebHost.Build([], settings.Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value));
        await app.StartAsync();
        return new WebServer(app, dir);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        Dir.Dispose();
    }
}
