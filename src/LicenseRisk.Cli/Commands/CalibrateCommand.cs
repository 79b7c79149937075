using System.CommandLine;
using System.Globalization;
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
    private readonly Option<bool> _quiet = SharedOptions.Quiet();

    public CalibrateCommand(EngineFactory engines, TextWriter stdout, TextWriter stderr)
        : base("calibrate", "Fit the prior and weights to the cases (regularized toward the pack) and show what generalizes", engines, stdout, stderr)
    {
        _output.Required = true;
        Add(_paths);
        foreach (var option in new Option[] { _rules, _policy, _output, _quiet })
        {
            Add(option);
        }

    }

    protected override int Run(ParseResult parse)
    {
        var loaded = BacktestedCases.Load(Engines, parse.GetValue(_paths)!, parse.GetValue(_rules), parse.GetValue(_policy), parse.GetValue(_quiet), Stderr);
        if (loaded is null)
        {
            return ExitCodes.BadInput;
        }

        var fit = Calibrator.Calibrate(loaded.Pack, loaded.Report.Results, loaded.Policy);
        var cv = Calibrator.CrossValidate(loaded.Pack, loaded.Report.Results, loaded.Policy);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"Calibrated on {loaded.Report.Cases} cases ({loaded.Report.Positives} went API-only); Newton converged in {fit.Iterations} iterations.\n");
        if (cv.Folds < 2)
        {
            Stderr.WriteLine($"{DiagnosticCodes.SingleVendorCases.Label}: the cases come from one vendor; leave-one-vendor-out cross-validation says nothing about generalization");
        }

        sb.Append(CultureInfo.InvariantCulture, $"Leave-one-vendor-out ({cv.Folds} folds):  Brier {cv.BrierBefore:0.000} -> {cv.BrierAfter:0.000}   log loss {cv.LogLossBefore:0.000} -> {cv.LogLossAfter:0.000}\n");
        sb.Append(CultureInfo.InvariantCulture, $"prior {(loaded.Policy?.Prior ?? loaded.Pack.Model.Prior):0.000} -> {fit.Prior:0.000}\n\n");
        sb.Append("RULE                                      PACK  FITTED  CHANGE  CASES\n");
        foreach (var (rule, before, after, cases) in fit.Weights.OrderByDescending(w => Math.Abs(w.Fitted - w.PackWeight)).ThenBy(w => w.Rule, StringComparer.Ordinal))
        {
            sb.Append(CultureInfo.InvariantCulture, $"{rule,-40} {Numbers.Signed(before),5}  {Numbers.Signed(after),6}  {Numbers.Signed(after - before),6}  {cases,5}\n");
        }

        var file = parse.GetValue(_output)!;
        OutputEmitter.Emit(file, Stdout, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true);
            CalibrationOverlayWriter.Write(writer, loaded.Pack.Info, loaded.Pack.Sha256, loaded.Report.Cases, fit);
        });
        sb.Append(CultureInfo.InvariantCulture, $"\nWrote {file}. Review it, then use it with --policy {file}; the pack itself is unchanged.\n");
        Stdout.Write(sb.ToString());
        return ExitCodes.Ok;
    }
}
