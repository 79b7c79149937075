using System.CommandLine;
using LicenseRisk.Model;

namespace LicenseRisk.Cli.Options;

/// <summary>An option whose value is checked as it is parsed; a bad value is reported at the option with the option's own diagnostic.</summary>
public interface ICheckedOption
{
    /// <summary>The diagnostic of a bad value.</summary>
    DiagnosticDescriptor Descriptor { get; }

    /// <summary>Where a bad value is reported: the option's name, or the value itself when it names a file or folder.</summary>
    string Location(string value);
}

/// <summary>
/// An option parsed as <typeparamref name="T"/> by <paramref name="parse"/>, which returns the value or
/// the message for a bad one (printed as <c>--option: error LRnnn: message</c>, see <see cref="CommandLineProblems"/>).
/// </summary>
public sealed class CheckedOption<T> : Option<T>, ICheckedOption
{
    private readonly bool _locatedAtValue;

    public CheckedOption(string name, DiagnosticDescriptor descriptor, Func<string, (T? Value, string? Error)> parse, bool locatedAtValue = false)
        : this(name, descriptor, (_, text) => parse(text), locatedAtValue)
    {
    }

    /// <summary>An option whose check also reads the rest of the command line (the parse result of the value is given).</summary>
    public CheckedOption(string name, DiagnosticDescriptor descriptor, Func<System.CommandLine.Parsing.ArgumentResult, string, (T? Value, string? Error)> parse, bool locatedAtValue = false)
        : base(name)
    {
        Descriptor = descriptor;
        _locatedAtValue = locatedAtValue;
        CustomParser = result =>
        {
            var (value, error) = parse(result, result.Tokens[^1].Value);
            if (error is not null)
            {
                result.AddError(error);
            }

            return value;
        };
    }

    public DiagnosticDescriptor Descriptor { get; }

    public string Location(string value) => _locatedAtValue ? value : Name;
}
