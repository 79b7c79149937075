using LicenseRisk.Model;
using YamlDotNet.RepresentationModel;

namespace LicenseRisk.Yaml;

/// <summary>Reads one rule file of a pack: its list of rules, each with its items, derive and metadata.</summary>
public static class RuleFileReader
{
    public static IReadOnlyList<RuleSyntax> Read(Nodes nodes, YamlNode root)
    {
        var map = nodes.Map(root, "a rule file");
        var rulesNode = map?.Get("rules", required: true, what: "a rule file");
        map?.RejectUnknown("a rule file", FileKeys);
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

    private static readonly HashSet<string> RuleKeys = MapReader.KeySet(
        "id", "title", "description", "group", "weight", "argued_weight", "sd", "half_life_days", "decay", "when", "because", "derive", "references", "rationale");

    private static readonly HashSet<string> FileKeys = MapReader.KeySet("rules");

    private static readonly HashSet<string> DeriveKeys = MapReader.KeySet("kind", "date", "fields");

    /// <summary>The largest argued weight accepted, in log-odds (a factor of about 150 on the odds).</summary>
    private const double MaxArguedWeight = 5.0;

    private static RuleSyntax? ReadRule(Nodes nodes, YamlNode node)
    {
        var map = nodes.Map(node, "a rule");
        if (map is null)
        {
            return null;
        }

        var idNode = map.GetNonNull("id", required: true, what: "a rule");
        var id = idNode is null ? null : nodes.Str(idNode, "'id'");
        if (id is not null && !Names.IsId(id))
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

        var argued = map.Number("argued_weight");
        if (argued is { } a && map.Get("argued_weight") is { } an)
        {
            if (weight is null)
            {
                nodes.Report(an, DiagnosticCodes.RuleSettingOutOfRange, "argued_weight needs a 'weight' beside it (the weight the pack uses)");
            }
            else if (Math.Abs(a) > MaxArguedWeight)
            {
                nodes.Report(an, DiagnosticCodes.RuleSettingOutOfRange, $"argued_weight must be from -{MaxArguedWeight} to {MaxArguedWeight} (a log-odds step)");
            }
            else if (sd == 0 && a != weight)
            {
                nodes.Report(an, DiagnosticCodes.RuleSettingOutOfRange, "argued_weight differs from 'weight' but sd is 0, so no fit could have moved it; give sd above 0 or drop argued_weight");
            }
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

        return new RuleSyntax(id, title, group, weight, sd, halfLife, decay, when, because, derive, references, rationale, nodes.Span(idNode!)) { ArguedWeight = argued };
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

        map.RejectUnknown("'derive'", DeriveKeys);
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

    private static readonly HashSet<string> ItemKeys = MapReader.KeySet("signal", "no", "count", "sum", "any", "as", "where", "at_least", "at_most");

    private static readonly string[] ItemHeads = ["signal", "no", "count", "sum", "any"];

    private static ItemSyntax? ReadItem(Nodes nodes, YamlNode node)
    {
        var map = nodes.Map(node, "an item of 'when'");
        if (map is null)
        {
            return null;
        }

        var heads = new List<string>(1);
        foreach (var k in ItemHeads)
        {
            if (map.Get(k) is not null)
            {
                heads.Add(k);
            }
        }

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
        if (alias is not null && !Names.IsName(alias.Text))
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
}
