using System.Globalization;
using LicenseRisk.Model;
using YamlDotNet.RepresentationModel;

namespace LicenseRisk.Yaml;

/// <summary>Reads one signal mapping (a dossier's or a rule test's) against the pack's declared kinds.</summary>
public static class SignalReader
{
    public static readonly string[] CommonFields = ["kind", "date", "reported", "source", "confidence", "note", "id"];

    public static SignalRecord? Read(Nodes nodes, YamlNode node, SignalCatalog catalog, bool allowDerived = false)
    {
        var map = nodes.Map(node, "a signal");
        if (map is null)
        {
            return null;
        }

        var kindNode = map.GetNonNull("kind", required: true, what: "a signal");
        var kindName = kindNode is null ? null : nodes.Str(kindNode, "'kind'");
        var date = map.Date("date", required: true);
        var reported = map.Date("reported");
        if (reported is { } r && date is { } d && r < d && map.Get("reported") is { } rn)
        {
            nodes.Report(rn, DiagnosticCodes.ReportedBeforeDate, $"reported {IsoDate.Format(r)} is before the event's date {IsoDate.Format(d)}");
            reported = null;
            date = null;
        }
        var source = map.Str("source");
        var note = map.Str("note");
        var id = map.Str("id");
        var confidence = 1.0;
        if (map.GetNonNull("confidence") is { } cn && nodes.Number(cn, "'confidence'") is { } c)
        {
            if (c is < 0 or > 1)
            {
                nodes.Report(cn, DiagnosticCodes.ConfidenceOutOfRange, $"confidence must be between 0 and 1, not {c.ToString(CultureInfo.InvariantCulture)}");
            }

            confidence = c;
        }

        if (kindName is null || kindNode is null)
        {
            MarkAllSeen(map);
            return null;
        }

        var kind = catalog.Find(kindName);
        if (kind is null || (kind.Derived && !allowDerived))
        {
            var hint = Suggest.Closest(kindName, catalog.Kinds.Where(k => !k.Derived).Select(k => k.Name));
            nodes.Report(kindNode, DiagnosticCodes.UnknownSignalKind, kind is null
                ? $"unknown signal kind '{kindName}'{(hint is null ? string.Empty : $"; did you mean '{hint}'?")}"
                : $"kind '{kindName}' is derived by rules and cannot be written in a dossier");
            MarkAllSeen(map);
            return null;
        }

        var values = new List<FieldValue>();
        var ok = true;
        foreach (var field in kind.Fields)
        {
            var valueNode = map.GetNonNull(field.Name);
            if (valueNode is null)
            {
                if (field.Required)
                {
                    nodes.Diags.Report(map.Span, DiagnosticCodes.MissingSignalField, $"{kind.Name} signal is missing required field '{field.Name}' ({field.TypeName})");
                    ok = false;
                }

                continue;
            }

            if (ReadValue(nodes, valueNode, field, kind.Name) is { } v)
            {
                values.Add(v);
            }
            else
            {
                ok = false;
            }
        }

        SignalProvenance? provenance = null;
        if (map.GetNonNull("provenance") is { } pn)
        {
            provenance = ReadProvenance(nodes, pn);
            ok &= provenance is not null;
        }

        map.RejectUnknown($"a {kind.Name} signal", CommonFields.Concat(kind.Fields.Select(f => f.Name)));
        if (!ok || date is null || confidence is < 0 or > 1)
        {
            return null;
        }

        // A report on the event's own day adds nothing: Reported stays null, so outputs match a file without it.
        return new SignalRecord(kind, date.Value, confidence, source, note, id, values, nodes.Span(node))
        {
            Reported = reported > date ? reported : null,
            Provenance = provenance,
        };
    }

    /// <summary>A signal's provenance block, as <c>review accept</c> writes it (docs/collection.md).</summary>
    private static SignalProvenance? ReadProvenance(Nodes nodes, YamlNode node)
    {
        var map = nodes.Map(node, "'provenance'");
        if (map is null)
        {
            return null;
        }

        var before = nodes.Diags.Items.Count(d => d.IsError);
        string? Required(string key)
        {
            if (map.GetNonNull(key) is not { } n)
            {
                nodes.Diags.Report(map.Span, DiagnosticCodes.BadProvenance, $"provenance is missing '{key}'");
                return null;
            }

            return nodes.Str(n, $"'provenance.{key}'");
        }

        var collector = Required("collector");
        var url = Required("url");
        var fetched = Required("fetched_at");
        var sha = Required("sha256");
        var candidate = Required("candidate");
        var reviewed = map.Date("reviewed");
        var reason = map.Str("reason");
        var autoBy = map.Str("auto_accepted_by");
        if (sha is not null && (sha.Length != 64 || !sha.All(char.IsAsciiHexDigitLower)))
        {
            nodes.Report(map.Get("sha256")!, DiagnosticCodes.BadProvenance, "provenance sha256 must be 64 lowercase hex digits");
        }

        if (fetched is not null && !DateTimeOffset.TryParse(fetched, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _))
        {
            nodes.Report(map.Get("fetched_at")!, DiagnosticCodes.BadProvenance, $"provenance fetched_at '{fetched}' is not a date and time (YYYY-MM-DDTHH:MM:SSZ)");
        }

        foreach (var (k, _) in map.Entries())
        {
            if (k.Value is not ("collector" or "url" or "fetched_at" or "sha256" or "candidate" or "reviewed" or "reason" or "auto_accepted_by"))
            {
                nodes.Report(k, DiagnosticCodes.BadProvenance, $"unknown key '{k.Value}' in provenance; expected collector, url, fetched_at, sha256, candidate, reviewed, reason, auto_accepted_by");
                map.MarkSeen(k.Value!);
            }
        }

        return nodes.Diags.Items.Count(d => d.IsError) > before || collector is null || url is null || fetched is null || sha is null || candidate is null
            ? null
            : new SignalProvenance(collector, url, fetched, sha, candidate, reviewed, reason) { AutoAcceptedBy = autoBy };
    }

    public static FieldValue? ReadValue(Nodes nodes, YamlNode node, FieldDef field, string kindName)
    {
        var what = $"'{field.Name}'";
        switch (field.Type)
        {
            case FieldType.String:
                return nodes.Str(node, what) is { } s ? new FieldValue(field, 0, s, false) : null;
            case FieldType.Enum:
                if (nodes.Str(node, what) is not { } e)
                {
                    return null;
                }

                if (!field.Values.Contains(e))
                {
                    var hint = Suggest.Closest(e, field.Values);
                    nodes.Report(node, DiagnosticCodes.UnknownEnumValue, $"'{e}' is not a value of {kindName}.{field.Name}; expected one of: {string.Join(", ", field.Values)}{(hint is null ? string.Empty : $" (did you mean '{hint}'?)")}");
                    return null;
                }

                return new FieldValue(field, 0, e, false);
            case FieldType.Number:
                return nodes.Number(node, what) is { } d ? new FieldValue(field, d, null, false) : null;
            case FieldType.Int:
                return nodes.Integer(node, what) is { } n ? new FieldValue(field, n, null, false) : null;
            case FieldType.Bool:
                return nodes.Bool(node, what) is { } b ? new FieldValue(field, 0, null, b) : null;
            case FieldType.Date:
                return nodes.Date(node, what) is { } date ? new FieldValue(field, date.DayNumber, null, false) : null;
            default:
                throw new InvalidOperationException($"unhandled field type {field.Type}");
        }
    }

    private static void MarkAllSeen(MapReader map)
    {
        foreach (var (k, _) in map.Entries())
        {
            map.MarkSeen(k.Value!);
        }
    }
}
