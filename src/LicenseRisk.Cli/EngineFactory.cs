using LicenseRisk.Application;
using LicenseRisk.Model;
using LicenseRisk.Rules;
using LicenseRisk.Yaml;

namespace LicenseRisk.Cli;

/// <summary>
/// The engine, configured as <see cref="ServiceCollectionExtensions.AddLicenseRisk"/> does for the
/// service and the tests, but built directly: a dependency-injection container costs a CLI run
/// about 10 ms of start-up (its generic dictionaries are JIT-compiled) and resolves nothing else.
/// </summary>
public sealed class EngineFactory(Limits limits)
{
    public const string LimitsVariablePrefix = "LICENSERISK_LIMITS__";

    public Limits Limits { get; } = limits;

    public LicenseRiskEngine Create(string? rulesDirectory, ExpressionCompilerKind compiler = ExpressionCompilerKind.Fast) =>
        new(new LicenseRiskOptions { RulesDirectory = rulesDirectory, ExpressionCompiler = compiler, Limits = Limits });

    /// <summary>
    /// Reads the LICENSERISK_LIMITS__* environment variables once, at start; null with one error per
    /// bad value in <paramref name="diags"/>.
    /// </summary>
    public static EngineFactory? FromEnvironment(DiagnosticBag diags)
    {
        var problems = new List<string>();
        var limits = Limits.Read(
            property =>
            {
                var name = LimitsVariablePrefix + property.ToUpperInvariant();
                return (name, Environment.GetEnvironmentVariable(name));
            },
            problems);
        foreach (var problem in problems)
        {
            diags.Report(SourceSpan.None("licenserisk"), DiagnosticCodes.BadLimitVariable, problem);
        }

        return problems.Count == 0 ? new EngineFactory(limits) : null;
    }
}
