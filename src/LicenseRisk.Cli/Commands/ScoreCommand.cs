using System.CommandLine;
using System.Globalization;
using LicenseRisk.Model;
using LicenseRisk.Presentation.Score;
using LicenseRisk.Scoring;
using LicenseRisk.Application;

namespace LicenseRisk.Cli.Commands;

/// <summary><c>licenserisk score PATH...</c>: score dossiers; <c>--fail-above</c> and <c>--fail-on</c> are the CI gate.</summary>
public static class ScoreCommand
{
    /// <summary>Up to this many dossier files, the pack's expressions are interpreted, not compiled.</summary>
    public const int InterpretBelow = 8;

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var paths = new Argument<string[]>("PATH") { Description = "Dossier files or folders", Arity = ArgumentArity.OneOrMore };
        var rules = CommonOptions.Rules();
        var asOf = CommonOptions.AsOf();
        var horizon = CommonOptions.Horizon();
        var format = CommonOptions.Format("table", "table", "json", "markdown", "sarif", "junit", "github");
        var output = CommonOptions.Output();
        var quiet = CommonOptions.Quiet();
        var policyOption = CommonOptions.Policy();
        var failAbove = new Option<string?>("--fail-above") { Description = "Exit 1 when any vendor's probability exceeds P (0..1)" };
        var failOn = new Option<string?>("--fail-on") { Description = "Exit 1 when any vendor's band is BAND or a higher one, in the pack's band order (e.g. high)" };
        var command = new Command("score", "Score vendor dossiers") { paths, rules, asOf, horizon, format, output, quiet, failAbove, failOn, policyOption };
        command.SetAction(parse =>
        {
            var diags = new DiagnosticBag();
            var day = CommonOptions.ParseAsOf(parse.GetValue(asOf), diags);
            var months = CommonOptions.CheckHorizon(parse.GetValue(horizon), diags);
            var threshold = CommonOptions.ParseProbability(parse.GetValue(failAbove), "--fail-above", diags);
            var isQuiet = parse.GetValue(quiet);
            if (diags.HasErrors)
            {
                CommonOptions.Print(diags, stderr, isQuiet);
                return ExitCodes.BadInput;
            }

            // A few dossiers: interpret the rules' expressions rather than compile them, since
            // JIT-compiling a few hundred small methods costs more than scoring a few vendors.
            var pathDiags = new DiagnosticBag();
            var files = LicenseRisk.Yaml.DossierReader.Expand(parse.GetValue(paths)!, pathDiags);
            var engine = CommonOptions.Engine(parse.GetValue(rules), files.Count <= InterpretBelow ? Rules.ExpressionCompilerKind.Interpreted : Rules.ExpressionCompilerKind.Fast);
            var loaded = engine.LoadPackAndPolicy(parse.GetValue(policyOption), diags);
            var gate = loaded is null ? null : Gate.Create(threshold, parse.GetValue(failOn), SourceSpan.None("--fail-on"), loaded.Pack.Bands, diags, loaded.Policy);
            if (loaded is null || gate is null || diags.HasErrors)
            {
                CommonOptions.Print(diags, stderr, isQuiet);
                return ExitCodes.BadInput;
            }

            var (pack, policy) = loaded;

            diags.AddRange(pathDiags.Items);
            var gateMessages = new List<string>();
            IEnumerable<VendorScore> Tripping(IEnumerable<VendorScore> scores)
            {
                foreach (var s in scores)
                {
                    if (gate.Trips(s))
                    {
                        gateMessages.Add(GateMessages.Verdict(gate, s));
                    }

                    yield return s;
                }
            }

            var scored = Tripping(BatchScorer.ScoreFiles(pack, files, day!.Value, months, policy, diags));
            if (parse.GetValue(format) == "json")
            {
                // JSON streams: each vendor is written as it is scored, so memory stays flat with the count.
                var header = ScoreReport.Of(pack, policy, [], day.Value, months, diags.Items);
                if (!CommonOptions.EmitStreamed(parse.GetValue(output), stdout, stream => JsonScoreWriter.Write(stream, header, scored), () => !diags.HasErrors))
                {
                    CommonOptions.Print(diags, stderr, isQuiet);
                    return ExitCodes.BadInput;
                }

                CommonOptions.Print(diags, stderr, isQuiet);
            }
            else
            {
                var scores = scored.ToList();
                if (diags.HasErrors)
                {
                    CommonOptions.Print(diags, stderr, isQuiet);
                    return ExitCodes.BadInput;
                }

                var report = ScoreReport.Of(pack, policy, scores, day.Value, months, diags.Items);
                CommonOptions.Print(diags, stderr, isQuiet);
                CommonOptions.Emit(parse.GetValue(output), stdout, stream =>
                {
                    switch (parse.GetValue(format))
                    {
                        case "markdown":
                            stream.Write(System.Text.Encoding.UTF8.GetBytes(MarkdownScoreWriter.Render(report)));
                            break;
                        case "sarif":
                            SarifScoreWriter.Write(stream, report, gate);
                            break;
                        case "junit":
                            JUnitScoreWriter.Write(stream, report, gate);
                            break;
                        case "github":
                            stream.Write(System.Text.Encoding.UTF8.GetBytes(GitHubScoreWriter.Render(report, gate)));
                            break;
                        default:
                            stream.Write(System.Text.Encoding.UTF8.GetBytes(TableScoreWriter.Render(report)));
                            break;
                    }
                });
            }

            // The verdict: one line per tripped vendor on standard error, whatever the format.
            foreach (var message in gateMessages)
            {
                stderr.WriteLine(message);
            }

            return gateMessages.Count > 0 ? ExitCodes.GateTripped : ExitCodes.Ok;
        });
        return command;
    }
}
