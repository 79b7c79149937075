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

    /// <summary>The version this build prints (the package's own version is set when packing).</summary>
    private static string Built =>
        typeof(LicenseRisk.Cli.Cli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;

    [Fact]
    public void Version_NamesThisBuildAndTheBundledPack()
    {
        var built = Built;
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

    [Fact]
    public void LocalToolManifest_RunsThePinnedTool()
    {
        using var repo = new TempDir();
        _tool.Dotnet(repo.Path, "new", "tool-manifest");
        _tool.Dotnet(repo.Path, "tool", "install", "--local", "licenserisk", "--version", _tool.Version, "--configfile", _tool.NuGetConfig);

        File.ReadAllText(Path.Combine(repo.Path, "dotnet-tools.json")).ShouldContain($"\"version\": \"{_tool.Version}\"");
        var run = _tool.RunDotnet(repo.Path, "tool", "run", "licenserisk", "rules", "lint");
        run.ExitCode.ShouldBe(0, run.Stderr);
        run.Stdout.ShouldContain("no errors");
        var shorter = _tool.RunDotnet(repo.Path, "licenserisk", "--version");
        shorter.ExitCode.ShouldBe(0, shorter.Stderr);
        shorter.Stdout.ShouldStartWith($"licenserisk {Built} ");
    }

    [Fact]
    public void ToolExecAndDnx_RunThePackageWithoutInstallingIt()
    {
        File.Copy(Repo.Path("samples/vendors/qwen.yaml"), _tool.WorkDir["qwen.yaml"], overwrite: true);

        var exec = _tool.RunDotnet(_tool.WorkDir.Path, "tool", "exec", $"licenserisk@{_tool.Version}", "--configfile", _tool.NuGetConfig, "--", "score", "qwen.yaml", "--as-of", "2026-03-05", "--format", "json");
        exec.ExitCode.ShouldBe(0, exec.Stderr);
        exec.Stdout.ShouldContain("\"id\": \"qwen\"");

        // dnx is a script in the SDK's folder (beside the dotnet executable), not always on the PATH.
        var dnx = Path.Combine(Path.GetDirectoryName(InstalledTool.DotnetExecutable)!, "dnx");
        var viaDnx = InstalledTool.Start(dnx, _tool.WorkDir.Path, _tool.IsolatedPackages, [$"licenserisk@{_tool.Version}", "--configfile", _tool.NuGetConfig, "--", "--version"]);
        viaDnx.ExitCode.ShouldBe(0, viaDnx.Stderr);
        viaDnx.Stdout.ShouldStartWith($"licenserisk {Built} ");
    }

    /// <summary>Packs the CLI as built for these tests and installs it into a temporary tool path.</summary>
    public sealed class InstalledTool : IDisposable
    {
        private readonly TempDir _dir = new();

        public InstalledTool()
        {
            var packages = _dir["packages"];
            var version = Version;
            Succeeded(Start("dotnet", Repo.Root, ["pack", Repo.Path("src/LicenseRisk.Cli"), "--no-build", "-c", BuildConfiguration, "-o", packages, $"-p:MinVerVersionOverride={version}"]));

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
            Succeeded(Start("dotnet", _dir.Path, ["tool", "install", "licenserisk", "--tool-path", _dir["tools"], "--version", version, "--configfile", _dir["nuget.config"]]));
            Directory.CreateDirectory(WorkDir.Path);
        }

        public TempDir WorkDir { get; } = new();

        /// <summary>The package's version: never one a cache could already hold.</summary>
        public string Version { get; } = $"0.0.0-test.{Guid.NewGuid():n}";

        /// <summary>A nuget.config whose only source is the folder just packed.</summary>
        public string NuGetConfig => _dir["nuget.config"];

        /// <summary>
        /// A NuGet global packages folder of its own (NUGET_PACKAGES) for the routes that restore into
        /// it (local tool, tool exec, dnx), so the tests leave no package in the user's.
        /// </summary>
        public IReadOnlyDictionary<string, string> IsolatedPackages => new Dictionary<string, string> { ["NUGET_PACKAGES"] = _dir["nuget-packages"] };

        /// <summary>The dotnet executable on the PATH, links resolved (dnx lives beside it).</summary>
        public static string DotnetExecutable { get; } = ResolveDotnet();

        /// <summary>The configuration these tests were built in: the CLI beside them was built in it too.</summary>
        private static string BuildConfiguration =>
            typeof(InstalledTool).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;

        public CliResult Run(params string[] args) => Start(Path.Combine(_dir["tools"], "licenserisk"), WorkDir.Path, args);

        public void Dispose()
        {
            WorkDir.Dispose();
            _dir.Dispose();
        }

        public void Dotnet(string workingDirectory, params string[] args) => Succeeded(RunDotnet(workingDirectory, args));

        private static void Succeeded(CliResult result) => result.ExitCode.ShouldBe(0, $"{result.Stdout}\n{result.Stderr}");

        /// <summary>Runs dotnet with the isolated packages folder.</summary>
        public CliResult RunDotnet(string workingDirectory, params string[] args) => Start("dotnet", workingDirectory, IsolatedPackages, args);

        private static string ResolveDotnet()
        {
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
            {
                var candidate = Path.Combine(dir, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
                if (File.Exists(candidate))
                {
                    return File.ResolveLinkTarget(candidate, returnFinalTarget: true)?.FullName ?? candidate;
                }
            }

            throw new InvalidOperationException("dotnet is not on the PATH");
        }

        private static CliResult Start(string program, string workingDirectory, string[] args) =>
            Start(program, workingDirectory, new Dictionary<string, string>(), args);

        public static CliResult Start(string program, string workingDirectory, IReadOnlyDictionary<string, string> environment, string[] args)
        {
            var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, WorkingDirectory = workingDirectory };
            foreach (var (name, value) in environment)
            {
                psi.Environment[name] = value;
            }

            foreach (var a in args)
            {
                psi.ArgumentList.Add(a);
            }

            using var p = Process.Start(psi)!;
            p.StandardInput.Close(); // no one answers a prompt
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
