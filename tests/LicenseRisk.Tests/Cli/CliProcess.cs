using System.Diagnostics;

namespace LicenseRisk.Tests.Cli;

public sealed record CliResult(int ExitCode, string Stdout, string Stderr);

/// <summary>
/// Runs the real <c>licenserisk</c> program as a separate process: the JIT build beside these
/// tests, or the native binary named by <see cref="BinaryVariable"/> (CI runs the CLI tests against
/// the Native AOT build that way; then <see cref="InProcess"/> starts that binary too).
/// </summary>
public static class CliProcess
{
    public const string BinaryVariable = "LICENSERISK_TEST_BINARY";

    public static string Dll { get; } = Path.Combine(AppContext.BaseDirectory, "licenserisk.dll");

    /// <summary>The native program under test, if <see cref="BinaryVariable"/> names one.</summary>
    public static string? Binary { get; } = Environment.GetEnvironmentVariable(BinaryVariable) is { Length: > 0 } path ? Path.GetFullPath(path) : null;

    public static CliResult Run(params string[] args) => RunIn(Repo.Root, args);

    /// <summary>Runs the real program from another working folder (paths relative to it).</summary>
    public static CliResult RunIn(string workingDirectory, params string[] args) => RunWith(workingDirectory, new Dictionary<string, string>(), args);

    /// <summary>Runs the real program with extra environment variables.</summary>
    public static CliResult RunWith(IReadOnlyDictionary<string, string> environment, params string[] args) => RunWith(Repo.Root, environment, args);

    private static CliResult RunWith(string workingDirectory, IReadOnlyDictionary<string, string> environment, string[] args)
    {
        using var p = Start(args, out var stdout, out var stderr, workingDirectory, environment);
        if (!p.WaitForExit(60_000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"licenserisk {string.Join(' ', args)} did not finish in 60 s");
        }

        return new CliResult(p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Starts the real program (from the repository root unless told); its output is read as it comes.</summary>
    public static Process Start(string[] args, out Task<string> stdout, out Task<string> stderr, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var p = Process.Start(StartInfo(args, workingDirectory, environment))!;
        stdout = p.StandardOutput.ReadToEndAsync();
        stderr = p.StandardError.ReadToEndAsync();
        return p;
    }

    /// <summary>How to start the real program (the native <see cref="Binary"/> or the JIT build), its output redirected.</summary>
    public static ProcessStartInfo StartInfo(string[] args, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(Binary ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Repo.Root,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[name] = value;
        }

        if (Binary is null)
        {
            psi.ArgumentList.Add(Dll);
        }

        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        return psi;
    }

    /// <summary>
    /// Runs the CLI in this process (same code path as Program.Main), for speed; as a process from
    /// the same working folder when the tests run against a native <see cref="Binary"/>.
    /// </summary>
    public static CliResult InProcess(params string[] args)
    {
        if (Binary is not null)
        {
            return RunIn(Environment.CurrentDirectory, args);
        }

        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = LicenseRisk.Cli.Cli.Run(args, stdout, stderr);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }
}
