namespace LicenseRisk.Collection;

/// <summary>
/// Where and how collect reads its sources. The defaults are the real services; tests and mirrors
/// point the base addresses elsewhere (<c>--hub-url</c>, <c>--openrouter-url</c>, <c>--github-url</c>,
/// and the service's Collect settings).
/// </summary>
public sealed class CollectOptions
{
    /// <summary>The Hugging Face Hub (https://huggingface.co).</summary>
    public Uri HubUrl { get; set; } = new("https://huggingface.co/");

    /// <summary>OpenRouter (https://openrouter.ai).</summary>
    public Uri OpenRouterUrl { get; set; } = new("https://openrouter.ai/");

    /// <summary>The GitHub API (https://api.github.com).</summary>
    public Uri GitHubUrl { get; set; } = new("https://api.github.com/");

    /// <summary>How long one request may take before the source is given up for this run.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The largest response body read; a larger one fails its source.</summary>
    public long MaxResponseBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>The most pages read from one paged listing.</summary>
    public int MaxPages { get; set; } = 50;

    /// <summary>Retries of a 429 or 5xx answer (after the wait the source asks for, or a back-off).</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first back-off when the source does not say how long to wait (doubled each retry).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest wait a rate limit may ask for; a longer one fails the source for this run.</summary>
    public TimeSpan MaxRetryWait { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Folder of the conditional-request cache (ETag and body per address), so a weekly run does
    /// not download unchanged listings again; null for no cache.
    /// </summary>
    public string? CacheDirectory { get; set; }

    /// <summary>A base address from text: absolute http(s), with a trailing '/' added; null when it is not one.</summary>
    public static Uri? ParseBaseUrl(string text) =>
        Uri.TryCreate(text.EndsWith('/') ? text : text + "/", UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri : null;

    /// <summary>The default cache folder: $XDG_CACHE_HOME/licenserisk/http, or ~/.cache/licenserisk/http.</summary>
    public static string DefaultCacheDirectory()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var root = string.IsNullOrEmpty(xdg) ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache") : xdg;
        return Path.Combine(root, "licenserisk", "http");
    }
}
