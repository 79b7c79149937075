using LicenseRisk.Model;
using LicenseRisk.Rules.Binding;

namespace LicenseRisk.Rules.Lowering;

/// <summary>A compiled template part: literal text, or a function of the match.</summary>
public sealed record TemplateFn(string? Text, Func<object?[], double, string>? Render, IReadOnlyList<int> Slots);

/// <summary>What the engine needs about a slot at firing time.</summary>
public sealed record SlotInfo(int Index, string Name, SlotRole Role, ItemKind Item, double? AtLeast, FieldDef? SumField);

public sealed record DeriveFn(
    KindDef Kind,
    Func<object?[], double, object?>? Date,
    IReadOnlyList<(FieldDef Field, Func<object?[], double, object?> Value)> Fields);

/// <summary>A rule ready to score: its metadata and the compiled functions its action calls.</summary>
public sealed class CompiledRule
{
    public required int Index { get; init; }

    public required RuleSyntax Syntax { get; init; }

    public string Id => Syntax.Id;

    public string Title => Syntax.Title;

    public string? Group => Syntax.Group;

    public double? Weight => Syntax.Weight;

    /// <summary>The weight the argument gives: <c>argued_weight</c> when the rule has one, else <see cref="Weight"/>. Calibration centres its prior here.</summary>
    public double? ArguedWeight => Syntax.ArguedWeight ?? Syntax.Weight;

    /// <summary>The weight's standard deviation (the rule's, else the pack's default).</summary>
    public required double Sd { get; init; }

    /// <summary>Half-life in days, or null when decay is off.</summary>
    public required double? HalfLifeDays { get; init; }

    public required IReadOnlyList<SlotInfo> Slots { get; init; }

    public required IReadOnlyDictionary<string, int> SlotByName { get; init; }

    public required IReadOnlyList<TemplateFn> Because { get; init; }

    public DeriveFn? Derive { get; init; }

    /// <summary>Signal kinds the rule's conditions read (for the derive cycle check).</summary>
    public required IReadOnlyList<KindDef> Reads { get; init; }
}
