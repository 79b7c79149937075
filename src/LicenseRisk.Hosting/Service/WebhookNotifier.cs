using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using LicenseRisk.Hosting.Reports;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;
using LicenseRisk.Model;
using LicenseRisk.Presentation;
using LicenseRisk.Presentation.Report;
using LicenseRisk.Presentation.Score;

namespace LicenseRisk.Hosting.Service;

/// <summary>
/// Posts a JSON message (with a Slack-compatible <c>text</c>) when a vendor's band changed or its
/// probability moved more than the threshold. Sends in the background through the named client
/// <see cref="WebhookClient.Name"/>, whose resilience pipeline retries, so a slow or failing
/// receiver never delays a report.
/// </summary>
public sealed class WebhookNotifier(IOptions<ServiceOptions> options, IHttpClientFactory clients, ILogger<WebhookNotifier> logger)
    : IHostedService, IDisposable
{
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly List<Task> _pending = [];

    /// <summary>Vendors whose band changed or whose probability moved more than the threshold since the previous run.</summary>
    public static IReadOnlyList<VendorEntry> Changes(WeeklyReport report, double threshold) =>
        [.. report.Vendors.Where(v => v.Change is { } c && (c.BandChanged(v.Score.Band) || Math.Abs(c.Delta) > threshold))];

    /// <summary>Starts delivery in the background; returns the delivery task, or null when there is nothing to send.</summary>
    public Task? Notify(WeeklyReport report)
    {
        var o = options.Value.Webhook;
        if (string.IsNullOrWhiteSpace(o.Url))
        {
            return null;
        }

        var changed = Changes(report, o.ProbabilityChange);
        if (changed.Count == 0)
        {
            return null;
        }

        var body = Payload(report, changed);
        lock (_gate)
        {
            _pending.RemoveAll(t => t.IsCompleted);
            var task = Task.Run(() => SendAsync(new Uri(o.Url), body, changed.Count, _stopping.Token));
            _pending.Add(task);
            return task;
        }
    }

    public static byte[] Payload(WeeklyReport report, IReadOnlyList<VendorEntry> changed)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"LicenseRisk {report.IsoWeek} (as of {IsoDate.Format(report.AsOf)}): {Plural.Of(changed.Count, "vendor")} moved");
        foreach (var v in changed)
        {
            var c = v.Change!;
            text.Append(CultureInfo.InvariantCulture, $"\n• {v.Score.Name} ({v.Score.Id}): {Numbers.Probability(c.PreviousProbability)} → {Numbers.Probability(v.Score.Probability)} ({Numbers.Signed(c.Delta)})");
            if (c.BandChanged(v.Score.Band))
            {
                text.Append(CultureInfo.InvariantCulture, $", band {c.PreviousBand} → {v.Score.Band}");
            }

            if (v.Score.Contributions.Count > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"; top reason: {v.Score.Contributions[0].Rule}");
            }
        }

        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, JsonOptions))
        {
            w.WriteStartObject();
            w.WriteString("text", SlackEscape(text.ToString()));
            w.WriteString("schema", "licenserisk.webhook/1");
            w.WriteString("as_of", IsoDate.Format(report.AsOf));
            w.WriteString("iso_week", report.IsoWeek);
            w.WriteStartObject("pack");
            w.WriteString("name", report.Pack.Name);
            w.WriteString("version", report.Pack.Version);
            w.WriteString("sha256", report.PackSha256);
            w.WriteEndObject();
            w.WriteStartArray("vendors");
            foreach (var v in changed)
            {
                var c = v.Change!;
                w.WriteStartObject();
                w.WriteString("id", v.Score.Id);
                w.WriteString("name", v.Score.Name);
                w.WriteNumber("probability", JsonScoreWriter.Round(v.Score.Probability));
                w.WriteNumber("previous_probability", JsonScoreWriter.Round(c.PreviousProbability));
                w.WriteNumber("delta", JsonScoreWriter.Round(c.Delta));
                w.WriteString("band", v.Score.Band);
                w.WriteString("previous_band", c.PreviousBand);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return ms.ToArray();
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Cancels deliveries still retrying and waits for them to end.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        Task[] pending;
        lock (_gate)
        {
            pending = [.. _pending];
        }

        try
        {
            await Task.WhenAll(pending).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public void Dispose() => _stopping.Dispose();

    private async Task SendAsync(Uri url, byte[] body, int vendorCount, CancellationToken ct)
    {
        var maxAttempts = options.Value.Webhook.MaxAttempts;
        var context = ResilienceContextPool.Shared.Get(ct);
        try
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
            request.SetResilienceContext(context);
            using var http = clients.CreateClient(WebhookClient.Name);
            string reason;
            try
            {
                using var response = await http.SendAsync(request, ct).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    Log.WebhookSent(logger, vendorCount, WebhookClient.Attempt(context));
                    return;
                }

                reason = WebhookClient.Reason(response);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                Log.WebhookAbandoned(logger, WebhookClient.Attempt(context));
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException or TaskCanceledException)
            {
                reason = ex.Message;
            }

            Log.WebhookGaveUp(logger, maxAttempts, reason);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>Slack's text escaping: &amp;, &lt; and &gt; (so input text cannot form links or mentions).</summary>
    private static string SlackEscape(string s) => s.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
