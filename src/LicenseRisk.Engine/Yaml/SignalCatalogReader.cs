using LicenseRisk.Model;
using YamlDotNet.RepresentationModel;

namespace LicenseRisk.Yaml;

/// <summary>Reads a pack's signals.yaml: the signal kinds and their typed fields.</summary>
public static class SignalCatalogReader
{
    public const int MaxFieldsPerKind = 64;

    public static SignalCatalog? Read(Nodes nodes, YamlNode root)
    {
        var map = nodes.Map(root, "signals.yaml");
        var kindsNode = map?.GetNonNull("kinds", required: true, what: "signals.yaml");
        map?.RejectUnknown("signals.yaml", ["kinds"]);
        if (kindsNode is null || nodes.Map(kindsNode, "'kinds'") is not { } kinds)
        {
            return null;
        }

        var result = new List<KindDef>();
        foreach (var (key, value) in kinds.Entries())
        {
            kinds.MarkSeen(key.Value!);
            var name = key.Value!;
            if (!Names.IsName(name))
            {
                nodes.Report(key, DiagnosticCodes.BadDeclaredName, $"kind name '{name}' must match [a-z][a-z0-9_]*");
                continue;
            }

            if (ReadKind(nodes, name, result.Count, key, value) is { } kind)
            {
                result.Add(kind);
            }
        }

        return new SignalCatalog(result);
    }

    private static KindDef? ReadKind(Nodes nodes, string name, int id, YamlNode keyNode, YamlNode value)
    {
        var fields = new List<FieldDef>();
        var derived = false;
        if (!Nodes.IsNull(value) && nodes.Map(value, $"kind '{name}'") is { } km)
        {
            derived = km.Bool("derived") ?? false;
            km.Get("description");
            if (km.GetNonNull("fields") is { } fn && nodes.Map(fn, $"fields of '{name}'") is { } fm)
            {
                int num = 0, str = 0, flag = 0;
                foreach (var (fk, fv) in fm.Entries())
                {
                    fm.MarkSeen(fk.Value!);
                    var fieldName = fk.Value!;
                    if (!Names.IsName(fieldName))
                    {
                        nodes.Report(fk, DiagnosticCodes.BadDeclaredName, $"field name '{fieldName}' must match [a-z][a-z0-9_]*");
                        continue;
                    }

                    if (SignalReader.CommonFields.Contains(fieldName) || fieldName is "age" or "as_of" or "extra")
                    {
                        nodes.Report(fk, DiagnosticCodes.ReservedFieldName, $"'{fieldName}' is a common field of every signal and cannot be declared");
                        continue;
                    }

                    if (ReadField(nodes, fieldName, fv) is not { } f)
                    {
                        continue;
                    }

                    var slot = f.Type switch
                    {
                        FieldType.String or FieldType.Enum => str++,
                        FieldType.Bool => flag++,
                        _ => num++,
                    };
                    fields.Add(f with { Index = fields.Count, Slot = slot });
                }

                if (fields.Count > MaxFieldsPerKind)
                {
                    nodes.Report(fn, DiagnosticCodes.TooManyFields, $"kind '{name}' declares {fields.Count} fields; at most {MaxFieldsPerKind} are allowed");
                    return null;
                }

                km.RejectUnknown($"kind '{name}'", ["derived", "fields", "description"]);
                return new KindDef(name, id, derived, fields, nodes.Span(keyNode)) { NumberSlots = num, StringSlots = str, BoolSlots = flag };
            }

            km.RejectUnknown($"kind '{name}'", ["derived", "fields", "description"]);
        }

        return new KindDef(name, id, derived, fields, nodes.Span(keyNode));
    }

    private static FieldDef? ReadField(Nodes nodes, string name, YamlNode node)
    {
        var map = nodes.Map(node, $"field '{name}'");
        if (map is null)
        {
            return null;
        }

        var typeNode = map.GetNonNull("type", required: true, what: $"field '{name}'");
        var typeName = typeNode is null ? null : nodes.Str(typeNode, "'type'");
        var required = map.Bool("required") ?? false;
        var values = map.StrList("values");
        map.Get("description");
        map.RejectUnknown($"field '{name}'", ["type", "required", "values", "description"]);
        if (typeName is null)
        {
            return null;
        }

        FieldType? type = typeName switch
        {
            "string" => FieldType.String,
            "number" => FieldType.Number,
            "int" => FieldType.Int,
            "bool" => FieldType.Bool,
            "date" => FieldType.Date,
            "enum" => FieldType.Enum,
            _ => null,
        };
        if (type is null)
        {
            nodes.Report(typeNode!, DiagnosticCodes.BadFieldType, $"unknown field type '{typeName}'; expected string, number, int, bool, date or enum");
            return null;
        }

        if (type == FieldType.Enum && values.Count == 0)
        {
            nodes.Report(typeNode!, DiagnosticCodes.BadFieldType, $"enum field '{name}' needs a non-empty 'values' list");
            return null;
        }

        if (type != FieldType.Enum && values.Count > 0)
        {
            nodes.Report(map.Get("values")!, DiagnosticCodes.BadFieldType, "'values' belongs only to enum fields");
        }

        return new FieldDef(name, type.Value, required, values, nodes.Span(node));
    }
}
