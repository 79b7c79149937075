using System.Net;
using System.Text;
using System.Text.Json;
using LicenseRisk.Presentation;

namespace LicenseRisk.Collection;

/// <summary>One response read whole: its address, body, content type, Link header and its hash.</summary>
public sealed record Fetched(string Source, Uri Url, byte[] Body, string? ContentType, string? Link, string FetchedAt, bool FromCache)
{
    /// <summary>SHA-256 of the body, lowercase hex (a candidate's provenance).</summary>
    public string Sha256 { get; } = ContentHash.Of(Body);

    /// <summary>The body as JSON, or a <see cref="SourceException"/> saying what it is instead (an HTML page, a truncated document).</summary>
    public JsonDocument Json()
    {
        try
        {
            return JsonDocument.Parse(Body);
        }
        catch (JsonException ex)
        {
            throw new SourceException(Source, Url.ToString(), $"the answer is not JSON ({Describe()}): {ex.Message}", ex);
        }
    }

    /// <summary>What the body looks like, for a message: its type and first characters.</summary>
    public string Describe()
    {
        var head = Encoding.UTF8.GetString(Body, 0, Math.Min(Body.Length, 60)).ReplaceLineEndings(" ").Trim();
        return Body.Length == 0 ? "an empty body" : $"{ContentType ?? "no content type"}, {Body.Length} bytes, starting '{head}'";
    }
}

/// <summary>
/// Reads one address of a source through its named client: the token of its service (HF_TOKEN,
/// GITHUB_TOKEN; sent to that service's host only, never logged or written), a conditional request
/// when the cache holds an ETag, redirects followed on the same host only, a size cap and a timeout
/// on the body. Every failure is a <see cref="SourceException"/> naming the source and the address.
/// </summary>
public sealed class SourceFetcher(IHttpClientFactory clients, CollectOptions options, TimeProvider time)
{
    private const int MaxRedirects = 5;

    /// <summary>GETs <paramref name="url"/> for <paramref name="source"/>; only <paramref name="url"/>'s host is contacted.</summary>
    public async Task<Fetched> GetAsync(string source, Uri url, CancellationToken ct)
    {
        var client = clients.CreateClient(source);
        var current = url;
        for (var hop = 0; ; hop++)
        {
            var cached = Cache.Read(options.CacheDirectory, current);
            using var request = new HttpRequestMessage(HttpMethod.Get, current);
            request.Headers.UserAgent.ParseAdd("licenserisk-collect/1");
            if (source == "github")
            {
                // GitHub's REST API: its media type and the API version the collector was written for.
                request.Headers.Accept.ParseAdd("application/vnd.github+json");
                request.Headers.TryAddWithoutValidation("X-GitHub-Api-Version", "2022-11-28");
            }
            if (Token(source, current) is { } token)
            {
                request.Headers.Authorization = new("Bearer", token);
            }

            if (cached?.ETag is { } etag)
            {
                request.Headers.TryAddWithoutValidation("If-None-Match", etag);
            }

            HttpResponseMessage response;
            try
            {
                response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or TimeoutException or Polly.Timeout.TimeoutRejectedException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                throw new SourceException(source, current.ToString(), ex is HttpRequestException ? $"cannot connect: {ex.Message}" : $"no answer within {options.Timeout.TotalSeconds:0.#} s", ex);
            }

            using (response)
            {
                var status = (int)response.StatusCode;
                if (status is >= 300 and < 400 && status != 304)
                {
                    var location = response.Headers.Location;
                    var target = location is null ? null : location.IsAbsoluteUri ? location : new Uri(current, location);
                    if (target is null || !SameHost(target, url))
                    {
                        throw new SourceException(source, current.ToString(), $"redirected to {(target is null ? "no address" : target.GetLeftPart(UriPartial.Authority))}, not followed: only {url.GetLeftPart(UriPartial.Authority)} is contacted for this source");
                    }

                    if (hop >= MaxRedirects)
                    {
                        throw new SourceException(source, url.ToString(), $"more than {MaxRedirects} redirects");
                    }

                    current = target;
                    continue;
                }

                if (status == 304 && cached is not null)
                {
                    return new Fetched(source, current, cached.Body, cached.ContentType, cached.Link, Now(), FromCache: true);
                }

                if (SourceClients.IsRateLimited(response))
                {
                    throw new SourceException(source, current.ToString(), RateLimited(response, status));
                }

                if (status is < 200 or > 299)
                {
                    throw new SourceException(source, current.ToString(), $"HTTP {status} {response.ReasonPhrase}");
                }

                var body = await ReadCapped(source, current, response, ct).ConfigureAwait(false);
                var fetched = new Fetched(source, current, body, response.Content.Headers.ContentType?.MediaType, Link(response), Now(), FromCache: false);
                if (response.Headers.ETag is { } tag)
                {
                    Cache.Write(options.CacheDirectory, current, tag.ToString(), fetched);
                }

                return fetched;
            }
        }
    }

