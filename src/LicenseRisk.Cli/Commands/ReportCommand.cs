using System.CommandLine;
using LicenseRisk.Hosting.Reports;
using LicenseRisk.Model;

namespace LicenseRisk.Cli.Commands;

/// <summary><c>licenserisk report --vendors DIR --out DIR</c>: the weekly report (Markdown, HTML, JSON) with history.</summary>
public static class ReportCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var vendors = new Option<string>("--vendors") { Description = "Folder of vendor dossiers", Required = true };
        var output = new Option<string>("--out") { Description = "Folder for report.md, report.html, report.json (and history.db)", Required = true };
        var history = new Option<string?>("--history") { Description = "History database (default: history.db in the --out folder)" };
        var rules = CommonOptions.Rules();
        var asOf = CommonOptions.AsOf();
        var horizon = CommonOptions.Horizon();
        var quiet = CommonOptions.Quiet();
        var policyOption = CommonOptions.Policy();
        var command = new Command("report", "Write the weekly report: Markdown, HTML with charts, JSON; history kept for trends")
        {
            vendors, output, history, rules, asOf, horizon, quiet, policyOption,
        };
        command.SetAction(parse =>
        {
            var diags = new DiagnosticBag();
            var day = CommonOptions.ParseAsOf(parse.GetValue(asOf), diags);
            var months = CommonOptions.CheckHorizon(parse.GetValue(horizon), diags);
            var vendorDir = parse.GetValue(vendors)!;
            if (!Directory.Exists(vendorDir))
            {
                diags.Report(SourceSpan.None(vendorDir), DiagnosticCodes.BadVendorsFolder, File.Exists(vendorDir) ? "--vendors: a file, not a folder of dossiers" : "--vendors: no such folder");
            }

            var isQuiet = parse.GetValue(quiet);
            if (diags.HasErrors)
            {
                CommonOptions.Print(diags, stderr, isQuiet);
                return ExitCodes.BadInput;
            }

            var inputs = CommonOptions.Engine(parse.GetValue(rules)).Load([vendorDir], parse.GetValue(policyOption), diags);
            CommonOptions.Print(diags, stderr, isQuiet);
            if (inputs is null)
            {
                return ExitCodes.BadInput;
            }

            var request = new ReportRequest(parse.GetValue(output)!, day!.Value, parse.GetValue(history), months) { Policy = inputs.Policy };
            var runner = new ReportRunner(TimeProvider.System);
            try
            {
                var result = Progress.Run(stderr, p => runner.Run(request, inputs.Pack, inputs.Dossiers, inputs.Warnings, p));
                if (!isQuiet)
                {
                    foreach (var f in result.Files)
                    {
                        stdout.WriteLine($"wrote {f}");
                    }

                    stdout.WriteLine($"{Plural.Of(result.Report.Vendors.Count, "vendor")} as of {JsonDate(result.Report.AsOf)} ({result.Report.IsoWeek}); history in {request.HistoryPath}");
                }

                return ExitCodes.Ok;
            }
            catch (LicenseRisk.Hosting.History.HistoryException ex)
            {
                stderr.WriteLine($"{ex.Path}: {DiagnosticCodes.BadHistory.Label}: {ex.Reason}");
                return ExitCodes.BadInput;
            }
            catch (ReportLockedException ex)
            {
                stderr.WriteLine($"licenserisk: {DiagnosticCodes.ReportFolderLocked.Label}: {ex.Message}");
                return ExitCodes.BadInput;
            }
        });
        return command;
    }

    private static string JsonDate(DateOnly d) => IsoDate.Format(d);
}
