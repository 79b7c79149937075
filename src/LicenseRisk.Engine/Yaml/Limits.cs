namespace LicenseRisk.Yaml;

/// <summary>
/// Input limits, passed to every reader. Each hit is a located error (exit 2), never a crash or a
/// hang. The defaults are generous for real dossiers and packs; the CLI reads LICENSERISK_LIMITS__*
/// environment variables, the service its LicenseRisk:Limits settings too.
/// </summary>
public sealed record Limits
{
    public long MaxFileBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Nested mappings and lists; a real dossier needs 4.</summary>
    public int MaxYamlDepth { get; init; } = 32;

    /// <summary>YAML aliases (*ref) per file. Aliases are never expanded, so this also bounds work.</summary>
    public int MaxAliases { get; init; } = 100;

    /// <summary>YAML nodes (scalars, mappings, lists) per file.</summary>
    public int MaxNodes { get; init; } = 500_000;

    public int MaxScalarLength { get; init; } = 20_000;

    public int MaxSignalsPerDossier { get; init; } = 20_000;

    public int MaxRulesPerPack { get; init; } = 5_000;

    /// <summary>
    /// Reads limits from text settings: <paramref name="setting"/> gives, for a property name such as
    /// MaxFileBytes, the name to show in a message and the value (null: keep the default). A value that
    /// is not a whole number above 0 adds a problem naming the setting to <paramref name="problems"/>.
    /// </summary>
    public static Limits Read(Func<string, (string Name, string? Value)> setting, ICollection<string> problems)
    {
        var defaults = new Limits();
        long Get(string property, long fallback, long max)
        {
            var (name, value) = setting(property);
            if (value is null)
            {
                return fallback;
            }

            if (long.TryParse(value.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v) && v is > 0 && v <= max)
            {
                return v;
            }

            problems.Add($"{name}: must be a whole number from 1 to {max}, not '{value}'");
            return fallback;
        }

        int GetInt(string property, int fallback) => (int)Get(property, fallback, int.MaxValue);
        return new Limits
        {
            MaxFileBytes = Get(nameof(MaxFileBytes), defaults.MaxFileBytes, long.MaxValue),
            MaxYamlDepth = GetInt(nameof(MaxYamlDepth), defaults.MaxYamlDepth),
            MaxAliases = GetInt(nameof(MaxAliases), defaults.MaxAliases),
            MaxNodes = GetInt(nameof(MaxNodes), defaults.MaxNodes),
            MaxScalarLength = GetInt(nameof(MaxScalarLength), defaults.MaxScalarLength),
            MaxSignalsPerDossier = GetInt(nameof(MaxSignalsPerDossier), defaults.MaxSignalsPerDossier),
            MaxRulesPerPack = GetInt(nameof(MaxRulesPerPack), defaults.MaxRulesPerPack),
        };
    }
}
