namespace LicenseRisk.Model;

/// <summary>A string taken from YAML with the place it came from (for located errors).</summary>
public sealed record Located(string Text, SourceSpan Span, bool Quoted = false)
{
    /// <summary>The scalar as written in the file (quotes, escapes, block indentation), starting at <see cref="Span"/>; null when unknown.</summary>
    public string? Raw { get; init; }
}

public sealed record PackInfo(string Name, string Version);

public sealed record ModelSettings(double Prior, int HorizonMonths, double HalfLifeDays, double DefaultSd);

/// <summary>Band thresholds, ascending: a probability takes the last band whose threshold it reaches.</summary>
public sealed record Bands(IReadOnlyList<KeyValuePair<string, double>> Thresholds)
{
    public string Classify(double p)
    {
        var band = Thresholds.Count > 0 ? Thresholds[0].Key : "unknown";
        foreach (var (name, threshold) in Thresholds)
        {
            if (p >= threshold)
            {
                band = name;
            }
        }

        return band;
    }
}

public enum ItemKind
{
    Signal,
    No,
    Count,
    Sum,
    Any,
}

/// <summary>One item under a rule's <c>when:</c>.</summary>
public sealed record ItemSyntax(
    ItemKind Kind,
    Located? KindName,
    Located? SumField,
    string? Alias,
    Located? Where,
    double? AtLeast,
    double? AtMost,
    IReadOnlyList<IReadOnlyList<ItemSyntax>> Branches,
    SourceSpan Span);

public sealed record DeriveSyntax(Located KindName, Located? Date, IReadOnlyList<KeyValuePair<string, Located>> Fields, SourceSpan Span);

/// <summary>A rule as written in YAML, before binding.</summary>
public sealed record RuleSyntax(
    string Id,
    string Title,
    string? Group,
    double? Weight,
    double? Sd,
    double? HalfLifeDays,
    bool Decay,
    IReadOnlyList<ItemSyntax> When,
    Located? Because,
    DeriveSyntax? Derive,
    IReadOnlyList<string> References,
    string? Rationale,
    SourceSpan Span)
{
    /// <summary>The weight the rule's argument gives, when a fit has moved <see cref="Weight"/> away from it (<c>argued_weight:</c>).</summary>
    public double? ArguedWeight { get; init; }
}

/// <summary>A rule pack as read from its folder, before compilation.</summary>
public sealed record PackSyntax(
    string Directory,
    PackInfo Info,
    ModelSettings Model,
    Bands Bands,
    SignalCatalog Catalog,
    IReadOnlyList<RuleSyntax> Rules,
    string Sha256);
