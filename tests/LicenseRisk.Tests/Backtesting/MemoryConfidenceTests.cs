using LicenseRisk.Model;
using LicenseRisk.Yaml;

namespace LicenseRisk.Tests.Backtesting;

/// <summary>
/// The samples follow docs/dossier-format.md "Choosing confidence": a signal written wholly from
/// memory (its note begins "from memory") carries confidence 0.75 at most. A signal whose source
/// was read and only one detail is from memory ("day from memory", "modality from memory") is
/// rated by the rest of the scale.
/// </summary>
public sealed class MemoryConfidenceTests
{
    private static readonly string[] Folders = ["samples/cases", "samples/holdout", "samples/library", "samples/vendors"];

    [Fact]
    public void EverySignalWrittenFromMemory_CarriesConfidence075AtMost()
    {
        var diags = new DiagnosticBag();
        var pack = LicenseRisk.Rules.PackCompiler.Load(Repo.Path("rules"), new Limits(), diags) ?? throw new InvalidOperationException(TestPack.Errors(diags));
        var files = DossierReader.Expand([.. Folders.Select(Repo.Path)], diags);
        var dossiers = DossierReader.ReadAll(files, pack.Catalog, new Limits(), diags);
        diags.HasErrors.ShouldBeFalse(TestPack.Errors(diags));

        var fromMemory = dossiers.SelectMany(d => d.Signals)
            .Where(s => s.Note?.TrimStart().StartsWith("from memory", StringComparison.OrdinalIgnoreCase) == true)
            .ToList();
        fromMemory.Count.ShouldBeGreaterThan(10, "the samples hold signals written from memory; the check must see them");
        fromMemory.Where(s => s.Confidence > 0.75)
            .Select(s => $"{Path.GetRelativePath(Repo.Root, s.Span.File)}:{s.Span.Line} confidence {s.Confidence}")
            .ShouldBeEmpty();
    }
}
