using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;
using LicenseRisk.Cli.Output;
using LicenseRisk.Model;

namespace LicenseRisk.Cli.Options;

/// <summary>
/// <c>licenserisk --version [--rules DIR]</c>: the program's version (from the git tag, with the
/// commit id) and the rule pack's name and version, e.g. <c>licenserisk 0.1.0+3f2a... (pack licenserisk-core 1.1.0)</c>.
/// It replaces System.CommandLine's built-in <c>--version</c>, which prints the program's version
/// alone and refuses every other option, so it could not name a pack given with <c>--rules</c>.
/// </summary>
internal static class ProductVersion
{
    /// <summary>The informational version MinVer and the SDK's Source Link stamp on the program.</summary>
    public static string Text { get; } =
        typeof(ProductVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>Puts <c>--version</c> and its <c>--rules</c> on the root command in place of the built-in option.</summary>
    public static void ReplaceBuiltIn(RootCommand root, EngineFactory engines, TextWriter stdout, TextWriter stderr)
    {
        root.Options.Remove(root.Options.OfType<VersionOption>().Single());
        var rules = SharedOptions.Rules();
        rules.Description = "With --version: the rule pack folder to name (default: the bundled pack)";
        root.Add(rules);
        root.Add(new Option<bool>("--version")
        {
            Description = "Show the version of licenserisk and of the rule pack",
            Arity = ArgumentArity.Zero,
            Action = new Print(engines, rules, stdout, stderr),
        });
    }

    private sealed class Print(EngineFactory engines, Option<string?> rules, TextWriter stdout, TextWriter stderr) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            var diags = new DiagnosticBag();
            var pack = engines.Create(null).ReadPackInfo(diags, parseResult.GetValue(rules));
            if (pack is null)
            {
                stdout.WriteLine($"licenserisk {Text}");
                DiagnosticPrinter.Print(diags, stderr, quiet: true);
                return ExitCodes.BadInput;
            }

            stdout.WriteLine($"licenserisk {Text} (pack {pack.Name} {pack.Version})");
            return ExitCodes.Ok;
        }
    }
}
