namespace LicenseRisk.Yaml;

/// <summary>
/// One spelling per file, so a file is the same whichever way it was named: forward slashes,
/// relative to the current folder when inside it ("./a.yaml", "a.yaml", "../here/a.yaml" and the
/// absolute path are one file in every output and every comparison).
/// </summary>
public static class SourcePaths
{
    public static string Normalize(string path) => Normalize(path, Directory.GetCurrentDirectory());

    private static string Normalize(string path, string currentDirectory)
    {
        var full = Path.GetFullPath(path);
        var relative = Path.GetRelativePath(currentDirectory, full);
        var chosen = relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? full : relative;
        return chosen.Replace('\\', '/');
    }

    /// <summary>The normalized path of a file inside a folder.</summary>
    public static string InFolder(string folder, string name) => Normalize(Path.Combine(folder, name));

    /// <summary>Why a file that was expected at <paramref name="path"/> cannot be read: a folder stands there, or nothing does.</summary>
    public static string MissingFile(string path, string notFound = "file not found") =>
        Directory.Exists(path) ? "is a folder; a file is expected here" : notFound;

    /// <summary>The folder's *.yaml and *.yml files, normalized, in ordinal order.</summary>
    /// <remarks>A loop and one sort rather than LINQ's ordering, whose generic types Native AOT made at run time.</remarks>
    public static IReadOnlyList<string> YamlFiles(string folder, SearchOption search)
    {
        var currentDirectory = Directory.GetCurrentDirectory();
        var files = new List<string>();
        foreach (var f in Directory.EnumerateFiles(folder, "*.*", search))
        {
            if (f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
            {
                files.Add(Normalize(f, currentDirectory));
            }
        }

        files.Sort(StringComparer.Ordinal);
        return files;
    }
}
