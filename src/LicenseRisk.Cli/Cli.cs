using System.CommandLine;
using LicenseRisk.Cli.Commands;

namespace LicenseRisk.Cli;

/// <summary>Exit codes (cli.md).</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int GateTripped = 1;
    public const int BadInput = 2;
    public const int InternalError = 3;
}

public static class Cli
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("LicenseRisk: the chance that an open-weight model vendor's next top models go API-only.")
        {
            ScoreCommand.Create(stdout, stderr),
            RulesCommand.Create(stdout, stderr),
            BacktestCommand.Backtest(stdout, stderr),
            BacktestCommand.Calibrate(stdout, stderr),
            ReportCommand.Create(stdout, stderr),
            ServeCommand.Create(stdout, stderr),
        };

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                stderr.WriteLine($"licenserisk: error LR900: {error.Message}");
            }

            stderr.WriteLine("Run 'licenserisk --help' for usage.");
            return ExitCodes.BadInput;
        }

        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (LicenseRisk.Reporting.OutputException ex)
        {
            stderr.WriteLine($"{ex.Path}: error LR907: cannot write: {ex.Reason}");
            return ExitCodes.BadInput;
        }
        catch (Exception ex)
        {
            stderr.WriteLine($"licenserisk: internal error: {ex.GetType().Name}: {ex.Message}");
            stderr.WriteLine("This is a bug in LicenseRisk; please report it with the command and input files.");
            return ExitCodes.InternalError;
        }
    }
}
