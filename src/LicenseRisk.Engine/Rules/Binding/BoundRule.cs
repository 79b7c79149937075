using LicenseRisk.Model;

namespace LicenseRisk.Rules.Binding;

/// <summary>A type-checked item of a rule's <c>when:</c>.</summary>
public sealed record BoundItem(
    ItemKind Kind,
    Slot? Slot,
    IReadOnlyList<Bound> Conditions,
    double? AtLeast,
    double? AtMost,
    IReadOnlyList<IReadOnlyList<BoundItem>> Branches);

/// <summary>A template part: literal text, or an expression with the slots it reads.</summary>
public sealed record BoundPart(string? Text, Bound? Expr, IReadOnlyList<int> Slots);

public sealed record BoundTemplate(IReadOnlyList<BoundPart> Parts)
{
    public static readonly BoundTemplate Empty = new([]);
}

public sealed record BoundDerive(KindDef Kind, BoundPart? Date, IReadOnlyList<(FieldDef Field, BoundPart Value)> Fields);

/// <summary>A rule whose every expression is bound and type-checked; ready to lower.</summary>
public sealed record BoundRule(
    RuleSyntax Syntax,
    IReadOnlyList<BoundItem> Items,
    IReadOnlyList<Slot> Slots,
    BoundTemplate Because,
    BoundDerive? Derive);
