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
/// exponential back-off, a network error retried, an attempt cut off after the timeout. Redirects
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
    /// The wait a response asks for: <c>Retry-After</c> (seconds or a date), or the <c>t=</c> of an
    /// IETF <c>RateLimit</c> header (<c>"api";r=0;t=55</c>, as the Hugging Face Hub sends with 429).
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

        return null;
    }

    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, CollectOptions o)
    {
        if (outcome.Exception is not null)
        {
            // A network error may pass; a timed-out attempt is not retried, so a hanging source costs one timeout.
            return outcome.Exception is HttpRequestException;
        }

        var response = outcome.Result!;
        var status = (int)response.StatusCode;
        if (status == 429)
        {
            // A wait longer than allowed is not waited for: the source fails this run and says when to come back.
            return AskedWait(response) is not { } wait || wait <= o.MaxRetryWait;
        }

        return status is >= 500 and <= 599 or 408;
    }

    [GeneratedRegex(@"(?:^|;)\s*t\s*=\s*(\d+)")]
    private static partial Regex ResetPattern();
}
