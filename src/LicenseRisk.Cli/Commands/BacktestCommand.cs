using System.CommandLine;
using System.Text;
using LicenseRisk.Cli.Options;
using LicenseRisk.Cli.Output;
using LicenseRisk.Model;
using LicenseRisk.Presentation.Backtest;

namespace LicenseRisk.Cli.Commands;

/// <summary><c>licenserisk backtest PATH...</c>: score each case as of its own as_of against the known outcome.</summary>
internal sealed class BacktestCommand : LicenseRiskCommand
{
    private readonly Argument<string[]> _paths = BacktestedCases.Paths();
    private readonly Option<string?> _rules = SharedOptions.Rules();
    private readonly Option<string?> _policy = SharedOptions.Policy();
    private readonly Option<string> _format = SharedOptions.Format("table", "table", "json", "markdown");
    private readonly Option<string?> _output = SharedOptions.OutputFile("Write to this file instead of standard output");
    private readonly Option<bool> _quiet = SharedOptions.Quiet();
    private readonly Option<string?> _plot = new CheckedOption<string?>("--plot", DiagnosticCodes.UnsupportedPlotFormat, file =>
        BacktestCharts.Supports(file) ? (file, null) : (null, $"no image format for '{file}': use {string.Join(", ", BacktestCharts.Extensions)}"))
    {
        Description = "Also write a reliability diagram and a forecast-versus-outcome chart (.png, .svg, .jpg or .jpeg)",
        HelpName = "FILE",
    };

    public BacktestCommand(EngineFactory engines, TextWriter stdout, TextWriter stderr)
        : base("backtest", "Score each case as of its own as_of against the known outcome; Brier, log loss, AUC, reliability", engines, stdout, stderr)
    {
        Add(_paths);
        foreach (var option in new Option[] { _rules, _policy, _format, _output, _quiet, _plot })
        {
            Add(option);
        }

    }

    protected override int Run(ParseResult parse)
    {
        var quiet = parse.GetValue(_quiet);
        var loaded = BacktestedCases.Load(Engines, parse.GetValue(_paths)!, parse.GetValue(_rules), parse.GetValue(_policy), quiet, Stderr);
        if (loaded is null)
        {
            return ExitCodes.BadInput;
        }

        var format = parse.GetValue(_format);
        OutputEmitter.Emit(parse.GetValue(_output), Stdout, stream =>
        {
            switch (format)
            {
                case "json":
                    BacktestWriters.WriteJson(stream, loaded.Report);
                    break;
                default:
                    stream.Write(Encoding.UTF8.GetBytes(BacktestWriters.Table(loaded.Report, format == "markdown")));
                    break;
            }
        });
        if (parse.GetValue(_plot) is { } plotFile)
        {
            BacktestCharts.Write(loaded.Report, plotFile);
        }

        return ExitCodes.Ok;
    }
}
