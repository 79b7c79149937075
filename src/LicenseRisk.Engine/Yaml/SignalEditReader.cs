using System.Globalization;
using LicenseRisk.Application;
using LicenseRisk.Model;
using YamlDotNet.RepresentationModel;

namespace LicenseRisk.Yaml;

/// <summary>A what-if's edits as read: the edits every variant shares, and the values of a sweep (one variant each), if any.</summary>
public sealed record WhatIfChanges(IReadOnlyList<SignalEdit> Edits, IReadOnlyList<SetField> Sweep)
{
    public static WhatIfChanges None { get; } = new([], []);
}

/// <summary>
/// Reads what-if edits: signals to add (YAML mappings, checked as a dossier's signals are), signals
/// to remove (<c>N</c> or an id), fields to set (<c>N.FIELD=VALUE</c>), sweeps
/// (<c>N.FIELD=V1,V2,...</c>) and changes files holding any of these. Every problem is a located
/// diagnostic. On the command line an edit is located at the option (<c>--set:1:9</c> is its ninth
/// character); in a file at its line and column.
/// </summary>
public static class SignalEditReader
{
    /// <summary>Signals to add from YAML text: one signal mapping, or a list of them.</summary>
    public static IReadOnlyList<AddSignal> ReadAdd(string text, string origin, SignalCatalog catalog, Limits limits, DiagnosticBag diags)
    {
        var root = YamlSource.LoadText(text, origin, limits, diags);
        return root is null ? [] : ReadSignals(new Nodes(origin, diags), root, catalog);
    }

    /// <summary>Signals to add from a YAML file: a list of signal mappings (or one mapping).</summary>
    public static IReadOnlyList<AddSignal> ReadAddFile(string path, SignalCatalog catalog, Limits limits, DiagnosticBag diags)
    {
        var file = SourcePaths.Normalize(path);
        var root = YamlSource.LoadFile(path, file, limits, diags);
        return root is null ? [] : ReadSignals(new Nodes(file, diags), root, catalog);
    }

    /// <summary>A signal to remove: its number or id.</summary>
    public static RemoveSignal ReadRemove(string text, string origin) => new(new SignalRef(text.Trim(), SourceSpan.None(origin)));

    /// <summary><c>TARGET.FIELD=VALUE</c>; null with an error when it does not read so.</summary>
    public static SetField? ReadSet(string text, string origin, Limits limits, DiagnosticBag diags)
    {
        var parts = Split(text, origin, "TARGET.FIELD=VALUE", diags);
        return parts is var (target, field, fieldColumn, valueColumn)
            ? new SetField(target, field, Value(text[(valueColumn - 1)..], valueColumn, origin, limits, diags), origin, new SourceSpan(origin, 1, fieldColumn))
            : null;
    }

    /// <summary><c>TARGET.FIELD=V1,V2,...</c>: one set edit per value, each located at its value; null with an error when it does not read so.</summary>
    public static IReadOnlyList<SetField>? ReadSweep(string text, string origin, Limits limits, DiagnosticBag diags)
    {
        if (Split(text, origin, "TARGET.FIELD=V1,V2,...", diags) is not var (target, field, fieldColumn, valueColumn))
        {
            return null;
        }

        var edits = new List<SetField>();
        var start = valueColumn - 1;
        while (true)
        {
            var comma = text.IndexOf(',', start);
            var end = comma < 0 ? text.Length : comma;
            edits.Add(new SetField(target, field, Value(text[start..end], start + 1, origin, limits, diags), origin, new SourceSpan(origin, 1, fieldColumn)));
            if (comma < 0)
            {
                return edits;
            }

            start = comma + 1;
        }
    }

    /// <summary>
    /// A changes file: a mapping with any of <c>add:</c> (signal mappings), <c>remove:</c> (numbers or
    /// ids), <c>set:</c> (<c>TARGET.FIELD: value</c> entries) and <c>sweep:</c> (one
    /// <c>TARGET.FIELD: [values]</c> entry). Its edits are in that order: adds, removes, sets.
    /// </summary>
    public static WhatIfChanges ReadChangesFile(string path, SignalCatalog catalog, Limits limits, DiagnosticBag diags)
    {
        var file = SourcePaths.Normalize(path);
        return ReadChanges(YamlSource.LoadFile(path, file, limits, diags), file, catalog, diags);
    }

