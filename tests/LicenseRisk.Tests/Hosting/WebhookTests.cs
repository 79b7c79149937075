using System.Net;
using LicenseRisk.Hosting.Service;
using LicenseRisk.Model;
using LicenseRisk.Presentation.Report;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LicenseRisk.Tests.Hosting;

/// <summary>Webhook delivery through the named client and its resilience pipeline, against a real loopback receiver.</summary>
public sealed class WebhookTests
{
    private static WeeklyReport BandChange()
    {
        using var pack = new TestPack(ServiceTests.Rules);
        var compiled = pack.CompileOk();
        var score = Dossiers.Score(compiled, "  - { kind: release, date: 2026-03-02, model: Acme 2, weights: api_only, source: https://example.org/a }");
        var change = new Change(new DateOnly(2026, 3, 2), 0.2, "low", score.Probability - 0.2);
        return new WeeklyReport(compiled.Info, new string('0', 64), score.AsOf, 12, null, [new VendorEntry(score, change, [], [], [])]);
    }

    private static ServiceProvider Services(string url, TestLogs logs, int maxAttempts, double initialBackoffSeconds)
    {
        var services = new ServiceCollection();
        services.AddLogging(l => l.AddProvider(logs));
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<ServiceOptions>().Configure(o =>
        {
            o.Webhook.Url = url;
            o.Webhook.MaxAttempts = maxAttempts;
            o.Webhook.InitialBackoffSeconds = initialBackoffSeconds;
            o.Webhook.TimeoutSeconds = 10;
        });
        services.AddWebhook();
        return services.BuildServiceProvider();
    }

    private static async Task Deliver(WebhookReceiver receiver, TestLogs logs, int maxAttempts, double initialBackoffSeconds)
    {
        await using var services = Services(receiver.Url, logs, maxAttempts, initialBackoffSeconds);
        var delivery = services.GetRequiredService<WebhookNotifier>().Notify(BandChange());
        Assert.NotNull(delivery);
        await delivery.WaitAsync(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task A503_IsRetried_AndTheSecondAttemptDelivers()
    {
        using var receiver = new WebhookReceiver(new(HttpStatusCode.ServiceUnavailable), new(HttpStatusCode.OK));
        using var logs = new TestLogs();

        await Deliver(receiver, logs, maxAttempts: 4, initialBackoffSeconds: 0.01);

        receiver.Bodies.Count.ShouldBe(2);
        receiver.Bodies.Distinct().Count().ShouldBe(1);
        receiver.Bodies[0].ShouldContain("\"previous_band\":\"low\"");
        logs.Messages.ShouldContain(m => m.StartsWith("Webhook attempt 1 of 4 failed: HTTP 503", StringComparison.Ordinal));
        logs.Messages.ShouldContain("Webhook delivered: 1 vendor changed (attempt 2)");
    }

    [Fact]
    public async Task RetryAfter_SetsTheWait_BeforeTheSecondAttempt()
    {
        // No backoff of its own: only the receiver's Retry-After can delay the second attempt.
        using var receiver = new WebhookReceiver(new(HttpStatusCode.ServiceUnavailable, RetryAfterSeconds: 1), new(HttpStatusCode.OK));
        using var logs = new TestLogs();

        await Deliver(receiver, logs, maxAttempts: 3, initialBackoffSeconds: 0);

        receiver.Bodies.Count.ShouldBe(2);
        logs.Messages.ShouldContain("Webhook attempt 1 of 3 failed: HTTP 503 Service Unavailable; next attempt in 1 s");
        var arrivals = receiver.Arrivals.ToArray();
        (arrivals[1] - arrivals[0]).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(900));
        logs.Messages.ShouldContain("Webhook delivered: 1 vendor changed (attempt 2)");
    }

    [Fact]
    public async Task AReceiverThatKeepsFailing_GetsMaxAttempts_ThenTheNotifierGivesUp()
    {
        using var receiver = new WebhookReceiver(new WebhookReply(HttpStatusCode.InternalServerError));
        using var logs = new TestLogs();

        await Deliver(receiver, logs, maxAttempts: 3, initialBackoffSeconds: 0.01);

        receiver.Bodies.Count.ShouldBe(3);
        logs.Messages.Count(m => m.StartsWith("Webhook attempt ", StringComparison.Ordinal)).ShouldBe(2);
        logs.Messages.ShouldContain("Webhook not delivered after 3 attempts: HTTP 500 Internal Server Error");
        logs.Messages.ShouldNotContain(m => m.StartsWith("Webhook delivered", StringComparison.Ordinal));
    }
}
