using System.Text.RegularExpressions;
using LicenseRisk.Tests.Hosting;

namespace LicenseRisk.Tests.Cli;

/// <summary><c>licenserisk --version [--rules DIR]</c> names the pack from its pack.yaml alone.</summary>
public sealed class VersionTests
{
    [Fact]
    public void Version_NamesTheBundledPack()
    {
        var packVersion = Regex.Match(File.ReadAllText(Repo.Path("rules/pack.yaml")), @"version:\s*([0-9.]+)").Groups[1].Value;

        var r = CliProcess.InProcess("--version");

        r.ExitCode.ShouldBe(0, r.Stderr);
        r.Stdout.ShouldStartWith("licenserisk ");
        r.Stdout.TrimEnd().ShouldEndWith($"(pack licenserisk-core {packVersion})");
        r.Stderr.ShouldBeEmpty();
    }

    [Fact]
    public void Version_ReadsPackYamlAlone_NotTheSignalsOrRules()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["pack.yaml"], "pack: { name: my-pack, version: 0.3.0 }\nmodel: { prior: 0.2 }\n");
        File.WriteAllText(dir["broken.yaml"], "rules: [ { id: x\n");

        var r = CliProcess.InProcess("--version", "--rules", dir.Path);

        r.ExitCode.ShouldBe(0, r.Stderr);
        r.Stdout.TrimEnd().ShouldEndWith("(pack my-pack 0.3.0)");
        r.Stderr.ShouldBeEmpty();
    }

    [Fact]
    public void Version_APackYamlThatDoesNotRead_PrintsItsErrors_AndExits2()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["pack.yaml"], "pack: { name: my-pack }\nmodel: { prior: 0.2 }\n");

        var r = CliProcess.InProcess("--version", "--rules", dir.Path);

        r.ExitCode.ShouldBe(2);
        r.Stdout.ShouldStartWith("licenserisk ");
        r.Stdout.ShouldNotContain("(pack");
        r.Stderr.ShouldContain($"{dir["pack.yaml"]}:1:7: error LR017: missing required key 'version'\n");
    }

    [Fact]
    public void Version_AMissingPackFolder_IsAnError()
    {
        using var dir = new TempDir();

        var r = CliProcess.InProcess("--version", "--rules", dir["nowhere"]);

        r.ExitCode.ShouldBe(2);
        r.Stderr.ShouldContain($"{dir["nowhere"]}: error LR001: rule pack folder not found\n");
    }
}
