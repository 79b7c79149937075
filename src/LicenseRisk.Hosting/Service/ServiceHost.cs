using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using LicenseRisk.Application;
using LicenseRisk.Collection;

namespace LicenseRisk.Hosting.Service;

/// <summary>Builds the <c>licenserisk serve</c> host: configuration, options validated at start, the worker, the watcher, the webhook.</summary>
public static class ServiceHost
{
    /// <param name="args">command-line configuration (<c>--LicenseRisk:Schedule=...</c>), read after appsettings.json and the environment.</param>
    /// <param name="settings">values that win over every other source (the CLI's own switches).</param>
    /// <param name="configFile">an extra JSON settings file, read after appsettings.json.</param>
    /// <param name="configure">last changes to the services (tests replace the TimeProvider here).</param>
    public static IHost Build(
        string[] args,
        IReadOnlyDictionary<string, string?>? settings = null,
        string? configFile = null,
        Action<IServiceCollection>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args,
            ContentRootPath = Directory.GetCurrentDirectory(),
        });
        Configure(builder, args, settings, configFile, configure);
        return builder.Build();
    }

    /// <summary>
    /// Adds the service (configuration sources, options, worker, watcher, webhook) to a host
    /// builder: a plain host (<see cref="Build"/>) or the web host of <c>licenserisk serve</c>.
    /// </summary>
    public static void Configure(
        IHostApplicationBuilder builder,
        string[] args,
        IReadOnlyDictionary<string, string?>? settings = null,
        string? configFile = null,
        Action<IServiceCollection>? configure = null)
    {
        if (configFile is not null)
        {
            builder.Configuration.AddJsonFile(Path.GetFullPath(configFile), optional: false, reloadOnChange: false);
            builder.Configuration.AddCommandLine(args);
        }

        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        // The CLI prints start-up failures itself, one line per problem, without a stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);

        // The webhook logs its own attempts and the collector each failed source (one warning, no
        // stack trace); the client's per-request events and Polly's retry telemetry would repeat
        // them, and Polly logs a handled last attempt as an error with the exception's stack trace.
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        builder.Logging.AddFilter("Polly", LogLevel.None);
        var services = builder.Services;
        services.AddSystemd();
        var limits = new LimitsSettings(builder.Configuration);
        services.AddLicenseRisk(options => options.Limits = limits.Value);
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<ServiceOptions>().Bind(builder.Configuration.GetSection(ServiceOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ServiceOptions>, ServiceOptionsValidator>();
        services.AddSingleton<IValidateOptions<ServiceOptions>>(limits);
        services.AddSingleton<InputState>();
        services.AddSingleton<ServiceStatus>();
        services.AddHostedService<ReportWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<InputWatcher>());
        services.AddSingleton<InputWatcher>();
        services.AddWebhook();

        // The collectors' HTTP clients and the service's collect (docs/collection.md).
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<ServiceOptions>>().Value;
            return o.Collect.ToOptions(o.Out!);
        });
        services.AddCollectionClients(sp => sp.GetRequiredService<CollectOptions>());
        services.AddSingleton(sp => new SourceFetcher(sp.GetRequiredService<IHttpClientFactory>(), sp.GetRequiredService<CollectOptions>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new Collector(sp.GetRequiredService<SourceFetcher>(), sp.GetRequiredService<CollectOptions>()));
        services.AddSingleton<CollectionRunner>();
        services.AddHostedService<CollectWorker>();
        configure?.Invoke(services);
    }
}