    /// <summary>
    /// Changes written as YAML or JSON text (JSON is YAML), in the shape of a changes file, e.g. the
    /// body of a web request: <c>{"remove": [19], "set": {"3.date": "2026-01-01"}}</c>; located at <paramref name="origin"/>.
    /// </summary>
    public static WhatIfChanges ReadChanges(string text, string origin, SignalCatalog catalog, Limits limits, DiagnosticBag diags) =>
        ReadChanges(YamlSource.LoadText(text, origin, limits, diags), origin, catalog, diags);

    private static WhatIfChanges ReadChanges(YamlNode? root, string file, SignalCatalog catalog, DiagnosticBag diags)
    {
        var nodes = new Nodes(file, diags);
        if (root is null || nodes.Map(root, "a changes file") is not { } map)
        {
            return WhatIfChanges.None;
        }

        var edits = new List<SignalEdit>();
        if (map.GetNonNull("add") is { } add)
        {
            edits.AddRange(ReadSignals(nodes, add, catalog));
        }

        if (map.GetNonNull("remove") is { } remove)
        {
            foreach (var item in remove is YamlSequenceNode seq ? seq.Children : [remove])
            {
                if (nodes.Str(item, "a signal to remove") is { } text)
                {
                    edits.Add(new RemoveSignal(new SignalRef(text, nodes.Span(item))));
                }
            }
        }

        if (map.GetNonNull("set") is { } set && nodes.Map(set, "'set'") is { } sets)
        {
            foreach (var (key, value) in sets.Entries())
            {
                if (Target(nodes, key, "TARGET.FIELD: VALUE") is var (target, field))
                {
                    edits.Add(new SetField(target, field, value, file, nodes.Span(key)));
                }
            }
        }

        var sweep = new List<SetField>();
        if (map.GetNonNull("sweep") is { } sweepNode && nodes.Map(sweepNode, "'sweep'") is { } sweeps)
        {
            var entries = sweeps.Entries().ToList();
            if (entries.Count != 1)
            {
                nodes.Report(sweepNode, DiagnosticCodes.BadEdit, $"a sweep runs over one field's values, written TARGET.FIELD: [V1, V2, ...]; this one has {entries.Count} entries");
            }
            else if (Target(nodes, entries[0].Key, "TARGET.FIELD: [V1, V2, ...]") is var (target, field)
                && nodes.Seq(entries[0].Value, "the values of a sweep") is { } values)
            {
                sweep.AddRange(values.Children.Select(v => new SetField(target, field, v, file, nodes.Span(entries[0].Key))));
            }
        }

        map.RejectUnknown("a changes file", ["add", "remove", "set", "sweep"]);
        return new WhatIfChanges(edits, sweep);
    }

