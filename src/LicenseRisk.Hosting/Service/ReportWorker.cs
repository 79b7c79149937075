using Cronos;
using LicenseRisk.Hosting.Reports;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using LicenseRisk.Model;

namespace LicenseRisk.Hosting.Service;

/// <summary>Runs the weekly report on the cron schedule, one run at a time, with the last good inputs.</summary>
public sealed class ReportWorker(
    InputState state,
    IOptions<ServiceOptions> options,
    TimeProvider time,
    WebhookNotifier webhook,
    ServiceStatus status,
    CollectionRunner collection,
    ILogger<ReportWorker> logger) : BackgroundService
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromDays(1);
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private readonly ReportRunner _runner = new(time);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        state.LoadInitial();
        var o = options.Value;
        Log.Started(logger, o.Vendors!, o.Out!, o.Schedule, o.TimeZone);
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        Log.Stopping(logger);
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    public override void Dispose()
    {
        _oneAtATime.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        var cron = CronExpression.Parse(o.Schedule, CronFormat.Standard);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(o.TimeZone);
        try
        {
            if (o.RunAtStart)
            {
                await RunOnceAsync(time.GetUtcNow(), stoppingToken).ConfigureAwait(false);
            }

            while (!stoppingToken.IsCancellationRequested)
            {
                var next = cron.GetNextOccurrence(time.GetUtcNow(), zone);
                if (next is null)
                {
                    Log.NoNextRun(logger, o.Schedule);
                    return;
                }

                Log.NextRun(logger, next.Value);
                await WaitUntilAsync(next.Value, time, stoppingToken).ConfigureAwait(false);

                await RunOnceAsync(next.Value, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutdown
        }
    }

    /// <summary>Waits until <paramref name="at"/> on <paramref name="time"/>'s clock, a day at most per delay (a clock change is noticed).</summary>
    internal static async Task WaitUntilAsync(DateTimeOffset at, TimeProvider time, CancellationToken ct)
    {
        for (var now = time.GetUtcNow(); now < at; now = time.GetUtcNow())
        {
            var wait = at - now;
            await Task.Delay(wait < MaxDelay ? wait : MaxDelay, time, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// One report run as of the day of <paramref name="at"/> in the schedule's time zone: the scheduled
    /// runs, <c>--run-at-start</c> and the runs asked for on the web (the /runs form, <c>POST /api/v1/runs</c>)
    /// alike. When collecting is enabled (<see cref="CollectionRunner.IsEnabled"/>) it collects first,
    /// with the LicenseRisk:Collect settings, and the report shows what was collected.
    /// </summary>
    public async Task<ReportResult?> RunOnceAsync(DateTimeOffset at, CancellationToken ct)
    {
        var o = options.Value;
        var zone = TimeZoneInfo.FindSystemTimeZoneById(o.TimeZone);
        var asOf = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone).DateTime);
        await _oneAtATime.WaitAsync(ct).ConfigureAwait(false);
        var started = time.GetTimestamp();
        try
        {
            var snapshot = state.Snapshot;
            var input = snapshot.Inputs;

            // A collect never throws for a source, an inbox or a time-out: the report is written whatever it met.
            var collected = collection.IsEnabled(input.Dossiers) ? await collection.RunAsync(input, ct).ConfigureAwait(false) : null;
            var request = new ReportRequest(o.Out!, asOf, string.IsNullOrWhiteSpace(o.History) ? null : o.History, o.HorizonMonths)
            {
                LockWait = TimeSpan.FromSeconds(o.LockWaitSeconds),
                Policy = input.Policy,
                StaleInputs = snapshot.Stale,
                Collected = collected,
            };
            var result = await Task.Run(() => _runner.Run(request, input.Pack, input.Dossiers, input.Warnings, null, ct), ct).ConfigureAwait(false);
            var r = result.Report;
            Log.ReportWritten(logger, r.IsoWeek, IsoDate.Format(r.AsOf), o.Out!, r.Vendors.Count, r.Pack.Name, r.Pack.Version, r.PackSha256);
            status.Done(r, time.GetElapsedTime(started));
            _ = webhook.Notify(r); // in the background: never delays the report
            return result;
        }
        catch (ReportLockedException ex)
        {
            Log.ReportSkipped(logger, ex.Message);
            status.Fail();
            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.ReportFailed(logger, ex);
            status.Fail();
            return null;
        }
        finally
        {
            _oneAtATime.Release();
        }
    }
}
