using System.Linq.Expressions;
using LicenseRisk.Model;

namespace LicenseRisk.Scoring;

/// <summary>
/// The lanes of <see cref="SignalFact"/>: one sealed subclass per kind id modulo <see cref="Count"/>.
/// A pack of at most <see cref="Count"/> kinds (the bundled pack has 15) gives each kind a lane of
/// its own; in a larger catalog kinds share lanes, and a pattern over a shared lane also tests the
/// kind (see <see cref="Rules.Lowering.RuleLowerer"/>). The lane types are fixed, so Native AOT
/// compiles them in; nothing is made at run time.
/// </summary>
public static class SignalLanes
{
    public const int Count = 16;

    /// <summary>
    /// The one table of lanes, lane i at index i: each lane's fact type, the type of a set of its
    /// facts (a count or sum item: NRules' collect gives IEnumerable of its source's type), its
    /// constructor and its one-fact condition shape, all written out so that Native AOT compiles them in.
    /// </summary>
    internal static readonly Lane[] All =
    [
        new Lane<SignalLane0>((k, d, a, c, l) => new SignalLane0(k, d, a, c, l)),
        new Lane<SignalLane1>((k, d, a, c, l) => new SignalLane1(k, d, a, c, l)),
        new Lane<SignalLane2>((k, d, a, c, l) => new SignalLane2(k, d, a, c, l)),
        new Lane<SignalLane3>((k, d, a, c, l) => new SignalLane3(k, d, a, c, l)),
        new Lane<SignalLane4>((k, d, a, c, l) => new SignalLane4(k, d, a, c, l)),
        new Lane<SignalLane5>((k, d, a, c, l) => new SignalLane5(k, d, a, c, l)),
        new Lane<SignalLane6>((k, d, a, c, l) => new SignalLane6(k, d, a, c, l)),
        new Lane<SignalLane7>((k, d, a, c, l) => new SignalLane7(k, d, a, c, l)),
        new Lane<SignalLane8>((k, d, a, c, l) => new SignalLane8(k, d, a, c, l)),
        new Lane<SignalLane9>((k, d, a, c, l) => new SignalLane9(k, d, a, c, l)),
        new Lane<SignalLane10>((k, d, a, c, l) => new SignalLane10(k, d, a, c, l)),
        new Lane<SignalLane11>((k, d, a, c, l) => new SignalLane11(k, d, a, c, l)),
        new Lane<SignalLane12>((k, d, a, c, l) => new SignalLane12(k, d, a, c, l)),
        new Lane<SignalLane13>((k, d, a, c, l) => new SignalLane13(k, d, a, c, l)),
        new Lane<SignalLane14>((k, d, a, c, l) => new SignalLane14(k, d, a, c, l)),
        new Lane<SignalLane15>((k, d, a, c, l) => new SignalLane15(k, d, a, c, l)),
    ];

    /// <summary>The lane of a kind's facts.</summary>
    internal static Lane For(KindDef kind) => All[kind.Id & (Count - 1)];

    /// <summary>The lane type of a kind's facts.</summary>
    public static Type Of(KindDef kind) => For(kind).Fact;

    /// <summary>The type of a set of a kind's facts (a count or sum item), IEnumerable of its lane type.</summary>
    public static Type SetOf(KindDef kind) => For(kind).Set;

    /// <summary>Whether another kind of <paramref name="catalog"/> shares <paramref name="kind"/>'s lane.</summary>
    public static bool Shared(KindDef kind, SignalCatalog catalog)
    {
        foreach (var other in catalog.Kinds)
        {
            if (other.Id != kind.Id && (other.Id & (Count - 1)) == (kind.Id & (Count - 1)))
            {
                return true;
            }
        }

        return false;
    }
}

#pragma warning disable SA1402 // the lanes are one family: kept in one file
/// <summary>One lane: its fact type, the set of it, how to make a fact, and a condition over one fact.</summary>
internal abstract class Lane
{
    public abstract Type Fact { get; }

    public abstract Type Set { get; }

    public abstract SignalFact Create(KindDef kind, double day, double asOf, double confidence, string label);

    /// <summary>A condition over one parameter of the lane's fact type.</summary>
    public abstract LambdaExpression Condition(Expression body, ParameterExpression fact);
}

/// <inheritdoc />
internal sealed class Lane<TFact>(Func<KindDef, double, double, double, string, TFact> create) : Lane
    where TFact : SignalFact
{
    public override Type Fact => typeof(TFact);

    public override Type Set => typeof(IEnumerable<TFact>);

    public override SignalFact Create(KindDef kind, double day, double asOf, double confidence, string label) => create(kind, day, asOf, confidence, label);

    public override LambdaExpression Condition(Expression body, ParameterExpression fact) => Expression.Lambda<Func<TFact, bool>>(body, fact);
}

