using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;
using LicenseRisk.Tests.Cli;
using LicenseRisk.Tests.Hosting;

namespace LicenseRisk.Tests.Ship;

/// <summary>
/// The .NET tool as a user gets it: packed from this build, installed offline into a tool path
/// (no repository around), and run from an unrelated folder.
/// </summary>
public sealed class ToolPackageTests : IClassFixture<ToolPackageTests.InstalledTool>
{
    private readonly InstalledTool _tool;

    public ToolPackageTests(InstalledTool tool) => _tool = tool;

    [Fact]
    public void Version_NamesThisBuildAndTheBundledPack()
    {
        var built = typeof(LicenseRisk.Cli.Cli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        var packVersion = Regex.Match(File.ReadAllText(Repo.Path("rules/pack.yaml")), @"version:\s*([0-9.]+)").Groups[1].Value;

        var result = _tool.Run("--version");

        result.ExitCode.ShouldBe(0, result.Stderr);
        result.Stdout.TrimEnd().ShouldBe($"licenserisk {built} (pack licenserisk-core {packVersion})");
    }

    [Fact]
    public void Score_ASampleDossier_PrintsItsProbabilityWithTheBundledPack()
    {
        File.Copy(Repo.Path("samples/vendors/qwen.yaml"), _tool.WorkDir["qwen.yaml"], overwrite: true);

        var result = _tool.Run("score", "qwen.yaml", "--as-of", "2026-03-05");

        result.ExitCode.ShouldBe(0, result.Stderr);
        result.Stdout.ShouldStartWith("Pack licenserisk-core ");
        Regex.IsMatch(result.Stdout, @"(?m)^qwen\s+0\.\d\d\s+0\.\d\d-0\.\d\d\s+\w+").ShouldBeTrue(result.Stdout);
    }

    [Fact]
    public void RulesLint_TheBundledPack_HasNoErrors()
    {
        var result = _tool.Run("rules", "lint");

        result.ExitCode.ShouldBe(0, result.Stderr);
        result.Stdout.ShouldStartWith("licenserisk-core ");
        result.Stdout.ShouldContain("no errors");
    }

    /// <summary>Packs the CLI as built for these tests and installs it into a temporary tool path.</summary>
    public sealed class InstalledTool : IDisposable
    {
        private readonly TempDir _dir = new();

        public InstalledTool()
        {
            var packages = _dir["packages"];
            var version = $"0.0.0-test.{Guid.NewGuid():n}"; // never one a cache could already hold
            Dotnet(Repo.Root, "pack", Repo.Path("src/LicenseRisk.Cli"), "--no-build", "-c", BuildConfiguration, "-o", packages, $"-p:MinVerVersionOverride={version}");

            // Only the folder just packed: the install must need nothing from a registry.
            File.WriteAllText(_dir["nuget.config"], $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <clear />
                    <add key="local" value="{packages}" />
                  </packageSources>
                </configuration>
                """);
            Dotnet(_dir.Path, "tool", "install", "licenserisk", "--tool-path", _dir["tools"], "--version", version, "--configfile", _dir["nuget.config"]);
            Directory.CreateDirectory(WorkDir.Path);
        }

        public TempDir WorkDir { get; } = new();

        /// <summary>The configuration these tests were built in: the CLI beside them was built in it too.</summary>
        private static string BuildConfiguration =>
            typeof(InstalledTool).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;

        public CliResult Run(params string[] args) => Start(Path.Combine(_dir["tools"], "licenserisk"), WorkDir.Path, args);

        public void Dispose()
        {
            WorkDir.Dispose();
            _dir.Dispose();
        }

        private static void Dotnet(string workingDirectory, params string[] args)
        {
            var result = Start("dotnet", workingDirectory, args);
            result.ExitCode.ShouldBe(0, $"dotnet {string.Join(' ', args)}\n{result.Stdout}\n{result.Stderr}");
        }

        private static CliResult Start(string program, string workingDirectory, string[] args)
        {
            var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
            foreach (var a in args)
            {
                psi.ArgumentList.Add(a);
            }

            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(300_000))
            {
                p.Kill(entireProcessTree: true);
                throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish in 5 minutes");
            }

            return new CliResult(p.ExitCode, stdout.Result, stderr.Result);
        }
    }
}
