using System.CommandLine;
using LicenseRisk.Cli.Options;
using LicenseRisk.Cli.Output;
using LicenseRisk.Model;

namespace LicenseRisk.Cli.Commands;

/// <summary><c>licenserisk rules lint [DIR]</c>: load and type-check a rule pack; print every error.</summary>
internal sealed class RulesLintCommand : LicenseRiskCommand
{
    private readonly Argument<string?> _dir = RulesCommand.PackFolder();
    private readonly Option<bool> _quiet = SharedOptions.Quiet();

    public RulesLintCommand(EngineFactory engines, TextWriter stdout, TextWriter stderr)
        : base("lint", "Load and type-check a rule pack; print every error", engines, stdout, stderr)
    {
        Add(_dir);
        Add(_quiet);
    }

    protected override int Run(ParseResult parse)
    {
        var diags = new DiagnosticBag();
        var pack = Engines.Create(null).LoadPack(diags, parse.GetValue(_dir));
        DiagnosticPrinter.Print(diags, Stderr, parse.GetValue(_quiet));
        if (pack is null)
        {
            return ExitCodes.BadInput;
        }

        Stdout.WriteLine($"{pack.Info.Name} {pack.Info.Version}: {Plural.Of(pack.Rules.Count, "rule")}, {Plural.Of(pack.Catalog.Kinds.Count, "signal kind")}, no errors (sha256 {pack.Sha256})");
        return ExitCodes.Ok;
    }
}
