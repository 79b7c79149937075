using System.Globalization;
using System.Net;
using LicenseRisk.Tests.Collection;

namespace LicenseRisk.Tests.Hosting;

/// <summary>One answer of the receiver: a status and, when set, a <c>Retry-After</c> in seconds.</summary>
public sealed record WebhookReply(HttpStatusCode Status, int? RetryAfterSeconds = null);

/// <summary>
/// A loopback HTTP receiver (127.0.0.1 only) answering with the given replies in turn, the last one
/// from then on: the collectors' <see cref="FixtureServer"/> (WireMock.Net) with one route, /hook/.
/// </summary>
public sealed class WebhookReceiver : IDisposable
{
    private readonly FixtureServer _server = new();

    public WebhookReceiver(params WebhookReply[] replies)
    {
        _server.On("/hook/", [.. replies.Select(r => new Reply((int)r.Status, Headers: r.RetryAfterSeconds is { } s
            ? new Dictionary<string, string> { ["Retry-After"] = s.ToString(CultureInfo.InvariantCulture) }
            : null))]);
        Url = _server.Url + "hook/";
    }

    public string Url { get; }

    /// <summary>The bodies received, in order.</summary>
    public IReadOnlyList<string> Bodies => [.. _server.Requests.Select(r => r.Body)];

    /// <summary>When each request arrived (UTC), in order.</summary>
    public IReadOnlyList<DateTime> Arrivals => [.. _server.Requests.Select(r => r.At)];

    public void Dispose() => _server.Dispose();
}
