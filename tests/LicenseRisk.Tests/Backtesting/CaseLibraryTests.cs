using LicenseRisk.Model;
using LicenseRisk.Yaml;

namespace LicenseRisk.Tests.Backtesting;

/// <summary>
/// The historical case library (samples/cases, samples/holdout, samples/library), read with the
/// bundled pack as `licenserisk backtest` reads it: every file loads with no error and no warning,
/// is a case, cites a source for each signal, and records the label's certainty
/// (docs/labelling-protocol.md).
/// </summary>
public sealed class CaseLibraryTests
{
    private static readonly string[] Folders = ["samples/cases", "samples/holdout", "samples/library"];

    private static readonly Lazy<(IReadOnlyList<Dossier> Cases, DiagnosticBag Diags, int Files)> Library = new(() =>
    {
        var diags = new DiagnosticBag();
        var pack = LicenseRisk.Rules.PackCompiler.Load(Repo.Path("rules"), new Limits(), diags) ?? throw new InvalidOperationException(TestPack.Errors(diags));
        var files = DossierReader.Expand([.. Folders.Select(Repo.Path)], diags);
        return (DossierReader.ReadAll(files, pack.Catalog, new Limits(), diags), diags, files.Count);
    });

    public static TheoryData<string> CaseFiles()
    {
        var data = new TheoryData<string>();
        foreach (var f in Folders.SelectMany(d => Directory.EnumerateFiles(Repo.Path(d), "*.yaml")).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(Repo.Root, f).Replace('\\', '/'));
        }

        return data;
    }

    private static Dossier Case(string file) =>
        Library.Value.Cases.Single(d => Path.GetFullPath(d.File) == Path.GetFullPath(Repo.Path(file)));

    [Fact]
    public void TheLibrary_LoadsTogether_WithNoErrorOrWarning_AndHoldsAtLeast80Cases()
    {
        var (cases, diags, files) = Library.Value;
        diags.Sorted().Select(d => d.ToString()).ShouldBeEmpty();
        cases.Count.ShouldBe(files);
        cases.Count.ShouldBeGreaterThanOrEqualTo(80);
        cases.ShouldAllBe(d => d.Case != null);
    }

    [Theory]
    [MemberData(nameof(CaseFiles))]
    public void EveryCase_CitesASourceForEachSignal_UsesNothingAfterAsOf_AndCarriesACertainty(string file)
    {
        var d = Case(file);
        var c = d.Case.ShouldNotBeNull($"{file} has no case: block");
        d.Signals.Where(s => string.IsNullOrWhiteSpace(s.Source)).Select(s => s.Label).ShouldBeEmpty($"{file}: signals without a source");
        d.Signals.Where(s => s.Date > c.AsOf).Select(s => s.Label).ShouldBeEmpty($"{file}: signals after as_of {c.AsOf:yyyy-MM-dd}");
        c.Certainty.ShouldNotBeNull($"{file}: case.certainty is missing");
        string.IsNullOrWhiteSpace(c.Resolution).ShouldBeFalse($"{file}: case.resolution is missing");
        if (c.Certainty != LabelCertainty.High)
        {
            (c.Caveats ?? []).ShouldNotBeEmpty($"{file}: a {c.Certainty} label must say why in case.caveats");
        }
    }

    [Theory]
    [MemberData(nameof(CaseFiles))]
    public void EveryCaseWindow_HasClosed_SoItsOutcomeIsKnown(string file)
    {
        var c = Case(file).Case!;
        c.AsOf.AddMonths(c.HorizonMonths).ShouldBeLessThanOrEqualTo(DateOnly.FromDateTime(DateTime.UtcNow), $"{file}: the outcome window is still open");
    }
}
