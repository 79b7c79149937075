using System.CommandLine;
using System.Globalization;
using System.Text;
using LicenseRisk.Backtesting;
using LicenseRisk.Model;
using LicenseRisk.Rules;
using LicenseRisk.Presentation;
using LicenseRisk.Presentation.Backtest;

namespace LicenseRisk.Cli.Commands;

/// <summary><c>licenserisk backtest PATH...</c> and <c>licenserisk calibrate PATH... --out FILE</c>.</summary>
public static class BacktestCommand
{
    private sealed record Loaded(CompiledPack Pack, Policy? Policy, BacktestReport Report);

    /// <summary>Loads the pack, the policy and the cases and backtests them; prints every diagnostic; null on bad input.</summary>
    private static Loaded? Load(ParseResult parse, Argument<string[]> paths, Option<string?> rules, Option<string?> policyOption, Option<bool> quiet, TextWriter stderr)
    {
        var diags = new DiagnosticBag();
        try
        {
            var inputs = CommonOptions.Engine(parse.GetValue(rules)).Load(parse.GetValue(paths)!, parse.GetValue(policyOption), diags);
            if (inputs is null)
            {
                return null;
            }

            var report = Backtester.Run(inputs.Pack, inputs.Dossiers, inputs.Policy);
            if (report.Cases == 0)
            {
                diags.Report(SourceSpan.None(string.Join(" ", parse.GetValue(paths)!)), DiagnosticCodes.NoCases, "no dossier has a case: block; nothing to backtest");
                return null;
            }

            return new Loaded(inputs.Pack, inputs.Policy, report);
        }
        finally
        {
            CommonOptions.Print(diags, stderr, parse.GetValue(quiet));
        }
    }

    public static Command Backtest(TextWriter stdout, TextWriter stderr)
    {
        var paths = new Argument<string[]>("PATH") { Description = "Dossiers with a case: block (files or folders)", Arity = ArgumentArity.OneOrMore };
        var rules = CommonOptions.Rules();
        var policy = CommonOptions.Policy();
        var format = CommonOptions.Format("table", "table", "json", "markdown");
        var output = CommonOptions.Output();
        var quiet = CommonOptions.Quiet();
        var plot = new Option<string?>("--plot") { Description = "Also write a reliability diagram and a forecast-versus-outcome chart (.png or .svg)" };
        var command = new Command("backtest", "Score each case as of its own as_of against the known outcome; Brier, log loss, AUC, reliability") { paths, rules, policy, format, output, quiet, plot };
        command.SetAction(parse =>
        {
            var loaded = Load(parse, paths, rules, policy, quiet, stderr);
            if (loaded is null)
            {
                return ExitCodes.BadInput;
            }

            if (!parse.GetValue(quiet))
            {
                foreach (var r in loaded.Report.Results.Where(r => r.Score.Ignored.Count > 0))
                {
                    stderr.WriteLine($"{r.Score.Dossier.File}: {DiagnosticCodes.SignalsAfterAsOf.Label}: {r.Score.Ignored.Count} signal(s) dated after the case's as_of {IsoDate.Format(r.Score.AsOf)} are ignored (no look-ahead)");
                }
            }

            CommonOptions.Emit(parse.GetValue(output), stdout, stream =>
            {
                switch (parse.GetValue(format))
                {
                    case "json":
                        BacktestWriters.WriteJson(stream, loaded.Report);
                        break;
                    default:
                        stream.Write(Encoding.UTF8.GetBytes(BacktestWriters.Table(loaded.Report, parse.GetValue(format) == "markdown")));
                        break;
                }
            });
            if (parse.GetValue(plot) is { } plotFile)
            {
                BacktestCharts.Write(loaded.Report, plotFile);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Calibrate(TextWriter stdout, TextWriter stderr)
    {
        var paths = new Argument<string[]>("PATH") { Description = "Dossiers with a case: block (files or folders)", Arity = ArgumentArity.OneOrMore };
        var rules = CommonOptions.Rules();
        var policy = CommonOptions.Policy();
        var output = new Option<string>("--out") { Description = "Write the fitted prior and weights here, as a policy file for --policy", Required = true };
        var quiet = CommonOptions.Quiet();
        var command = new Command("calibrate", "Fit the prior and weights to the cases (regularized toward the pack) and show what generalizes") { paths, rules, policy, output, quiet };
        command.SetAction(parse =>
        {
            var loaded = Load(parse, paths, rules, policy, quiet, stderr);
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
                stderr.WriteLine($"{DiagnosticCodes.SingleVendorCases.Label}: the cases come from one vendor; leave-one-vendor-out cross-validation says nothing about generalization");
            }

            sb.Append(CultureInfo.InvariantCulture, $"Leave-one-vendor-out ({cv.Folds} folds):  Brier {cv.BrierBefore:0.000} -> {cv.BrierAfter:0.000}   log loss {cv.LogLossBefore:0.000} -> {cv.LogLossAfter:0.000}\n");
            sb.Append(CultureInfo.InvariantCulture, $"prior {(loaded.Policy?.Prior ?? loaded.Pack.Model.Prior):0.000} -> {fit.Prior:0.000}\n\n");
            sb.Append("RULE                                      PACK  FITTED  CHANGE  CASES\n");
            foreach (var (rule, before, after, cases) in fit.Weights.OrderByDescending(w => Math.Abs(w.Fitted - w.PackWeight)).ThenBy(w => w.Rule, StringComparer.Ordinal))
            {
                sb.Append(CultureInfo.InvariantCulture, $"{rule,-40} {Numbers.Signed(before),5}  {Numbers.Signed(after),6}  {Numbers.Signed(after - before),6}  {cases,5}\n");
            }

            var file = parse.GetValue(output)!;
            CommonOptions.Emit(file, stdout, stream => stream.Write(Encoding.UTF8.GetBytes(PolicyYaml(loaded, fit))));
            sb.Append(CultureInfo.InvariantCulture, $"\nWrote {file}. Review it, then use it with --policy {file}; the pack itself is unchanged.\n");
            stdout.Write(sb.ToString());
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string PolicyYaml(Loaded loaded, CalibrationResult fit)
    {
        var sb = new StringBuilder();
        sb.Append("# Written by 'licenserisk calibrate'. A policy overlay: use with --policy. Review before shipping.\n");
        sb.Append("policy:\n  name: calibration\n");
        sb.Append(CultureInfo.InvariantCulture, $"  pack: {loaded.Pack.Info.Name} {loaded.Pack.Info.Version}\n  pack_sha256: {loaded.Pack.Sha256}\n");
        sb.Append(CultureInfo.InvariantCulture, $"  generated_by: licenserisk calibrate on {loaded.Report.Cases} cases\n");
        sb.Append(CultureInfo.InvariantCulture, $"prior: {Math.Round(fit.Prior, 4)}\n");
        sb.Append("weights:\n");
        foreach (var (rule, _, after, _) in fit.Weights.OrderBy(w => w.Rule, StringComparer.Ordinal))
        {
            sb.Append(CultureInfo.InvariantCulture, $"  {rule}: {Math.Round(after, 4)}\n");
        }

        return sb.ToString();
    }
}
