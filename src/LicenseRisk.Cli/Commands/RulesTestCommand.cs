using System.CommandLine;
using LicenseRisk.Cli.Options;
using LicenseRisk.Cli.Output;
using LicenseRisk.Model;
using LicenseRisk.Testing;

namespace LicenseRisk.Cli.Commands;

/// <summary><c>licenserisk rules test [DIR]</c>: run the pack's tests/*.yaml; end with 'N passed, N failed'.</summary>
internal sealed class RulesTestCommand : LicenseRiskCommand
{
    private readonly Argument<string?> _dir = RulesCommand.PackFolder();
    private readonly Option<bool> _quiet = SharedOptions.Quiet();

    public RulesTestCommand(EngineFactory engines, TextWriter stdout, TextWriter stderr)
        : base("test", "Run the pack's tests/*.yaml; end with 'N passed, N failed'", engines, stdout, stderr)
    {
        Add(_dir);
        Add(_quiet);
    }

    protected override int Run(ParseResult parse)
    {
        var diags = new DiagnosticBag();
        var engine = Engines.Create(null);
        var directory = engine.RulesDirectory(parse.GetValue(_dir));
        var pack = engine.LoadPack(diags, directory);
        var tests = pack is null ? [] : RuleTests.Read(directory, pack, engine.Options.Limits, diags);
        if (pack is null || diags.HasErrors)
        {
            DiagnosticPrinter.Print(diags, Stderr, quiet: true);
            return ExitCodes.BadInput;
        }

        var results = RuleTests.RunAll(pack, tests);
        foreach (var r in results.Where(r => !r.Passed))
        {
            Stdout.WriteLine($"{r.Test.Span}: FAIL {r.Test.Name}");
            foreach (var f in r.Failures)
            {
                Stdout.WriteLine($"  {f}");
            }
        }

        var passed = results.Count(r => r.Passed);
        Stdout.WriteLine($"{passed} passed, {results.Count - passed} failed");
        return passed == results.Count ? ExitCodes.Ok : ExitCodes.GateTripped;
    }
}
