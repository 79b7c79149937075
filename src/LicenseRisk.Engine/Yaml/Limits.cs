namespace LicenseRisk.Yaml;

/// <summary>
/// Input limits. Each hit is a located error (exit 2), never a crash or a hang. The defaults are
/// generous for real dossiers and packs; change them through <see cref="Current"/> (the CLI and
/// the service read LICENSERISK_LIMITS__* environment variables).
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

    public static Limits Current { get; set; } = FromEnvironment();

    /// <summary>Reads LICENSERISK_LIMITS__MAXFILEBYTES and the like; bad values keep the default.</summary>
    public static Limits FromEnvironment()
    {
        var l = new Limits();
        static long? Get(string name) =>
            long.TryParse(Environment.GetEnvironmentVariable("LICENSERISK_LIMITS__" + name.ToUpperInvariant()), out var v) && v > 0 ? v : null;
        return l with
        {
            MaxFileBytes = Get(nameof(MaxFileBytes)) ?? l.MaxFileBytes,
            MaxYamlDepth = (int)(Get(nameof(MaxYamlDepth)) ?? l.MaxYamlDepth),
            MaxAliases = (int)(Get(nameof(MaxAliases)) ?? l.MaxAliases),
            MaxNodes = (int)(Get(nameof(MaxNodes)) ?? l.MaxNodes),
            MaxScalarLength = (int)(Get(nameof(MaxScalarLength)) ?? l.MaxScalarLength),
            MaxSignalsPerDossier = (int)(Get(nameof(MaxSignalsPerDossier)) ?? l.MaxSignalsPerDossier),
            MaxRulesPerPack = (int)(Get(nameof(MaxRulesPerPack)) ?? l.MaxRulesPerPack),
        };
    }
}
