namespace LicenseRisk.Collection;

/// <summary>A source that could not be read this run: which one, at which address, and why.</summary>
public sealed class SourceException(string source, string url, string reason, Exception? inner = null)
    : Exception($"{source}: {url}: {reason}", inner)
{
    /// <summary>huggingface, openrouter, github or feed.</summary>
    public string SourceName { get; } = source;

    /// <summary>The address that failed.</summary>
    public string Url { get; } = url;

    /// <summary>What went wrong, for a person.</summary>
    public string Reason { get; } = reason;
}
