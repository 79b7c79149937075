using Cronos;
using LicenseRisk.Collection;
using Microsoft.Extensions.Options;

namespace LicenseRisk.Hosting.Service;

/// <summary>The service's settings: section <c>LicenseRisk</c> of appsettings.json, LICENSERISK__* variables, the command line.</summary>
public sealed class ServiceOptions
{
    public const string Section = "LicenseRisk";

    /// <summary>Folder of vendor dossiers (required).</summary>
    public string? Vendors { get; set; }

    /// <summary>Folder the reports are written to (required).</summary>
    public string? Out { get; set; }

    /// <summary>Rule pack folder; empty means the bundled pack.</summary>
    public string? Rules { get; set; }

    /// <summary>History database; empty means history.db in <see cref="Out"/>.</summary>
    public string? History { get; set; }

    /// <summary>Cron expression (five fields) of the report runs.</summary>
    public string Schedule { get; set; } = "0 6 * * 1";

    /// <summary>Time zone of the schedule and of the as-of day (IANA id).</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>An organisation policy (policy.yaml) layered over the pack; reloaded when it changes.</summary>
    public string? Policy { get; set; }

    /// <summary>Also run a report as soon as the service starts, then follow the schedule.</summary>
    public bool RunAtStart { get; set; }

    public int? HorizonMonths { get; set; }

    /// <summary>Quiet time after the last change in the watched folders before reloading.</summary>
    public double ReloadDebounceSeconds { get; set; } = 2;

    /// <summary>How long a run waits for another run's lock on the output folder.</summary>
    public double LockWaitSeconds { get; set; } = 30;

    public WebhookOptions Webhook { get; set; } = new();

    /// <summary>Collecting before each report (and on its own schedule): section LicenseRisk:Collect.</summary>
    public CollectSettings Collect { get; set; } = new();
}

/// <summary>
/// The service's collect (docs/collection.md): before each report run, and on <see cref="Schedule"/>
/// when set, it reads the sources the dossiers name and adds candidates to their inboxes.
/// </summary>
public sealed class CollectSettings
{
    /// <summary>true: always; false: never; unset (the default): when any dossier names sources.</summary>
    public bool? Enabled { get; set; }

    /// <summary>Cron expression (five fields) of extra collects between reports (e.g. daily); empty: only before each report.</summary>
    public string? Schedule { get; set; }

    /// <summary>The Hugging Face Hub's address; empty: https://huggingface.co.</summary>
    public string? HubUrl { get; set; }

    /// <summary>OpenRouter's address; empty: https://openrouter.ai.</summary>
    public string? OpenRouterUrl { get; set; }

    /// <summary>The GitHub API's address; empty: https://api.github.com.</summary>
    public string? GitHubUrl { get; set; }

    /// <summary>Folder of the conditional-request cache; empty: http-cache in the output folder.</summary>
    public string? Cache { get; set; }

    /// <summary>Seconds one request may take before its source fails for this run.</summary>
    public double RequestTimeoutSeconds { get; set; } = 30;

    /// <summary>Seconds a whole collect may take; after that it stops, the inboxes keep what was written, and the report is written.</summary>
    public double TimeoutSeconds { get; set; } = 600;

    /// <summary>Retries of a 429 or 5xx answer.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The collectors' options from these settings; the cache defaults to http-cache in <paramref name="outDirectory"/>.</summary>
    public CollectOptions ToOptions(string outDirectory)
    {
        var o = new CollectOptions
        {
            CacheDirectory = string.IsNullOrWhiteSpace(Cache) ? Path.Combine(outDirectory, "http-cache") : Cache,
            Timeout = TimeSpan.FromSeconds(RequestTimeoutSeconds),
            MaxRetries = MaxRetries,
        };
        o.HubUrl = string.IsNullOrWhiteSpace(HubUrl) ? o.HubUrl : CollectOptions.ParseBaseUrl(HubUrl)!;
        o.OpenRouterUrl = string.IsNullOrWhiteSpace(OpenRouterUrl) ? o.OpenRouterUrl : CollectOptions.ParseBaseUrl(OpenRouterUrl)!;
        o.GitHubUrl = string.IsNullOrWhiteSpace(GitHubUrl) ? o.GitHubUrl : CollectOptions.ParseBaseUrl(GitHubUrl)!;
        return o;
    }
}

/// <summary>Optional notification when a vendor's band changes or its probability moves more than <see cref="ProbabilityChange"/>.</summary>
public sealed class WebhookOptions
{
    /// <summary>http(s) URL that receives a JSON POST with a Slack-compatible <c>text</c> field; empty: no notifications.</summary>
    public string? Url { get; set; }

    public double ProbabilityChange { get; set; } = 0.05;

    public int MaxAttempts { get; set; } = 4;

    public double InitialBackoffSeconds { get; set; } = 2;

    public double TimeoutSeconds { get; set; } = 10;
}

