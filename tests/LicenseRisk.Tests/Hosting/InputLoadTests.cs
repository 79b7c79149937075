using LicenseRisk.Application;
using LicenseRisk.Model;

namespace LicenseRisk.Tests.Hosting;

/// <summary>The application core's load reports a broken pack's errors and the dossiers' own together.</summary>
public sealed class InputLoadTests
{
    private const string Rules = """
        rules:
          - id: closed-release
            title: A flagship shipped API-only
            weight: 1.5
            when:
              - signal: release
                where: weights == 'closed'
            because: "shipped API-only"
        """;

    [Fact]
    public void Load_ABrokenRule_StillChecksTheDossiersAgainstTheNewSignalKinds()
    {
        using var pack = new TestPack(Rules);
        var dossier = pack.Write("vendors/acme.yaml", """
            vendor: { id: acme, name: Acme AI }
            signals:
              - kind: release
                date: 2026-01-10
                model: Acme 1
                weights: shut
                source: https://example.org/acme-1
            """);
        var diags = new DiagnosticBag();

        new LicenseRiskEngine(new LicenseRiskOptions()).Load([Path.Combine(pack.Dir, "vendors")], null, diags, pack.Dir).ShouldBeNull();

        var errors = TestPack.Errors(diags);
        errors.ShouldContain(pack.RulesFile + ":");
        errors.ShouldContain("'closed'");
        errors.ShouldContain(dossier + ":6:14: error");
        errors.ShouldContain("'shut'");
    }
}
