using System.CommandLine;
using LicenseRisk.Application;
using LicenseRisk.Cli.Options;
using LicenseRisk.Cli.Output;
using LicenseRisk.Presentation;
using LicenseRisk.Model;
using LicenseRisk.Presentation.Score;
using LicenseRisk.Scoring;

namespace LicenseRisk.Cli.Commands;

/// <summary><c>licenserisk score PATH...</c>: score dossiers; <c>--fail-above</c> and <c>--fail-on</c> are the CI gate.</summary>
internal sealed class ScoreCommand : LicenseRiskCommand
{
    /// <summary>Up to this many dossier files, the pack's expressions are interpreted, not compiled.</summary>
    public const int InterpretBelow = 8;

    private readonly Argument<string[]> _paths = new("PATH") { Description = "Dossier files or folders", Arity = ArgumentArity.OneOrMore };
    private readonly Option<string?> _rules = SharedOptions.Rules();
    private readonly Option<DateOnly?> _asOf = SharedOptions.AsOf();
    private readonly Option<int?> _horizon = SharedOptions.Horizon();
    private readonly Option<string> _format = SharedOptions.Format(ScoreFormats.Table, [.. ScoreFormats.All]);
    private readonly Option<string?> _output = SharedOptions.OutputFile("Write to this file instead of standard output");
    private readonly Option<bool> _quiet = SharedOptions.Quiet();
    private readonly Option<double?> _failAbove = SharedOptions.Probability("--fail-above", "Exit 1 when any vendor's probability exceeds P (0..1)");
    private readonly Option<string?> _failOn;
    private readonly Option<string?> _policy = SharedOptions.Policy();

    /// <summary><c>--sarif-output FILE</c> and the like: more formats written by the same run, each to its file.</summary>
    private readonly IReadOnlyList<KeyValuePair<string, Option<string?>>> _extraOutputs =
        [.. ScoreFormats.All.Where(f => f != ScoreFormats.Table).Select(f => KeyValuePair.Create(f, new Option<string?>($"--{f}-output") { Description = $"Also write the {f} format to FILE, in the same run", HelpName = "FILE" }))];

    public ScoreCommand(EngineFactory engines, TextWriter stdout, TextWriter stderr)
        : base("score", "Score vendor dossiers", engines, stdout, stderr)
    {
        // The band of --fail-on is checked against the pack's pack.yaml alone (the folder the pack will
        // load from, resolved as the engine resolves it), so that a misspelt band is reported with
        // every other problem of the command line; a pack.yaml that cannot be read is left to the
        // pack's load, after which the gate checks the band again. pack.yaml is then read twice, one
        // small file and only when --fail-on is given.
        _failOn = new CheckedOption<string?>("--fail-on", DiagnosticCodes.UnknownGateBand, (result, band) =>
            LicenseRisk.Yaml.PackReader.BandNames(engines.Create(SharedOptions.GivenValue(result, _rules)).RulesDirectory(), engines.Limits) is { } bands && Gate.IndexOf(bands, band) < 0
                ? (band, Gate.UnknownBand(band, bands))
                : (band, null))
        {
            Description = "Exit 1 when any vendor's band is BAND or a higher one, in the pack's band order (e.g. high)",
            HelpName = "BAND",
        };
        Add(_paths);
        foreach (var option in new Option[] { _rules, _asOf, _horizon, _format, _output, _quiet, _failAbove, _failOn, _policy }.Concat(_extraOutputs.Select(o => o.Value)))
        {
            Add(option);
        }

        Validators.Add(result =>
        {
            // Two outputs into one file would leave only the last: refuse before scoring.
            var paths = _extraOutputs.Select(o => SharedOptions.GivenValue(result, o.Value)).Append(SharedOptions.GivenValue(result, _output)).OfType<string>();
            foreach (var twice in paths.GroupBy(Path.GetFullPath).Where(g => g.Count() > 1))
            {
                result.AddError($"'{twice.First()}' is given as the output of {twice.Count()} formats; give each format its own file");
            }
        });
    }

    protected override int Run(ParseResult parse)
    {
        var diags = new DiagnosticBag();
        var isQuiet = parse.GetValue(_quiet);
        var day = SharedOptions.AsOfOrToday(parse, _asOf);
        var months = parse.GetValue(_horizon);

        // A few dossiers: interpret the rules' expressions rather than compile them, since
        // JIT-compiling a few hundred small methods costs more than scoring a few vendors.
        var pathDiags = new DiagnosticBag();
        var files = LicenseRisk.Yaml.DossierReader.Expand(parse.GetValue(_paths)!, pathDiags);
        var engine = Engines.Create(parse.GetValue(_rules), files.Count <= InterpretBelow ? Rules.ExpressionCompilerKind.Interpreted : Rules.ExpressionCompilerKind.Fast);
        var loaded = engine.LoadPackAndPolicy(parse.GetValue(_policy), diags);
        var gate = loaded is null ? null : Gate.Create(parse.GetValue(_failAbove), parse.GetValue(_failOn), SourceSpan.None("--fail-on"), loaded.Pack.Bands, diags, loaded.Policy);
        diags.AddRange(pathDiags.Items);
        if (loaded is null || gate is null || diags.HasErrors)
        {
            // Every problem at once: the dossiers are still read, for their own errors.
            engine.CheckDossiers(files, diags, loaded?.Pack.Catalog);
            DiagnosticPrinter.Print(diags, Stderr, isQuiet);
            return ExitCodes.BadInput;
        }

        var (pack, policy) = loaded;

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

        var scored = Tripping(BatchScorer.ScoreFiles(pack, files, day, months, policy, engine.Options.Limits, diags));
        var format = parse.GetValue(_format)!;
        var output = parse.GetValue(_output);
        var extra = _extraOutputs.Select(o => (Format: o.Key, Path: parse.GetValue(o.Value))).Where(o => o.Path is not null).ToList();
        if (format == ScoreFormats.Json && extra.Count == 0)
        {
            // JSON alone streams: each vendor is written as it is scored, so memory stays flat with the count.
            var header = ScoreReport.Of(pack, policy, [], day, months, diags.Items);
            if (!OutputEmitter.EmitStreamed(output, Stdout, stream => JsonScoreWriter.Write(stream, header, scored), () => !diags.HasErrors))
            {
                DiagnosticPrinter.Print(diags, Stderr, isQuiet);
                return ExitCodes.BadInput;
            }

            DiagnosticPrinter.Print(diags, Stderr, isQuiet);
        }
        else
        {
            var scores = scored.ToList();
            if (diags.HasErrors)
            {
                DiagnosticPrinter.Print(diags, Stderr, isQuiet);
                return ExitCodes.BadInput;
            }

            var report = ScoreReport.Of(pack, policy, scores, day, months, diags.Items);
            DiagnosticPrinter.Print(diags, Stderr, isQuiet);

            // One pass, every format: the extra files first, then the main output.
            foreach (var (extraFormat, path) in extra)
            {
                OutputEmitter.Emit(path, Stdout, stream => ScoreFormats.Write(extraFormat, stream, report, gate));
            }

            var width = output is null ? Terminal.Width(Stdout) : TableScoreWriter.DefaultWidth;
            OutputEmitter.Emit(output, Stdout, stream => ScoreFormats.Write(format, stream, report, gate, width));
        }

        // The verdict: one line per tripped vendor on standard error, whatever the format.
        foreach (var message in gateMessages)
        {
            Stderr.WriteLine(message);
        }

        return gateMessages.Count > 0 ? ExitCodes.GateTripped : ExitCodes.Ok;
    }
}
