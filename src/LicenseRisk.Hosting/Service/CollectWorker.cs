using Cronos;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LicenseRisk.Hosting.Service;

/// <summary>
/// Collects on LicenseRisk:Collect:Schedule between the reports (each report run collects first
/// anyway): the inboxes fill up, and a reviewer sees new candidates before the next report. Does
/// nothing when no schedule is set or collecting is off.
/// </summary>
public sealed class CollectWorker(InputState state, CollectionRunner collection, IOptions<ServiceOptions> options, TimeProvider time, ILogger<CollectWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (string.IsNullOrWhiteSpace(o.Collect.Schedule))
        {
            return;
        }

        var cron = CronExpression.Parse(o.Collect.Schedule, CronFormat.Standard);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(o.TimeZone);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var next = cron.GetNextOccurrence(time.GetUtcNow(), zone);
                if (next is null)
                {
                    Log.NoNextCollect(logger, o.Collect.Schedule);
                    return;
                }

                Log.NextCollect(logger, next.Value);
                await ReportWorker.WaitUntilAsync(next.Value, time, stoppingToken).ConfigureAwait(false);
                var inputs = state.Snapshot.Inputs;
                if (collection.IsEnabled(inputs.Dossiers))
                {
                    await collection.RunAsync(inputs, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutdown
        }
    }
}