    private static string RateLimited(HttpResponseMessage response, int status)
    {
        if (SourceClients.GitHubReset(response) is { } reset)
        {
            return $"rate limited (HTTP {status}, X-RateLimit-Remaining: 0); the limit resets at {reset.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture)}; try again later (GITHUB_TOKEN raises the limit)";
        }

        var wait = SourceClients.AskedWait(response);
        return $"rate limited (HTTP {status}){(wait is { } w ? $"; the source asks to wait {w.TotalSeconds:0} s" : string.Empty)}; try again later";
    }

    private static bool SameHost(Uri a, Uri b) => string.Equals(a.GetLeftPart(UriPartial.Authority), b.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase);

    private static string? Link(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Link", out var values) ? string.Join(", ", values) : null;

    private string Now() => time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);

    private string? Token(string source, Uri url)
    {
        var (variable, host) = source switch
        {
            "huggingface" => ("HF_TOKEN", options.HubUrl),
            "github" => ("GITHUB_TOKEN", options.GitHubUrl),
            _ => (null, null),
        };
        return variable is not null && SameHost(url, host!) && Environment.GetEnvironmentVariable(variable) is { Length: > 0 } t ? t : null;
    }

    private async Task<byte[]> ReadCapped(string source, Uri url, HttpResponseMessage response, CancellationToken ct)
    {
        var max = options.MaxResponseBytes;
        if (response.Content.Headers.ContentLength is { } declared && declared > max)
        {
            throw new SourceException(source, url.ToString(), $"the answer is {declared} bytes, over the {max}-byte limit");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Timeout);
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int n;
            while ((n = await stream.ReadAsync(chunk, timeout.Token).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + n > max)
                {
                    throw new SourceException(source, url.ToString(), $"the answer is over the {max}-byte limit");
                }

                buffer.Write(chunk, 0, n);
            }

            return buffer.ToArray();
        }
        catch (OperationCanceledException ex) when (!ct.IsCancellationRequested)
        {
            throw new SourceException(source, url.ToString(), $"the answer did not finish within {options.Timeout.TotalSeconds:0.#} s", ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            throw new SourceException(source, url.ToString(), $"the answer was cut off (truncated body): {ex.Message}", ex);
        }
    }

    /// <summary>The conditional-request cache: per address, its ETag and body, written atomically.</summary>
    private static class Cache
    {
        public sealed record Entry(string? ETag, byte[] Body, string? ContentType, string? Link);

        public static Entry? Read(string? dir, Uri url)
        {
            if (dir is null)
            {
                return null;
            }

            var (meta, body) = Paths(dir, url);
            try
            {
                if (!File.Exists(meta) || !File.Exists(body))
                {
                    return null;
                }

                using var doc = JsonDocument.Parse(File.ReadAllBytes(meta));
                var r = doc.RootElement;
                string? S(string n) => r.TryGetProperty(n, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
                var bytes = File.ReadAllBytes(body);
                return S("url") == url.ToString() && S("sha256") == ContentHash.Of(bytes) ? new Entry(S("etag"), bytes, S("content_type"), S("link")) : null;
            }
            catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
            {
                return null;
            }
        }

        public static void Write(string? dir, Uri url, string etag, Fetched fetched)
        {
            if (dir is null)
            {
                return;
            }

            try
            {
                var (meta, body) = Paths(dir, url);
                AtomicFile.Write(body, s => s.Write(fetched.Body));
                AtomicFile.Write(meta, s =>
                {
                    using var w = new Utf8JsonWriter(s);
                    w.WriteStartObject();
                    w.WriteString("url", url.ToString());
                    w.WriteString("etag", etag);
                    w.WriteString("sha256", fetched.Sha256);
                    w.WriteString("content_type", fetched.ContentType);
                    w.WriteString("link", fetched.Link);
                    w.WriteEndObject();
                });
            }
            catch (OutputException)
            {
                // A cache that cannot be written only costs the next run a full download.
            }
        }

        private static (string Meta, string Body) Paths(string dir, Uri url)
        {
            var key = ContentHash.Of(url.ToString())[..32];
            return (Path.Combine(dir, key + ".json"), Path.Combine(dir, key + ".body"));
        }
    }
}
