using LicenseRisk.Model;
using LicenseRisk.Rules;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using LicenseRisk.Application;

namespace LicenseRisk.Hosting.Service;

/// <summary>
/// The last good pack and dossiers. A reload that has any error is logged with its located
/// errors and changes nothing: the last good snapshot stays in use.
/// </summary>
public sealed class InputState(LicenseRiskEngine engine, IOptions<ServiceOptions> options, ILogger<InputState> logger)
{
    private readonly Lock _gate = new();
    private volatile LoadedInputs? _current;
    private int _reloads;
    private int _rejected;

    public LoadedInputs Current => _current ?? throw new InvalidOperationException("inputs are not loaded yet");

    /// <summary>Successful reloads after the first load.</summary>
    public int Reloads => Volatile.Read(ref _reloads);

    /// <summary>Reloads rejected because the pack or a dossier had errors.</summary>
    public int Rejected => Volatile.Read(ref _rejected);

    public string RulesDirectory => engine.RulesDirectory(string.IsNullOrWhiteSpace(options.Value.Rules) ? null : options.Value.Rules);

    public string VendorsDirectory => options.Value.Vendors!;

    /// <summary>The policy file, or null.</summary>
    public string? PolicyFile => string.IsNullOrWhiteSpace(options.Value.Policy) ? null : options.Value.Policy;

    /// <summary>The first load: throws <see cref="InputException"/> with every error when the inputs are invalid.</summary>
    public void LoadInitial()
    {
        lock (_gate)
        {
            var (snapshot, diags) = Read();
            if (snapshot is null)
            {
                LogErrors(diags);
                throw new InputException(diags.Sorted().Where(d => d.IsError).ToList());
            }

            _current = snapshot;
            Log.InputsLoaded(logger, snapshot.Pack.Info.Name, snapshot.Pack.Info.Version, snapshot.Pack.Sha256, snapshot.Dossiers.Count);
        }
    }

    /// <summary>Re-reads the pack and dossiers; true when the new snapshot replaced the old one.</summary>
    public bool Reload()
    {
        lock (_gate)
        {
            var (snapshot, diags) = Read();
            if (snapshot is null)
            {
                LogErrors(diags);
                Interlocked.Increment(ref _rejected);
                var kept = _current!.Pack;
                Log.ReloadRejected(logger, diags.Items.Count(d => d.IsError), kept.Info.Name, kept.Info.Version, kept.Sha256);
                return false;
            }

            _current = snapshot;
            Interlocked.Increment(ref _reloads);
            Log.InputsLoaded(logger, snapshot.Pack.Info.Name, snapshot.Pack.Info.Version, snapshot.Pack.Sha256, snapshot.Dossiers.Count);
            return true;
        }
    }

    private (LoadedInputs? Snapshot, DiagnosticBag Diags) Read()
    {
        var diags = new DiagnosticBag();
        return (engine.Load([VendorsDirectory], PolicyFile, diags, RulesDirectory), diags);
    }

    private void LogErrors(DiagnosticBag diags)
    {
        foreach (var d in diags.Sorted().Where(d => d.IsError))
        {
            Log.InputError(logger, d.Span.File, d.Span.Line, d.Span.Column, d.Code, d.Message);
        }
    }
}
