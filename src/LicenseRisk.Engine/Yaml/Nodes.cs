using System.Globalization;
using LicenseRisk.Model;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LicenseRisk.Yaml;

/// <summary>Typed, located access to YAML nodes; type problems become diagnostics.</summary>
public sealed class Nodes(string file, DiagnosticBag diags)
{
    public string File { get; } = file;

    /// <summary>The file's text, when known: lets <see cref="Loc"/> keep each scalar as written.</summary>
    public string? Text { get; init; }

    public DiagnosticBag Diags { get; } = diags;

    public SourceSpan Span(YamlNode node) => new(File, (int)node.Start.Line, (int)node.Start.Column);

    public void Report(YamlNode node, DiagnosticDescriptor descriptor, string message) => Diags.Report(Span(node), descriptor, message);

    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } s && (s.Value is null or "" or "~" or "null");

    public MapReader? Map(YamlNode node, string what)
    {
        if (node is YamlMappingNode map)
        {
            return new MapReader(this, map);
        }

        Report(node, DiagnosticCodes.NotMappingOrList, $"{what} must be a mapping (key: value), not {Describe(node)}");
        return null;
    }

    public YamlSequenceNode? Seq(YamlNode node, string what)
    {
        if (node is YamlSequenceNode seq)
        {
            return seq;
        }

        Report(node, DiagnosticCodes.NotMappingOrList, $"{what} must be a list, not {Describe(node)}");
        return null;
    }

    public string? Str(YamlNode node, string what)
    {
        if (node is YamlScalarNode s && !IsNull(node))
        {
            return s.Value ?? string.Empty;
        }

        Report(node, DiagnosticCodes.NotString, $"{what} must be text, not {Describe(node)}");
        return null;
    }

    public Located? Loc(YamlNode node, string what)
    {
        var s = Str(node, what);
        if (s is null)
        {
            return null;
        }

        string? raw = null;
        if (Text is { } text && node.Start.Index >= 0 && node.End.Index <= text.Length && node.End.Index > node.Start.Index)
        {
            raw = text[(int)node.Start.Index..(int)node.End.Index];
        }

        return new Located(s, Span(node), node is YamlScalarNode { Style: ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted }) { Raw = raw };
    }

    public double? Number(YamlNode node, string what)
    {
        if (node is YamlScalarNode { Style: ScalarStyle.Plain } s && s.Value is { } v
            && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            if (double.IsFinite(d))
            {
                return d;
            }

            Report(node, DiagnosticCodes.NotNumber, $"{what} must be a finite number, not '{v}'");
            return null;
        }

        var yamlSpecial = node is YamlScalarNode { Value: { } sv } && sv.TrimStart('+', '-').ToLowerInvariant() is ".nan" or ".inf";
        Report(node, DiagnosticCodes.NotNumber, yamlSpecial ? $"{what} must be a finite number, not {Describe(node)}" : $"{what} must be a number, not {Describe(node)}");
        return null;
    }

    public long? Integer(YamlNode node, string what)
    {
        if (node is YamlScalarNode { Style: ScalarStyle.Plain } s && s.Value is { } v
            && long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
        {
            return n;
        }

        Report(node, DiagnosticCodes.NotNumber, $"{what} must be a whole number, not {Describe(node)}");
        return null;
    }

    public bool? Bool(YamlNode node, string what)
    {
        if (node is YamlScalarNode { Style: ScalarStyle.Plain } s)
        {
            switch (s.Value)
            {
                case "true":
                    return true;
                case "false":
                    return false;
            }
        }

        Report(node, DiagnosticCodes.NotBoolean, $"{what} must be true or false, not {Describe(node)}");
        return null;
    }

    public DateOnly? Date(YamlNode node, string what)
    {
        if (node is YamlScalarNode s && !IsNull(node) && s.Value is { } v)
        {
            if (IsoDate.TryParse(v, out var date, out var notADay))
            {
                if (date.Year is < 1900 or > 2200)
                {
                    Report(node, DiagnosticCodes.BadDate, $"{what} '{v}' is outside the years 1900 to 2200");
                    return null;
                }

                return date;
            }

            Report(node, DiagnosticCodes.BadDate, notADay ?? $"{what} must be a date YYYY-MM-DD, not '{v}'");
            return null;
        }

        Report(node, DiagnosticCodes.BadDate, $"{what} must be a date YYYY-MM-DD, not {Describe(node)}");
        return null;
    }

    public IReadOnlyList<string> StrList(YamlNode node, string what)
    {
        if (node is YamlScalarNode && !IsNull(node))
        {
            var one = Str(node, what);
            return one is null ? [] : [one];
        }

        var seq = Seq(node, what);
        if (seq is null)
        {
            return [];
        }

        var list = new List<string>();
        foreach (var item in seq)
        {
            if (Str(item, $"an item of {what}") is { } s)
            {
                list.Add(s);
            }
        }

        return list;
    }

    public static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode s when IsNull(s) => "an empty value",
        YamlScalarNode s => $"'{Truncate(s.Value ?? string.Empty)}'",
        _ => "an alias",
    };

    private static string Truncate(string s) => s.Length > 60 ? s[..57] + "..." : s;
}

