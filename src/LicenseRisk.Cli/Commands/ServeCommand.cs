using System.CommandLine;
using LicenseRisk.Hosting.Service;
using LicenseRisk.Model;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LicenseRisk.Cli.Commands;

/// <summary>
/// <c>licenserisk serve</c>: the hosted service. Settings come from appsettings.json, LICENSERISK__*
/// variables and the command line (<c>--LicenseRisk:Key=value</c>); the switches below win over all.
/// </summary>
public static class ServeCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var vendors = new Option<string?>("--vendors") { Description = "Folder of vendor dossiers (LicenseRisk:Vendors)" };
        var output = new Option<string?>("--out") { Description = "Folder for the reports (LicenseRisk:Out)" };
        var history = new Option<string?>("--history") { Description = "History database (LicenseRisk:History; default: history.db in --out)" };
        var rules = CommonOptions.Rules();
        var schedule = new Option<string?>("--schedule") { Description = "Cron schedule, five fields (LicenseRisk:Schedule; default '0 6 * * 1', Mondays 06:00)" };
        var config = new Option<string?>("--config") { Description = "Extra JSON settings file, read after appsettings.json" };
        var policy = CommonOptions.Policy();
        var runAtStart = new Option<bool>("--run-at-start") { Description = "Also run a report as soon as the service starts (LicenseRisk:RunAtStart)" };
        var command = new Command("serve", "Run the scheduled weekly report as a service; reload rules and dossiers on change")
        {
            vendors, output, history, rules, schedule, config, runAtStart, policy,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, ct) =>
        {
            var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            void Set(string key, string? value)
            {
                if (value is not null)
                {
                    settings[$"{ServiceOptions.Section}:{key}"] = value;
                }
            }

            Set("Vendors", parse.GetValue(vendors));
            Set("Out", parse.GetValue(output));
            Set("History", parse.GetValue(history));
            Set("Rules", parse.GetValue(rules));
            Set("Schedule", parse.GetValue(schedule));
            Set("Policy", parse.GetValue(policy));
            if (parse.GetValue(runAtStart))
            {
                Set("RunAtStart", "true");
            }
            var configFile = parse.GetValue(config);
            if (configFile is not null && !File.Exists(configFile))
            {
                stderr.WriteLine($"{configFile}: {DiagnosticCodes.ConfigFileNotFound.Label}: --config: no such file");
                return ExitCodes.BadInput;
            }

            try
            {
                using var host = ServiceHost.Build([.. parse.UnmatchedTokens], settings, configFile);
                await host.RunAsync(ct).ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            catch (Exception ex) when (Invalid(ex) is { Count: > 0 } problems)
            {
                foreach (var p in problems)
                {
                    stderr.WriteLine(p);
                }

                stderr.WriteLine(Plural.Of(problems.Count, "error"));
                return ExitCodes.BadInput;
            }
        });
        return command;
    }

    /// <summary>Bad options or inputs found at start, one line each; empty for anything else (a bug).</summary>
    private static List<string> Invalid(Exception ex) => ex switch
    {
        OptionsValidationException o => [.. o.Failures.Select(f => $"licenserisk serve: {DiagnosticCodes.BadServiceSettings.Label}: {f}")],
        InputException i => [.. i.Diagnostics.Select(d => d.ToString())],
        AggregateException a => [.. a.InnerExceptions.SelectMany(Invalid)],

        // A configuration file that is not JSON, or a value that does not convert to its setting's type.
        InvalidDataException d => [$"licenserisk serve: {DiagnosticCodes.BadServiceSettings.Label}: configuration file: {d.Message}"],
        InvalidOperationException c when c.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) =>
            [$"licenserisk serve: {DiagnosticCodes.BadServiceSettings.Label}: {c.Message}"],
        _ => [],
    };
}
