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
        var (unmatchedOptions, unmatchedConsumed) = UnmatchedOptions(parse);
        var misspelt = UnknownOptions(parse).ToList();
        unmatchedConsumed.AddRange(DisplacedPaths(parse, misspelt.Count, unmatchedConsumed).ToList());
        foreach (var error in parse.Errors)
        {
            if (error.SymbolResult is CommandResult && unmatchedConsumed.FindIndex(t => error.Message.Contains($"'{t}'", StringComparison.Ordinal)) is >= 0 and var at)
            {
                // The parser's "Unrecognized command or argument" for an option misspelt (or its
                // value, or a path whose place the option took): reported below at the option, with a hint.
                unmatchedConsumed.RemoveAt(at);
                continue;
            }

            if (error.SymbolResult is OptionResult { Option: ICheckedOption option, Tokens.Count: > 0 } result)
            {
                values.Report(SourceSpan.None(option.Location(result.Tokens[^1].Value)), option.Descriptor, error.Message);
            }
            else
            {
                structure.Add(new Diagnostic(SourceSpan.None("licenserisk"), DiagnosticCodes.BadCommandLine, error.Message));
            }
        }

        // A misspelt option first: what follows from it (a required option missing) comes after.
        structure.InsertRange(0, misspelt.Concat(unmatchedOptions));
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

    /// <summary>
    /// Tokens a command did not match that look like options (<c>report --vendor DIR</c>,
    /// <c>serve --vendor DIR</c>, <c>licenserisk --verison</c>): an option misspelt, as
    /// <see cref="UnknownOptions"/> for a command that takes no paths. The word right after one is
    /// taken as its value (and not reported again) only when it is adjacent, does not start with
    /// '-', and the closest real option needs a value: <c>--qiuet extra</c> is two problems.
    /// Returns the problems and the tokens they cover.
    /// </summary>
    private static (List<Diagnostic> Problems, List<string> Covered) UnmatchedOptions(ParseResult parse)
    {
        var problems = new List<Diagnostic>();
        var covered = new List<string>();
        var command = parse.CommandResult.Command;
        var unmatched = parse.UnmatchedTokens;
        for (var i = 0; i < unmatched.Count; i++)
        {
            var token = unmatched[i];
            if (token.Length < 2 || token[0] != '-')
            {
                continue;
            }

            var option = OptionWord(token);
            var hint = Suggest.Closest(option, OptionNames(command));
            problems.Add(UnknownOption(parse, option, hint));
            covered.Add(token);
            if (option == token && NeedsAValue(command, hint)
                && i + 1 < unmatched.Count && unmatched[i + 1] is { Length: > 0 } value && value[0] != '-' && Adjacent(parse, token, value))
            {
                covered.Add(value);
                i++;
            }
        }

        return (problems, covered);
    }

    private static Diagnostic UnknownOption(ParseResult parse, string option, string? hint) =>
        new(SourceSpan.None(option), DiagnosticCodes.BadCommandLine, $"unknown option for '{CommandPath(parse.CommandResult)}'{(hint is null ? string.Empty : $"; did you mean '{hint}'?")}");

    /// <summary>The command as typed below the root (<c>rules test</c>), or <c>licenserisk</c> for the root itself (not the host process's name).</summary>
    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (var r = result; r is not null && r.Command is not RootCommand; r = r.Parent as CommandResult)
        {
            names.Insert(0, r.Command.Name);
        }

        return names.Count == 0 ? "licenserisk" : string.Join(' ', names);
    }

    /// <summary>Whether the option named <paramref name="name"/> needs a value (<c>--format json</c>; not a switch such as <c>--quiet</c>).</summary>
    private static bool NeedsAValue(Command command, string? name) =>
        name is not null && command.Options.Any(o => (o.Name == name || o.Aliases.Contains(name)) && o.Arity.MinimumNumberOfValues > 0);

    /// <summary>The option of <c>--frmat=json</c> (or <c>--frmat:json</c>, which the parser also reads as an option and its value): <c>--frmat</c>.</summary>
    private static string OptionWord(string token) =>
        token.IndexOfAny(['=', ':']) is > 1 and var at ? token[..at] : token;

    private static IEnumerable<string> OptionNames(Command command) =>
        command.Options.SelectMany(o => o.Aliases.Prepend(o.Name)).Where(n => n.StartsWith("--", StringComparison.Ordinal));

    /// <summary>Whether <paramref name="value"/> comes right after <paramref name="option"/> on the command line.</summary>
    private static bool Adjacent(ParseResult parse, string option, string value)
    {
        for (var i = 0; i + 1 < parse.Tokens.Count; i++)
        {
            if (parse.Tokens[i].Value == option && parse.Tokens[i + 1].Value == value)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Words left over because a misspelt option took a path's place (<c>init --froce DIR</c>: the
    /// parser reads <c>--froce</c> as DIR and <c>DIR</c> as one word too many): as many of the
    /// unmatched words not starting with '-' (and not already an option's value) as options took
    /// places. Without the misspelt options they are the command's paths, so no problem of their own.
    /// </summary>
    private static IEnumerable<string> DisplacedPaths(ParseResult parse, int places, List<string> covered)
    {
        var taken = new List<string>(covered);
        foreach (var token in parse.UnmatchedTokens)
        {
            if (taken.Remove(token))
            {
                continue;
            }

            if (places > 0 && token is { Length: > 0 } && token[0] != '-')
            {
                places--;
                yield return token;
            }
        }
    }

    /// <summary>Tokens taken as a command's paths that look like options and name no file: an option misspelt.</summary>
    private static IEnumerable<Diagnostic> UnknownOptions(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        foreach (var argument in parse.CommandResult.Children.OfType<ArgumentResult>())
        {
            foreach (var token in argument.Tokens.Where(t => t.Value.Length > 1 && t.Value[0] == '-' && !Path.Exists(t.Value)))
            {
                var option = OptionWord(token.Value);
                yield return UnknownOption(parse, option, Suggest.Closest(option, OptionNames(command)));
            }
        }
    }
}
