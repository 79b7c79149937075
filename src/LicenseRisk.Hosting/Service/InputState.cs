using LicenseRisk.Model;
using LicenseRisk.Presentation.Report;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using LicenseRisk.Application;

namespace LicenseRisk.Hosting.Service;

/// <summary>The inputs reports use now: the last good ones, and the rejected reload that made them stale (null: current).</summary>
public sealed record InputSnapshot(LoadedInputs Inputs, DateTimeOffset LoadedAt, StaleInputs? Stale);

/// <summary>
/// The last good pack and dossiers. A reload that has any error is logged with its located
/// errors and changes nothing but the staleness the next reports show: the last good inputs stay in use.
/// </summary>
public sealed class InputState(LicenseRiskEngine engine, IOptions<ServiceOptions> options, TimeProvider time, ILogger<InputState> logger)
{
    private readonly Lock _gate = new();
    private volatile InputSnapshot? _snapshot;
    private int _reloads;
    private int _rejected;

    /// <summary>The inputs and, after a rejected reload, what makes them stale; read once per report so both agree.</summary>
    public InputSnapshot Snapshot => _snapshot ?? throw new InvalidOperationException("inputs are not loaded yet");

    /// <summary>The inputs in use, or null before the first load.</summary>
    public InputSnapshot? Current => _snapshot;

    /// <summary>Successful reloads after the first load.</summary>
    public int Reloads => Volatile.Read(ref _reloads);

    /// <summary>Reloads rejected because the pack or a dossier had errors.</summary>
    public int Rejected => Volatile.Read(ref _rejected);

    public string RulesDirectory => engine.RulesDirectory(string.IsNullOrWhiteSpace(options.Value.Rules) ? null : options.Value.Rules);

    public string VendorsDirectory => options.Value.Vendors!;

    /// <summary>The policy file, or null.</summary>
    public string? PolicyFile => string.IsNullOrWhiteSpace(options.Value.Policy) ? null : options.Value.Policy;

    /// <summary>
    /// The first load: throws <see cref="InputException"/> with every error when the inputs are invalid.
    /// The errors are not logged: whoever starts the service reports them from the exception
    /// (<c>licenserisk serve</c> prints each once, located, on standard error, and exits 2).
    /// </summary>
    public void LoadInitial()
    {
        lock (_gate)
        {
            var (inputs, diags) = Read();
            if (inputs is null)
            {
                throw new InputException(diags.Sorted().Where(d => d.IsError).ToList());
            }

            _snapshot = new InputSnapshot(inputs, time.GetUtcNow(), null);
            Log.InputsLoaded(logger, inputs.Pack.Info.Name, inputs.Pack.Info.Version, inputs.Pack.Sha256, inputs.Dossiers.Count);
        }
    }

    /// <summary>Re-reads the pack and dossiers; true when the new inputs replaced the old ones.</summary>
    public bool Reload()
    {
        lock (_gate)
        {
            var kept = Snapshot;
            var (inputs, diags) = Read(kept.Inputs.Pack.Catalog);
            if (inputs is null)
            {
                LogErrors(diags);
                var errors = diags.Sorted().Where(d => d.IsError).ToList();
                var reload = Interlocked.Increment(ref _rejected) + Reloads;
                _snapshot = kept with { Stale = new StaleInputs(reload, time.GetUtcNow(), errors, kept.LoadedAt) };
                var pack = kept.Inputs.Pack;
                Log.ReloadRejected(logger, Plural.Of(errors.Count, "error"), pack.Info.Name, pack.Info.Version, pack.Sha256);
                return false;
            }

            _snapshot = new InputSnapshot(inputs, time.GetUtcNow(), null);
            Interlocked.Increment(ref _reloads);
            Log.InputsLoaded(logger, inputs.Pack.Info.Name, inputs.Pack.Info.Version, inputs.Pack.Sha256, inputs.Dossiers.Count);
            return true;
        }
    }

    /// <summary>Loads everything; when the pack fails, the dossiers are still checked against <paramref name="lastGoodCatalog"/> (or the new signals.yaml).</summary>
    private (LoadedInputs? Inputs, DiagnosticBag Diags) Read(SignalCatalog? lastGoodCatalog = null)
    {
        var diags = new DiagnosticBag();
        return (engine.Load([VendorsDirectory], PolicyFile, diags, RulesDirectory, lastGoodCatalog), diags);
    }

    private void LogErrors(DiagnosticBag diags)
    {
        foreach (var d in diags.Sorted().Where(d => d.IsError))
        {
            Log.InputError(logger, d.Span.File, d.Span.Line, d.Span.Column, d.Code, d.Message);
        }
    }
}
