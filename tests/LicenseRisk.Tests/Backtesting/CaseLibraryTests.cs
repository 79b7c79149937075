using LicenseRisk.Model;
using LicenseRisk.Yaml;
using YamlDotNet.RepresentationModel;

namespace LicenseRisk.Tests.Backtesting;

/// <summary>
/// The historical case library (samples/cases, samples/holdout, samples/library), read with the
/// bundled pack as `licenserisk backtest` reads it: every file loads with no error and no warning,
/// is a case, cites a source for each signal, and records the label's certainty and caveats
/// (docs/labelling-protocol.md).
/// </summary>
public sealed class CaseLibraryTests
{
    private static readonly string[] Folders = ["samples/cases", "samples/holdout", "samples/library"];

    /// <summary>The library read once with the bundled pack, kept too (MemoryConfidenceTests and the LibraryCrossValidation fixture read them).</summary>
    internal static readonly Lazy<(IReadOnlyList<Dossier> Cases, DiagnosticBag Diags, int Files, LicenseRisk.Rules.CompiledPack Pack)> Library = new(() =>
    {
        var diags = new DiagnosticBag();
        var pack = LicenseRisk.Rules.PackCompiler.Load(Repo.Path("rules"), new Limits(), diags) ?? throw new InvalidOperationException(TestPack.Errors(diags));
        var files = DossierReader.Expand([.. Folders.Select(Repo.Path)], diags);
        return (DossierReader.ReadAll(files, pack.Catalog, new Limits(), diags), diags, files.Count, pack);
    });

    private static IReadOnlyList<string> CasePaths() =>
        [.. Folders.SelectMany(d => Directory.EnumerateFiles(Repo.Path(d), "*.yaml")).Order(StringComparer.Ordinal).Select(f => Path.GetRelativePath(Repo.Root, f).Replace('\\', '/'))];

    public static TheoryData<string> CaseFiles() => [.. CasePaths()];

    private static Dossier Case(string file) =>
        Library.Value.Cases.Single(d => Path.GetFullPath(d.File) == Path.GetFullPath(Repo.Path(file)));

    [Fact]
    public void TheLibrary_LoadsTogether_WithNoErrorOrWarning_AndHoldsAtLeast80Cases()
    {
        var (cases, diags, files, _) = Library.Value;
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
        c.VendorType.ShouldNotBeNull($"{file}: case.vendor_type is missing");
        string.IsNullOrWhiteSpace(c.Resolution).ShouldBeFalse($"{file}: case.resolution is missing");
        if (c.Certainty != LabelCertainty.High)
        {
            (c.Caveats ?? []).ShouldNotBeEmpty($"{file}: a {c.Certainty} label must say why in case.caveats");
        }
    }

    [Fact]
    public void EveryCaseFile_UnderSamples_RecordsCaveats_WhateverItsCertainty()
    {
        // docs/labelling-protocol.md#certainty: every case names in case.caveats what its label
        // rests on and what a reader might question, a high-certainty case included. A case file
        // outside the three folders would escape the check, so none may exist.
        var elsewhere = Directory.EnumerateFiles(Repo.Path("samples"), "*.yaml", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Repo.Root, f).Replace('\\', '/'))
            .Where(f => !Folders.Contains(Path.GetDirectoryName(f)!.Replace('\\', '/')))
            .Where(f => File.ReadLines(Repo.Path(f)).Any(l => l.StartsWith("case:", StringComparison.Ordinal)))
            .Order(StringComparer.Ordinal);
        elsewhere.ShouldBeEmpty("case files outside samples/cases, samples/holdout and samples/library");

        var without = CasePaths()
            .Where(f => Case(f).Case is { } c && !(c.Caveats ?? []).Any(t => !string.IsNullOrWhiteSpace(t)))
            .ToList();
        without.ShouldBeEmpty("case files whose case: block has no caveats");
    }

    [Theory]
    [MemberData(nameof(CaseFiles))]
    public void EveryCase_VendorType_AgreesWithTheLabellersExtraVendorType(string file)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(Repo.Path(file)))
        {
            yaml.Load(reader);
        }

        var block = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["case"];
        var extra = ((YamlScalarNode)((YamlMappingNode)block["extra"])["vendor_type"]).Value;
        var expected = extra switch
        {
            "research_lab" => "research",
            "startup" => "startup",
            "big_company" or "big_company_line" => "big-company",
            _ => $"(extra.vendor_type '{extra}')",
        };
        Case(file).Case!.VendorType.ShouldBe(expected, file);
    }

    private static readonly string[] Modalities = ["text", "code", "image", "audio", "video", "multimodal"];

    private static readonly string[] VendorTypes = ["startup", "big_company", "big_company_line", "research_lab"];

    /// <summary>The coverage keys the labelling protocol asks for in case.extra (the reader keeps extra and ignores it).</summary>
    private static (string Modality, string VendorType, string Region) Coverage(string file)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(Repo.Path(file)))
        {
            stream.Load(reader);
        }

        var extra = (YamlMappingNode)((YamlMappingNode)((YamlMappingNode)stream.Documents[0].RootNode)["case"])["extra"];
        string Get(string key) => extra.Children.TryGetValue(key, out var v) ? ((YamlScalarNode)v).Value ?? string.Empty : string.Empty;
        return (Get("modality"), Get("vendor_type"), Get("region"));
    }

    [Theory]
    [MemberData(nameof(CaseFiles))]
    public void EveryCase_RecordsItsModalityVendorTypeAndRegion(string file)
    {
        var (modality, vendorType, region) = Coverage(file);
        modality.ShouldBeOneOf(Modalities, $"{file}: case.extra.modality");
        vendorType.ShouldBeOneOf(VendorTypes, $"{file}: case.extra.vendor_type");
        region.ShouldNotBeNullOrWhiteSpace($"{file}: case.extra.region");
    }

    [Fact]
    public void TheLibrary_SpansEveryModalityVendorTypeAndYear_WithFlipsInEachModality()
    {
        var rows = CasePaths().Select(f => (File: f, Coverage(f).Modality, Coverage(f).VendorType, Case: Case(f).Case!)).ToList();
        foreach (var m in Modalities)
        {
            rows.Count(r => r.Modality == m).ShouldBeGreaterThanOrEqualTo(5, $"cases of modality {m}");
            rows.Count(r => r.Modality == m && r.Case.WentApiOnly).ShouldBeGreaterThanOrEqualTo(1, $"flipped cases of modality {m}");
        }

        foreach (var t in VendorTypes)
        {
            rows.Count(r => r.VendorType == t).ShouldBeGreaterThanOrEqualTo(5, $"cases of vendor type {t}");
        }

        Enumerable.Range(2018, 8).Where(y => !rows.Any(r => r.Case.AsOf.Year == y)).ShouldBeEmpty("years 2018-2025 without a case");
    }

    [Theory]
    [MemberData(nameof(CaseFiles))]
    public void EveryCaseWindow_HasClosed_SoItsOutcomeIsKnown(string file)
    {
        var c = Case(file).Case!;
        c.AsOf.AddMonths(c.HorizonMonths).ShouldBeLessThanOrEqualTo(DateOnly.FromDateTime(DateTime.UtcNow), $"{file}: the outcome window is still open");
    }
}
