using System.CommandLine;

namespace LicenseRisk.Cli.Commands;

/// <summary><c>licenserisk rules lint|test [DIR]</c>: check and test rule packs.</summary>
internal sealed class RulesCommand : Command
{
    public RulesCommand(EngineFactory engines, TextWriter stdout, TextWriter stderr)
        : base("rules", "Check and test rule packs")
    {
        Add(new RulesLintCommand(engines, stdout, stderr));
        Add(new RulesTestCommand(engines, stdout, stderr));
    }

    /// <summary>The rule pack folder a rules subcommand works on.</summary>
    internal static Argument<string?> PackFolder() =>
        new("DIR") { Description = "Rule pack folder (default: the bundled pack)", Arity = ArgumentArity.ZeroOrOne };
}
