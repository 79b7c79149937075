using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

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

/// <summary>
/// A real HTTP server on loopback (127.0.0.1, a free port) answering recorded-shape responses by
/// path and query: each route's replies in turn, the last one from then on. Records every request.
/// </summary>
public sealed class FixtureServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, Queue<Reply>> _routes = new(StringComparer.Ordinal);
    private readonly Task _loop;

    public FixtureServer()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Url = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _loop = Task.Run(Loop);
    }

    public string Url { get; }

    /// <summary>Requests as "path?query" with the If-None-Match and Authorization headers seen.</summary>
    public ConcurrentQueue<(string PathAndQuery, string? IfNoneMatch, string? Authorization)> Requests { get; } = new();

    /// <summary>Sets the replies of a path with its query (as sent, decoded), e.g. "/api/v1/models".</summary>
    public FixtureServer On(string pathAndQuery, params Reply[] replies)
    {
        _routes[pathAndQuery] = new Queue<Reply>(replies);
        return this;
    }

    public int Count(string pathStart) => Requests.Count(r => r.PathAndQuery.StartsWith(pathStart, StringComparison.Ordinal));

    public void Dispose()
    {
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }

    private async Task Loop()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext ctx;
            try
            {
                ctx = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => Answer(ctx));
        }
    }

    private async Task Answer(HttpListenerContext ctx)
    {
        try
        {
            var key = Uri.UnescapeDataString(ctx.Request.Url!.PathAndQuery);
            var inm = ctx.Request.Headers["If-None-Match"];
            Requests.Enqueue((key, inm, ctx.Request.Headers["Authorization"]));
            Reply reply;
            if (!_routes.TryGetValue(key, out var queue))
            {
                reply = new Reply(404, "{\"error\":\"not found\"}");
            }
            else
            {
                lock (queue)
                {
                    reply = queue.Count > 1 ? queue.Dequeue() : queue.Peek();
                }
            }

            if (reply.Delay > TimeSpan.Zero)
            {
                await Task.Delay(reply.Delay);
            }

            var response = ctx.Response;
            if (reply.ETag is { } etag)
            {
                response.AddHeader("ETag", etag);
                if (inm == etag)
                {
                    response.StatusCode = 304;
                    response.Close();
                    return;
                }
            }

            response.StatusCode = reply.Status;
            foreach (var (name, value) in reply.Headers ?? new Dictionary<string, string>())
            {
                response.AddHeader(name, value.Replace("{base}", Url, StringComparison.Ordinal));
            }

            var body = Encoding.UTF8.GetBytes(reply.Body.Replace("{base}", Url, StringComparison.Ordinal));
            response.ContentType = reply.ContentType;
            response.ContentLength64 = reply.DeclaredLength ?? body.Length;
            await response.OutputStream.WriteAsync(body);
            if (reply.DeclaredLength is not null)
            {
                response.Abort();
                return;
            }

            response.Close();
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException or IOException)
        {
        }
    }
}