/// <summary>Reads keys from one mapping and reports the keys nobody asked for.</summary>
public sealed class MapReader
{
    private readonly Nodes _nodes;
    private readonly YamlMappingNode _map;
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    // Each text key's first value, in one pass: Get looks a key up instead of walking the mapping.
    private readonly Dictionary<string, YamlNode> _values;

    public MapReader(Nodes nodes, YamlMappingNode map)
    {
        _nodes = nodes;
        _map = map;
        _values = new Dictionary<string, YamlNode>(map.Children.Count, StringComparer.Ordinal);
        foreach (var (key, value) in map.Children)
        {
            if (key is not YamlScalarNode { Value: { } k })
            {
                nodes.Report(key, DiagnosticCodes.KeyNotText, "keys must be plain text");
            }
            else if (!_values.TryAdd(k, value))
            {
                nodes.Report(key, DiagnosticCodes.DuplicateKey, $"duplicate key '{k}'");
            }
        }
    }

    public YamlMappingNode Node => _map;

    public Nodes Nodes => _nodes;

    public SourceSpan Span => _nodes.Span(_map);

    public IEnumerable<KeyValuePair<YamlScalarNode, YamlNode>> Entries()
    {
        foreach (var (key, value) in _map.Children)
        {
            if (key is YamlScalarNode { Value: not null } k)
            {
                yield return new(k, value);
            }
        }
    }

    public YamlNode? Get(string key, bool required = false, string? what = null)
    {
        _seen.Add(key);
        if (_values.TryGetValue(key, out var v))
        {
            return v;
        }

        if (required)
        {
            _nodes.Diags.Report(Span, DiagnosticCodes.MissingKey, $"missing required key '{key}'{(what is null ? string.Empty : " in " + what)}");
        }

        return null;
    }

    public YamlNode? GetNonNull(string key, bool required = false, string? what = null)
    {
        var node = Get(key, required, what);
        if (node is not null && Nodes.IsNull(node))
        {
            if (required)
            {
                _nodes.Report(node, DiagnosticCodes.MissingKey, $"'{key}' must have a value");
            }

            return null;
        }

        return node;
    }

    public string? Str(string key, bool required = false) =>
        GetNonNull(key, required) is { } n ? _nodes.Str(n, $"'{key}'") : null;

    public Located? Loc(string key, bool required = false) =>
        GetNonNull(key, required) is { } n ? _nodes.Loc(n, $"'{key}'") : null;

    public double? Number(string key, bool required = false) =>
        GetNonNull(key, required) is { } n ? _nodes.Number(n, $"'{key}'") : null;

    public long? Integer(string key, bool required = false) =>
        GetNonNull(key, required) is { } n ? _nodes.Integer(n, $"'{key}'") : null;

    public bool? Bool(string key, bool required = false) =>
        GetNonNull(key, required) is { } n ? _nodes.Bool(n, $"'{key}'") : null;

    public DateOnly? Date(string key, bool required = false) =>
        GetNonNull(key, required) is { } n ? _nodes.Date(n, $"'{key}'") : null;

    public IReadOnlyList<string> StrList(string key) =>
        GetNonNull(key) is { } n ? _nodes.StrList(n, $"'{key}'") : [];

    /// <summary>Reports every key neither read so far nor <paramref name="expected"/> (except <c>extra</c>, which is free-form).</summary>
    public void RejectUnknown(string where, IEnumerable<string>? expected = null)
    {
        // A set made once by the caller (KeySet) is used as it is; anything else is copied.
        var known = expected is HashSet<string> set && ReferenceEquals(set.Comparer, StringComparer.Ordinal)
            ? set
            : expected?.ToHashSet(StringComparer.Ordinal);
        foreach (var (k, _) in _map.Children)
        {
            if (k is YamlScalarNode { Value: { } s } && s != "extra" && !_seen.Contains(s) && known?.Contains(s) != true)
            {
                var allowed = known ?? _seen;
                var hint = Suggest.Closest(s, allowed);
                _nodes.Report(k, DiagnosticCodes.UnknownKey, $"unknown key '{s}' in {where}{(hint is null ? string.Empty : $"; did you mean '{hint}'?")}");
            }
        }
    }

    public void MarkSeen(string key) => _seen.Add(key);

    /// <summary>Expected keys for <see cref="RejectUnknown"/>, made once (their order is kept for hints).</summary>
    public static HashSet<string> KeySet(params string[] keys) => new(keys, StringComparer.Ordinal);
}
