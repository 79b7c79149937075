using LicenseRisk.Model;
using LicenseRisk.Rules;
using LicenseRisk.Yaml;
using Microsoft.Extensions.DependencyInjection;

namespace LicenseRisk.Application;

public sealed class LicenseRiskOptions
{
    /// <summary>The rule pack folder; null means the bundled pack beside the program.</summary>
    public string? RulesDirectory { get; set; }

    public ExpressionCompilerKind ExpressionCompiler { get; set; } = ExpressionCompilerKind.Fast;

    /// <summary>The input limits every reader checks.</summary>
    public Limits Limits { get; set; } = new();

    /// <summary>Where the bundled pack is copied at build time.</summary>
    public static string BundledRulesDirectory => Path.Combine(AppContext.BaseDirectory, "rules");
}

/// <summary>A compiled pack and the organisation policy layered over it (null: none).</summary>
public sealed record PackAndPolicy(CompiledPack Pack, Policy? Policy);

/// <summary>A compiled pack, its policy and the dossiers read against it, as one consistent set, with the readers' warnings.</summary>
public sealed record LoadedInputs(CompiledPack Pack, Policy? Policy, IReadOnlyList<Dossier> Dossiers, IReadOnlyList<Diagnostic> Warnings);

/// <summary>
/// The application core's loading half: every command, the report and the service load the pack,
/// the policy and the dossiers here (scoring many dossiers is <see cref="BatchScorer"/>).
/// </summary>
public sealed class LicenseRiskEngine(LicenseRiskOptions options)
{
    public LicenseRiskOptions Options { get; } = options;

    public string RulesDirectory(string? overrideDirectory = null) =>
        overrideDirectory ?? Options.RulesDirectory ?? LicenseRiskOptions.BundledRulesDirectory;

    /// <summary>Loads and compiles a pack; null with errors in <paramref name="diags"/> when it is invalid.</summary>
    public CompiledPack? LoadPack(DiagnosticBag diags, string? directory = null) =>
        PackCompiler.Load(RulesDirectory(directory), Options.Limits, diags, Options.ExpressionCompiler);

    /// <summary>
    /// The pack's name and version, read from its pack.yaml alone (neither its signals nor its rules
    /// are read); null with errors in <paramref name="diags"/> when the folder or pack.yaml does not read.
    /// </summary>
    public PackInfo? ReadPackInfo(DiagnosticBag diags, string? directory = null) =>
        PackReader.ReadInfo(RulesDirectory(directory), Options.Limits, diags);

    /// <summary>
    /// Loads the pack and the policy file (none when null) checked against it. Null when the pack
    /// does not load; a bad policy leaves its errors in <paramref name="diags"/> and no policy.
    /// </summary>
    public PackAndPolicy? LoadPackAndPolicy(string? policyFile, DiagnosticBag diags, string? rulesDirectory = null)
    {
        var pack = LoadPack(diags, rulesDirectory);
        return pack is null ? null : new PackAndPolicy(pack, policyFile is null ? null : PolicyReader.Read(policyFile, pack, Options.Limits, diags));
    }

    /// <summary>
    /// Loads the pack, the policy and every dossier under <paramref name="dossierPaths"/> (files or
    /// folders) as one consistent set; null when anything has an error, every one in <paramref name="diags"/>.
    /// When the pack does not load, the dossiers are still checked, against the pack's signals.yaml
    /// if that file loads alone, else against <paramref name="fallbackCatalog"/> (the service's last
    /// good pack), so a pack error does not hide the dossiers' own.
    /// </summary>
    public LoadedInputs? Load(IEnumerable<string> dossierPaths, string? policyFile, DiagnosticBag diags, string? rulesDirectory = null, SignalCatalog? fallbackCatalog = null)
    {
        var rules = LoadPackAndPolicy(policyFile, diags, rulesDirectory);
        var dossiers = ReadDossiers(DossierReader.Expand(dossierPaths, diags), diags, rules?.Pack.Catalog, rulesDirectory, fallbackCatalog);
        return rules is null || diags.HasErrors ? null : new LoadedInputs(rules.Pack, rules.Policy, dossiers, diags.Items);
    }

    /// <summary>
    /// Reads dossier files only to report their problems beside inputs that did not load (a pack
    /// or policy with errors), so that one run reports every problem at once: against
    /// <paramref name="catalog"/> when the pack loaded, else against the pack's signals.yaml read
    /// alone; nothing when neither reads.
    /// </summary>
    public void CheckDossiers(IReadOnlyList<string> files, DiagnosticBag diags, SignalCatalog? catalog = null) =>
        ReadDossiers(files, diags, catalog, null, null);

    /// <summary>
    /// The dossiers read against <paramref name="catalog"/> (the loaded pack's), else the pack's
    /// signals.yaml read alone, else <paramref name="fallbackCatalog"/>; none when there is no catalog.
    /// </summary>
    private IReadOnlyList<Dossier> ReadDossiers(IReadOnlyList<string> files, DiagnosticBag diags, SignalCatalog? catalog, string? rulesDirectory, SignalCatalog? fallbackCatalog) =>
        (catalog ?? SignalsAlone(RulesDirectory(rulesDirectory)) ?? fallbackCatalog) is { } known ? DossierReader.ReadAll(files, known, Options.Limits, diags) : [];

    /// <summary>The pack's signal catalog read alone, or null when signals.yaml has an error (the pack's load reported it).</summary>
    private SignalCatalog? SignalsAlone(string rulesDirectory)
    {
        var scratch = new DiagnosticBag();
        var file = SourcePaths.InFolder(rulesDirectory, "signals.yaml");
        var root = YamlSource.LoadFile(file, file, Options.Limits, scratch);
        var catalog = root is null ? null : SignalCatalogReader.Read(new Nodes(file, scratch), root);
        return scratch.HasErrors ? null : catalog;
    }
}

public static class ServiceCollectionExtensions
{
    /// <summary>The composition root of the hosted service and the tests (the CLI builds <see cref="LicenseRiskEngine"/> directly, with the same options).</summary>
    public static IServiceCollection AddLicenseRisk(this IServiceCollection services, Action<LicenseRiskOptions>? configure = null)
    {
        var options = new LicenseRiskOptions();
        configure?.Invoke(options);
        services.AddSingleton(options);
        services.AddSingleton<LicenseRiskEngine>();
        return services;
    }
}
