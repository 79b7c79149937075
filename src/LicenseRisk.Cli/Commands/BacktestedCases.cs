using System.CommandLine;
using LicenseRisk.Backtesting;
using LicenseRisk.Cli.Output;
using LicenseRisk.Model;
using LicenseRisk.Rules;

namespace LicenseRisk.Cli.Commands;

/// <summary>The pack, the policy and the cases of <c>backtest</c> and <c>calibrate</c>, each case scored as of its own day.</summary>
public sealed record BacktestedCases(CompiledPack Pack, Policy? Policy, BacktestReport Report)
{
    /// <summary>The cases' argument of both commands.</summary>
    public static Argument<string[]> Paths() =>
        new("PATH") { Description = "Dossiers with a case: block (files or folders)", Arity = ArgumentArity.OneOrMore };

    /// <summary>Loads the pack, the policy and the cases and backtests them (with the figures' intervals when <paramref name="intervals"/>); prints every diagnostic (a warning for each case with signals after its as_of); null on bad input.</summary>
    public static BacktestedCases? Load(EngineFactory engines, string[] paths, string? rules, string? policy, bool quiet, TextWriter stderr, bool intervals = true)
    {
        var diags = new DiagnosticBag();
        try
        {
            var inputs = engines.Create(rules).Load(paths, policy, diags);
            if (inputs is null)
            {
                return null;
            }

            var report = Backtester.Run(inputs.Pack, inputs.Dossiers, inputs.Policy, intervals);
            if (report.Cases == 0)
            {
                diags.Report(SourceSpan.None(string.Join(" ", paths)), DiagnosticCodes.NoCases, "no dossier has a case: block; nothing to backtest");
                return null;
            }

            // Both commands score each case as of its own day and leave later signals out; each says
            // so at the case's block (a warning: --quiet hides it).
            foreach (var r in report.Results.Where(r => r.Score.Ignored.Count > 0))
            {
                diags.Report(
                    r.Score.Dossier.Case?.Span ?? SourceSpan.None(r.Score.Dossier.File),
                    DiagnosticCodes.SignalsAfterAsOf,
                    $"{r.Score.Ignored.Count} signal(s) {IgnoredSignal.After(r.Score.Ignored)} the case's as_of {IsoDate.Format(r.Score.AsOf)} are ignored (no look-ahead)");
            }

            return new BacktestedCases(inputs.Pack, inputs.Policy, report);
        }
        finally
        {
            DiagnosticPrinter.Print(diags, stderr, quiet);
        }
    }
}
