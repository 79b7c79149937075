using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace LicenseRisk.Tests.Collection;

/// <summary>One answer of the fixture server.</summary>
public sealed record Reply(int Status, string Body = "", string ContentType = "application/json", IReadOnlyDictionary<string, string>? Headers = null)
{
    /// <summary>Wait this long before answering (a hanging source).</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>Declare this Content-Length but send the body only: a truncated answer.</summary>
    public long? DeclaredLength { get; init; }

    /// <summary>Answer 304 when the request's If-None-Match equals this ETag.</summary>
    public string? ETag { get; init; }
}

/// <summary>A request the server received: path and query (decoded), two headers, the body, when it arrived.</summary>
public sealed record Seen(string PathAndQuery, string? IfNoneMatch, string? Authorization, string Body, DateTime At);

/// <summary>
/// A real HTTP server on loopback (WireMock.Net on 127.0.0.1, a free port) answering
/// recorded-shape responses by path and query: each route's replies in turn, the last one from
/// then on (a WireMock scenario per route), a 304 for a matching If-None-Match, delays as
/// WireMock delays. WireMock always sends the body's own Content-Length, so a truncated answer is
/// made by a small middleware in WireMock's pipeline that declares the longer length: Kestrel then
/// closes the connection short of it, as a server cut off mid-answer does.
/// </summary>
public sealed class FixtureServer : IDisposable
{
    private const string DeclaredLengthHeader = "X-Fixture-Declared-Length";
    private const int Lowest = 1_000_000;

    private static readonly Lock WarmUp = new();
    private static bool _warm;

    private readonly WireMockServer _server;
    private readonly Dictionary<string, List<Guid>> _routes = new(StringComparer.Ordinal);
    private int _scenarios;

    public FixtureServer()
    {
        _server = WireMockServer.Start(new WireMockServerSettings
        {
            Urls = ["http://127.0.0.1:0"],
            PreWireMockMiddlewareInit = app => ((IApplicationBuilder)app).Use(next => ctx =>
            {
                ctx.Response.OnStarting(() =>
                {
                    if (ctx.Response.Headers.Remove(DeclaredLengthHeader, out var declared))
                    {
                        ctx.Response.ContentLength = long.Parse(declared.ToString(), CultureInfo.InvariantCulture);
                    }

                    return Task.CompletedTask;
                });
                return next(ctx);
            }),
        });
        Url = _server.Urls[0].TrimEnd('/') + "/";

        // Anything not set up: 404 with a small JSON body.
        _server.Given(Request.Create().WithPath(_ => true)).AtPriority(Lowest)
            .RespondWith(Response.Create().WithStatusCode(404).WithHeader("Content-Type", "application/json").WithBody("{\"error\":\"not found\"}"));

        // WireMock's first answer in a process takes seconds (its pipeline starts up); the tests give
        // a source 2 s. The first server answers one request before any test uses a server.
        lock (WarmUp)
        {
            if (!_warm)
            {
                using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
                client.GetAsync(new Uri(Url + "warm-up")).GetAwaiter().GetResult().Dispose();
                _server.ResetLogEntries();
                _warm = true;
            }
        }
    }

    public string Url { get; }

    /// <summary>Every request received so far, in the order they arrived.</summary>
    public IReadOnlyList<Seen> Requests => _server.LogEntries
        .Select(e => e.RequestMessage)
        .OrderBy(m => m.DateTime)
        .Select(m => new Seen(Key(m.Url), Header(m.Headers, "If-None-Match"), Header(m.Headers, "Authorization"), m.Body ?? string.Empty, m.DateTime))
        .ToList();

