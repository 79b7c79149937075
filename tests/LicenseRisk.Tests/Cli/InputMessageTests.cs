namespace LicenseRisk.Tests.Cli;

/// <summary>What a user reads for a tab in indentation, a day the calendar lacks, and counts of one.</summary>
public sealed class InputMessageTests
{
    private const string OneRule = """
        rules:
          - id: any-release
            title: t
            weight: 1
            when:
              - signal: release
        """;

    private const string Tab = "invalid YAML: a tab is used for indentation; YAML indents with spaces";

    /// <summary>A dossier whose one release is dated a day June lacks (line 4, column 11).</summary>
    private const string JuneThirtyFirst = """
        vendor: { id: x, name: X }
        signals:
          - kind: release
            date: 2025-06-31
            model: M
            weights: open
            source: s
        """;

    /// <summary>A dossier the test pack reads without error (dossiers are read beside a bad policy too).</summary>
    private static string GoodDossier(TestPack pack) => pack.Write("v/good.yaml", """
        vendor: { id: good, name: Good }
        signals:
          - { kind: release, date: 2025-06-30, model: M, weights: open, source: s }
        """);

    [Fact]
    public void Score_ImpossibleDay_SaysWhyAndCountsOneError()
    {
        using var pack = new TestPack(OneRule);
        var file = pack.Write("v/bad.yaml", JuneThirtyFirst);
        var r = CliProcess.InProcess("score", file, "--rules", pack.Dir, "--as-of", "2026-03-05");
        r.ExitCode.ShouldBe(2);
        r.Stdout.ShouldBeEmpty();
        r.Stderr.ShouldBe($"{file}:4:11: error LR014: '2025-06-31' is not a date: June has 30 days\n1 error\n");
    }

    [Fact]
    public void Score_BrokenPack_StillReportsTheDossiersAndPathsOwnErrors()
    {
        // A rule with a weight that is not a number, a dossier with an impossible day, a missing path:
        // one run reports all three, each located, and exits 2.
        using var pack = new TestPack(OneRule.Replace("weight: 1", "weight: one", StringComparison.Ordinal));
        var file = pack.Write("v/bad.yaml", JuneThirtyFirst);
        var missing = Path.Combine(pack.Dir, "v", "missing.yaml");
        var r = CliProcess.InProcess("score", file, missing, "--rules", pack.Dir, "--as-of", "2026-03-05");
        r.ExitCode.ShouldBe(2);
        r.Stdout.ShouldBeEmpty();
        r.Stderr.ShouldContain("rules.yaml:4:13: error LR012: 'weight' must be a number, not 'one'");
        r.Stderr.ShouldContain($"{file}:4:11: error LR014: '2025-06-31' is not a date: June has 30 days");
        r.Stderr.ShouldContain($"{missing}: error LR001: no such file or folder");
        r.Stderr.ShouldEndWith("3 errors\n");
        r.Stderr.ShouldNotContain("   at ");

        // whatif reads its one dossier beside the broken pack too.
        var w = CliProcess.InProcess("whatif", file, "--rules", pack.Dir, "--as-of", "2026-03-05", "--remove", "1");
        w.ExitCode.ShouldBe(2);
        w.Stderr.ShouldContain("error LR012: 'weight' must be a number, not 'one'");
        w.Stderr.ShouldContain($"{file}:4:11: error LR014: '2025-06-31' is not a date: June has 30 days");

        // Given a folder, whatif says so whether the pack loads or not (it does not read the folder's dossiers).
        var folder = Path.GetDirectoryName(file)!;
        var f = CliProcess.InProcess("whatif", folder, "--rules", pack.Dir, "--as-of", "2026-03-05", "--remove", "1");
        f.ExitCode.ShouldBe(2);
        f.Stderr.ShouldContain($"{folder}: error LR001: is a folder; a file is expected here");
        f.Stderr.ShouldNotContain("LR014");
    }

    [Theory]
    [InlineData("2025-02-29", "2025 is not a leap year, so February has 28 days")]
    [InlineData("2024-02-30", "February has 29 days")]
    [InlineData("2025-13-01", "there is no month 13; months run from 01 to 12")]
    [InlineData("2025-04-00", "there is no day 0; days start at 01")]
    public void Score_ImpossibleDayInACase_NamesThePartThatIsWrong(string date, string why)
    {
        using var pack = new TestPack(OneRule);
        var file = pack.Write("v/case.yaml", $"""
            vendor: {"{"} id: x, name: X {"}"}
            signals: []
            case: {"{"} as_of: {date}, went_api_only: false {"}"}
            """);
        var r = CliProcess.InProcess("backtest", file, "--rules", pack.Dir);
        r.ExitCode.ShouldBe(2);
        r.Stderr.ShouldContain($"{file}:3:16: error LR014: '{date}' is not a date: {why}\n");
    }

