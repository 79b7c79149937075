using System.CommandLine;
using System.Text;
using LicenseRisk.Application;
using LicenseRisk.Cli.Options;
using LicenseRisk.Cli.Output;
using LicenseRisk.Model;
using LicenseRisk.Presentation.WhatIf;
using LicenseRisk.Yaml;

namespace LicenseRisk.Cli.Commands;

/// <summary>
/// <c>licenserisk whatif DOSSIER</c>: the vendor's score with signals added, removed or changed,
/// and a sweep over one field's values; one NRules session is kept and moved from variant to
/// variant (<see cref="WhatIf"/>).
/// </summary>
internal sealed class WhatIfCommand : LicenseRiskCommand
{
    // One or more tokens, so a misspelt option is taken here and reported as one (CommandLineProblems); Run takes one.
    private readonly Argument<string[]> _dossier = new("DOSSIER") { Description = "The vendor's dossier file", Arity = ArgumentArity.OneOrMore };
    private readonly Option<string?> _rules = SharedOptions.Rules();
    private readonly Option<string?> _policy = SharedOptions.Policy();
    private readonly Option<DateOnly?> _asOf = SharedOptions.AsOf();
    private readonly Option<int?> _horizon = SharedOptions.Horizon();
    private readonly Option<string> _format = SharedOptions.Format("table", "table", "json");
    private readonly Option<string?> _output = SharedOptions.OutputFile("Write to this file instead of standard output");
    private readonly Option<bool> _quiet = SharedOptions.Quiet();
    private readonly Option<string[]> _add = Repeated("--add", "YAML", "Add a signal, a YAML mapping such as '{kind: statement, date: 2026-03-01, stance: pro_closed}'");
    private readonly Option<string[]> _addFile = Repeated("--add-file", "FILE", "Add the signals of a YAML file (a list of signal mappings)");
    private readonly Option<string[]> _remove = Repeated("--remove", "N", "Remove a signal, by its number in --list or its id");
    private readonly Option<string[]> _set = Repeated("--set", "N.FIELD=VALUE", "Set a field of a signal (a field of its kind, or date, confidence, source, note, id); an empty value unsets it");
    private readonly Option<string?> _changes = new("--changes") { Description = "A YAML file of edits: add, remove, set and sweep (docs/cli.md)", HelpName = "FILE" };
    private readonly Option<string?> _sweep = new("--sweep") { Description = "One variant per value of a field: N.FIELD=V1,V2,...", HelpName = "N.FIELD=V1,V2,..." };
    private readonly Option<bool> _list = new("--list") { Description = "List the signals, numbered as edits name them, and stop" };

    public WhatIfCommand(EngineFactory engines, TextWriter stdout, TextWriter stderr)
        : base("whatif", "Score a vendor with signals added, removed or changed; sweep a field over values", engines, stdout, stderr)
    {
        Add(_dossier);
        foreach (var option in new Option[] { _rules, _policy, _asOf, _horizon, _format, _output, _quiet, _add, _addFile, _remove, _set, _changes, _sweep, _list })
        {
            Add(option);
        }
    }

