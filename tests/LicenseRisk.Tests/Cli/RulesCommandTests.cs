using LicenseRisk.Application;
namespace LicenseRisk.Tests.Cli;

public sealed class RulesCommandTests
{
    [Fact]
    public void Lint_BundledPack_HasNoErrors()
    {
        var r = CliProcess.Run("rules", "lint", "rules");
        r.ExitCode.ShouldBe(0, r.Stderr);
        r.Stdout.ShouldContain("no errors");
    }

    [Fact]
    public void Lint_PackWithADescription_HasNoErrors()
    {
        // pack.yaml's schema allows pack.description; the reader rejected it, hinting at itself.
        using var pack = new TestPack("""
            rules:
              - id: open-release
                title: t
                weight: -0.5
                when:
                  - signal: release
                    where: weights == 'open'
            """);
        var packYaml = Path.Combine(pack.Dir, "pack.yaml");
        File.WriteAllText(packYaml, File.ReadAllText(packYaml).Replace("pack: { name: test, version: 0.0.1 }", "pack: { name: test, version: 0.0.1, description: a pack for tests }", StringComparison.Ordinal));
        File.ReadAllText(packYaml).ShouldContain("description: a pack for tests");
        var r = CliProcess.InProcess("rules", "lint", pack.Dir);
        r.Stderr.ShouldBe(string.Empty);
        r.ExitCode.ShouldBe(0);
    }

    [Fact]
    public void Test_BundledPack_AllPass()
    {
        var r = CliProcess.Run("rules", "test", "rules");
        r.ExitCode.ShouldBe(0, r.Stdout);
        r.Stdout.ShouldMatch(@"(?m)^\d+ passed, 0 failed$");
    }

    [Fact]
    public void Test_AFailingRuleTest_FailsWithItsPlaceAndWhatDiffered()
    {
        using var pack = new TestPack("""
            rules:
              - id: open-release
                title: t
                weight: -0.5
                when:
                  - signal: release
                    where: weights == 'open'
            """);
        var tests = pack.Write("tests/t.yaml", """
            tests:
              - name: open release protects
                as_of: 2026-03-10
                signals:
                  - { kind: release, date: 2026-03-01, model: M, weights: open }
                expect:
                  fires: [open-release]
                  probability: { at_most: 0.2 }
              - name: wrong expectation
                as_of: 2026-03-10
                signals:
                  - { kind: release, date: 2026-03-01, model: M, weights: api_only }
                expect:
                  fires: [open-release]
                  probability: { at_least: 0.5 }
                  contribution: { open-release: { at_most: -0.4 } }
            """);
        var r = CliProcess.InProcess("rules", "test", pack.Dir);
        r.ExitCode.ShouldBe(1);
        r.Stdout.ShouldContain($"{tests}:9:5: FAIL wrong expectation");
        r.Stdout.ShouldContain($"{tests}:14:15: expected open-release to fire, but it did not (no rule fired)");
        r.Stdout.ShouldContain($"{tests}:15:20: expected probability at least 0.5, got 0.2");
        r.Stdout.ShouldContain($"{tests}:16:23: expected the contribution of open-release at most -0.4, got 0");
        r.Stdout.ShouldEndWith("1 passed, 1 failed\n");
    }

    [Fact]
    public void Test_AnInvalidTestFile_ExitsTwo()
    {
        using var pack = new TestPack("rules: []");
        var tests = pack.Write("tests/t.yaml", """
            tests:
              - name: bad
                as_of: 2026-03-10
                signals:
                  - { kind: nope, date: 2026-03-01 }
                expect:
                  fires: [missing-rule]
            """);
        var r = CliProcess.InProcess("rules", "test", pack.Dir);
        r.ExitCode.ShouldBe(2);
        r.Stderr.ShouldContain($"{tests}:5:17: error LR020: unknown signal kind 'nope'");
        r.Stderr.ShouldContain($"{tests}:7:15: error LR081: no rule 'missing-rule' in the pack");
    }

