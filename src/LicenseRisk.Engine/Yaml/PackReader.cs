using System.Text;
using LicenseRisk.Model;
using YamlDotNet.RepresentationModel;

namespace LicenseRisk.Yaml;

/// <summary>
/// Reads a rule pack folder (rule-format.md) into syntax records, every problem located: pack.yaml,
/// signals.yaml and every other *.yaml / *.yml file as a rule file, each through its own reader.
/// </summary>
public static class PackReader
{
    /// <summary>
    /// The names of the bands of the pack in <paramref name="directory"/>, lowest first, read from its
    /// pack.yaml alone (cheap enough to check a command line's <c>--fail-on</c> before the pack loads);
    /// null when pack.yaml is missing or has a problem, which loading the pack then reports.
    /// </summary>
    public static IReadOnlyList<string>? BandNames(string directory, Limits limits)
    {
        var diags = new DiagnosticBag();
        return PackFile(directory, limits, diags) is not { } read || diags.HasErrors ? null : [.. read.Bands.Thresholds.Select(t => t.Key)];
    }

    /// <summary>
    /// The pack's name and version, read from its pack.yaml alone (for <c>--version</c>, which names
    /// the pack without reading its signals and rules); null with the errors of the folder or of
    /// pack.yaml in <paramref name="diags"/>, reported as <see cref="Read"/> reports them.
    /// </summary>
    public static PackInfo? ReadInfo(string directory, Limits limits, DiagnosticBag diags) =>
        PackFile(directory, limits, diags)?.Info;

    /// <summary>The pack's pack.yaml read alone; null with the errors of the folder or of pack.yaml in <paramref name="diags"/>.</summary>
    private static (PackInfo Info, ModelSettings Model, Bands Bands)? PackFile(string directory, Limits limits, DiagnosticBag diags)
    {
        if (Folder(directory, diags) is null)
        {
            return null;
        }

        var packFile = SourcePaths.InFolder(directory, "pack.yaml");
        var root = YamlSource.LoadFile(packFile, packFile, limits, diags);
        return root is null ? null : PackFileReader.Read(new Nodes(packFile, diags), root);
    }

    /// <summary>The pack folder's normalized name; null, reported, when there is no such folder.</summary>
    private static string? Folder(string directory, DiagnosticBag diags)
    {
        var dir = SourcePaths.Normalize(directory).TrimEnd('/');
        if (Directory.Exists(directory))
        {
            return dir;
        }

        diags.Report(SourceSpan.None(dir), DiagnosticCodes.FileNotFound, File.Exists(directory) ? "is a file; a rule pack is a folder holding pack.yaml" : "rule pack folder not found");
        return null;
    }

    public static PackSyntax? Read(string directory, Limits limits, DiagnosticBag diags)
    {
        if (Folder(directory, diags) is not { } dir)
        {
            return null;
        }

        // Both sides normalized, so "." or "../rules" names pack.yaml as the folder listing does.
        var packFile = SourcePaths.InFolder(directory, "pack.yaml");
        var signalsFile = SourcePaths.InFolder(directory, "signals.yaml");
        var ruleFiles = SourcePaths.YamlFiles(directory, SearchOption.TopDirectoryOnly)
            .Where(f => f != packFile && f != signalsFile)
            .ToList();

        var read = new List<(string File, SourceFile Source)>();
        YamlNode? Load(string file, out SourceFile? source)
        {
            var root = YamlSource.LoadFile(file, file, limits, diags, out source);
            if (source is not null)
            {
                read.Add((file, source));
            }

            return root;
        }

        var packRoot = Load(packFile, out _);
        var signalsRoot = Load(signalsFile, out _);
        var settings = packRoot is null ? null : PackFileReader.Read(new Nodes(packFile, diags), packRoot);
        var catalog = signalsRoot is null ? null : SignalCatalogReader.Read(new Nodes(signalsFile, diags), signalsRoot);

        var rules = new List<RuleSyntax>();
        foreach (var file in ruleFiles)
        {
            if (Load(file, out var source) is { } root)
            {
                rules.AddRange(RuleFileReader.Read(new Nodes(file, diags) { Text = source!.Text }, root));
            }
        }

        if (rules.Count > limits.MaxRulesPerPack)
        {
            diags.Report(new SourceSpan(dir, 0, 0), DiagnosticCodes.TooManyRules, $"the pack has {rules.Count} rules; the limit is {limits.MaxRulesPerPack}");
            return null;
        }

        CheckUniqueIds(rules, diags);
        if (settings is null || catalog is null)
        {
            return null;
        }

        var hash = Hash(dir, read);
        return new PackSyntax(dir, settings.Value.Info, settings.Value.Model, settings.Value.Bands, catalog, rules, hash);
    }

    /// <summary>
    /// SHA-256 over the pack's files (relative name and bytes, as read for parsing), independent of
    /// where the pack sits.
    /// </summary>
    public static string Hash(string dir, IEnumerable<(string File, SourceFile Source)> files)
    {
        var sha = new ContentHash();
        foreach (var (f, source) in files.OrderBy(x => x.File, StringComparer.Ordinal))
        {
            sha.Append(Encoding.UTF8.GetBytes(Path.GetRelativePath(dir, f).Replace('\\', '/') + "\0"));
            sha.Append(source.Bytes);
            sha.Append("\0"u8);
        }

        return sha.Finish();
    }

    private static void CheckUniqueIds(List<RuleSyntax> rules, DiagnosticBag diags)
    {
        var seen = new Dictionary<string, RuleSyntax>(StringComparer.Ordinal);
        foreach (var r in rules)
        {
            if (!seen.TryAdd(r.Id, r))
            {
                diags.Report(r.Span, DiagnosticCodes.DuplicateRuleId, $"rule id '{r.Id}' is already used at {seen[r.Id].Span}");
            }
        }
    }
}
