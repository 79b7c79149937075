using System.CommandLine;
using System.Globalization;
using LicenseRisk.Model;
using LicenseRisk.Reporting;

namespace LicenseRisk.Cli.Commands;

/// <summary><c>licenserisk score PATH...</c>: score dossiers; <c>--fail-above</c> is the CI gate.</summary>
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
        var format = CommonOptions.Format("table", "table", "json", "markdown");
        var output = CommonOptions.Output();
        var quiet = CommonOptions.Quiet();
        var policyOption = CommonOptions.Policy();
        var failAbove = new Option<double?>("--fail-above") { Description = "Exit 1 when any vendor's probability exceeds P (0..1)" };
        var command = new Command("score", "Score vendor dossiers") { paths, rules, asOf, horizon, format, output, quiet, failAbove, policyOption };
        command.SetAction(parse =>
        {
            var diags = new DiagnosticBag();
            var day = CommonOptions.ParseAsOf(parse.GetValue(asOf), diags);
            var months = CommonOptions.CheckHorizon(parse.GetValue(horizon), diags);
            var gate = parse.GetValue(failAbove);
            if (gate is < 0 or > 1)
            {
                diags.Error(SourceSpan.None("--fail-above"), "LR903", $"must be a probability between 0 and 1, not {gate.Value.ToString(CultureInfo.InvariantCulture)}");
            }

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
            var engine = new LicenseRiskEngine(new LicenseRiskOptions
            {
                RulesDirectory = parse.GetValue(rules),
                ExpressionCompiler = files.Count <= InterpretBelow ? Rules.ExpressionCompilerKind.Interpreted : Rules.ExpressionCompilerKind.Fast,
            });
            var pack = engine.LoadPack(diags);
            var policy = pack is null || parse.GetValue(policyOption) is not { } policyFile ? null : LicenseRisk.Yaml.PolicyReader.Read(policyFile, pack, diags);
            if (pack is null || diags.HasErrors)
            {
                CommonOptions.Print(diags, stderr, isQuiet);
                return ExitCodes.BadInput;
            }

            diags.AddRange(pathDiags.Items);
            var gateMessages = new List<string>();
            IEnumerable<VendorScore> Gate(IEnumerable<VendorScore> scores)
            {
                foreach (var s in scores)
                {
                    var threshold = policy is null ? gate : policy.ThresholdFor(s.Id, gate);
                    if (threshold is { } t && s.Probability > t)
                    {
                        var reasons = string.Join("; ", s.Contributions.Where(c => c.Value > 0).Take(3).Select(c => c.Rule));
                        gateMessages.Add(FormattableString.Invariant($"{s.Dossier.File}: gate: {s.Id} probability {s.Probability:0.00} is above {t:0.00} (band {s.Band}){(reasons.Length > 0 ? "; top reasons: " + reasons : string.Empty)}"));
                    }

                    yield return s;
                }
            }

            var scored = Gate(engine.ScoreExpanded(pack, files, day!.Value, months, policy, diags));
            if (parse.GetValue(format) == "json")
            {
                // JSON streams: each vendor is written as it is scored, so memory stays flat with the count.
                var header = engine.Report(pack, [], day.Value, months, diags.Items) with { Policy = policy };
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

                var report = engine.Report(pack, scores, day.Value, months, diags.Items) with { Policy = policy };
                CommonOptions.Print(diags, stderr, isQuiet);
                CommonOptions.Emit(parse.GetValue(output), stdout, stream =>
                {
                    var text = parse.GetValue(format) == "markdown" ? MarkdownScoreWriter.Render(report) : TableScoreWriter.Render(report);
                    stream.Write(System.Text.Encoding.UTF8.GetBytes(text));
                });
            }

            foreach (var message in gateMessages)
            {
                stderr.WriteLine(message);
            }

            var tripped = gateMessages.Count;
            return tripped > 0 ? ExitCodes.GateTripped : ExitCodes.Ok;
        });
        return command;
    }
}
