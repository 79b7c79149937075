using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;
using LicenseRisk.Tests.Cli;
using LicenseRisk.Tests.Hosting;

namespace LicenseRisk.Tests.Ship;

/// <summary>
/// The .NET tool as a user gets it: packed from this build, installed offline into a tool path
/// (no repository around), and run from an unrelated folder. The pack is .NET 10's
/// platform-specific set: an outer package that points to licenserisk.linux-x64 (ReadyToRun) and
/// licenserisk.any (portable); both are installed and run.
/// </summary>
public sealed class ToolPackageTests : IClassFixture<ToolPackageTests.InstalledTool>
{
    private readonly InstalledTool _tool;

    public ToolPackageTests(InstalledTool tool) => _tool = tool;

    /// <summary>The version this build prints (the package's own version is set when packing).</summary>
    private static string Built =>
        typeof(LicenseRisk.Cli.Cli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;

    /// <summary>The two installs: the package `dotnet tool install licenserisk` picks here, and the portable fallback.</summary>
    public static TheoryData<string> Packages => new() { InstalledTool.Default, InstalledTool.Portable };

    [Fact]
    public void Install_OnLinuxX64_TakesTheReadyToRunPackage()
    {
        if (!OperatingSystem.IsLinux() || System.Runtime.InteropServices.RuntimeInformation.OSArchitecture != System.Runtime.InteropServices.Architecture.X64)
        {
            return; // elsewhere the install takes licenserisk.any
        }

        _tool.StoredPackages(InstalledTool.Default).ShouldContain("licenserisk.linux-x64");
        _tool.StoredPackages(InstalledTool.Default).ShouldNotContain("licenserisk.any");
    }

    [Theory]
    [MemberData(nameof(Packages))]
    public void Install_HoldsNoLibraryDocumentationFiles(string package)
    {
        // What docs/install.md lists: the program, its libraries, the native ones and rules/; no
        // LicenseRisk.*.xml API documentation of a referenced library.
        var installed = Directory.GetFiles(_tool.PackageFolder(package), "*", SearchOption.AllDirectories).Select(Path.GetFileName).ToList();

        installed.ShouldContain("licenserisk.dll");
        installed.Where(f => f!.StartsWith("LicenseRisk.", StringComparison.Ordinal) && f.EndsWith(".xml", StringComparison.Ordinal)).ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(Packages))]
    public void Version_NamesThisBuildAndTheBundledPack(string package)
    {
        var built = Built;
        var packVersion = Regex.Match(File.ReadAllText(Repo.Path("rules/pack.yaml")), @"version:\s*([0-9.]+)").Groups[1].Value;

        var result = _tool.Run(package, "--version");

        result.ExitCode.ShouldBe(0, result.Stderr);
        result.Stdout.TrimEnd().ShouldBe($"licenserisk {built} (pack licenserisk-core {packVersion})");
    }

    [Theory]
    [MemberData(nameof(Packages))]
    public void Score_ASampleDossier_PrintsItsProbabilityWithTheBundledPack(string package)
    {
        File.Copy(Repo.Path("samples/vendors/qwen.yaml"), _tool.WorkDir["qwen.yaml"], overwrite: true);

        var result = _tool.Run(package, "score", "qwen.yaml", "--as-of", "2026-03-05");

        result.ExitCode.ShouldBe(0, result.Stderr);
        result.Stdout.ShouldStartWith("Pack licenserisk-core ");
        Regex.IsMatch(result.Stdout, @"(?m)^qwen\s+0\.\d\d\s+0\.\d\d-0\.\d\d\s+\w+").ShouldBeTrue(result.Stdout);
    }

    [Fact]
    public void Score_TheTwoPackages_PrintTheSameJson()
    {
        File.Copy(Repo.Path("samples/vendors/qwen.yaml"), _tool.WorkDir["qwen.yaml"], overwrite: true);
        string[] args = ["score", "qwen.yaml", "--as-of", "2026-03-05", "--format", "json"];

        var readyToRun = _tool.Run(InstalledTool.Default, args);
        var portable = _tool.Run(InstalledTool.Portable, args);

        readyToRun.ExitCode.ShouldBe(0, readyToRun.Stderr);
        portable.ExitCode.ShouldBe(0, portable.Stderr);
        readyToRun.Stdout.ShouldContain("\"id\": \"qwen\"");
        readyToRun.Stdout.ShouldBe(portable.Stdout);
    }