    [Fact]
    public void Lint_BrokenPack_ListsEveryError()
    {
        using var pack = new TestPack("""
            rules:
              - id: a
                title: t
                weight: 1
                when:
                  - signal: release
                    where: model > 1
                because: "{x.y}"
            """);
        var r = CliProcess.InProcess("rules", "lint", pack.Dir);
        r.ExitCode.ShouldBe(2);
        r.Stderr.ShouldContain($"{pack.RulesFile}:7:22: error LR103");
        r.Stderr.ShouldContain($"{pack.RulesFile}:8:16: error LR107");
        r.Stderr.ShouldContain("2 errors");
    }
}

public sealed class BundledPackTests
{
    [Fact]
    public void EveryRule_HasAPositiveAndANegativeRuleTest()
    {
        var diags = new LicenseRisk.Model.DiagnosticBag();
        var pack = LicenseRisk.Rules.PackCompiler.Load(Repo.Path("rules"), new LicenseRisk.Yaml.Limits(), diags)!;
        var tests = LicenseRisk.Testing.RuleTests.Read(Repo.Path("rules"), pack, new LicenseRisk.Yaml.Limits(), diags);
        TestPack.Errors(diags).ShouldBeEmpty();
        var positive = tests.SelectMany(t => t.Fires).Select(f => f.Text).ToHashSet();
        var negative = tests.SelectMany(t => t.NotFires).Select(f => f.Text).ToHashSet();
        pack.Rules.Select(r => r.Id).Where(id => !positive.Contains(id)).ShouldBeEmpty("rules without a test that expects them to fire");
        pack.Rules.Select(r => r.Id).Where(id => !negative.Contains(id)).ShouldBeEmpty("rules without a near-miss test");
    }

    [Fact]
    public void EveryDossierKind_IsUsedByARule_AndEveryRuleExplainsItself()
    {
        var diags = new LicenseRisk.Model.DiagnosticBag();
        var pack = LicenseRisk.Rules.PackCompiler.Load(Repo.Path("rules"), new LicenseRisk.Yaml.Limits(), diags)!;
        var read = pack.Rules.SelectMany(r => r.Reads).Select(k => k.Name).ToHashSet();
        pack.Catalog.Kinds.Where(k => !k.Derived && !read.Contains(k.Name)).Select(k => k.Name).ShouldBeEmpty();
        pack.Rules.Count.ShouldBeGreaterThanOrEqualTo(12);
        pack.Rules.Where(r => r.Weight is not null && r.Syntax.Because is null).Select(r => r.Id).ShouldBeEmpty();
        pack.Rules.Where(r => r.Syntax.References.Count == 0 && r.Syntax.Rationale is null).Select(r => r.Id).ShouldBeEmpty();
    }

    [Fact]
    public void CompositionRoot_ResolvesTheEngine()
    {
        using var provider = Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider(
            new Microsoft.Extensions.DependencyInjection.ServiceCollection().AddLicenseRisk(o => o.RulesDirectory = Repo.Path("rules")));
        var engine = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<LicenseRiskEngine>(provider);
        var diags = new LicenseRisk.Model.DiagnosticBag();
        engine.LoadPack(diags)!.Info.Name.ShouldBe("licenserisk-core");
    }
}

public sealed class RuleTestFileErrorTests
{
    private const string OneRule = "rules:\n  - id: r\n    title: t\n    weight: 1\n    when:\n      - signal: release\n";

    /// <summary>rules test on a one-rule pack with this test file (its path in <paramref name="tests"/>): a bad file, so exit 2.</summary>
    private static CliResult RejectedTestFile(string yaml, out string tests)
    {
        using var pack = new TestPack(OneRule);
        tests = pack.Write("tests/t.yaml", yaml);
        var r = CliProcess.InProcess("rules", "test", pack.Dir);
        r.ExitCode.ShouldBe(2);
        return r;
    }

