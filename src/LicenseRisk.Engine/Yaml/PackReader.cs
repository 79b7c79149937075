using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using LicenseRisk.Model;
using YamlDotNet.RepresentationModel;

namespace LicenseRisk.Yaml;

/// <summary>Reads a rule pack folder (rule-format.md) into syntax records, every problem located.</summary>
public static partial class PackReader
{
    public const int MaxFieldsPerKind = 64;

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$")]
    private static partial Regex RuleIdPattern();

    public static PackSyntax? Read(string directory, DiagnosticBag diags)
    {
        var dir = SourcePaths.Normalize(directory).TrimEnd('/');
        if (!Directory.Exists(directory))
        {
            diags.Report(SourceSpan.None(dir), DiagnosticCodes.FileNotFound, "rule pack folder not found");
            return null;
        }

        // Both sides normalized, so "." or "../rules" names pack.yaml as the folder listing does.
        var packFile = SourcePaths.InFolder(directory, "pack.yaml");
        var signalsFile = SourcePaths.InFolder(directory, "signals.yaml");
        var ruleFiles = SourcePaths.YamlFiles(directory, SearchOption.TopDirectoryOnly)
            .Where(f => f != packFile && f != signalsFile)
            .ToList();

        var read = new List<(string File, SourceFile Source)>();
        YamlNode? Load(string file, out SourceFile? source)
        {
            var root = YamlSource.LoadFile(file, file, diags, out source);
            if (source is not null)
            {
                read.Add((file, source));
            }

            return root;
        }

        var packRoot = Load(packFile, out _);
        var signalsRoot = Load(signalsFile, out _);
        var settings = packRoot is null ? null : ReadPackFile(new Nodes(packFile, diags), packRoot);
        var catalog = signalsRoot is null ? null : ReadCatalog(new Nodes(signalsFile, diags), signalsRoot);

        var rules = new List<RuleSyntax>();
        foreach (var file in ruleFiles)
        {
            if (Load(file, out var source) is { } root)
            {
                rules.AddRange(ReadRuleFile(new Nodes(file, diags) { Text = source!.Text }, root));
            }
        }

        if (rules.Count > Limits.Current.MaxRulesPerPack)
        {
            diags.Report(new SourceSpan(dir, 0, 0), DiagnosticCodes.TooManyRules, $"the pack has {rules.Count} rules; the limit is {Limits.Current.MaxRulesPerPack}");
            return null;
        }

        CheckUniqueIds(rules, diags);
        if (settings is null || catalog is null)
        {
            return null;
        }

        var hash = Hash(dir, read);
        return new PackSyntax(dir, settings.Value.Info, settings.Value.Model, settings.Value.Bands, catalog, rules, hash);
    }

