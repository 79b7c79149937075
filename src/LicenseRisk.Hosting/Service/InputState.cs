using LicenseRisk.Model;
using LicenseRisk.Rules;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LicenseRisk.Hosting.Service;

/// <summary>A compiled pack with the dossiers read against it, as one consistent pair.</summary>
public sealed record InputSnapshot(CompiledPack Pack, IReadOnlyList<Dossier> Dossiers, IReadOnlyList<Diagnostic> Warnings, Policy? Policy = null);

/// <summary>
/// The last good pack and dossiers. A reload that has any error is logged with its located
/// errors and changes nothing: the last good snapshot stays in use.
/// </summary>
public sealed class InputState(LicenseRiskEngine engine, IOptions<ServiceOptions> options, ILogger<InputState> logger)
{
    private readonly Lock _gate = new();
    private volatile InputSnapshot? _current;
    private int _reloads;
    private int _rejected;

    public InputSnapshot Current => _current ?? throw new InvalidOperationException("inputs are not loaded yet");

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

    private (InputSnapshot? Snapshot, DiagnosticBag Diags) Read()
    {
        var diags = new DiagnosticBag();
        var pack = engine.LoadPack(diags, RulesDirectory);
        var dossiers = pack is null ? [] : engine.ReadDossiers([VendorsDirectory], pack.Catalog, diags);
        var policy = pack is null || PolicyFile is null ? null : LicenseRisk.Yaml.PolicyReader.Read(PolicyFile, pack, diags);
        return pack is null || diags.HasErrors ? (null, diags) : (new InputSnapshot(pack, dossiers, diags.Items, policy), diags);
    }

    private void LogErrors(DiagnosticBag diags)
    {
        foreach (var d in diags.Sorted().Where(d => d.IsError))
        {
            Log.InputError(logger, d.Span.File, d.Span.Line, d.Span.Column, d.Code, d.Message);
        }
    }
}
