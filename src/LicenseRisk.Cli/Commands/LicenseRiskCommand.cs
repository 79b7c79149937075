using System.CommandLine;
using LicenseRisk.Cli.Options;

namespace LicenseRisk.Cli.Commands;

/// <summary>A command that runs against the engine and writes its results and messages to the given writers.</summary>
internal abstract class LicenseRiskCommand : Command
{
    protected LicenseRiskCommand(string name, string description, EngineFactory engines, TextWriter stdout, TextWriter stderr)
        : base(name, description)
    {
        Engines = engines;
        Stdout = stdout;
        Stderr = stderr;
        SetAction(Run);
    }

    protected EngineFactory Engines { get; }

    protected TextWriter Stdout { get; }

    protected TextWriter Stderr { get; }

    /// <summary>Runs the parsed command; returns the exit code.</summary>
    protected abstract int Run(ParseResult parse);
}
