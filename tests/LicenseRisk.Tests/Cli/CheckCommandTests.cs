using LicenseRisk.Tests.Hosting;

namespace LicenseRisk.Tests.Cli;

/// <summary><c>licenserisk check PATH...</c>: dossier validation without scoring, for pre-commit and CI.</summary>
public sealed class CheckCommandTests
{
    [Fact]
    public void Check_TheSampleVendorsWithThePolicy_SaysNoErrors()
    {
        var r = CliProcess.Run("check", "samples/vendors", "--policy", "samples/policies/acme.yaml");

        r.ExitCode.ShouldBe(0, r.Stderr);
        r.Stdout.ShouldMatch(@"^6 dossiers, \d+ signals: no errors \(pack licenserisk-core [0-9.]+, policy acme-procurement\)\n$");
    }

    [Fact]
    public void Check_BadDossiers_PrintsEveryLocatedError_AndExits2()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["a.yaml"], "vendor:\n  id: a\n  name: A\nsignals:\n- kind: release\n  date: 2026-13-01\n  model: X\n  weights: open\n");
        File.WriteAllText(dir["b.yaml"], "vendor:\n  id: b\n  name: B\nsignals:\n- kind: statement\n  date: 2026-01-01\n  stance: maybe\n");

        var r = CliProcess.Run("check", dir.Path);

        r.ExitCode.ShouldBe(2);
        r.Stdout.ShouldBeEmpty();
        r.Stderr.ShouldContain($"{dir["a.yaml"]}:6:9: error LR014: '2026-13-01' is not a date");
        r.Stderr.ShouldContain($"{dir["b.yaml"]}:7:11: error LR023: 'maybe' is not a value of statement.stance");
        r.Stderr.ShouldEndWith("2 errors\n");
    }

    [Fact]
    public void Check_ABadPolicy_IsAnError_EvenWhenTheDossiersAreFine()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["policy.yaml"], "weights:\n  no-such-rule: 0.5\n");

        var r = CliProcess.Run("check", "samples/vendors/qwen.yaml", "--policy", dir["policy.yaml"]);

        r.ExitCode.ShouldBe(2);
        r.Stderr.ShouldContain($"{dir["policy.yaml"]}:2:3: error LR122: no rule 'no-such-rule' in the pack");
    }

    [Fact]
    public void Check_TwoDossiersOfOneVendor_IsAnError()
    {
        using var dir = new TempDir();
        File.Copy(Repo.Path("samples/vendors/qwen.yaml"), dir["qwen.yaml"]);
        File.Copy(Repo.Path("samples/vendors/qwen.yaml"), dir["qwen-copy.yaml"]);

        var r = CliProcess.Run("check", dir.Path);

        r.ExitCode.ShouldBe(2);
        r.Stderr.ShouldContain("qwen");
        r.Stderr.ShouldContain("error LR");
    }
}
