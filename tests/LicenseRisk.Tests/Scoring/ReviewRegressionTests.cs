using System.Text.Json;
using LicenseRisk.Model;
using LicenseRisk.Scoring;
using LicenseRisk.Tests.Cli;
using LicenseRisk.Yaml;

namespace LicenseRisk.Tests.Scoring;

/// <summary>Regressions found in review: each asserts what a user sees.</summary>
public sealed class ReviewRegressionTests
{
    [Fact]
    public void CountRule_DecaysFromTheNewestMatchedSignal_NotFromTheMostConfidentOnes()
    {
        using var pack = new TestPack("""
            rules:
              - id: any-departure
                title: t
                weight: 1
                half_life_days: 100
                when:
                  - count: leadership_departure
                    at_least: 1
            """);
        var s = Dossiers.Score(pack.CompileOk(), """
              - { kind: leadership_departure, date: 2025-01-01, seniority: lead, confidence: 1.0, source: s }
              - { kind: leadership_departure, date: 2026-01-01, seniority: lead, confidence: 0.9, source: s }

            """, asOf: "2026-01-01");
        var c = s.Contributions.Single();
        c.Decay.ShouldBe(1.0, 1e-12);
        c.Confidence.ShouldBe(1.0, 1e-12);
    }

    [Fact]
    public void DerivedSignal_IsNeverDatedAfterAsOf()
    {
        using var pack = new TestPack("""
            rules:
              - id: future
                title: t
                when:
                  - signal: release
                derive: { kind: flag_a, date: "{date('2030-01-01')}" }
              - id: reads
                title: t
                weight: 1
                when:
                  - signal: flag_a
                    where: age >= 0
            """);
        var s = Dossiers.Score(pack.CompileOk(), "  - { kind: release, date: 2025-06-01, model: M, weights: open, source: s }\n", asOf: "2026-01-01");
        s.Derived.Single().Date.ShouldBe(new DateOnly(2026, 1, 1));
        s.Contributions.Single().Rule.ShouldBe("reads");
    }

    [Fact]
    public void RenewedWaiver_AppliesEvenAfterAnExpiredOne()
    {
        using var pack = new TestPack("""
            rules:
              - id: r
                title: t
                weight: 1
                when:
                  - signal: release
            """);
        var compiled = pack.CompileOk();
        var diags = new DiagnosticBag();
        var policy = PolicyReader.Read(pack.Write("p/policy.yaml", """
            waivers:
              - { vendor: v, rule: r, reason: old, approver: a, expires: 2026-01-01 }
              - { vendor: v, rule: r, reason: renewed, approver: a, expires: 2027-01-01 }
            """), compiled, new Limits(), diags)!;
        var s = Evaluator.Score(compiled, Dossiers.Parse(compiled, "  - { kind: release, date: 2026-02-01, model: M, weights: open, source: s }\n"), new DateOnly(2026, 3, 5), null, policy);
        s.Contributions.ShouldBeEmpty();
        s.Waived.Single().Waiver.Reason.ShouldBe("renewed");
    }

    [Fact]
    public void Score_OutputOrder_DoesNotDependOnArgumentOrder_OrPathSpelling()
    {
        var a = CliProcess.Run("score", "samples/vendors/qwen.yaml", "samples/vendors/meta.yaml", "--as-of", "2026-03-05", "--format", "json");
        var b = CliProcess.Run("score", "./samples/vendors/meta.yaml", Repo.Path("samples/vendors/qwen.yaml"), "--as-of", "2026-03-05", "--format", "json");
        a.ExitCode.ShouldBe(0, a.Stderr);
        b.Stdout.ShouldBe(a.Stdout);
        JsonDocument.Parse(a.Stdout).RootElement.GetProperty("vendors")[0].GetProperty("id").GetString().ShouldBe("meta");

        var twice = CliProcess.Run("score", "samples/vendors/qwen.yaml", "./samples/vendors/qwen.yaml", "--as-of", "2026-03-05", "-q");
        twice.ExitCode.ShouldBe(0, twice.Stderr);
    }

    [Theory]
    [InlineData("score", "--output")]
    [InlineData("backtest", "--plot")]
    public void UnwritableOutput_IsBadInputWithALocatedMessage(string command, string option)
    {
        var dir = Path.Combine(Path.GetTempPath(), "lr-tests", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(dir);
        try
        {
            var blocker = Path.Combine(dir, "afile");
            File.WriteAllText(blocker, "x");
            var target = Path.Combine(blocker, "out.png");
            var input = command == "score" ? Repo.Path("samples/vendors") : Repo.Path("samples/cases");
            var r = CliProcess.InProcess(command, input, option, target, "-q");
            r.ExitCode.ShouldBe(2);
            r.Stderr.ShouldContain($"{target}: error LR907: cannot write");
            r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldBe([r.Stderr.Split('\n')[0], "1 error"]);
            var intoFolder = CliProcess.InProcess("score", Repo.Path("samples/vendors"), "--output", dir, "-q");
            intoFolder.ExitCode.ShouldBe(2);
            intoFolder.Stderr.ShouldContain($"{dir}: error LR907: cannot write: it is a folder");
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Report_WithACorruptHistoryFile_IsBadInput()
    {
        var dir = Path.Combine(Path.GetTempPath(), "lr-tests", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(dir);
        try
        {
            var db = Path.Combine(dir, "bad.db");
            File.WriteAllText(db, "this is not sqlite, it is garbage of some length to be sure");
            var r = CliProcess.InProcess("report", "--vendors", Repo.Path("samples/vendors"), "--out", Path.Combine(dir, "out"), "--history", db, "-q");
            r.ExitCode.ShouldBe(2);
            r.Stderr.ShouldContain($"{db}: error LR908: not a usable LicenseRisk history database");
            r.Stderr.TrimEnd().ShouldEndWith("1 error"); // the count, as after every bad input
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, true);
        }
    }
}
