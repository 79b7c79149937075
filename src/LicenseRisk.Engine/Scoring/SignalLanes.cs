using LicenseRisk.Model;

namespace LicenseRisk.Scoring;

/// <summary>
/// The lanes of <see cref="SignalFact"/>: one sealed subclass per kind id modulo <see cref="Count"/>.
/// A pack of at most <see cref="Count"/> kinds (the bundled pack has 13) gives each kind a lane of
/// its own; in a larger catalog kinds share lanes, and a pattern over a shared lane also tests the
/// kind (see <see cref="Rules.Lowering.RuleLowerer"/>). The lane types are fixed, so Native AOT
/// compiles them in; nothing is made at run time.
/// </summary>
public static class SignalLanes
{
    public const int Count = 16;

    private static readonly Type[] Types =
    [
        typeof(SignalLane0),
        typeof(SignalLane1),
        typeof(SignalLane2),
        typeof(SignalLane3),
        typeof(SignalLane4),
        typeof(SignalLane5),
        typeof(SignalLane6),
        typeof(SignalLane7),
        typeof(SignalLane8),
        typeof(SignalLane9),
        typeof(SignalLane10),
        typeof(SignalLane11),
        typeof(SignalLane12),
        typeof(SignalLane13),
        typeof(SignalLane14),
        typeof(SignalLane15),
    ];

    // The set types of count and sum items (NRules' collect gives a collection of its source's
    // type), written out so that no generic type is made at run time.
    private static readonly Type[] SetTypes =
    [
        typeof(IEnumerable<SignalLane0>),
        typeof(IEnumerable<SignalLane1>),
        typeof(IEnumerable<SignalLane2>),
        typeof(IEnumerable<SignalLane3>),
        typeof(IEnumerable<SignalLane4>),
        typeof(IEnumerable<SignalLane5>),
        typeof(IEnumerable<SignalLane6>),
        typeof(IEnumerable<SignalLane7>),
        typeof(IEnumerable<SignalLane8>),
        typeof(IEnumerable<SignalLane9>),
        typeof(IEnumerable<SignalLane10>),
        typeof(IEnumerable<SignalLane11>),
        typeof(IEnumerable<SignalLane12>),
        typeof(IEnumerable<SignalLane13>),
        typeof(IEnumerable<SignalLane14>),
        typeof(IEnumerable<SignalLane15>),
    ];

    /// <summary>The lane type of a kind's facts.</summary>
    public static Type Of(KindDef kind) => Types[kind.Id & (Count - 1)];

    /// <summary>The type of a set of a kind's facts (a count or sum item), IEnumerable of its lane type.</summary>
    public static Type SetOf(KindDef kind) => SetTypes[kind.Id & (Count - 1)];

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
