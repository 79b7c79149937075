using LicenseRisk.Model;
using LicenseRisk.Scoring;
using LicenseRisk.Rules;
using LicenseRisk.Yaml;

namespace LicenseRisk.Tests;

/// <summary>Builds dossiers from YAML signal lines and scores them.</summary>
public static class Dossiers
{
    public static Dossier Parse(CompiledPack pack, string signalsYaml, string file = "test.yaml")
    {
        var text = $"vendor: {{ id: v, name: V }}\nsignals:\n{signalsYaml}";
        var diags = new DiagnosticBag();
        var root = YamlSource.LoadText(text, file, new LicenseRisk.Yaml.Limits(), diags);
        var d = root is null ? null : DossierReader.Read(root, file, pack.Catalog, new LicenseRisk.Yaml.Limits(), diags);
        diags.Items.Where(x => x.IsError).ShouldBeEmpty();
        return d!;
    }

    public static VendorScore Score(CompiledPack pack, string signalsYaml, string asOf = "2026-03-10", int? horizon = null) =>
        Evaluator.Score(pack, Parse(pack, signalsYaml), DateOnly.Parse(asOf, System.Globalization.CultureInfo.InvariantCulture), horizon);

    public static string[] Fired(VendorScore s) =>
        [.. s.Contributions.Select(c => c.Rule).Concat(s.Outweighed.Select(o => o.Contribution.Rule)).Order(StringComparer.Ordinal)];
}
