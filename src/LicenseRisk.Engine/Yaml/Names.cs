using System.Text.RegularExpressions;

namespace LicenseRisk.Yaml;

/// <summary>The two shapes of names in packs and dossiers, one pattern each.</summary>
public static partial class Names
{
    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$")]
    private static partial Regex IdPattern();

    /// <summary>A signal kind, field or alias name: [a-z][a-z0-9_]*.</summary>
    public static bool IsName(string name) => NamePattern().IsMatch(name);

    /// <summary>A rule or vendor id: [a-z0-9][a-z0-9-]*.</summary>
    public static bool IsId(string id) => IdPattern().IsMatch(id);
}
