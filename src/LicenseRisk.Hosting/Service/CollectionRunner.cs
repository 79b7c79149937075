using LicenseRisk.Application;
using LicenseRisk.Collection;
using LicenseRisk.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LicenseRisk.Hosting.Service;

/// <summary>One collect of the service: when it started and what failed (sources, inboxes, or the collect itself).</summary>
public sealed record CollectRun(DateTimeOffset StartedAt, IReadOnlyList<SourceFailure> Failures, int Added);

/// <summary>
/// The service's collect: reads the sources the dossiers name into their inboxes (never the
/// dossiers), one collect at a time. It never throws for a source, an inbox or a time-out: a source
/// that fails is recorded and the others still run; a collect that throws or runs past
/// <see cref="CollectSettings.TimeoutSeconds"/> stops there, every inbox keeps its last whole
/// state (each is replaced atomically), and the failure is recorded for the report.
/// </summary>
public sealed class CollectionRunner(Collector collector, LicenseRiskEngine engine, IOptions<ServiceOptions> options, TimeProvider time, ILogger<CollectionRunner> logger) : IDisposable
{
    /// <summary>The source name of a failure of the collect as a whole (it threw or timed out).</summary>
    public const string WholeCollect = "collect";

    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    /// <summary>The last collect, or null before the first.</summary>
    public CollectRun? Last { get; private set; }

    /// <summary>Collect:Enabled, or when unset: whether any dossier names a source.</summary>
    public bool IsEnabled(IReadOnlyList<Dossier> dossiers) => options.Value.Collect.Enabled ?? dossiers.Any(d => !d.Vendor.Sources.IsEmpty);

    /// <summary>
    /// Collects for the dossiers of <paramref name="inputs"/>, then accepts what the policy's
    /// collect.auto_accept covers; throws only when <paramref name="ct"/> (the service stopping) is cancelled.
    /// </summary>
    public async Task<CollectRun> RunAsync(LoadedInputs inputs, CancellationToken ct)
    {
        var dossiers = inputs.Dossiers;
        await _oneAtATime.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var settings = options.Value.Collect;
            var started = time.GetUtcNow();
            var failures = new List<SourceFailure>();
            var diags = new DiagnosticBag();
            var added = 0;
            Log.CollectStarted(logger, dossiers.Count);
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(settings.TimeoutSeconds), time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, limit.Token);
            try
            {
                var result = await collector.RunAsync(dossiers, diags, linked.Token).ConfigureAwait(false);
                failures.AddRange(result.Failures);
                added = result.Added;
                var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
                var auto = AutoAccept.Apply(result, inputs.Policy, inputs.Pack.Catalog, engine.Options.Limits, today, diags);
                foreach (var (dossier, accepted) in auto)
                {
                    Log.AutoAccepted(logger, accepted.Count, dossier, inputs.Policy!.Name ?? inputs.Policy.File);
                }
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                failures.Add(new SourceFailure(string.Empty, WholeCollect, string.Empty,
                    $"did not finish within {settings.TimeoutSeconds:0.###} s (LicenseRisk:Collect:TimeoutSeconds); the inboxes keep what was written before, the rest is collected next time"));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failures.Add(new SourceFailure(string.Empty, WholeCollect, string.Empty,
                    $"stopped with {ex.GetType().Name}: {ex.Message}; the inboxes keep their last whole state"));
            }

            // An inbox that cannot be read is not a source, but the report says so all the same.
            foreach (var d in diags.Items.Where(d => d.IsError && d.Descriptor != DiagnosticCodes.SourceFailed))
            {
                var vendor = dossiers.FirstOrDefault(x => Inbox.PathFor(x.File) == d.Span.File || DossierLock.PathFor(x.File) == d.Span.File || x.File == d.Span.File)?.Vendor.Id ?? string.Empty;
                var inbox = d.Descriptor == DiagnosticCodes.BadInbox || d.Descriptor == DiagnosticCodes.DossierInUse;
                failures.Add(new SourceFailure(vendor, inbox ? "inbox" : "auto-accept", d.Span.File, $"{d.Code}: {d.Message}"));
            }

            foreach (var f in failures)
            {
                Log.SourceFailed(logger, f.Vendor, f.Source, f.Url, f.Reason);
            }

            var run = new CollectRun(started, failures, added);
            Log.Collected(logger, added, failures.Count);
            Last = run;
            return run;
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    public void Dispose() => _oneAtATime.Dispose();
}