    [Theory]
    [MemberData(nameof(Packages))]
    public void RulesLint_TheBundledPack_HasNoErrors(string package)
    {
        var result = _tool.Run(package, "rules", "lint");

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

    /// <summary>
    /// Packs the CLI as built for these tests and installs it into temporary tool paths: the package
    /// `licenserisk` resolves to on this machine, and the portable licenserisk.any.
    /// </summary>
    public sealed class InstalledTool : IDisposable
    {
        /// <summary>`dotnet tool install licenserisk`: on linux-x64 the ReadyToRun licenserisk.linux-x64.</summary>
        public const string Default = "licenserisk";

        /// <summary>The portable fallback, installed by its own id.</summary>
        public const string Portable = "licenserisk.any";

        private readonly TempDir _dir = new();

        public InstalledTool()
        {
            var packages = _dir["packages"];
            var version = Version;
            // Not --no-build: the platform packages are published from their own RID builds of the CLI
            // (bin/CONFIG/net10.0/linux-x64 and any/, ReadyToRun compiled for linux-x64). The RID-less
            // build is the one these tests run beside and is up to date, so it is not rewritten; the
            // libraries are taken as built (BuildProjectReferences=false). So the version is this build's
            // own: a version override would rebuild the CLI these tests run beside. Every install below
            // uses the fixture's own NuGet packages folder and .dotnet folder (IsolatedPackages), so no
            // cache can hold an older package of the same version.
            // It compiles and ReadyToRun-compiles the CLI twice more: minutes on a loaded 2-core machine.
            // Only the two packages this machine can run, as the project packs by default (with
            // -p:ToolPlatforms=all it adds linux-arm64, osx-arm64 and win-x64: three more builds and
            // crossgen2 runs, all six packages about 10 minutes on a busy 2-core machine, for packages
            // no test here can start); named here too so that the fixture does not depend on that default.
            Succeeded(Start("dotnet", Repo.Root, new Dictionary<string, string>(), ["pack", Repo.Path("src/LicenseRisk.Cli"), "-c", BuildConfiguration, "-o", packages, "-p:BuildProjectReferences=false", "-p:ToolPackageRuntimeIdentifiers=\"linux-x64;any\"", "-nologo", "-v", "q"], PackTimeout));
            File.Exists(Path.Combine(packages, $"licenserisk.{version}.nupkg")).ShouldBeTrue();
            File.Exists(Path.Combine(packages, $"licenserisk.linux-x64.{version}.nupkg")).ShouldBeTrue();
            File.Exists(Path.Combine(packages, $"licenserisk.any.{version}.nupkg")).ShouldBeTrue();

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
            foreach (var package in new[] { Default, Portable })
            {
                Succeeded(Start("dotnet", _dir.Path, IsolatedPackages, ["tool", "install", package, "--tool-path", ToolPath(package), "--version", version, "--configfile", _dir["nuget.config"]]));
            }

            Directory.CreateDirectory(WorkDir.Path);
        }

        /// <summary>Packing does far more than one command (two more builds of the CLI, ReadyToRun); CI machines are shared.</summary>
        private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(20);

        private string ToolPath(string package) => _dir[package == Default ? "tools" : "tools-any"];

        /// <summary>A tool path's store: the installed packages' files.</summary>
        public string PackageFolder(string package) => Path.Combine(ToolPath(package), ".store");

        /// <summary>The package ids in a tool path's store (what the install actually took).</summary>
        public IReadOnlyList<string> StoredPackages(string package) =>
            Directory.GetDirectories(Path.Combine(ToolPath(package), ".store", "licenserisk", Version)).Select(d => Path.GetFileName(d)).ToList();

        public TempDir WorkDir { get; } = new();

        /// <summary>The package's version: this build's (MinVer's), without the commit id.</summary>
        public string Version { get; } = Built.Split('+')[0];

        /// <summary>A nuget.config whose only source is the folder just packed.</summary>
        public string NuGetConfig => _dir["nuget.config"];

        /// <summary>
        /// A NuGet global packages folder of its own (NUGET_PACKAGES) for the installs and the routes
        /// that restore into it (local tool, tool exec, dnx), so the tests leave no package in the
        /// user's; and a .dotnet folder of its own (DOTNET_CLI_HOME): the local tool's resolver cache
        /// there maps a version to its path in the packages folder, and the package version is this
        /// build's, so a shared cache would send a later run to an earlier run's deleted folder
        /// ("Run dotnet tool restore").
        /// </summary>
        public IReadOnlyDictionary<string, string> IsolatedPackages => new Dictionary<string, string>
        {
            ["NUGET_PACKAGES"] = _dir["nuget-packages"],
            ["DOTNET_CLI_HOME"] = _dir["dotnet-home"],
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        };

        /// <summary>The dotnet executable on the PATH, links resolved (dnx lives beside it).</summary>
        public static string DotnetExecutable { get; } = ResolveDotnet();

        /// <summary>The configuration these tests were built in: the CLI beside them was built in it too.</summary>
        private static string BuildConfiguration =>
            typeof(InstalledTool).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;

        public CliResult Run(string package, params string[] args) => Start(Path.Combine(ToolPath(package), "licenserisk"), WorkDir.Path, args);

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

        public static CliResult Start(string program, string workingDirectory, IReadOnlyDictionary<string, string> environment, string[] args) =>
            Start(program, workingDirectory, environment, args, TimeSpan.FromMinutes(5));

        private static CliResult Start(string program, string workingDirectory, IReadOnlyDictionary<string, string> environment, string[] args, TimeSpan timeout)
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
            if (!p.WaitForExit(timeout))
            {
                p.Kill(entireProcessTree: true);
                throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish in {timeout.TotalMinutes:0} minutes");
            }

            return new CliResult(p.ExitCode, stdout.Result, stderr.Result);
        }
    }
}