    /// <summary>
    /// The signal <paramref name="target"/> with the edit's field set to its value, checked as the
    /// field of a dossier's signal is; null with the errors in <paramref name="diags"/>.
    /// </summary>
    public static SignalRecord? Apply(SignalRecord target, SetField edit, DiagnosticBag diags)
    {
        var nodes = new Nodes(edit.ValueFile, diags);
        var value = edit.Value;
        var unset = Nodes.IsNull(value);
        var kind = target.Kind;
        string? Text(string what) => unset ? null : nodes.Str(value, what);
        switch (edit.Field)
        {
            case "kind":
                diags.Report(edit.Span, DiagnosticCodes.FieldNotEditable, $"the kind of a signal cannot be changed; remove signal {edit.Target.Text} and add a signal of the other kind");
                return null;
            case "date" when unset:
                diags.Report(edit.Span, DiagnosticCodes.MissingSignalField, "every signal needs a date");
                return null;
            case "date":
                return nodes.Date(value, "'date'") is { } date ? target with { Date = date } : null;
            case "confidence" when unset:
                return target with { Confidence = 1.0 };
            case "confidence":
                if (nodes.Number(value, "'confidence'") is not { } c)
                {
                    return null;
                }

                if (c is < 0 or > 1)
                {
                    nodes.Report(value, DiagnosticCodes.ConfidenceOutOfRange, $"confidence must be between 0 and 1, not {c.ToString(CultureInfo.InvariantCulture)}");
                    return null;
                }

                return target with { Confidence = c };
            case "source":
                return Text("'source'") is var source && (unset || source is not null) ? target with { Source = source } : null;
            case "note":
                return Text("'note'") is var note && (unset || note is not null) ? target with { Note = note } : null;
            case "id":
                return Text("'id'") is var id && (unset || id is not null) ? target with { Id = id } : null;
        }

        if (kind.Field(edit.Field) is not { } field)
        {
            var hint = Suggest.Closest(edit.Field, SignalReader.CommonFields.Concat(kind.Fields.Select(f => f.Name)));
            diags.Report(edit.Span, DiagnosticCodes.UnknownKey, $"a {kind.Name} signal has no field '{edit.Field}'{(hint is null ? string.Empty : $"; did you mean '{hint}'?")}");
            return null;
        }

        var values = target.Values.Where(v => v.Field != field).ToList();
        if (unset && field.Required)
        {
            diags.Report(edit.Span, DiagnosticCodes.MissingSignalField, $"{kind.Name}.{field.Name} is required ({field.TypeName}) and cannot be unset");
            return null;
        }

        if (!unset)
        {
            if (SignalReader.ReadValue(nodes, value, field, kind.Name) is not { } v)
            {
                return null;
            }

            values.Add(v);
        }

        return target with { Values = [.. values.OrderBy(v => v.Field.Index)] };
    }

    private static List<AddSignal> ReadSignals(Nodes nodes, YamlNode root, SignalCatalog catalog)
    {
        var added = new List<AddSignal>();
        foreach (var item in root is YamlSequenceNode seq ? seq.Children : [root])
        {
            if (SignalReader.Read(nodes, item, catalog) is { } s)
            {
                added.Add(new AddSignal(s));
            }
        }

        return added;
    }

    /// <summary>Splits <c>TARGET.FIELD=VALUE</c> at the first '=' and the last '.' before it; columns are 1-based.</summary>
    private static (SignalRef Target, string Field, int FieldColumn, int ValueColumn)? Split(string text, string origin, string shape, DiagnosticBag diags)
    {
        var eq = text.IndexOf('=', StringComparison.Ordinal);
        var dot = eq < 0 ? -1 : text.LastIndexOf('.', eq);
        if (dot <= 0 || dot == eq - 1)
        {
            diags.Report(SourceSpan.None(origin), DiagnosticCodes.BadEdit, $"'{text}' does not read as {shape} (TARGET is a signal's number or id)");
            return null;
        }

        return (new SignalRef(text[..dot], SourceSpan.None(origin)), text[(dot + 1)..eq], dot + 2, eq + 2);
    }

    private static (SignalRef Target, string Field)? Target(Nodes nodes, YamlScalarNode key, string shape)
    {
        var text = key.Value ?? string.Empty;
        var dot = text.LastIndexOf('.');
        if (dot <= 0 || dot == text.Length - 1)
        {
            nodes.Report(key, DiagnosticCodes.BadEdit, $"'{text}' does not read as {shape} (TARGET is a signal's number or id)");
            return null;
        }

        return (new SignalRef(text[..dot], nodes.Span(key)), text[(dot + 1)..]);
    }

    /// <summary>A value written on the command line, read as YAML so it is typed as in a dossier; located at its column.</summary>
    private static YamlNode Value(string text, int column, string origin, Limits limits, DiagnosticBag diags)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return new YamlScalarNode(null);
        }

        // Padded to its column, so the value's own errors point into the option.
        return YamlSource.LoadText(new string(' ', column - 1) + text, origin, limits, diags) ?? new YamlScalarNode(null) { Style = YamlDotNet.Core.ScalarStyle.DoubleQuoted };
    }
}
