using System.CommandLine;
using System.Text;
using LicenseRisk.Backtesting;
using LicenseRisk.Cli.Options;
using LicenseRisk.Cli.Output;
using LicenseRisk.Model;
using LicenseRisk.Presentation;
using LicenseRisk.Presentation.Backtest;

namespace LicenseRisk.Cli.Commands;

/// <summary><c>licenserisk calibrate PATH... --output FILE</c>: fit the prior and weights to the cases; write them as a policy overlay.</summary>
internal sealed class CalibrateCommand : LicenseRiskCommand
{
    private readonly Argument<string[]> _paths = BacktestedCases.Paths();
    private readonly Option<string?> _rules = SharedOptions.Rules();
    private readonly Option<string?> _policy = SharedOptions.Policy();
    private readonly Option<string?> _output = SharedOptions.OutputFile("Write the fitted prior and weights here, as a policy file for --policy", "--out");
    private readonly Option<string> _format = SharedOptions.Format("table", "table", "json");
    private readonly Option<string[]> _keep = new("--keep")
    {
        Description = "Keep this rule's weight as argued (repeatable): not fitted, in the cross-validation nor in the overlay",
        HelpName = "RULE",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };
    private readonly Option<bool> _quiet = SharedOptions.Quiet();

    public CalibrateCommand(EngineFactory engines, TextWriter stdout, TextWriter stderr)
        : base("calibrate", "Fit the prior and weights to the cases (regularized toward the pack) and show what generalizes", engines, stdout, stderr)
    {
        _output.Required = true;
        Add(_paths);
        foreach (var option in new Option[] { _rules, _policy, _output, _format, _keep, _quiet })
        {
            Add(option);
        }

    }

    protected override int Run(ParseResult parse)
    {
        var loaded = BacktestedCases.Load(Engines, parse.GetValue(_paths)!, parse.GetValue(_rules), parse.GetValue(_policy), parse.GetValue(_quiet), Stderr, intervals: false);
        if (loaded is null)
        {
            return ExitCodes.BadInput;
        }

        var keep = parse.GetValue(_keep) ?? [];
        var diags = new DiagnosticBag();
        foreach (var rule in keep.Where(k => !loaded.Pack.Rules.Any(r => r.Id == k && r.Weight is not null)))
        {
            diags.Report(SourceSpan.None("--keep"), DiagnosticCodes.UnknownKeptRule, $"'{rule}' is not a weighted rule of the pack");
        }

        if (diags.HasErrors)
        {
            DiagnosticPrinter.Print(diags, Stderr, quiet: false);
            return ExitCodes.BadInput;
        }

        var options = CrossValidationOptions.Default with { Keep = keep };
        var fit = Calibrator.Calibrate(loaded.Pack, loaded.Report.Results, loaded.Policy, options);
        var cv = CrossValidator.Run(loaded.Pack, loaded.Report.Results, loaded.Policy, options);
        if (cv.Groups.Count < 2)
        {
            // A warning as every other: located (at the paths given, as "no cases" is) and hidden by --quiet.
            DiagnosticPrinter.Print(SourceSpan.None(string.Join(" ", parse.GetValue(_paths)!)), DiagnosticCodes.SingleVendorCases, "the cases come from one company; leave-one-company-out cross-validation says nothing about generalization", Stderr, parse.GetValue(_quiet));
        }

        var file = parse.GetValue(_output)!;
        OutputEmitter.Emit(file, Stdout, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true);
            CalibrationOverlayWriter.Write(writer, loaded.Pack.Info, loaded.Pack.Sha256, loaded.Report.Cases, fit);
        });
        if (parse.GetValue(_format) == "json")
        {
            using var stdout = new MemoryStream();
            CalibrationJson.Write(stdout, loaded.Report, cv, fit);
            Stdout.Write(Encoding.UTF8.GetString(stdout.ToArray()));
        }
        else
        {
            Stdout.Write(CalibrationTable.Write(loaded.Report, cv, fit));
            Stdout.Write($"\nWrote {file}. Review it, then use it with --policy {file}; the pack itself is unchanged.\n");
        }

        return ExitCodes.Ok;
    }
}
