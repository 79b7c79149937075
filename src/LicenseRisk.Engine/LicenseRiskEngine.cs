using LicenseRisk.Model;
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

    /// <summary>
    /// Reads and scores dossier files a chunk at a time (each file read, then scored, in
    /// parallel) and yields the scores in the files' order, so memory holds one chunk, not the
    /// whole input. Scores drop their signal records (writers need the file and vendor only). Ids
    /// are checked unique as in <see cref="DossierReader.ReadAll"/>. Once <paramref name="diags"/>
    /// has an error, the rest is still read (to report every problem) but nothing more is yielded.
    /// </summary>
    public IEnumerable<VendorScore> ScoreFiles(
        CompiledPack pack, IEnumerable<string> paths, DateOnly asOf, int? horizonMonths, Policy? policy, DiagnosticBag diags, int chunk = 64) =>
        ScoreExpanded(pack, DossierReader.Expand(paths, diags), asOf, horizonMonths, policy, diags, chunk);

    /// <summary>As <see cref="ScoreFiles"/>, for dossier files already expanded by <see cref="DossierReader.Expand"/>.</summary>
    public IEnumerable<VendorScore> ScoreExpanded(
        CompiledPack pack, IReadOnlyList<string> files, DateOnly asOf, int? horizonMonths, Policy? policy, DiagnosticBag diags, int chunk = 64)
    {
        var seen = new Dictionary<string, SourceSpan>(StringComparer.Ordinal);
        var read = new Dossier?[Math.Min(chunk, files.Count)];
        var scores = new VendorScore?[read.Length];
        var bags = new DiagnosticBag[read.Length];
        for (var start = 0; start < files.Count; start += chunk)
        {
            var count = Math.Min(chunk, files.Count - start);
            var scoring = !diags.HasErrors;
            void ReadAndScore(int i)
            {
                bags[i] = new DiagnosticBag();
                read[i] = DossierReader.ReadFile(files[start + i], pack.Catalog, bags[i]);
                scores[i] = scoring && read[i] is { } d && !bags[i].HasErrors
                    ? Evaluator.Score(pack, d, asOf, horizonMonths, policy) with { Dossier = d with { Signals = [] } }
                    : null;
            }

            if (count == 1)
            {
                ReadAndScore(0); // one dossier: no thread-pool start-up
            }
            else
            {
                Parallel.For(0, count, ReadAndScore);
            }
            for (var i = 0; i < count; i++)
            {
                diags.AddRange(bags[i].Items);
                if (read[i] is not { } d)
                {
                    continue;
                }

                var key = d.Case is null ? d.Vendor.Id : $"{d.Vendor.Id}@{d.Case.AsOf:yyyy-MM-dd}";
                if (!seen.TryAdd(key, d.Vendor.Span))
                {
                    diags.Error(d.Vendor.Span, "LR030", $"vendor id '{d.Vendor.Id}' is already used by {seen[key]}");
                }
                else if (scores[i] is { } score && !diags.HasErrors)
                {
                    yield return score;
                }
            }

            Array.Clear(read);
            Array.Clear(scores);
        }
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
