using System.CommandLine;
using LicenseRisk.Cli.Options;
using LicenseRisk.Cli.Output;
using LicenseRisk.Hosting.History;
using LicenseRisk.Hosting.Reports;
using LicenseRisk.Model;

namespace LicenseRisk.Cli.Commands;

/// <summary><c>licenserisk report --vendors DIR --output-dir DIR</c>: the weekly report (Markdown, HTML, JSON) with history.</summary>
internal sealed class ReportCommand : LicenseRiskCommand
{
    private readonly Option<string> _vendors = new CheckedOption<string>(
        "--vendors",
        DiagnosticCodes.BadVendorsFolder,
        dir => Directory.Exists(dir) ? (dir, null) : (null, File.Exists(dir) ? "--vendors: a file, not a folder of dossiers" : "--vendors: no such folder"),
        locatedAtValue: true)
    {
        Description = "Folder of vendor dossiers",
        Required = true,
        HelpName = "DIR",
    };
    private readonly Option<string?> _output = SharedOptions.OutputDirectory("Folder for report.md, report.html, report.json (and history.db)");
    private readonly Option<string?> _history = new("--history") { Description = "History database (default: history.db in the --output-dir folder)", HelpName = "FILE" };
    private readonly Option<string?> _rules = SharedOptions.Rules();
    private readonly Option<DateOnly?> _asOf = SharedOptions.AsOf();
    private readonly Option<int?> _horizon = SharedOptions.Horizon();
    private readonly Option<bool> _quiet = SharedOptions.Quiet();
    private readonly Option<string?> _policy = SharedOptions.Policy();

    public ReportCommand(EngineFactory engines, TextWriter stdout, TextWriter stderr)
        : base("report", "Write the weekly report: Markdown, HTML with charts, JSON; history kept for trends", engines, stdout, stderr)
    {
        _output.Required = true;
        foreach (var option in new Option[] { _vendors, _output, _history, _rules, _asOf, _horizon, _quiet, _policy })
        {
            Add(option);
        }

    }

    protected override int Run(ParseResult parse)
    {
        var diags = new DiagnosticBag();
        var vendorDir = parse.GetValue(_vendors)!;
        var isQuiet = parse.GetValue(_quiet);
        var inputs = Engines.Create(parse.GetValue(_rules)).Load([vendorDir], parse.GetValue(_policy), diags);
        DiagnosticPrinter.Print(diags, Stderr, isQuiet);
        if (inputs is null)
        {
            return ExitCodes.BadInput;
        }

        var request = new ReportRequest(parse.GetValue(_output)!, SharedOptions.AsOfOrToday(parse, _asOf), parse.GetValue(_history), parse.GetValue(_horizon)) { Policy = inputs.Policy };
        var runner = new ReportRunner(TimeProvider.System);
        try
        {
            var result = Progress.Run(Stderr, p => runner.Run(request, inputs.Pack, inputs.Dossiers, inputs.Warnings, p));
            if (!isQuiet)
            {
                foreach (var f in result.Files)
                {
                    Stdout.WriteLine($"wrote {f}");
                }

                Stdout.WriteLine($"{Plural.Of(result.Report.Vendors.Count, "vendor")} as of {IsoDate.Format(result.Report.AsOf)} ({result.Report.IsoWeek}); history in {request.HistoryPath}");
            }

            return ExitCodes.Ok;
        }
        catch (HistoryException ex)
        {
            // As every other bad input: the line, then the count (docs/cli.md, exit code 2).
            DiagnosticPrinter.Print(SourceSpan.None(ex.Path), DiagnosticCodes.BadHistory, ex.Reason, Stderr, quiet: true);
            return ExitCodes.BadInput;
        }
        catch (ReportLockedException ex)
        {
            DiagnosticPrinter.Print(SourceSpan.None(ex.LockFile), DiagnosticCodes.ReportFolderLocked, ex.Reason, Stderr, quiet: true);
            return ExitCodes.BadInput;
        }
    }
}
