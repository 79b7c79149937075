using LicenseRisk.Application;
using LicenseRisk.Hosting.Service;
using LicenseRisk.Tests.Hosting;
using LicenseRisk.Model;
using LicenseRisk.Yaml;
using Microsoft.Extensions.DependencyInjection;

namespace LicenseRisk.Tests.Cli;

/// <summary>Input limits come in as options: LICENSERISK_LIMITS__* for the CLI, LicenseRisk:Limits (and the same variables) for the service.</summary>
public sealed class LimitsTests
{
    private static readonly string Qwen = Repo.Path("samples/vendors/qwen.yaml");

    /// <summary>score of the qwen sample with the given environment variables: it must be refused (exit 2, nothing on stdout).</summary>
    private static CliResult RefusedScore(Dictionary<string, string> environment)
    {
        var r = CliProcess.RunWith(environment, "score", "samples/vendors/qwen.yaml", "--as-of", "2026-03-05");
        r.ExitCode.ShouldBe(2, r.Stderr);
        r.Stdout.ShouldBeEmpty();
        return r;
    }

    [Fact]
    public void Score_MaxFileBytesFromTheEnvironment_RejectsALargerDossierAtItsLocation()
    {
        var size = new FileInfo(Qwen).Length;
        var r = RefusedScore(new() { ["LICENSERISK_LIMITS__MAXFILEBYTES"] = "10000" });
        r.Stderr.ShouldBe($"samples/vendors/qwen.yaml:1:1: error LR002: file is {size} bytes; the limit is 10000\n1 error\n");
    }

    [Fact]
    public void Score_BadLimitVariables_AreErrorsNamingEachVariable()
    {
        var r = RefusedScore(new() { ["LICENSERISK_LIMITS__MAXFILEBYTES"] = "abc", ["LICENSERISK_LIMITS__MAXYAMLDEPTH"] = "0" });
        r.Stderr.ShouldBe(
            "licenserisk: error LR913: LICENSERISK_LIMITS__MAXFILEBYTES: must be a whole number from 1 to 9223372036854775807, not 'abc'\n"
            + "licenserisk: error LR913: LICENSERISK_LIMITS__MAXYAMLDEPTH: must be a whole number from 1 to 2147483647, not '0'\n"
            + "2 errors\n");
    }

    [Fact]
    public void Score_BadLockWaitAndLimitVariables_AreAllReportedAtOnce_WithTheCount()
    {
        var r = RefusedScore(new() { ["LICENSERISK_LOCK_WAIT"] = "abc", ["LICENSERISK_LIMITS__MAXFILEBYTES"] = "abc" });
        r.Stderr.ShouldContain("licenserisk: error LR913: LICENSERISK_LIMITS__MAXFILEBYTES: must be a whole number from 1 to 9223372036854775807, not 'abc'\n");
        r.Stderr.ShouldContain("licenserisk: error LR914: LICENSERISK_LOCK_WAIT: must be a whole number of seconds from 0 to 3600, not 'abc'\n");
        r.Stderr.ShouldEndWith("2 errors\n");
    }

    [Fact]
    public void Serve_BadLimitSettingAndVariable_FailTheStartWithTheOtherSettings()
    {
        using var dir = new TempDir();
        var r = CliProcess.RunWith(
            new Dictionary<string, string> { ["LICENSERISK_LIMITS__MAXNODES"] = "-5" },
            "serve", "--vendors", Repo.Path("samples/vendors"), "--out", dir["out"], "--LicenseRisk:Limits:MaxAliases=lots");
        r.ExitCode.ShouldBe(2, r.Stderr);
        r.Stderr.ShouldContain("licenserisk serve: error LR911: LicenseRisk:Limits:MaxAliases: must be a whole number from 1 to 2147483647, not 'lots'\n");
        r.Stderr.ShouldContain("licenserisk serve: error LR911: LICENSERISK_LIMITS__MAXNODES: must be a whole number from 1 to 2147483647, not '-5'\n");
        r.Stderr.ShouldContain("2 errors");
        r.Stderr.ShouldNotContain("   at ");
    }

    [Fact]
    public void Serve_LimitsSetting_ReachesTheReaders()
    {
        using var dir = new TempDir();
        using var host = ServiceHost.Build(["--LicenseRisk:Limits:MaxFileBytes=10000"], new Dictionary<string, string?>
        {
            ["LicenseRisk:Vendors"] = Repo.Path("samples/vendors"),
            ["LicenseRisk:Out"] = dir["out"],
        });
        var diags = new DiagnosticBag();
        host.Services.GetRequiredService<LicenseRiskEngine>().Load([Qwen], null, diags).ShouldBeNull();
        diags.Items.Select(d => d.ToString()).ShouldBe([$"{SourcePaths.Normalize(Qwen)}:1:1: error LR002: file is {new FileInfo(Qwen).Length} bytes; the limit is 10000"]);
    }
}