/// <summary>The facts of lane 0 (kinds whose id is 0 modulo 16).</summary>
public sealed class SignalLane0 : SignalFact
{
    internal SignalLane0(KindDef kind, double day, double asOf, double confidence, string label)
        : base(kind, day, asOf, confidence, label)
    {
    }
}

/// <summary>The facts of lane 1 (kinds whose id is 1 modulo 16).</summary>
public sealed class SignalLane1 : SignalFact
{
    internal SignalLane1(KindDef kind, double day, double asOf, double confidence, string label)
        : base(kind, day, asOf, confidence, label)
    {
    }
}

/// <summary>The facts of lane 2 (kinds whose id is 2 modulo 16).</summary>
public sealed class SignalLane2 : SignalFact
{
    internal SignalLane2(KindDef kind, double day, double asOf, double confidence, string label)
        : base(kind, day, asOf, confidence, label)
    {
    }
}

/// <summary>The facts of lane 3 (kinds whose id is 3 modulo 16).</summary>
public sealed class SignalLane3 : SignalFact
{
    internal SignalLane3(KindDef kind, double day, double asOf, double confidence, string label)
        : base(kind, day, asOf, confidence, label)
    {
    }
}

/// <summary>The facts of lane 4 (kinds whose id is 4 modulo 16).</summary>
public sealed class SignalLane4 : SignalFact
{
    internal SignalLane4(KindDef kind, double day, double asOf, double confidence, string label)
        : base(kind, day, asOf, confidence, label)
    {
    }
}

/// <summary>The facts of lane 5 (kinds whose id is 5 modulo 16).</summary>
public sealed class SignalLane5 : SignalFact
{
    internal SignalLane5(KindDef kind, double day, double asOf, double confidence, string label)
        : base(kind, day, asOf, confidence, label)
    {
    }
}

/// <summary>The facts of lane 6 (kinds whose id is 6 modulo 16).</summary>
public sealed class SignalLane6 : SignalFact
{
    internal SignalLane6(KindDef kind, double day, double asOf, double confidence, string label)
        : base(kind, day, asOf, confidence, label)
    {
    }
}

/// <summary>The facts of lane 7 (kinds whose id is 7 modulo 16).</summary>
public sealed class SignalLane7 : SignalFact
{
    internal SignalLane7(KindDef kind, double day, double asOf, double confidence, string label)
        : base(kind, day, asOf, confidence, label)
    {
    }
}

/// <summary>The facts of lane 8 (kinds whose id is 8 modulo 16).</summary>
public sealed class SignalLane8 : SignalFact
{
    internal SignalLane8(KindDef kind, double day, double asOf, double confidence, string label)
        : base(kind, day, asOf, confidence, label)
    {
    }
}

/// <summary>The facts of lane 9 (kinds whose id is 9 modulo 16).</summary>
public sealed class SignalLane9 : SignalFact
{
    internal SignalLane9(KindDef kind, double day, double asOf, double confidence, string label)
        : base(kind, day, asOf, confidence, label)
    {
    }
}

/// <summary>The facts of lane 10 (kinds whose id is 10 modulo 16).</summary>
public sealed class SignalLane10 : SignalFact
{
    internal SignalLane10(KindDef kind, double day, double asOf, double confidence, string label)
        : base(kind, day, asOf, confidence, label)
    {
    }
}

/// <summary>The facts of lane 11 (kinds whose id is 11 modulo 16).</summary>
public sealed class SignalLane11 : SignalFact
{
    internal SignalLane11(KindDef kind, double day, double asOf, double confidence, string label)
        : base(kind, day, asOf, confidence, label)
    {
    }
}

/// <summary>The facts of lane 12 (kinds whose id is 12 modulo 16).</summary>
public sealed class SignalLane12 : SignalFact
{
    internal SignalLane12(KindDef kind, double day, double asOf, double confidence, string label)
        : base(kind, day, asOf, confidence, label)
    {
    }
}

/// <summary>The facts of lane 13 (kinds whose id is 13 modulo 16).</summary>
public sealed class SignalLane13 : SignalFact
{
    internal SignalLane13(KindDef kind, double day, double asOf, double confidence, string label)
        : base(kind, day, asOf, confidence, label)
    {
    }
}

/// <summary>The facts of lane 14 (kinds whose id is 14 modulo 16).</summary>
public sealed class SignalLane14 : SignalFact
{
    internal SignalLane14(KindDef kind, double day, double asOf, double confidence, string label)
        : base(kind, day, asOf, confidence, label)
    {
    }
}

/// <summary>The facts of lane 15 (kinds whose id is 15 modulo 16).</summary>
public sealed class SignalLane15 : SignalFact
{
    internal SignalLane15(KindDef kind, double day, double asOf, double confidence, string label)
        : base(kind, day, asOf, confidence, label)
    {
    }
}
