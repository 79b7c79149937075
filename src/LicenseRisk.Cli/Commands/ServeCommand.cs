using System.CommandLine;
using LicenseRisk.Cli.Options;
using LicenseRisk.Hosting.Service;
using LicenseRisk.Model;
using LicenseRisk.Web;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LicenseRisk.Cli.Commands;

/// <summary>
/// <c>licenserisk serve</c>: the hosted service. Settings come from appsettings.json, LICENSERISK__*
/// variables and the command line (<c>--LicenseRisk:Key=value</c>); the switches below win over all.
/// </summary>
internal sealed class ServeCommand : Command
{
    private readonly Option<string?> _vendors = new("--vendors") { Description = "Folder of vendor dossiers (LicenseRisk:Vendors)", HelpName = "DIR" };
    private readonly Option<string?> _output = SharedOptions.OutputDirectory("Folder for the reports (LicenseRisk:Out)");
    private readonly Option<string?> _history = new("--history") { Description = "History database (LicenseRisk:History; default: history.db in --output-dir)", HelpName = "FILE" };
    private readonly Option<string?> _rules = SharedOptions.Rules();
    private readonly Option<string?> _schedule = new("--schedule") { Description = "Cron schedule, five fields (LicenseRisk:Schedule; default '0 6 * * 1', Mondays 06:00)", HelpName = "CRON" };
    private readonly Option<string?> _config = new CheckedOption<string?>("--config", DiagnosticCodes.ConfigFileNotFound, file => File.Exists(file) ? (file, null) : (null, "--config: " + LicenseRisk.Yaml.SourcePaths.MissingFile(file, "no such file")), locatedAtValue: true)
    {
        Description = "Extra JSON settings file, read after appsettings.json",
        HelpName = "FILE",
    };

    private readonly Option<string?> _policy = SharedOptions.Policy();
    private readonly Option<string?> _urls = new("--urls") { Description = "Addresses the web UI and API listen on, ';'-separated (urls, ASPNETCORE_URLS; default http://localhost:5000, loopback only)", HelpName = "URLS" };
    private readonly Option<string?> _cases = new("--cases") { Description = "Folder of dossiers with a case: block; the web's /quality page backtests the running pack over them (LicenseRisk:Web:Cases)", HelpName = "DIR" };
    private readonly Option<bool> _runAtStart = new("--run-at-start") { Description = "Also run a report as soon as the service starts (LicenseRisk:RunAtStart)" };
    private readonly TextWriter _stderr;
    private readonly string[] _hostSettings;

    /// <param name="hostSettings">the <c>--Section:Key=value</c> settings of the command line (<see cref="SplitHostSettings"/>).</param>
    public ServeCommand(TextWriter stderr, string[] hostSettings)
        : base("serve", "Run the scheduled weekly report as a service with a web UI and API; reload rules and dossiers on change")
    {
        _stderr = stderr;
        _hostSettings = hostSettings;
        foreach (var option in new Option[] { _vendors, _output, _history, _rules, _schedule, _config, _runAtStart, _policy, _urls, _cases })
        {
            Add(option);
        }

        SetAction(RunAsync);
    }

    /// <summary>
    /// Takes the host's configuration settings out of a <c>serve</c> command line: <c>--LicenseRisk:Key=value</c>
    /// or <c>--LicenseRisk:Key value</c> (any <c>--Section:Key</c>, as the host reads them). Every other token is
    /// the command's, so an unknown option is an error rather than a setting nobody reads.
    /// </summary>
    public static (string[] CommandLine, string[] HostSettings) SplitHostSettings(string[] args)
    {
        if (args.Length == 0 || args[0] != "serve")
        {
            return (args, []);
        }

        var commandLine = new List<string>();
        var settings = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal) && args[i].Split('=')[0].Contains(':', StringComparison.Ordinal))
            {
                settings.Add(args[i]);
                if (!args[i].Contains('=', StringComparison.Ordinal) && i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    settings.Add(args[++i]);
                }
            }
            else
            {
                commandLine.Add(args[i]);
            }
        }

        return ([.. commandLine], [.. settings]);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        void Set(string key, string? value)
        {
            if (value is not null)
            {
                settings[$"{ServiceOptions.Section}:{key}"] = value;
            }
        }

        Set("Vendors", parse.GetValue(_vendors));
        Set("Out", parse.GetValue(_output));
        Set("History", parse.GetValue(_history));
        Set("Rules", parse.GetValue(_rules));
        Set("Schedule", parse.GetValue(_schedule));
        Set("Policy", parse.GetValue(_policy));
        if (parse.GetValue(_urls) is { } urls)
        {
            settings["urls"] = urls;
        }

        if (parse.GetValue(_cases) is { } cases)
        {
            settings[$"{WebOptions.Section}:Cases"] = cases;
        }

        if (parse.GetValue(_runAtStart))
        {
            Set("RunAtStart", "true");
        }

        try
        {
            await using var host = WebHost.Build(_hostSettings, settings, parse.GetValue(_config));
            await host.RunAsync(ct).ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        catch (Exception ex) when (Invalid(ex) is { Count: > 0 } problems)
        {
            foreach (var p in problems)
            {
                _stderr.WriteLine(p);
            }

            _stderr.WriteLine(Plural.Of(problems.Count, "error"));
            return ExitCodes.BadInput;
        }
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
