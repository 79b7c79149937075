using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace LicenseRisk.Tests.Hosting;

/// <summary>One answer of the receiver: a status and, when set, a <c>Retry-After</c> in seconds.</summary>
public sealed record WebhookReply(HttpStatusCode Status, int? RetryAfterSeconds = null);

/// <summary>A loopback HTTP receiver (127.0.0.1 only) answering with the given replies in turn, the last one from then on.</summary>
public sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Queue<WebhookReply> _replies;
    private readonly Task _loop;

    public WebhookReceiver(params WebhookReply[] replies)
    {
        _replies = new Queue<WebhookReply>(replies);
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Url = $"http://127.0.0.1:{port}/hook/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _loop = Task.Run(Loop);
    }

    public string Url { get; }

    public ConcurrentQueue<string> Bodies { get; } = new();

    /// <summary>When each request arrived (<see cref="Stopwatch.GetTimestamp"/>), in order.</summary>
    public ConcurrentQueue<long> Arrivals { get; } = new();

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

            Arrivals.Enqueue(Stopwatch.GetTimestamp());
            using var reader = new StreamReader(ctx.Request.InputStream);
            Bodies.Enqueue(await reader.ReadToEndAsync());
            WebhookReply reply;
            lock (_replies)
            {
                reply = _replies.Count > 1 ? _replies.Dequeue() : _replies.Peek();
            }

            ctx.Response.StatusCode = (int)reply.Status;
            if (reply.RetryAfterSeconds is { } seconds)
            {
                ctx.Response.AddHeader("Retry-After", seconds.ToString(CultureInfo.InvariantCulture));
            }

            ctx.Response.Close();
        }
    }
}