    protected override int Run(ParseResult parse)
    {
        var diags = new DiagnosticBag();
        var quiet = parse.GetValue(_quiet);
        var paths = parse.GetValue(_dossier)!;
        if (paths.Length > 1)
        {
            diags.Report(SourceSpan.None(paths[1]), DiagnosticCodes.BadCommandLine, "whatif takes one dossier; give edits with --add, --remove, --set or --changes");
            DiagnosticPrinter.Print(diags, Stderr, quiet);
            return ExitCodes.BadInput;
        }

        var asOf = SharedOptions.AsOfOrToday(parse, _asOf);
        var horizon = parse.GetValue(_horizon);

        // One dossier: the rules' expressions are interpreted, as score does for a few files.
        var engine = Engines.Create(parse.GetValue(_rules), Rules.ExpressionCompilerKind.Interpreted);
        var loaded = engine.LoadPackAndPolicy(parse.GetValue(_policy), diags);
        if (loaded is null || diags.HasErrors)
        {
            // Every problem at once: the dossier is still read, for its own errors, as one file (as
            // below when the pack loads; a folder is an error there, not a list of dossiers).
            engine.CheckDossiers([paths[0]], diags, loaded?.Pack.Catalog);
            DiagnosticPrinter.Print(diags, Stderr, quiet);
            return ExitCodes.BadInput;
        }

        var (pack, policy) = loaded;
        var limits = engine.Options.Limits;
        var dossier = DossierReader.ReadFile(paths[0], pack.Catalog, limits, diags);
        var (edits, sweep) = ReadEdits(parse, pack.Catalog, limits, diags);
        if (dossier is null)
        {
            DiagnosticPrinter.Print(diags, Stderr, quiet);
            return ExitCodes.BadInput;
        }

        // Edits that read are applied even when others did not, so every problem is reported at once.
        var whatIf = WhatIf.Open(pack, dossier, asOf, horizon, policy);
        var variants = WhatIfReport.ScoreVariants(whatIf, edits, sweep, diags);

        if (diags.HasErrors)
        {
            DiagnosticPrinter.Print(diags, Stderr, quiet);
            return ExitCodes.BadInput;
        }

        DiagnosticPrinter.Print(diags, Stderr, quiet);
        var report = WhatIfReport.Of(pack, policy, asOf, horizon, dossier, edits, variants);
        var format = parse.GetValue(_format);
        OutputEmitter.Emit(parse.GetValue(_output), Stdout, stream =>
        {
            if (parse.GetValue(_list))
            {
                stream.Write(Encoding.UTF8.GetBytes(WhatIfWriters.Listing(report, [.. dossier.Signals, .. edits.OfType<AddSignal>().Select(a => a.Signal)])));
            }
            else if (format == "json")
            {
                WhatIfWriters.WriteJson(stream, report);
            }
            else
            {
                stream.Write(Encoding.UTF8.GetBytes(WhatIfWriters.Table(report)));
            }
        });
        return ExitCodes.Ok;
    }

    /// <summary>
    /// The edits every variant shares, in this order: the changes file's, then the signals of
    /// --add-file and --add, then --remove, then --set; and the sweep's values (of --sweep or the
    /// changes file, not both).
    /// </summary>
    private (List<SignalEdit> Edits, IReadOnlyList<SetField> Sweep) ReadEdits(ParseResult parse, SignalCatalog catalog, Limits limits, DiagnosticBag diags)
    {
        var file = parse.GetValue(_changes) is { } changes ? SignalEditReader.ReadChangesFile(changes, catalog, limits, diags) : WhatIfChanges.None;
        var adds = new List<SignalEdit>(file.Edits.OfType<AddSignal>());
        foreach (var path in parse.GetValue(_addFile) ?? [])
        {
            adds.AddRange(SignalEditReader.ReadAddFile(path, catalog, limits, diags));
        }

        var added = parse.GetValue(_add) ?? [];
        for (var i = 0; i < added.Length; i++)
        {
            adds.AddRange(SignalEditReader.ReadAdd(added[i], Origin("--add", i, added.Length), catalog, limits, diags));
        }

        var edits = adds.Concat(file.Edits.OfType<RemoveSignal>()).ToList();
        var removed = parse.GetValue(_remove) ?? [];
        edits.AddRange(removed.Select((r, i) => SignalEditReader.ReadRemove(r, Origin("--remove", i, removed.Length))));
        edits.AddRange(file.Edits.OfType<SetField>());
        var sets = parse.GetValue(_set) ?? [];
        for (var i = 0; i < sets.Length; i++)
        {
            if (SignalEditReader.ReadSet(sets[i], Origin("--set", i, sets.Length), limits, diags) is { } set)
            {
                edits.Add(set);
            }
        }

        var sweep = file.Sweep;
        if (parse.GetValue(_sweep) is { } sweepText)
        {
            if (sweep.Count > 0)
            {
                diags.Report(SourceSpan.None("--sweep"), DiagnosticCodes.BadEdit, "the changes file has a sweep already; a what-if sweeps one field");
            }

            sweep = SignalEditReader.ReadSweep(sweepText, "--sweep", limits, diags) ?? [];
        }

        return (edits, sweep);
    }

    /// <summary>Where an option's value is located: the option, numbered when it is given more than once (<c>--add[2]</c>).</summary>
    private static string Origin(string option, int index, int count) => count == 1 ? option : $"{option}[{index + 1}]";

    private static Option<string[]> Repeated(string name, string helpName, string description) =>
        new(name) { Description = description + " (repeatable)", HelpName = helpName, Arity = ArgumentArity.OneOrMore, AllowMultipleArgumentsPerToken = false };
}