    /// <summary>Sets the replies of a path with its query (as sent, decoded), e.g. "/api/v1/models", replacing earlier ones.</summary>
    public FixtureServer On(string pathAndQuery, params Reply[] replies)
    {
        lock (_routes)
        {
            foreach (var old in _routes.GetValueOrDefault(pathAndQuery) ?? [])
            {
                _server.DeleteMapping(old);
            }

            var scenario = "route-" + (++_scenarios).ToString(CultureInfo.InvariantCulture);
            var guids = new List<Guid>();
            for (var i = 0; i < replies.Length; i++)
            {
                // A later reply wins over an earlier one in its state (a lower number is a higher priority).
                var priority = 2 * (replies.Length - i);
                if (replies[i].ETag is { } etag)
                {
                    guids.Add(Map(pathAndQuery, scenario, i, replies.Length, priority - 1, etag, Response.Create().WithStatusCode(304).WithHeader("ETag", etag)));
                }

                guids.Add(Map(pathAndQuery, scenario, i, replies.Length, priority, null, Answer(replies[i])));
            }

            _routes[pathAndQuery] = guids;
        }

        return this;
    }

    /// <summary>
    /// A server answering a snapshot folder's routes.json (tests/snapshot/*/README.md): each route's
    /// file with its content type, and a <c>Link: &lt;...&gt;; rel="next"</c> to the next page where the route names one.
    /// </summary>
    public static FixtureServer Snapshot(string folder)
    {
        var server = new FixtureServer();
        using var routes = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "routes.json")));
        foreach (var r in routes.RootElement.GetProperty("routes").EnumerateArray())
        {
            var headers = r.TryGetProperty("next", out var next)
                ? new Dictionary<string, string> { ["Link"] = $"<{{base}}{next.GetString()!.TrimStart('/')}>; rel=\"next\"" }
                : null;
            var body = File.ReadAllText(Path.Combine(folder, r.GetProperty("file").GetString()!));
            server.On(r.GetProperty("path").GetString()!, new Reply(200, body, r.GetProperty("type").GetString()!, headers) { ETag = "W/\"" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(body)))[..16].ToLowerInvariant() + "\"" });
        }

        return server;
    }

    public int Count(string pathStart) => Requests.Count(r => r.PathAndQuery.StartsWith(pathStart, StringComparison.Ordinal));

    public void Dispose() => _server.Stop();

    /// <summary>One mapping: reply <paramref name="index"/> of its route, in its scenario state.</summary>
    private Guid Map(string pathAndQuery, string scenario, int index, int count, int priority, string? ifNoneMatch, IResponseBuilder response)
    {
        var request = Request.Create().WithUrl(u => Key(u) == pathAndQuery);
        if (ifNoneMatch is not null)
        {
            request = request.WithHeader("If-None-Match", ifNoneMatch);
        }

        var guid = Guid.NewGuid();
        var mapping = _server.Given(request).WithGuid(guid).AtPriority(priority);
        if (count > 1)
        {
            // State N serves reply N; the last reply keeps its state (a scenario whose mapping sets no
            // next state starts over).
            mapping = mapping.InScenario(scenario);
            if (index > 0)
            {
                mapping = mapping.WhenStateIs(index.ToString(CultureInfo.InvariantCulture));
            }

            mapping = mapping.WillSetStateTo(Math.Min(index + 1, count - 1));
        }

        mapping.RespondWith(response);
        return guid;
    }

    private IResponseBuilder Answer(Reply reply)
    {
        var response = Response.Create().WithStatusCode(reply.Status).WithHeader("Content-Type", reply.ContentType);
        foreach (var (name, value) in reply.Headers ?? new Dictionary<string, string>())
        {
            response = response.WithHeader(name, Based(value));
        }

        if (reply.ETag is { } etag)
        {
            response = response.WithHeader("ETag", etag);
        }

        // WireMock sends a text body chunked; the real APIs declare its length (and the size cap reads it).
        var body = Based(reply.Body);
        var length = reply.DeclaredLength ?? Encoding.UTF8.GetByteCount(body);
        response = response.WithHeader(DeclaredLengthHeader, length.ToString(CultureInfo.InvariantCulture));

        if (reply.Delay > TimeSpan.Zero)
        {
            response = response.WithDelay(reply.Delay);
        }

        return body.Length == 0 ? response : response.WithBody(body);
    }

    private string Based(string text) => text.Replace("{base}", Url, StringComparison.Ordinal);

    private static string Key(string url) => Uri.UnescapeDataString(new Uri(url).PathAndQuery);

    private static string? Header(IDictionary<string, WireMock.Types.WireMockList<string>>? headers, string name) =>
        headers?.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();
}