    [Fact]
    public void ATestHorizonOutside1To120_IsLocatedLR032()
    {
        var r = RejectedTestFile("""
            tests:
              - name: zero months
                as_of: 2026-03-10
                horizon_months: 0
                signals: []
                expect: { probability: { at_most: 0.5 } }
              - name: ten years and a month
                as_of: 2026-03-10
                horizon_months: 121
                signals: []
                expect: { probability: { at_most: 0.5 } }
            """, out var tests);
        r.Stderr.ShouldContain($"{tests}:4:21: error LR032: horizon_months must be between 1 and 120");
        r.Stderr.ShouldContain($"{tests}:9:21: error LR032: horizon_months must be between 1 and 120");
    }

    [Fact]
    public void ATestThatChecksNothing_OrHasImpossibleBounds_IsAnError()
    {
        var r = RejectedTestFile("""
            tests:
              - name: checks nothing
                as_of: 2026-03-10
                signals: []
                expect: {}
              - name: impossible
                as_of: 2026-03-10
                signals: []
                expect:
                  probability: { at_least: 0.9, at_most: 0.1 }
            """, out var tests);
        r.Stderr.ShouldContain($"{tests}:5:13: error LR083: 'expect' checks nothing");
        r.Stderr.ShouldContain($"{tests}:10:20: error LR084: 'probability': at_least 0.9 is above at_most 0.1");
    }

    [Fact]
    public void AnOutweighedRule_SaysSoWhenItsContributionIsChecked()
    {
        using var pack = new TestPack("""
            rules:
              - id: strong
                title: t
                group: g
                weight: 1
                when:
                  - signal: release
              - id: weak
                title: t
                group: g
                weight: 0.5
                when:
                  - signal: release
            """);
        var tests = pack.Write("tests/t.yaml", """
            tests:
              - name: weak counts
                as_of: 2026-03-10
                signals:
                  - { kind: release, date: 2026-03-01, model: M, weights: open }
                expect:
                  contribution: { weak: { at_least: 0.4 } }
            """);
        var r = CliProcess.InProcess("rules", "test", pack.Dir);
        r.ExitCode.ShouldBe(1);
        r.Stdout.ShouldContain("expected the contribution of weak at least 0.4, got 0: it fired (0.49");
        r.Stdout.ShouldContain(") but was outweighed by strong in group g");
    }

    [Theory]
    [InlineData(".")]
    [InlineData("./")]
    [InlineData("../rules")]
    public void Lint_FromInsideThePackFolder_ReadsPackAndSignalsAsWhatTheyAre(string dir)
    {
        // pack.yaml and signals.yaml were read as rule files when the folder was named "." or "../rules".
        var r = CliProcess.RunIn(Repo.Path("rules"), "rules", "lint", dir);
        r.ExitCode.ShouldBe(0, r.Stdout + r.Stderr);
        r.Stdout.ShouldBe(CliProcess.Run("rules", "lint", "rules").Stdout);
    }

    [Fact]
    public void Test_FromInsideThePackFolder_Passes()
    {
        var r = CliProcess.RunIn(Repo.Path("rules"), "rules", "test", ".");
        r.ExitCode.ShouldBe(0, r.Stdout + r.Stderr);
        r.Stdout.ShouldMatch(@"(?m)^\d+ passed, 0 failed$");
    }

    [Fact]
    public void Score_WithRulesDot_ScoresAsFromTheRoot()
    {
        var fromRoot = CliProcess.Run("score", "--rules", "rules", "samples/vendors/qwen.yaml", "--as-of", "2026-03-05");
        var r = CliProcess.RunIn(Repo.Path("rules"), "score", "--rules", ".", "../samples/vendors/qwen.yaml", "--as-of", "2026-03-05");
        r.ExitCode.ShouldBe(fromRoot.ExitCode, r.Stderr);
        r.Stderr.ShouldBe(string.Empty);
        r.Stdout.ShouldBe(fromRoot.Stdout);
    }
}