    /// <summary>
    /// SHA-256 over the pack's files (relative name and bytes, as read for parsing), independent of
    /// where the pack sits.
    /// </summary>
    public static string Hash(string dir, IEnumerable<(string File, SourceFile Source)> files)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (f, source) in files.OrderBy(x => x.File, StringComparer.Ordinal))
        {
            sha.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(dir, f).Replace('\\', '/') + "\0"));
            sha.AppendData(source.Bytes);
            sha.AppendData("\0"u8);
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static (PackInfo Info, ModelSettings Model, Bands Bands)? ReadPackFile(Nodes nodes, YamlNode root)
    {
        var map = nodes.Map(root, "pack.yaml");
        if (map is null)
        {
            return null;
        }

        PackInfo? info = null;
        if (map.GetNonNull("pack", required: true, what: "pack.yaml") is { } pn && nodes.Map(pn, "'pack'") is { } pm)
        {
            var name = pm.Str("name", required: true);
            var version = pm.Str("version", required: true);
            pm.RejectUnknown("'pack'", ["name", "version", "description"]);
            pm.Get("description");
            info = name is null || version is null ? null : new PackInfo(name, version);
        }

        ModelSettings? model = null;
        if (map.GetNonNull("model", required: true, what: "pack.yaml") is { } mn && nodes.Map(mn, "'model'") is { } mm)
        {
            var prior = Probability(nodes, mm, "prior", required: true);
            var horizon = mm.Integer("horizon_months") ?? 12;
            var halfLife = mm.Number("half_life_days") ?? 365;
            var defaultSd = mm.Number("default_sd") ?? 0.3;
            if (horizon is < 1 or > 120)
            {
                nodes.Report(mm.Get("horizon_months")!, DiagnosticCodes.PackSettingOutOfRange, "horizon_months must be between 1 and 120");
            }

            if (halfLife <= 0)
            {
                nodes.Report(mm.Get("half_life_days")!, DiagnosticCodes.PackSettingOutOfRange, "half_life_days must be positive");
            }

            if (defaultSd < 0)
            {
                nodes.Report(mm.Get("default_sd")!, DiagnosticCodes.PackSettingOutOfRange, "default_sd must not be negative");
            }

            mm.RejectUnknown("'model'", ["prior", "horizon_months", "half_life_days", "default_sd"]);
            model = prior is null ? null : new ModelSettings(prior.Value, (int)horizon, halfLife, defaultSd);
        }

        var bands = new List<KeyValuePair<string, double>>();
        if (map.GetNonNull("bands") is { } bn && nodes.Map(bn, "'bands'") is { } bm)
        {
            foreach (var (k, v) in bm.Entries())
            {
                bm.MarkSeen(k.Value!);
                if (nodes.Number(v, $"band '{k.Value}'") is { } t)
                {
                    if (t is < 0 or > 1)
                    {
                        nodes.Report(v, DiagnosticCodes.BadBandThreshold, $"band '{k.Value}' threshold must be between 0 and 1");
                    }

                    bands.Add(new(k.Value!, t));
                }
            }

            for (var i = 1; i < bands.Count; i++)
            {
                if (bands[i].Value <= bands[i - 1].Value)
                {
                    nodes.Report(bn, DiagnosticCodes.BadBandThreshold, "band thresholds must increase in the order written");
                    break;
                }
            }
        }
        else
        {
            bands.AddRange([new("low", 0), new("elevated", 0.25), new("high", 0.5), new("critical", 0.75)]);
        }

        map.RejectUnknown("pack.yaml", ["pack", "model", "bands"]);
        return info is null || model is null ? null : (info, model, new Bands(bands));
    }

    private static double? Probability(Nodes nodes, MapReader map, string key, bool required)
    {
        var node = map.GetNonNull(key, required);
        if (node is null || nodes.Number(node, $"'{key}'") is not { } p)
        {
            return null;
        }

        if (p is <= 0 or >= 1)
        {
            nodes.Report(node, DiagnosticCodes.PackSettingOutOfRange, $"{key} must be strictly between 0 and 1");
            return null;
        }

        return p;
    }

    public static SignalCatalog? ReadCatalog(Nodes nodes, YamlNode root)
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
            if (!NamePattern().IsMatch(name))
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
                    if (!NamePattern().IsMatch(fieldName))
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

    public static IReadOnlyList<RuleSyntax> ReadRuleFile(Nodes nodes, YamlNode root)
    {
        var map = nodes.Map(root, "a rule file");
        var rulesNode = map?.Get("rules", required: true, what: "a rule file");
        map?.RejectUnknown("a rule file", ["rules"]);
        if (rulesNode is null || Nodes.IsNull(rulesNode) || nodes.Seq(rulesNode, "'rules'") is not { } seq)
        {
            return [];
        }

        var result = new List<RuleSyntax>();
        foreach (var item in seq)
        {
            if (ReadRule(nodes, item) is { } rule)
            {
                result.Add(rule);
            }
        }

        return result;
    }

    private static readonly string[] RuleKeys =
        ["id", "title", "description", "group", "weight", "sd", "half_life_days", "decay", "when", "because", "derive", "references", "rationale"];

    private static RuleSyntax? ReadRule(Nodes nodes, YamlNode node)
    {
        var map = nodes.Map(node, "a rule");
        if (map is null)
        {
            return null;
        }

        var idNode = map.GetNonNull("id", required: true, what: "a rule");
        var id = idNode is null ? null : nodes.Str(idNode, "'id'");
        if (id is not null && !RuleIdPattern().IsMatch(id))
        {
            nodes.Report(idNode!, DiagnosticCodes.BadRuleId, $"rule id '{id}' must match [a-z0-9][a-z0-9-]*");
        }

        var title = map.Str("title", required: true);
        map.Get("description");
        var group = map.Str("group");
        var weight = map.Number("weight");
        var sd = map.Number("sd");
        if (sd < 0)
        {
            nodes.Report(map.Get("sd")!, DiagnosticCodes.RuleSettingOutOfRange, "sd must not be negative");
        }

        var halfLife = map.Number("half_life_days");
        if (halfLife <= 0)
        {
            nodes.Report(map.Get("half_life_days")!, DiagnosticCodes.RuleSettingOutOfRange, "half_life_days must be positive");
        }

        var decay = map.Bool("decay") ?? true;
        var because = map.Loc("because");
        var references = map.StrList("references");
        var rationale = map.Str("rationale");
        DeriveSyntax? derive = null;
        if (map.GetNonNull("derive") is { } dn)
        {
            derive = ReadDerive(nodes, dn);
        }

        var whenNode = map.GetNonNull("when", required: true, what: "a rule");
        var when = whenNode is null ? [] : ReadItems(nodes, whenNode, "'when'");
        if (whenNode is not null && when.Count == 0 && whenNode is YamlSequenceNode { Children.Count: 0 })
        {
            nodes.Report(whenNode, DiagnosticCodes.EmptyWhen, "'when' needs at least one item");
        }

        if (map.Get("weight") is null && map.Get("derive") is null)
        {
            nodes.Diags.Report(map.Span, DiagnosticCodes.RuleWithoutEffect, $"rule '{id}' needs a 'weight' (evidence) or a 'derive' (a derived signal), or both");
        }

        map.RejectUnknown("a rule", RuleKeys);
        if (id is null || title is null)
        {
            return null;
        }

        return new RuleSyntax(id, title, group, weight, sd, halfLife, decay, when, because, derive, references, rationale, nodes.Span(idNode!));
    }

    private static DeriveSyntax? ReadDerive(Nodes nodes, YamlNode node)
    {
        var map = nodes.Map(node, "'derive'");
        if (map is null)
        {
            return null;
        }

        var kind = map.Loc("kind", required: true);
        var date = map.Loc("date");
        var fields = new List<KeyValuePair<string, Located>>();
        if (map.GetNonNull("fields") is { } fn && nodes.Map(fn, "'fields'") is { } fm)
        {
            foreach (var (k, v) in fm.Entries())
            {
                fm.MarkSeen(k.Value!);
                if (nodes.Loc(v, $"field '{k.Value}'") is { } loc)
                {
                    fields.Add(new(k.Value!, loc));
                }
            }
        }

        map.RejectUnknown("'derive'", ["kind", "date", "fields"]);
        return kind is null ? null : new DeriveSyntax(kind, date, fields, nodes.Span(node));
    }

    private static List<ItemSyntax> ReadItems(Nodes nodes, YamlNode node, string what)
    {
        var result = new List<ItemSyntax>();
        if (nodes.Seq(node, what) is not { } seq)
        {
            return result;
        }

        foreach (var item in seq)
        {
            if (ReadItem(nodes, item) is { } i)
            {
                result.Add(i);
            }
        }

        return result;
    }

    private static readonly string[] ItemKeys = ["signal", "no", "count", "sum", "any", "as", "where", "at_least", "at_most"];

    private static ItemSyntax? ReadItem(Nodes nodes, YamlNode node)
    {
        var map = nodes.Map(node, "an item of 'when'");
        if (map is null)
        {
            return null;
        }

        var heads = new[] { "signal", "no", "count", "sum", "any" }.Where(k => map.Get(k) is not null).ToList();
        if (heads.Count != 1)
        {
            nodes.Diags.Report(map.Span, DiagnosticCodes.BadItemHead, heads.Count == 0
                ? "an item needs one of signal:, no:, count:, sum: or any:"
                : $"an item takes one of signal:, no:, count:, sum:, any:, not {string.Join(" and ", heads)}");
            map.RejectUnknown("an item of 'when'", ItemKeys);
            return null;
        }

        var head = heads[0];
        var span = map.Span;
        var alias = map.Loc("as");
        if (alias is not null && !NamePattern().IsMatch(alias.Text))
        {
            nodes.Diags.Report(alias.Span, DiagnosticCodes.BadAliasName, $"alias '{alias.Text}' must match [a-z][a-z0-9_]*");
            alias = null;
        }

        var where = map.Loc("where");
        var atLeast = map.Number("at_least");
        var atMost = map.Number("at_most");
        map.RejectUnknown("an item of 'when'", ItemKeys);
        switch (head)
        {
            case "any":
                var branches = new List<IReadOnlyList<ItemSyntax>>();
                if (nodes.Seq(map.Get("any")!, "'any'") is { } bseq)
                {
                    foreach (var b in bseq)
                    {
                        branches.Add(ReadItems(nodes, b, "a branch of 'any'"));
                    }
                }

                if (alias is not null || where is not null || atLeast is not null || atMost is not null)
                {
                    nodes.Diags.Report(span, DiagnosticCodes.BadAnyItem, "'any' takes only a list of item lists (no as, where, at_least, at_most)");
                }

                if (branches.Count == 0)
                {
                    nodes.Diags.Report(span, DiagnosticCodes.BadAnyItem, "'any' needs at least one branch");
                }

                return new ItemSyntax(ItemKind.Any, null, null, null, null, null, null, branches, span);
            case "count":
            case "sum":
                if (atLeast is null && atMost is null)
                {
                    nodes.Diags.Report(span, DiagnosticCodes.MisplacedItemOption, $"'{head}' needs at_least, at_most or both");
                }

                break;
            default:
                if (atLeast is not null || atMost is not null)
                {
                    nodes.Diags.Report(span, DiagnosticCodes.MisplacedItemOption, $"at_least and at_most belong to count: and sum:, not {head}:");
                }

                if (head == "no" && alias is not null)
                {
                    nodes.Diags.Report(alias.Span, DiagnosticCodes.MisplacedItemOption, "a 'no:' item matches nothing, so it cannot bind an alias");
                }

                break;
        }

        var target = map.Loc(head, required: true);
        if (target is null)
        {
            return null;
        }

        Located? kindName = target;
        Located? sumField = null;
        if (head == "sum")
        {
            var dot = target.Text.IndexOf('.', StringComparison.Ordinal);
            if (dot <= 0 || dot == target.Text.Length - 1)
            {
                nodes.Diags.Report(target.Span, DiagnosticCodes.BadSumTarget, $"sum: takes KIND.FIELD, not '{target.Text}'");
                return null;
            }

            kindName = target with { Text = target.Text[..dot] };
            sumField = target with { Text = target.Text[(dot + 1)..], Span = target.Span.Offset(dot + 1) };
        }

        var kind = head switch
        {
            "signal" => ItemKind.Signal,
            "no" => ItemKind.No,
            "count" => ItemKind.Count,
            _ => ItemKind.Sum,
        };
        return new ItemSyntax(kind, kindName, sumField, alias?.Text, where, atLeast, atMost, [], span);
    }

    private static void CheckUniqueIds(List<RuleSyntax> rules, DiagnosticBag diags)
    {
        var seen = new Dictionary<string, RuleSyntax>(StringComparer.Ordinal);
        foreach (var r in rules)
        {
            if (!seen.TryAdd(r.Id, r))
            {
                diags.Report(r.Span, DiagnosticCodes.DuplicateRuleId, $"rule id '{r.Id}' is already used at {seen[r.Id].Span}");
            }
        }
    }
}
