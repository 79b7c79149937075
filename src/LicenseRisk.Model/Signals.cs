namespace LicenseRisk.Model;

public enum FieldType
{
    String,
    Number,
    Int,
    Bool,
    Date,
    Enum,
}

/// <summary>A typed field of a signal kind, as declared in signals.yaml.</summary>
public sealed record FieldDef(string Name, FieldType Type, bool Required, IReadOnlyList<string> Values, SourceSpan Span)
{
    /// <summary>Index of the field inside its kind (also its presence bit).</summary>
    public int Index { get; init; }

    /// <summary>Slot in the fact's typed array for this field's storage class.</summary>
    public int Slot { get; init; }

    public string TypeName => Type == FieldType.Enum ? $"enum [{string.Join(", ", Values)}]" : Type.ToString().ToLowerInvariant();
}

/// <summary>A declared signal kind with its fields.</summary>
public sealed record KindDef(string Name, int Id, bool Derived, IReadOnlyList<FieldDef> Fields, SourceSpan Span)
{
    private readonly Dictionary<string, FieldDef> _byName = Fields.ToDictionary(f => f.Name, StringComparer.Ordinal);

    public FieldDef? Field(string name) => _byName.GetValueOrDefault(name);

    public int NumberSlots { get; init; }

    public int StringSlots { get; init; }

    public int BoolSlots { get; init; }
}

/// <summary>All kinds a pack declares.</summary>
public sealed class SignalCatalog(IReadOnlyList<KindDef> kinds)
{
    private readonly Dictionary<string, KindDef> _byName = kinds.ToDictionary(k => k.Name, StringComparer.Ordinal);

    public IReadOnlyList<KindDef> Kinds { get; } = kinds;

    public KindDef? Find(string name) => _byName.GetValueOrDefault(name);
}

/// <summary>A field value read from YAML, already checked against its declared type.</summary>
public readonly record struct FieldValue(FieldDef Field, double Number, string? Text, bool Flag);

/// <summary>One dated signal in a dossier (or a rule test).</summary>
public sealed record SignalRecord(
    KindDef Kind,
    DateOnly Date,
    double Confidence,
    string? Source,
    string? Note,
    string? Id,
    IReadOnlyList<FieldValue> Values,
    SourceSpan Span)
{
    /// <summary>How outputs name this signal: its id, or file:line.</summary>
    public string Label => Id ?? $"{Span.File}:{Span.Line}";

    /// <summary>The day the event became known (the dossier's <c>reported:</c>), when later than <see cref="Date"/>.</summary>
    public DateOnly? Reported { get; init; }

    /// <summary>The day an analyst could first know of the event: <see cref="Reported"/>, else <see cref="Date"/>. Look-ahead uses it; decay and age use <see cref="Date"/>.</summary>
    public DateOnly Known => Reported ?? Date;

    /// <summary>Where a collected signal came from and who reviewed it; null for a signal typed by hand.</summary>
    public SignalProvenance? Provenance { get; init; }
}

/// <summary>
/// The <c>provenance:</c> block of a signal a collector proposed and a person accepted
/// (<c>licenserisk review accept</c>): the collector, the address it read, when, a SHA-256 of the
/// content, the inbox candidate's id, and the review (day and reason).
/// </summary>
public sealed record SignalProvenance(
    string Collector,
    string Url,
    string FetchedAt,
    string Sha256,
    string Candidate,
    DateOnly? Reviewed,
    string? Reason)
{
    /// <summary>The policy (its name, else its file) whose collect.auto_accept accepted the signal; null when a person did.</summary>
    public string? AutoAcceptedBy { get; init; }
}

/// <summary>
/// Where the collectors look for a vendor (the <c>sources:</c> block under <c>vendor:</c>): Hugging
/// Face organisations, OpenRouter author prefixes, GitHub organisations and RSS/Atom feed addresses.
/// </summary>
public sealed record VendorSources(
    IReadOnlyList<string> HuggingFace,
    IReadOnlyList<string> OpenRouter,
    IReadOnlyList<string> GitHub,
    IReadOnlyList<string> Feeds)
{
    public static VendorSources None { get; } = new([], [], [], []);

    public bool IsEmpty => HuggingFace.Count + OpenRouter.Count + GitHub.Count + Feeds.Count == 0;
}

public sealed record VendorInfo(string Id, string Name, string? Parent, string? Homepage, IReadOnlyList<string> Tags, SourceSpan Span)
{
    /// <summary>Where the collectors look (empty when the dossier names no sources).</summary>
    public VendorSources Sources { get; init; } = VendorSources.None;
}

/// <summary>How sure the labeller is of a case's outcome (docs/labelling-protocol.md, "Certainty").</summary>
public enum LabelCertainty
{
    High,
    Medium,
    Low,
}

/// <summary>
/// A backtest case's known outcome. <paramref name="Certainty"/> and <paramref name="Caveats"/> are
/// optional and record how sure the label is and why it might be read otherwise.
/// </summary>
public sealed record CaseInfo(
    DateOnly AsOf,
    int HorizonMonths,
    bool WentApiOnly,
    string? Resolution,
    SourceSpan Span,
    LabelCertainty? Certainty = null,
    IReadOnlyList<string>? Caveats = null)
{
    /// <summary>The values of <see cref="VendorType"/>.</summary>
    public static IReadOnlyList<string> VendorTypes { get; } = ["research", "startup", "big-company"];

    /// <summary>
    /// What kind of vendor the case is about (the dossier's <c>case.vendor_type</c>): <c>research</c>
    /// (an academic, non-profit or public lab or collective), <c>startup</c> (a venture-backed
    /// company) or <c>big-company</c> (a line or lab inside a big company); null when not recorded.
    /// </summary>
    public string? VendorType { get; init; }
}

/// <summary>A vendor dossier: who it is and the dated signals known about it.</summary>
public sealed record Dossier(string File, VendorInfo Vendor, IReadOnlyList<SignalRecord> Signals, CaseInfo? Case)
{
    /// <summary>SHA-256 (lowercase hex) of the bytes this dossier was read from; null when it was not read from a file.</summary>
    public string? Sha256 { get; init; }
}
