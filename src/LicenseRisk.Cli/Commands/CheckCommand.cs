using System.CommandLine;
using LicenseRisk.Cli.Options;
using LicenseRisk.Cli.Output;
using LicenseRisk.Model;

namespace LicenseRisk.Cli.Commands;

/// <summary>
/// <c>licenserisk check PATH...</c>: read dossiers (and the pack and policy they are read with) and
/// print every located error; score nothing. Exit 0 when all is well, 2 otherwise: a pre-commit
/// hook or a CI step before the gate.
/// </summary>
internal sealed class CheckCommand : LicenseRiskCommand
{
    private readonly Argument<string[]> _paths = new("PATH") { Description = "Dossier files or folders", Arity = ArgumentArity.OneOrMore };
    private readonly Option<string?> _rules = SharedOptions.Rules();
    private readonly Option<string?> _policy = SharedOptions.Policy();
    private readonly Option<bool> _quiet = SharedOptions.Quiet();

    public CheckCommand(EngineFactory engines, TextWriter stdout, TextWriter stderr)
        : base("check", "Check dossiers (and the pack and policy) for errors without scoring them", engines, stdout, stderr)
    {
        Add(_paths);
        Add(_rules);
        Add(_policy);
        Add(_quiet);
    }

    protected override int Run(ParseResult parse)
    {
        var diags = new DiagnosticBag();
        var loaded = Engines.Create(parse.GetValue(_rules), Rules.ExpressionCompilerKind.Interpreted).Load(parse.GetValue(_paths)!, parse.GetValue(_policy), diags);
        DiagnosticPrinter.Print(diags, Stderr, parse.GetValue(_quiet));
        if (loaded is null)
        {
            return ExitCodes.BadInput;
        }

        var policy = loaded.Policy is { } p ? $", policy {p.Name ?? p.File}" : string.Empty;
        Stdout.WriteLine($"{Plural.Of(loaded.Dossiers.Count, "dossier")}, {Plural.Of(loaded.Dossiers.Sum(d => d.Signals.Count), "signal")}: no errors (pack {loaded.Pack.Info.Name} {loaded.Pack.Info.Version}{policy})");
        return ExitCodes.Ok;
    }
}
