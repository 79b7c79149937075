#pragma warning disable CA1051 // public fields: lowered expressions read them directly
using LicenseRisk.Model;

namespace LicenseRisk.Scoring;

/// <summary>
/// A signal as the rules engine sees it: typed slots per declared field, the as-of day and age
/// precomputed so conditions on them stay single-fact (alpha) tests. Identity is by reference.
/// </summary>
/// <remarks>
/// Every fact is one of <see cref="SignalLanes.Count"/> sealed subclasses, its kind's lane
/// (<see cref="SignalLanes.Of"/>): a rule's pattern is over its kind's lane type, so NRules routes
/// a fact to the rules of its kind by type in the alpha network (an update of a fact then travels
/// only through its own lane) instead of testing <see cref="Kind"/> at every kind's node. Make one
/// with <see cref="Create"/> or <see cref="From"/>.
/// </remarks>
public abstract class SignalFact
{
    private protected SignalFact(KindDef kind, double day, double asOf, double confidence, string label)
    {
        Kind = kind.Id;
        KindDef = kind;
        Day = day;
        AsOf = asOf;
        Age = asOf - day;
        Confidence = confidence;
        Label = label;
        Num = kind.NumberSlots == 0 ? [] : new double[kind.NumberSlots];
        Str = kind.StringSlots == 0 ? [] : new string?[kind.StringSlots];
        Flag = kind.BoolSlots == 0 ? [] : new bool[kind.BoolSlots];
    }

    public int Kind;
    public double Day;
    public double AsOf;
    public double Age;
    public double Confidence;
    public string? Source;
    public string? Note;
    public string? Id;
    public double[] Num;
    public string?[] Str;
    public bool[] Flag;
    public ulong Present;

    public KindDef KindDef { get; }

    /// <summary>How explanations name it: the dossier's id or file:line, or "derived:rule".</summary>
    public string Label { get; set; }

    /// <summary>The dossier record, or null for a derived signal.</summary>
    public SignalRecord? Record { get; private set; }

    /// <summary>The rule that derived it, or null for a dossier signal.</summary>
    public string? DerivedBy { get; set; }

    /// <summary>The signals behind a derived signal (for explanations).</summary>
    public IReadOnlyList<string> Support { get; set; } = [];

    /// <summary>Where the signals behind a derived signal are written (for locations in outputs).</summary>
    public IReadOnlyList<SourceSpan> SupportSpans { get; set; } = [];

    /// <summary>A fact of <paramref name="kind"/>, an instance of the kind's lane type.</summary>
    public static SignalFact Create(KindDef kind, double day, double asOf, double confidence, string label) =>
        SignalLanes.For(kind).Create(kind, day, asOf, confidence, label);

    public static SignalFact From(SignalRecord record, DateOnly asOf)
    {
        var fact = Create(record.Kind, record.Date.DayNumber, asOf.DayNumber, record.Confidence, record.Label);
        fact.Record = record;
        fact.Source = record.Source;
        fact.Note = record.Note;
        fact.Id = record.Id;
        fact.SetValues(record);
        return fact;
    }

    /// <summary>
    /// Makes this fact the given record of the same kind, in place (a what-if edit of a signal): the
    /// session then updates it, so rules keep their matches and aggregates their order where they can.
    /// </summary>
    public void Reload(SignalRecord record)
    {
        if (!ReferenceEquals(record.Kind, KindDef))
        {
            throw new ArgumentException($"a {KindDef.Name} fact cannot hold a {record.Kind.Name} signal", nameof(record));
        }

        Version++;
        Day = record.Date.DayNumber;
        Age = AsOf - Day;
        Confidence = record.Confidence;
        Label = record.Label;
        Record = record;
        Source = record.Source;
        Note = record.Note;
        Id = record.Id;
        Num = KindDef.NumberSlots == 0 ? [] : new double[KindDef.NumberSlots];
        Str = KindDef.StringSlots == 0 ? [] : new string?[KindDef.StringSlots];
        Flag = KindDef.BoolSlots == 0 ? [] : new bool[KindDef.BoolSlots];
        Present = 0;
        SetValues(record);
    }

    /// <summary>The record's field values; a date field later than the as-of day (weights published later, a partnership's end) was not known yet: the rules see the field as missing.</summary>
    private void SetValues(SignalRecord record)
    {
        foreach (var v in record.Values)
        {
            if (v.Field.Type == FieldType.Date && v.Number > AsOf)
            {
                continue;
            }

            Set(v.Field, v.Number, v.Text, v.Flag);
        }
    }

    public void Set(FieldDef field, double number, string? text, bool flag)
    {
        switch (field.Type)
        {
            case FieldType.String or FieldType.Enum:
                Str[field.Slot] = text;
                break;
            case FieldType.Bool:
                Flag[field.Slot] = flag;
                break;
            default:
                Num[field.Slot] = number;
                break;
        }

        Present |= 1UL << field.Index;
    }

    public bool Has(FieldDef field) => (Present & (1UL << field.Index)) != 0;

    // Identity stays by reference; the hash is a per-thread counter taken at construction, so
    // NRules' fact maps skip the runtime's first-time object hash.
    private readonly int _hash = FactHash.Next();

    public override int GetHashCode() => _hash;

    /// <summary>How many times the fact was changed in place (<see cref="CopyFrom"/>, <see cref="Reload"/>); what-if's memo compares it.</summary>
    public int Version { get; private set; }

    public void CopyFrom(SignalFact other)
    {
        Version++;
        Day = other.Day;
        Age = other.Age;
        Confidence = other.Confidence;
        Num = other.Num;
        Str = other.Str;
        Flag = other.Flag;
        Present = other.Present;
        Label = other.Label;
        Support = other.Support;
        SupportSpans = other.SupportSpans;
    }
}

internal static class FactHash
{
    [ThreadStatic]
    private static int t_next;

    public static int Next() => unchecked(t_next += -1640531527);
}
