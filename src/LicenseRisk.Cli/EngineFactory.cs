using LicenseRisk.Application;
using LicenseRisk.Rules;

namespace LicenseRisk.Cli;

/// <summary>
/// The engine, configured as <see cref="ServiceCollectionExtensions.AddLicenseRisk"/> does for the
/// service and the tests, but built directly: a dependency-injection container costs a CLI run
/// about 10 ms of start-up (its generic dictionaries are JIT-compiled) and resolves nothing else.
/// </summary>
public static class EngineFactory
{
    public static LicenseRiskEngine Create(string? rulesDirectory, ExpressionCompilerKind compiler = ExpressionCompilerKind.Fast) =>
        new(new LicenseRiskOptions { RulesDirectory = rulesDirectory, ExpressionCompiler = compiler });
}
