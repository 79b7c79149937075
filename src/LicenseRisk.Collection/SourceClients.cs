using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace LicenseRisk.Collection;

/// <summary>
/// One named HTTP client per source (huggingface, openrouter, github, feed) through
/// IHttpClientFactory, each with a resilience pipeline: 429 and 5xx retried after the wait the
/// source asks for (<c>Retry-After</c>, or the Hub's <c>RateLimit</c> header's <c>t=</c> seconds) or an
/// exponential back-off (and GitHub's 403 with an exhausted
/// <c>X-RateLimit-Remaining</c>, after <c>X-RateLimit-Reset</c>), a network error retried, an attempt cut off after the timeout. Redirects
/// are not followed by the handler: <see cref="SourceFetcher"/> follows them on the same host only.
/// </summary>
public static partial class SourceClients
{
    /// <summary>The sources, each the name of its HTTP client.</summary>
    public static readonly string[] Names = ["huggingface", "openrouter", "github", "feed"];

    /// <summary>Registers the four named clients; <paramref name="options"/> gives retries and timeouts.</summary>
    public static IServiceCollection AddCollectionClients(this IServiceCollection services, Func<IServiceProvider, CollectOptions> options)
    {
        foreach (var name in Names)
        {
            services.AddHttpClient(name, http => http.Timeout = Timeout.InfiniteTimeSpan)
                .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.All })
                .AddResilienceHandler("collect-" + name, (pipeline, context) =>
                {
                    var o = options(context.ServiceProvider);
                    if (o.MaxRetries > 0)
                    {
                        pipeline.AddRetry(new HttpRetryStrategyOptions
                        {
                            MaxRetryAttempts = o.MaxRetries,
                            Delay = o.RetryDelay,
                            BackoffType = DelayBackoffType.Exponential,
                            UseJitter = false,
                            ShouldRetryAfterHeader = false,
                            ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, o)),
                            DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { } r ? AskedWait(r) : null),
                        });
                    }

                    pipeline.AddTimeout(o.Timeout);
                });
        }

        return services;
    }

    /// <summary>
    /// The wait a response asks for: <c>Retry-After</c> (seconds or a date), the <c>t=</c> of an
    /// IETF <c>RateLimit</c> header (<c>"api";r=0;t=55</c>, as the Hugging Face Hub sends with 429),
    /// or, for an exhausted GitHub limit (<c>X-RateLimit-Remaining: 0</c>), the time until
    /// <c>X-RateLimit-Reset</c> (UTC epoch seconds).
    /// </summary>
    public static TimeSpan? AskedWait(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter is { } ra)
        {
            if (ra.Delta is { } d)
            {
                return d;
            }

            if (ra.Date is { } date)
            {
                var wait = date - DateTimeOffset.UtcNow;
                return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
            }
        }

        if (response.Headers.TryGetValues("RateLimit", out var values))
        {
            foreach (var v in values)
            {
                var m = ResetPattern().Match(v);
                if (m.Success && int.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
                {
                    return TimeSpan.FromSeconds(seconds);
                }
            }
        }

        if (GitHubReset(response) is { } reset)
        {
            var wait = reset - DateTimeOffset.UtcNow;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    /// <summary>When an exhausted GitHub rate limit resets: <c>X-RateLimit-Reset</c> when <c>X-RateLimit-Remaining</c> is 0; else null.</summary>
    public static DateTimeOffset? GitHubReset(HttpResponseMessage response) =>
        Header(response, "X-RateLimit-Remaining") == "0"
        && long.TryParse(Header(response, "X-RateLimit-Reset"), NumberStyles.None, CultureInfo.InvariantCulture, out var epoch)
            ? DateTimeOffset.FromUnixTimeSeconds(epoch)
            : null;

    /// <summary>
    /// Whether a response says a rate limit was hit: 429, or GitHub's 403 with an exhausted
    /// <c>X-RateLimit-Remaining</c> or a <c>Retry-After</c> (its secondary limits).
    /// </summary>
    public static bool IsRateLimited(HttpResponseMessage response) =>
        (int)response.StatusCode == 429
        || (int)response.StatusCode == 403 && (Header(response, "X-RateLimit-Remaining") == "0" || response.Headers.RetryAfter is not null);

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault()?.Trim() : null;

    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, CollectOptions o)
    {
        if (outcome.Exception is not null)
        {
            // A network error may pass; a timed-out attempt is not retried, so a hanging source costs one timeout.
            return outcome.Exception is HttpRequestException;
        }

        var response = outcome.Result!;
        var status = (int)response.StatusCode;
        if (IsRateLimited(response))
        {
            // A wait longer than allowed is not waited for: the source fails this run and says when to come back.
            return AskedWait(response) is not { } wait || wait <= o.MaxRetryWait;
        }

        return status is >= 500 and <= 599 or 408;
    }

    [GeneratedRegex(@"(?:^|;)\s*t\s*=\s*(\d+)")]
    private static partial Regex ResetPattern();
}
