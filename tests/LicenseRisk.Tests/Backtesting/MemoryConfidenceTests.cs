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
    [Fact]
    public void EverySignalWrittenFromMemory_CarriesConfidence075AtMost()
    {
        // The case library as CaseLibraryTests reads it (pack and cases loaded once), and the vendors.
        var (cases, libraryDiags, _, pack) = CaseLibraryTests.Library.Value;
        libraryDiags.HasErrors.ShouldBeFalse(TestPack.Errors(libraryDiags));
        var diags = new DiagnosticBag();
        var vendors = DossierReader.ReadAll(DossierReader.Expand([Repo.Path("samples/vendors")], diags), pack.Catalog, new Limits(), diags);
        diags.HasErrors.ShouldBeFalse(TestPack.Errors(diags));
        var dossiers = cases.Concat(vendors);

        var fromMemory = dossiers.SelectMany(d => d.Signals)
            .Where(s => s.Note?.TrimStart().StartsWith("from memory", StringComparison.OrdinalIgnoreCase) == true)
            .ToList();
        fromMemory.Count.ShouldBeGreaterThan(10, "the samples hold signals written from memory; the check must see them");
        fromMemory.Where(s => s.Confidence > 0.75)
            .Select(s => $"{Path.GetRelativePath(Repo.Root, s.Span.File)}:{s.Span.Line} confidence {s.Confidence}")
            .ShouldBeEmpty();
    }
}
