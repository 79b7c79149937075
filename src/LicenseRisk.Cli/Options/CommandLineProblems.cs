using System.CommandLine;
using System.CommandLine.Parsing;
using LicenseRisk.Cli.Output;
using LicenseRisk.Model;

namespace LicenseRisk.Cli.Options;

/// <summary>
/// Everything wrong with a command line, found before any command runs: values of checked options
/// (located at the option, with its code), unknown options (also where a command takes paths, which
/// would otherwise read <c>--frmat json</c> as two paths) and the parser's own errors (<see cref="DiagnosticCodes.BadCommandLine"/>).
/// </summary>
public static class CommandLineProblems
{
    /// <summary>Prints every problem and returns true when there is any.</summary>
    public static bool Report(ParseResult parse, TextWriter stderr)
    {
        if (UnknownCommand(parse) is { } unknown)
        {
            // One line, not the parser's "Required command was not provided." and one line per
            // token after the misspelt command.
            stderr.WriteLine(unknown.ToString());
            stderr.WriteLine("Run 'licenserisk --help' for usage.");
            return true;
        }

        var values = new DiagnosticBag();
        var structure = new List<Diagnostic>();
        foreach (var error in parse.Errors)
        {
            if (error.SymbolResult is OptionResult { Option: ICheckedOption option, Tokens.Count: > 0 } result)
            {
                values.Report(SourceSpan.None(option.Location(result.Tokens[^1].Value)), option.Descriptor, error.Message);
            }
            else
            {
                structure.Add(new Diagnostic(SourceSpan.None("licenserisk"), DiagnosticCodes.BadCommandLine, error.Message));
            }
        }

        structure.AddRange(UnknownOptions(parse));
        if (structure.Count == 0)
        {
            DiagnosticPrinter.Print(values, stderr, quiet: false);
            return values.HasErrors;
        }

        // A command line that is not well formed: every problem, then where to find the usage.
        foreach (var d in values.Sorted().Concat(structure))
        {
            stderr.WriteLine(d.ToString());
        }

        stderr.WriteLine("Run 'licenserisk --help' for usage.");
        return true;
    }

    /// <summary>
    /// A word where a command with subcommands (<c>licenserisk</c>, <c>licenserisk rules</c>) expects
    /// one of them: <c>licenserisk scor ...</c> is an unknown command, with the closest one as a hint.
    /// </summary>
    private static Diagnostic? UnknownCommand(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        if (command.Subcommands.Count == 0 || parse.UnmatchedTokens.Count == 0 || parse.UnmatchedTokens[0] is not { Length: > 0 } word || word[0] == '-')
        {
            return null;
        }

        var hint = Suggest.Closest(word, command.Subcommands.Select(c => c.Name));
        var where = parse.RootCommandResult.Command == command ? string.Empty : $" of 'licenserisk {command.Name}'";
        return new Diagnostic(SourceSpan.None("licenserisk"), DiagnosticCodes.BadCommandLine, $"unknown command '{word}'{where}{(hint is null ? string.Empty : $"; did you mean '{hint}'?")}");
    }

    /// <summary>Tokens taken as a command's paths that look like options and name no file: an option misspelt.</summary>
    private static IEnumerable<Diagnostic> UnknownOptions(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        foreach (var argument in parse.CommandResult.Children.OfType<ArgumentResult>())
        {
            foreach (var token in argument.Tokens.Where(t => t.Value.Length > 1 && t.Value[0] == '-' && !Path.Exists(t.Value)))
            {
                var hint = Suggest.Closest(token.Value, command.Options.SelectMany(o => o.Aliases.Prepend(o.Name)).Where(n => n.StartsWith("--", StringComparison.Ordinal)));
                yield return new Diagnostic(SourceSpan.None(token.Value), DiagnosticCodes.BadCommandLine, $"unknown option for '{command.Name}'{(hint is null ? string.Empty : $"; did you mean '{hint}'?")}");
            }
        }
    }
}
