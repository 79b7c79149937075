using LicenseRisk.Benchmarks.Workload;
using LicenseRisk.Model;
using LicenseRisk.Rules;
using LicenseRisk.StartupFloor;

namespace LicenseRisk.Tests.Benchmarks;

/// <summary>
/// The start-up floor app (tests/LicenseRisk.StartupFloor, built with the solution but published alone) carries the bundled
/// pack's prior and each rule's weight, group and half-life as constants in RuleTable.cs, written by
/// rule-table.py from rules/ (linked into this project). When the pack changes, this fails until
/// the table is written again.
/// </summary>
public sealed class StartupFloorRuleTableTests
{
    private const string Regenerate =
        "RuleTable.cs is stale: python3 tests/LicenseRisk.StartupFloor/rule-table.py > tests/LicenseRisk.StartupFloor/RuleTable.cs";

    [Fact]
    public void RuleTable_MatchesTheBundledPack()
    {
        var diags = new DiagnosticBag();
        var pack = PackCompiler.Load(RealisticWorkload.BundledRules(), new LicenseRisk.Yaml.Limits(), diags);
        pack.ShouldNotBeNull(string.Join("\n", diags.Sorted()));

        var expected = pack.Rules.Select(r => new BundledFluent.RuleModel(r.Id, r.Weight, r.Group, r.HalfLifeDays)).ToList();
        RuleTable.Rules.OrderBy(r => r.Id, StringComparer.Ordinal).ToList()
            .ShouldBe(expected.OrderBy(r => r.Id, StringComparer.Ordinal).ToList(), Regenerate);
        RuleTable.Prior.ShouldBe(pack.Model.Prior, Regenerate);
    }
}
