namespace LicenseRisk.Yaml;

/// <summary>
/// One spelling per file, so a file is the same whichever way it was named: forward slashes,
/// relative to the current folder when inside it ("./a.yaml", "a.yaml", "../here/a.yaml" and the
/// absolute path are one file in every output and every comparison).
/// </summary>
public static class SourcePaths
{
    public static string Normalize(string path)
    {
        var full = Path.GetFullPath(path);
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), full);
        var chosen = relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? full : relative;
        return chosen.Replace('\\', '/');
    }

    /// <summary>The normalized path of a file inside a folder.</summary>
    public static string InFolder(string folder, string name) => Normalize(Path.Combine(folder, name));

    /// <summary>The folder's *.yaml and *.yml files, normalized, in ordinal order.</summary>
    public static IReadOnlyList<string> YamlFiles(string folder, SearchOption search) =>
        [.. Directory.EnumerateFiles(folder, "*.*", search)
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
            .Select(Normalize)
            .Order(StringComparer.Ordinal)];
}
