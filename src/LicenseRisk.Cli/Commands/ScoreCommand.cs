using System.CommandLine;
using System.Globalization;
using LicenseRisk.Model;
using LicenseRisk.Reporting;

namespace LicenseRisk.Cli.Commands;

/// <summary><c>licenserisk score PATH...</c>: score dossiers; <c>--fail-above</c> and <c>--fail-on</c> are the CI gate.</summary>
public static class ScoreCommand
{
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

            var engine = CommonOptions.Engine(parse.GetValue(rules));
            var pack = engine.LoadPack(diags);
            var policy = pack is null || parse.GetValue(policyOption) is not { } policyFile ? null : LicenseRisk.Yaml.PolicyReader.Read(policyFile, pack, diags);
            var gate = pack is null ? null : Gate.Create(threshold, parse.GetValue(failOn), pack.Bands, diags, policy);
            var dossiers = pack is null ? [] : engine.ReadDossiers(parse.GetValue(paths)!, pack.Catalog, diags);
            if (pack is null || gate is null || diags.HasErrors)
            {
                CommonOptions.Print(diags, stderr, isQuiet);
                return ExitCodes.BadInput;
            }

            var scores = engine.Score(pack, dossiers, day!.Value, months, policy);
            var report = engine.Report(pack, scores, day.Value, months, diags.Items) with { Policy = policy };
            CommonOptions.Print(diags, stderr, isQuiet);
            CommonOptions.Emit(parse.GetValue(output), stdout, stream =>
            {
                switch (parse.GetValue(format))
                {
                    case "json":
                        JsonScoreWriter.Write(stream, report);
                        break;
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

            // The verdict: one line per tripped vendor on standard error, whatever the format.
            var tripped = scores.Where(gate.Trips).ToList();
            foreach (var s in tripped)
            {
                stderr.WriteLine(gate.Verdict(s));
            }

            return tripped.Count > 0 ? ExitCodes.GateTripped : ExitCodes.Ok;
        });
        return command;
    }
}