    [Fact]
    public void AsOf_ImpossibleDay_SaysWhy()
    {
        var r = CliProcess.InProcess("score", Repo.Path("samples/vendors"), "--as-of", "2025-02-29");
        r.ExitCode.ShouldBe(2);
        r.Stderr.ShouldBe("--as-of: error LR901: '2025-02-29' is not a date: 2025 is not a leap year, so February has 28 days\n1 error\n");
    }

    [Fact]
    public void Policy_ImpossibleExpiry_SaysWhy()
    {
        using var pack = new TestPack(OneRule);
        var policy = pack.Write("policy/policy.yaml", """
            waivers:
              - vendor: qwen
                rule: any-release
                reason: accepted
                approver: ana
                expires: 2026-04-31
            """);
        var r = CliProcess.InProcess("score", GoodDossier(pack), "--rules", pack.Dir, "--policy", policy, "--as-of", "2026-03-05");
        r.ExitCode.ShouldBe(2);
        r.Stderr.ShouldBe($"{policy}:6:14: error LR014: '2026-04-31' is not a date: April has 30 days\n1 error\n");
    }

    [Fact]
    public void RuleTest_ImpossibleAsOf_SaysWhy()
    {
        using var pack = new TestPack(OneRule);
        var tests = pack.Write("tests/t.yaml", """
            tests:
              - name: t
                as_of: 2026-09-31
                signals: []
                expect: { probability: { at_most: 1 } }
            """);
        var r = CliProcess.InProcess("rules", "test", pack.Dir);
        r.ExitCode.ShouldBe(2);
        r.Stderr.ShouldContain($"{tests}:3:12: error LR014: '2026-09-31' is not a date: September has 30 days\n");
    }

    [Fact]
    public void RuleDateLiteral_ImpossibleDay_SaysWhy()
    {
        using var pack = new TestPack("""
            rules:
              - id: late-release
                title: t
                weight: 1
                when:
                  - signal: release
                    where: date > date('2025-11-31')
            """);
        var r = CliProcess.InProcess("rules", "lint", pack.Dir);
        r.ExitCode.ShouldBe(2);
        r.Stderr.ShouldBe($"{pack.RulesFile}:7:28: error LR103: '2025-11-31' is not a date: November has 30 days\n1 error\n");
    }

    [Fact]
    public void Dossier_TabIndentation_PointsAtTheTab()
    {
        using var pack = new TestPack(OneRule);
        var file = pack.Write("v/tab.yaml", "vendor:\n\tid: x\n");
        var r = CliProcess.InProcess("score", file, "--rules", pack.Dir, "--as-of", "2026-03-05");
        r.ExitCode.ShouldBe(2);
        r.Stderr.ShouldBe($"{file}:2:1: error LR004: {Tab}\n1 error\n");
    }

    [Fact]
    public void Dossier_TabAfterSpaces_PointsAtTheTab()
    {
        using var pack = new TestPack(OneRule);
        var file = pack.Write("v/tab.yaml", "vendor:\n  id: x\n  name: X\nsignals:\n  - kind: release\n  \t  date: 2025-01-01\n");
        var r = CliProcess.InProcess("score", file, "--rules", pack.Dir, "--as-of", "2026-03-05");
        r.ExitCode.ShouldBe(2);
        r.Stderr.ShouldBe($"{file}:6:3: error LR004: {Tab}\n1 error\n");
    }

    [Fact]
    public void RuleFile_TabIndentation_PointsAtTheTab()
    {
        using var pack = new TestPack("rules:\n  - id: r\n    title: t\n\tweight: 1\n");
        var r = CliProcess.InProcess("rules", "lint", pack.Dir);
        r.ExitCode.ShouldBe(2);
        r.Stderr.ShouldBe($"{pack.RulesFile}:4:1: error LR004: {Tab}\n1 error\n");
    }

    [Fact]
    public void Policy_TabIndentation_PointsAtTheTab()
    {
        using var pack = new TestPack(OneRule);
        var policy = pack.Write("policy/policy.yaml", "weights:\n  any-release: 2\n\tother: 1\n");
        var r = CliProcess.InProcess("score", GoodDossier(pack), "--rules", pack.Dir, "--policy", policy, "--as-of", "2026-03-05");
        r.ExitCode.ShouldBe(2);
        r.Stderr.ShouldBe($"{policy}:3:1: error LR004: {Tab}\n1 error\n");
    }

    [Fact]
    public void Lint_OneRule_IsCountedInTheSingular()
    {
        using var pack = new TestPack(OneRule);
        var r = CliProcess.InProcess("rules", "lint", pack.Dir);
        r.ExitCode.ShouldBe(0, r.Stderr);
        r.Stdout.ShouldStartWith("test 0.0.1: 1 rule, 7 signal kinds, no errors");
    }
}
