using LicenseRisk.Model;
using LicenseRisk.Reporting;
using LicenseRisk.Rules;
using LicenseRisk.Scoring;
using LicenseRisk.Yaml;
using Microsoft.Extensions.DependencyInjection;

namespace LicenseRisk;

public sealed class LicenseRiskOptions
{
    /// <summary>The rule pack folder; null means the bundled pack beside the program.</summary>
    public string? RulesDirectory { get; set; }

    public ExpressionCompilerKind ExpressionCompiler { get; set; } = ExpressionCompilerKind.Fast;

    /// <summary>Where the bundled pack is copied at build time.</summary>
    public static string BundledRulesDirectory => Path.Combine(AppContext.BaseDirectory, "rules");
}

/// <summary>The engine's one entry point: load a pack, read dossiers, score them.</summary>
public sealed class LicenseRiskEngine(LicenseRiskOptions options)
{
    public LicenseRiskOptions Options { get; } = options;

    public string RulesDirectory(string? overrideDirectory = null) =>
        overrideDirectory ?? Options.RulesDirectory ?? LicenseRiskOptions.BundledRulesDirectory;

    /// <summary>Loads and compiles a pack; null with errors in <paramref name="diags"/> when it is invalid.</summary>
    public CompiledPack? LoadPack(DiagnosticBag diags, string? directory = null) =>
        PackCompiler.Load(RulesDirectory(directory), diags, Options.ExpressionCompiler);

    public IReadOnlyList<Dossier> ReadDossiers(IEnumerable<string> paths, SignalCatalog catalog, DiagnosticBag diags)
    {
        var files = DossierReader.Expand(paths, diags);
        return DossierReader.ReadAll(files, catalog, diags);
    }

    /// <summary>Scores every dossier (in parallel); results keep the dossiers' order.</summary>
    public IReadOnlyList<VendorScore> Score(CompiledPack pack, IReadOnlyList<Dossier> dossiers, DateOnly asOf, int? horizonMonths = null, Policy? policy = null)
    {
        var results = new VendorScore[dossiers.Count];
        Parallel.For(0, dossiers.Count, i => results[i] = Evaluator.Score(pack, dossiers[i], asOf, horizonMonths, policy));
        return results;
    }

    public ScoreReport Report(CompiledPack pack, IReadOnlyList<VendorScore> scores, DateOnly asOf, int? horizonMonths, IReadOnlyList<Diagnostic> warnings) =>
        new(pack.Info, pack.Sha256, asOf, horizonMonths ?? pack.Model.HorizonMonths, scores, warnings)
        {
            Rules = [.. pack.Rules.Select(r => r.Syntax)],
            Bands = pack.Bands,
        };
}

public static class ServiceCollectionExtensions
{
    /// <summary>The composition root shared by the CLI, the hosted service and the tests.</summary>
    public static IServiceCollection AddLicenseRisk(this IServiceCollection services, Action<LicenseRiskOptions>? configure = null)
    {
        var options = new LicenseRiskOptions();
        configure?.Invoke(options);
        services.AddSingleton(options);
        services.AddSingleton<LicenseRiskEngine>();
        return services;
    }
}
