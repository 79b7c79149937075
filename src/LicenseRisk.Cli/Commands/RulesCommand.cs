using System.CommandLine;
using LicenseRisk.Model;

namespace LicenseRisk.Cli.Commands;

/// <summary><c>licenserisk rules lint|test [DIR]</c>.</summary>
public static class RulesCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("rules", "Check and test rule packs");
        command.Add(Lint(stdout, stderr));
        command.Add(Test(stdout, stderr));
        return command;
    }

    private static Command Test(TextWriter stdout, TextWriter stderr)
    {
        var dir = new Argument<string?>("DIR") { Description = "Rule pack folder (default: the bundled pack)", Arity = ArgumentArity.ZeroOrOne };
        var quiet = CommonOptions.Quiet();
        var command = new Command("test", "Run the pack's tests/*.yaml; end with 'N passed, N failed'") { dir, quiet };
        command.SetAction(parse =>
        {
            var diags = new DiagnosticBag();
            var engine = CommonOptions.Engine(null);
            var directory = engine.RulesDirectory(parse.GetValue(dir));
            var pack = engine.LoadPack(diags, directory);
            var tests = pack is null ? [] : LicenseRisk.Testing.RuleTests.Read(directory, pack, diags);
            if (pack is null || diags.HasErrors)
            {
                CommonOptions.Print(diags, stderr, quiet: true);
                return ExitCodes.BadInput;
            }

            var results = LicenseRisk.Testing.RuleTests.RunAll(pack, tests);
            foreach (var r in results.Where(r => !r.Passed))
            {
                stdout.WriteLine($"{r.Test.Span}: FAIL {r.Test.Name}");
                foreach (var f in r.Failures)
                {
                    stdout.WriteLine($"  {f}");
                }
            }

            var passed = results.Count(r => r.Passed);
            stdout.WriteLine($"{passed} passed, {results.Count - passed} failed");
            return passed == results.Count ? ExitCodes.Ok : ExitCodes.GateTripped;
        });
        return command;
    }

    private static Command Lint(TextWriter stdout, TextWriter stderr)
    {
        var dir = new Argument<string?>("DIR") { Description = "Rule pack folder (default: the bundled pack)", Arity = ArgumentArity.ZeroOrOne };
        var quiet = CommonOptions.Quiet();
        var command = new Command("lint", "Load and type-check a rule pack; print every error") { dir, quiet };
        command.SetAction(parse =>
        {
            var diags = new DiagnosticBag();
            var engine = CommonOptions.Engine(null);
            var pack = engine.LoadPack(diags, parse.GetValue(dir));
            CommonOptions.Print(diags, stderr, parse.GetValue(quiet));
            if (pack is null)
            {
                return ExitCodes.BadInput;
            }

            stdout.WriteLine($"{pack.Info.Name} {pack.Info.Version}: {Plural.Of(pack.Rules.Count, "rule")}, {Plural.Of(pack.Catalog.Kinds.Count, "signal kind")}, no errors (sha256 {pack.Sha256})");
            return ExitCodes.Ok;
        });
        return command;
    }
}