/// <summary>Checks the options at start and lists every problem.</summary>
public sealed class ServiceOptionsValidator : IValidateOptions<ServiceOptions>
{
    public ValidateOptionsResult Validate(string? name, ServiceOptions o)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(o.Vendors))
        {
            errors.Add("LicenseRisk:Vendors is required (--vendors DIR or LICENSERISK__VENDORS)");
        }
        else if (!Directory.Exists(o.Vendors))
        {
            errors.Add($"LicenseRisk:Vendors: no such folder '{o.Vendors}'");
        }

        if (string.IsNullOrWhiteSpace(o.Out))
        {
            errors.Add("LicenseRisk:Out is required (--output-dir DIR or LICENSERISK__OUT)");
        }
        else if (File.Exists(o.Out))
        {
            errors.Add($"LicenseRisk:Out: '{o.Out}' is a file; it must be a folder for the reports");
        }

        if (!string.IsNullOrWhiteSpace(o.Policy) && !File.Exists(o.Policy))
        {
            errors.Add($"LicenseRisk:Policy: no such file '{o.Policy}'");
        }

        if (!string.IsNullOrWhiteSpace(o.Rules) && !Directory.Exists(o.Rules))
        {
            errors.Add($"LicenseRisk:Rules: no such folder '{o.Rules}'");
        }

        if (!CronExpression.TryParse(o.Schedule ?? string.Empty, CronFormat.Standard, out _))
        {
            errors.Add($"LicenseRisk:Schedule: '{o.Schedule}' is not a cron expression of five fields (minute hour day month weekday), e.g. '0 6 * * 1'");
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(o.TimeZone ?? string.Empty, out _))
        {
            errors.Add($"LicenseRisk:TimeZone: unknown time zone '{o.TimeZone}'");
        }

        if (o.HorizonMonths is < 1 or > 120)
        {
            errors.Add($"LicenseRisk:HorizonMonths: must be between 1 and 120, not {o.HorizonMonths}");
        }

        if (o.ReloadDebounceSeconds is < 0 or > 3600 || double.IsNaN(o.ReloadDebounceSeconds))
        {
            errors.Add($"LicenseRisk:ReloadDebounceSeconds: must be between 0 and 3600, not {o.ReloadDebounceSeconds}");
        }

        if (o.LockWaitSeconds is < 0 or > 3600 || double.IsNaN(o.LockWaitSeconds))
        {
            errors.Add($"LicenseRisk:LockWaitSeconds: must be between 0 and 3600, not {o.LockWaitSeconds}");
        }

        var c = o.Collect;
        if (!string.IsNullOrWhiteSpace(c.Schedule) && !CronExpression.TryParse(c.Schedule, CronFormat.Standard, out _))
        {
            errors.Add($"LicenseRisk:Collect:Schedule: '{c.Schedule}' is not a cron expression of five fields (minute hour day month weekday), e.g. '0 5 * * *'");
        }

        foreach (var (key, url) in new[] { ("HubUrl", c.HubUrl), ("OpenRouterUrl", c.OpenRouterUrl), ("GitHubUrl", c.GitHubUrl) })
        {
            if (!string.IsNullOrWhiteSpace(url) && CollectOptions.ParseBaseUrl(url) is null)
            {
                errors.Add($"LicenseRisk:Collect:{key}: '{url}' is not an absolute http(s) URL");
            }
        }

        if (c.RequestTimeoutSeconds is < 0.01 or > 600 || double.IsNaN(c.RequestTimeoutSeconds))
        {
            errors.Add($"LicenseRisk:Collect:RequestTimeoutSeconds: must be between 0.01 and 600, not {c.RequestTimeoutSeconds}");
        }

        if (c.TimeoutSeconds is < 0.01 or > 86400 || double.IsNaN(c.TimeoutSeconds))
        {
            errors.Add($"LicenseRisk:Collect:TimeoutSeconds: must be between 0.01 and 86400, not {c.TimeoutSeconds}");
        }

        if (c.MaxRetries is < 0 or > 10)
        {
            errors.Add($"LicenseRisk:Collect:MaxRetries: must be between 0 and 10, not {c.MaxRetries}");
        }

        var w = o.Webhook;
        if (!string.IsNullOrWhiteSpace(w.Url)
            && (!Uri.TryCreate(w.Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            errors.Add($"LicenseRisk:Webhook:Url: '{w.Url}' is not an absolute http(s) URL");
        }

        if (w.ProbabilityChange is <= 0 or >= 1 || double.IsNaN(w.ProbabilityChange))
        {
            errors.Add($"LicenseRisk:Webhook:ProbabilityChange: must be above 0 and below 1, not {w.ProbabilityChange}");
        }

        if (w.MaxAttempts is < 1 or > 20)
        {
            errors.Add($"LicenseRisk:Webhook:MaxAttempts: must be between 1 and 20, not {w.MaxAttempts}");
        }

        if (w.InitialBackoffSeconds is < 0 or > 3600 || double.IsNaN(w.InitialBackoffSeconds))
        {
            errors.Add($"LicenseRisk:Webhook:InitialBackoffSeconds: must be between 0 and 3600, not {w.InitialBackoffSeconds}");
        }

        if (w.TimeoutSeconds is < 0.01 or > 600 || double.IsNaN(w.TimeoutSeconds))
        {
            errors.Add($"LicenseRisk:Webhook:TimeoutSeconds: must be between 0.01 and 600, not {w.TimeoutSeconds}");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
