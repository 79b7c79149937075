using System.CommandLine;
using LicenseRisk.Cli.Commands;
using LicenseRisk.Cli.Options;
using LicenseRisk.Cli.Output;
using LicenseRisk.Model;
using LicenseRisk.Presentation;

namespace LicenseRisk.Cli;

/// <summary>The program: parses the command line, reports every problem in it at once, runs the command.</summary>
public static class Cli
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        // A command, not --version or --help: it will read YAML and hash files. Only with a JIT:
        // a Native AOT binary has nothing to compile ahead of use, and a second thread started this
        // early can deadlock its runtime start-up (see WarmUp).
        if (args.Length > 0 && !args[0].StartsWith('-') && System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported)
        {
            WarmUp();
        }

        var (commandLine, hostSettings) = ServeCommand.SplitHostSettings(args);

        // How long a change waits for another process's hold on a dossier: read once, for every
        // command (serve's review and collect too).
        // Every bad variable is printed, then the count, as every bad input is.
        var environment = new DiagnosticBag();
        var lockWait = LicenseRisk.Collection.DossierLock.ParseWait(Environment.GetEnvironmentVariable(LicenseRisk.Collection.DossierLock.WaitVariable), out var lockWaitProblem);
        if (lockWait is null)
        {
            environment.Report(SourceSpan.None("licenserisk"), DiagnosticCodes.BadLockWaitVariable, lockWaitProblem ?? LicenseRisk.Collection.DossierLock.WaitVariable);
        }

        // serve's host reads the same variables from its configuration and validates them at start.
        var engines = commandLine.Length > 0 && commandLine[0] == "serve" ? new EngineFactory(new()) : EngineFactory.FromEnvironment(environment);
        if (lockWait is null || engines is null)
        {
            DiagnosticPrinter.Print(environment, stderr, quiet: true);
            return ExitCodes.BadInput;
        }

        LicenseRisk.Collection.DossierLock.Wait = lockWait.Value;

        var root = new RootCommand("LicenseRisk: the chance that an open-weight model vendor's next top models go API-only.")
        {
            new ScoreCommand(engines, stdout, stderr),
            new CheckCommand(engines, stdout, stderr),
            new InitCommand(engines, stdout, stderr),
            new RulesCommand(engines, stdout, stderr),
            new BacktestCommand(engines, stdout, stderr),
            new CalibrateCommand(engines, stdout, stderr),
            new ReportCommand(engines, stdout, stderr),
            new WhatIfCommand(engines, stdout, stderr),
            new CollectCommand(engines, stdout, stderr),
            new ReviewCommand(engines, stdout, stderr),
            new ServeCommand(stderr, hostSettings),
        };
        ProductVersion.ReplaceBuiltIn(root, engines, stdout, stderr);

        var parse = root.Parse(commandLine);
        if (CommandLineProblems.Report(parse, stderr))
        {
            return ExitCodes.BadInput;
        }

        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (OutputException ex)
        {
            // As every other bad input: the located line, then the count (docs/cli.md, exit code 2).
            DiagnosticPrinter.Print(SourceSpan.None(ex.Path), DiagnosticCodes.CannotWriteOutput, $"cannot write: {ex.Reason}", stderr, quiet: false);
            return ExitCodes.BadInput;
        }
        catch (Exception ex)
        {
            stderr.WriteLine($"licenserisk: internal error: {ex.GetType().Name}: {ex.Message}");
            stderr.WriteLine("This is a bug in LicenseRisk; please report it with the command and input files.");
            return ExitCodes.InternalError;
        }
    }

    /// <summary>
    /// Pays input-independent first-use costs on a background thread while the main thread parses
    /// the command line and reads the pack: YamlDotNet's parser checks its default tag directives
    /// with a RegexOptions.Compiled regex (emitting and JIT-compiling it is about 10 ms of the first
    /// YAML read), the SHA-256 code (<see cref="ContentHash"/>) is JIT-compiled, and a one-rule NRules network is compiled and fired
    /// (<see cref="LicenseRisk.Rules.PackCompiler.WarmUp"/>). Type initializers run once, under a
    /// lock: if the main thread needs one first, it waits for it or runs it itself, as before.
    /// Never under Native AOT: there both threads could meet in the runtime's own first class
    /// constructors (the main thread initializing System.Threading.Lock's statics, which read
    /// AppContext, while this thread runs AppContext's type initializer and waits for the lock the
    /// main thread holds), and both spun forever; CI saw 1 to 5 of about 700 runs hang that way
    /// (gdb: both threads in ClassConstructorRunner.DeadlockAwareAcquire; dotnet/runtime #99663
    /// and #100374 are the same family). With nothing to JIT, the warm-up saves an AOT run little.
    /// </summary>
    private static void WarmUp() => new Thread(() =>
    {
        try
        {
            _ = new YamlDotNet.Core.Tokens.TagDirective("!", "!"); // builds the regex and runs it once
            _ = ContentHash.Of(ReadOnlySpan<byte>.Empty);
            LicenseRisk.Rules.PackCompiler.WarmUp();
        }
        catch (Exception)
        {
            // Only a warm-up: the real use reports any problem where it happens.
        }
    })
    { IsBackground = true, Name = "licenserisk warm-up" }.Start();
}
