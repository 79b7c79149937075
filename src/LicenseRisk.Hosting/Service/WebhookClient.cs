using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;

namespace LicenseRisk.Hosting.Service;

/// <summary>
/// The named HTTP client the webhook posts through, and its resilience pipeline built from
/// <c>LicenseRisk:Webhook</c>: up to <c>MaxAttempts</c> attempts of at most <c>TimeoutSeconds</c> each,
/// exponential backoff with jitter from <c>InitialBackoffSeconds</c>, or the receiver's <c>Retry-After</c>.
/// Transient failures are retried: 5xx, 408, 429, a network error or an attempt timeout.
/// </summary>
public static class WebhookClient
{
    public const string Name = "licenserisk-webhook";

    private static readonly ResiliencePropertyKey<int> AttemptKey = new("licenserisk.webhook.attempt");

    public static IServiceCollection AddWebhook(this IServiceCollection services)
    {
        services.AddSingleton<WebhookNotifier>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookNotifier>());
        services.AddHttpClient(Name, http => http.Timeout = Timeout.InfiniteTimeSpan)
            .AddResilienceHandler(Name, (pipeline, context) =>
            {
                var o = context.ServiceProvider.GetRequiredService<IOptions<ServiceOptions>>().Value.Webhook;
                var logger = context.ServiceProvider.GetRequiredService<ILogger<WebhookNotifier>>();
                if (o.MaxAttempts > 1)
                {
                    pipeline.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = o.MaxAttempts - 1,
                        Delay = TimeSpan.FromSeconds(o.InitialBackoffSeconds),
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        ShouldRetryAfterHeader = true,
                        OnRetry = args =>
                        {
                            var reason = args.Outcome.Result is { } response ? Reason(response) : args.Outcome.Exception?.Message ?? "no response";
                            Log.WebhookAttemptFailed(logger, args.AttemptNumber + 1, o.MaxAttempts, reason, args.RetryDelay.TotalSeconds);
                            args.Context.Properties.Set(AttemptKey, args.AttemptNumber + 2);
                            return ValueTask.CompletedTask;
                        },
                    });
                }

                pipeline.AddTimeout(TimeSpan.FromSeconds(o.TimeoutSeconds));
            });
        return services;
    }

    /// <summary>The number of the attempt the pipeline is on (1 until a retry).</summary>
    internal static int Attempt(ResilienceContext context) => context.Properties.GetValue(AttemptKey, 1);

    internal static string Reason(HttpResponseMessage response) => $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
}
