using System.Text.RegularExpressions;

namespace LicenseRisk.Yaml;

/// <summary>The shapes of names in packs and dossiers, one pattern each.</summary>
public static partial class Names
{
    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,95}$")]
    private static partial Regex SourceNamePattern();

    /// <summary>An organisation or author prefix in vendor.sources (Hugging Face, OpenRouter, GitHub).</summary>
    public static bool IsSourceName(string name) => SourceNamePattern().IsMatch(name);

    /// <summary>A signal kind, field or alias name: [a-z][a-z0-9_]*.</summary>
    public static bool IsName(string name) => NamePattern().IsMatch(name);

    /// <summary>A rule or vendor id: [a-z0-9][a-z0-9-]*.</summary>
    public static bool IsId(string id) => IdPattern().IsMatch(id);
}
