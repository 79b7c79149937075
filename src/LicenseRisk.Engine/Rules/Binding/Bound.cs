using LicenseRisk.Model;

namespace LicenseRisk.Rules.Binding;

public enum TypeKind
{
    Number,
    String,
    Bool,
    Date,
    List,
}

/// <summary>An expression's type; strings from an enum field carry the values the kind declares.</summary>
public sealed record BoundType(TypeKind Kind, IReadOnlyList<string>? EnumValues = null, string? EnumOwner = null, BoundType? Element = null)
{
    public static readonly BoundType Number = new(TypeKind.Number);
    public static readonly BoundType String = new(TypeKind.String);
    public static readonly BoundType Bool = new(TypeKind.Bool);
    public static readonly BoundType Date = new(TypeKind.Date);

    public override string ToString() => Kind switch
    {
        TypeKind.List => $"list of {Element}",
        TypeKind.String when EnumValues is not null => $"enum {EnumOwner}",
        _ => Kind.ToString().ToLowerInvariant(),
    };

    public static BoundType Of(FieldDef f, string kindName) => f.Type switch
    {
        FieldType.Number or FieldType.Int => Number,
        FieldType.Bool => Bool,
        FieldType.Date => Date,
        FieldType.Enum => new BoundType(TypeKind.String, f.Values, $"{kindName}.{f.Name}"),
        _ => String,
    };
}

public enum SlotRole
{
    /// <summary>One matched signal (signal: items).</summary>
    Signal,

    /// <summary>The matched set of a count: or sum: item.</summary>
    Aggregate,
}

/// <summary>A named item of a rule that later expressions can refer to.</summary>
public sealed record Slot(int Index, string Name, string? Alias, KindDef Kind, SlotRole Role, FieldDef? SumField);

/// <summary>Common fields every signal has, and the engine's own values.</summary>
public enum CommonField
{
    None,
    Date,
    Confidence,
    Source,
    Note,
    Id,
    Age,
    AsOf,
}

public enum AggregateProp
{
    Count,
    Sum,
    Newest,
    Oldest,
}

public enum Function
{
    Days,
    Lower,
    Contains,
    StartsWith,
    Has,
    Date,
}

/// <summary>Type-checked expression tree: every name resolved to a declared field.</summary>
public abstract record Bound(BoundType Type);

public sealed record BConst(BoundType Type, object Value) : Bound(Type);

public sealed record BList(BoundType Type, IReadOnlyList<Bound> Items) : Bound(Type);

/// <summary>A field (declared or common) of the item's own signal (<c>Slot</c> null) or of a bound alias.</summary>
public sealed record BField(BoundType Type, Slot? Slot, FieldDef? Field, CommonField Common) : Bound(Type)
{
    public bool Optional => Field is { Required: false } || Common is CommonField.Source or CommonField.Note or CommonField.Id;
}

public sealed record BAggregate(BoundType Type, Slot Slot, AggregateProp Prop) : Bound(Type);

public sealed record BAsOf() : Bound(BoundType.Date);

public sealed record BUnary(BoundType Type, Syntax.UnaryOp Op, Bound Operand) : Bound(Type);

public sealed record BBinary(BoundType Type, Syntax.BinaryOp Op, Bound Left, Bound Right) : Bound(Type);

public sealed record BIn(Bound Value, IReadOnlyList<Bound> Items, bool Negated) : Bound(BoundType.Bool);

public sealed record BBetween(Bound Value, Bound Low, Bound High) : Bound(BoundType.Bool);

public sealed record BCall(BoundType Type, Function Function, IReadOnlyList<Bound> Args) : Bound(Type);
