using System.Threading.RateLimiting;
using LicenseRisk.Application;
using LicenseRisk.Hosting.Service;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LicenseRisk.Web;

/// <summary>
/// <c>licenserisk serve</c> as an ASP.NET Core application: the scheduled report service
/// (<see cref="ServiceHost.Configure"/>) plus the pages and the API. The listening address follows
/// ASP.NET Core's conventions (<c>--urls</c>, <c>ASPNETCORE_URLS</c>, <c>Kestrel:Endpoints</c>);
/// without one it is http://localhost:5000, loopback only.
/// </summary>
public static class WebHost
{
    public const string ScorePolicy = "score";

    /// <summary>How far over Limits.MaxFileBytes Kestrel still reads a body (to answer 413 cleanly).</summary>
    public const long BodySlack = 64 * 1024;

    /// <param name="args">command-line configuration (<c>--LicenseRisk:Schedule=...</c>, <c>--urls=...</c>).</param>
    /// <param name="settings">values that win over every other source (the CLI's own switches).</param>
    /// <param name="configFile">an extra JSON settings file, read after appsettings.json.</param>
    /// <param name="configure">last changes to the services (tests replace the TimeProvider here).</param>
    public static WebApplication Build(
        string[] args,
        IReadOnlyDictionary<string, string?>? settings = null,
        string? configFile = null,
        Action<IServiceCollection>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = Directory.GetCurrentDirectory(),
        });
        ServiceHost.Configure(builder, args, settings, configFile, services =>
        {
            AddWeb(services, builder.Configuration);
            configure?.Invoke(services);
        });
        // Kestrel and routing log each request at Information; keep the start-up lines (Microsoft.Hosting.Lifetime) and problems.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        var app = builder.Build();
        app.UseMiddleware<SecurityHeaders>();
        app.UseRateLimiter();
        ApiEndpoints.Map(app);
        PageEndpoints.Map(app);
        app.MapOpenApi("/openapi/{documentName}.json");
        return app;
    }

    private static void AddWeb(IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        services.AddOptions<WebOptions>().Bind(configuration.GetSection(WebOptions.Section));
        services.AddSingleton<LiveScores>();
        services.AddSingleton<WebCounters>();
        services.AddSingleton<ReviewDesk>();
        services.AddSingleton<ForecastQuality>();
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "licenserisk-af";
            o.FormFieldName = "af";
        });
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, WebJsonContext.Default));

        // A request body is at most what the readers accept for one file (Limits.MaxFileBytes); the
        // endpoints answer 413 above that. Kestrel's own cap is 64 KiB higher so that it can drain a
        // body a little over the limit and the client reads the 413 (closing a socket with unread
        // data resets the connection); a far larger body is cut off by Kestrel.
        services.AddOptions<KestrelServerOptions>().Configure<LicenseRiskOptions>((k, lr) => k.Limits.MaxRequestBodySize = lr.Limits.MaxFileBytes + BodySlack);
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(ScorePolicy, ctx =>
            {
                var perMinute = ctx.RequestServices.GetRequiredService<IOptions<WebOptions>>().Value.ScoreRequestsPerMinute;
                return RateLimitPartition.GetFixedWindowLimiter(ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = Math.Max(1, perMinute),
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                });
            });
        });
        services.AddOpenApi("v1", o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "LicenseRisk";
            doc.Info.Description = "Scores of open-weight model vendors, their history, scoring and what-if. docs/web.md";
            return Task.CompletedTask;
        }));
    }
}
