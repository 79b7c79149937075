using System.CommandLine;
using System.Globalization;
using LicenseRisk.Model;

namespace LicenseRisk.Cli.Options;

/// <summary>
/// Options shared by several commands (docs/cli.md), each parsed as its type. A bad value is a located
/// error at parse time (<c>--as-of: error LRnnn: ...</c>), reported with every other problem of the command line.
/// </summary>
public static class SharedOptions
{
    /// <summary>
    /// A text option's value for a validator: null when the option is not given, or given without its
    /// value (<c>score DIR -o</c>). That is the parser's own error (a bad command line, reported with the others);
    /// <c>GetValue</c> would throw on it instead, a crash with a stack trace.
    /// </summary>
    public static string? GivenValue(System.CommandLine.Parsing.SymbolResult result, Option<string?> option) =>
        result.GetResult(option) is System.CommandLine.Parsing.OptionResult { Tokens.Count: > 0 } given ? given.Tokens[^1].Value : null;

    public static Option<string?> Rules() => new("--rules") { Description = "Rule pack folder (default: the bundled pack)", HelpName = "DIR" };

    public static Option<string?> Policy() => new("--policy") { Description = "Organisation policy layered over the pack (policy.yaml): disabled rules, weights, prior, thresholds, waivers", HelpName = "FILE" };

    public static Option<bool> Quiet() => new("--quiet", "-q") { Description = "Print no warnings" };

    /// <summary>The one output file of a command: <c>--output FILE</c> or <c>-o FILE</c> (<c>--out</c> where a command used to spell it so).</summary>
    public static Option<string?> OutputFile(string description, params string[] oldSpellings) =>
        new("--output", ["-o", .. oldSpellings]) { Description = description, HelpName = "FILE" };

    /// <summary>The output folder of a command: <c>--output-dir DIR</c> (<c>--out</c>, its first spelling, still works).</summary>
    public static Option<string?> OutputDirectory(string description) =>
        new("--output-dir", "--out") { Description = description, HelpName = "DIR" };

    public static Option<string> Format(string defaultValue, params string[] allowed)
    {
        var option = new Option<string>("--format", "-f")
        {
            Description = $"Output format: {string.Join(", ", allowed)}",
            DefaultValueFactory = _ => defaultValue,
        };
        option.AcceptOnlyFromAmong(allowed);
        return option;
    }

    /// <summary>
    /// <c>--as-of YYYY-MM-DD</c>, a real day from 1900 to 2200; null when not given, read as today (UTC) by
    /// <see cref="AsOfOrToday"/>. No default value on the option: help would print today's date in the
    /// invariant culture's month/day/year form beside "YYYY-MM-DD".
    /// </summary>
    public static Option<DateOnly?> AsOf() =>
        new CheckedOption<DateOnly?>("--as-of", DiagnosticCodes.BadAsOf, text =>
            !IsoDate.TryParse(text, out var day, out var notADay) ? (default, notADay ?? $"must be a date YYYY-MM-DD, not '{text}'")
            : day.Year is < 1900 or > 2200 ? (default, $"'{text}' is outside the years 1900 to 2200")
            : (day, null))
        {
            Description = "Evaluate as of this day, YYYY-MM-DD (default: today, UTC)",
            HelpName = "YYYY-MM-DD",
        };

    /// <summary>The day <c>--as-of</c> names, or today (UTC) when it is not given.</summary>
    public static DateOnly AsOfOrToday(ParseResult parse, Option<DateOnly?> asOf) =>
        parse.GetValue(asOf) ?? DateOnly.FromDateTime(DateTime.UtcNow);

    /// <summary><c>--horizon MONTHS</c>, a whole number from 1 to 120; null (the pack's) when not given.</summary>
    public static Option<int?> Horizon() =>
        new CheckedOption<int?>("--horizon", DiagnosticCodes.BadHorizon, text =>
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var months) && months is >= 1 and <= 120
                ? (months, null)
                : (null, $"must be a whole number of months from 1 to 120, not '{text}'"))
        {
            Description = "Horizon in months (default: the pack's, 12)",
            HelpName = "MONTHS",
        };

    /// <summary>A probability option: a finite number from 0 to 1 (NaN would silently disable a gate).</summary>
    public static Option<double?> Probability(string name, string description) =>
        new CheckedOption<double?>(name, DiagnosticCodes.BadProbability, text =>
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var p) && p is >= 0 and <= 1
                ? (p, null)
                : (null, $"must be a probability from 0 to 1, not '{text}'"))
        {
            Description = description,
            HelpName = "P",
        };
}
