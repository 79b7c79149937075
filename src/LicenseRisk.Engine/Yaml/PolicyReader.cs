using LicenseRisk.Model;
using LicenseRisk.Rules;

namespace LicenseRisk.Yaml;

/// <summary>Reads a policy.yaml and checks it against the pack it will be layered over.</summary>
public static class PolicyReader
{
    public static Policy? Read(string path, CompiledPack pack, Limits limits, DiagnosticBag diags)
    {
        var file = SourcePaths.Normalize(path);
        var root = YamlSource.LoadFile(path, file, limits, diags, out var source);
        if (root is null)
        {
            return null;
        }

        var errors = diags.Items.Count(d => d.IsError);
        var nodes = new Nodes(file, diags);
        var map = nodes.Map(root, "a policy file");
        if (map is null)
        {
            return null;
        }

        var ruleIds = pack.Rules.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        string? name = null;
        if (map.GetNonNull("policy") is { } pn && nodes.Map(pn, "'policy'") is { } pm)
        {
            name = pm.Str("name");
            pm.Get("description");
            pm.Get("pack");
            pm.Get("pack_sha256");
            pm.Get("generated_by");
            pm.RejectUnknown("'policy'", ["name", "description", "pack", "pack_sha256", "generated_by"]);
        }

        double? prior = null;
        if (map.GetNonNull("prior") is { } priorNode && nodes.Number(priorNode, "'prior'") is { } p)
        {
            if (p is <= 0 or >= 1)
            {
                nodes.Report(priorNode, DiagnosticCodes.PolicyProbabilityOutOfRange, "prior must be strictly between 0 and 1");
            }

            prior = p;
        }

        var disabled = new List<string>();
        if (map.GetNonNull("disable") is { } dn)
        {
            var seq = nodes.Seq(dn, "'disable'");
            foreach (var item in seq?.Children ?? [])
            {
                if (nodes.Str(item, "a rule id") is { } id)
                {
                    if (CheckRule(nodes, item, id, ruleIds))
                    {
                        disabled.Add(id);
                    }
                }
            }
        }

        var weights = new SortedDictionary<string, double>(StringComparer.Ordinal);
        if (map.GetNonNull("weights") is { } wn && nodes.Map(wn, "'weights'") is { } wm)
        {
            foreach (var (k, v) in wm.Entries())
            {
                wm.MarkSeen(k.Value!);
                if (CheckRule(nodes, k, k.Value!, ruleIds) && pack.Rules.First(r => r.Id == k.Value).Weight is null)
                {
                    nodes.Report(k, DiagnosticCodes.PolicyWeightOnDeriveOnlyRule, $"rule '{k.Value}' only derives a signal and has no weight to override");
                }
                else if (ruleIds.Contains(k.Value!) && nodes.Number(v, $"weight of '{k.Value}'") is { } w)
                {
                    if (Math.Abs(w) > 10)
                    {
                        nodes.Report(v, DiagnosticCodes.PolicyWeightOutOfRange, $"weight {w} is outside -10..10 log-odds");
                    }

                    weights[k.Value!] = w;
                }
            }
        }

        double? failAbove = null;
        var vendorThresholds = new SortedDictionary<string, double>(StringComparer.Ordinal);
        if (map.GetNonNull("thresholds") is { } tn && nodes.Map(tn, "'thresholds'") is { } tm)
        {
            if (tm.GetNonNull("fail_above") is { } fa)
            {
                failAbove = Probability(nodes, fa, "'fail_above'");
            }

            if (tm.GetNonNull("vendors") is { } vn && nodes.Map(vn, "'vendors'") is { } vm)
            {
                foreach (var (k, v) in vm.Entries())
                {
                    vm.MarkSeen(k.Value!);
                    if (Probability(nodes, v, $"threshold of '{k.Value}'") is { } t)
                    {
                        vendorThresholds[k.Value!] = t;
                    }
                }
            }

            tm.RejectUnknown("'thresholds'", ["fail_above", "vendors"]);
        }

        var waivers = new List<Waiver>();
        if (map.GetNonNull("waivers") is { } wsn && nodes.Seq(wsn, "'waivers'") is { } ws)
        {
            foreach (var item in ws)
            {
                if (nodes.Map(item, "a waiver") is not { } w)
                {
                    continue;
                }

                var vendor = w.Str("vendor", required: true);
                var ruleNode = w.GetNonNull("rule", required: true, what: "a waiver");
                var rule = ruleNode is null ? null : nodes.Str(ruleNode, "'rule'");
                var reason = w.Str("reason", required: true);
                var approver = w.Str("approver", required: true);
                var expires = w.Date("expires", required: true);
                w.RejectUnknown("a waiver", ["vendor", "rule", "reason", "approver", "expires"]);
                if (rule is not null && !CheckRule(nodes, ruleNode!, rule, ruleIds))
                {
                    rule = null;
                }

                if (vendor is not null && rule is not null && reason is not null && approver is not null && expires is not null)
                {
                    waivers.Add(new Waiver(vendor, rule, reason, approver, expires.Value, nodes.Span(item)));
                }
            }
        }

        var autoAccept = new List<AutoAcceptRule>();
        if (map.GetNonNull("collect") is { } cn && nodes.Map(cn, "'collect'") is { } cm)
        {
            if (cm.GetNonNull("auto_accept") is { } an && nodes.Seq(an, "'auto_accept'") is { } aseq)
            {
                foreach (var item in aseq)
                {
                    if (ReadAutoAccept(nodes, item, pack.Catalog) is { } rule)
                    {
                        autoAccept.Add(rule);
                    }
                }
            }

            cm.RejectUnknown("'collect'", ["auto_accept"]);
        }

        map.RejectUnknown("a policy file", ["policy", "prior", "disable", "weights", "thresholds", "waivers", "collect"]);
        if (diags.Items.Count(d => d.IsError) > errors)
        {
            return null;
        }

        var sha = ContentHash.Of(source!.Bytes);
        return new Policy(file, name, prior, disabled, weights, failAbove, vendorThresholds, waivers, sha) { AutoAccept = autoAccept };
    }

    /// <summary>Collectors whose candidates are mechanical facts a policy may accept without a person.</summary>
    private static readonly string[] MechanicalCollectors = ["huggingface"];

    /// <summary>One <c>collect.auto_accept</c> item: collector, kinds, and optional field values (where).</summary>
    private static AutoAcceptRule? ReadAutoAccept(Nodes nodes, YamlDotNet.RepresentationModel.YamlNode item, SignalCatalog catalog)
    {
        if (nodes.Map(item, "an auto_accept rule") is not { } m)
        {
            return null;
        }

        var ok = true;
        var collectorNode = m.GetNonNull("collector", required: true, what: "an auto_accept rule");
        var collector = collectorNode is null ? null : nodes.Str(collectorNode, "'collector'");
        if (collector is not null && !MechanicalCollectors.Contains(collector, StringComparer.Ordinal))
        {
            nodes.Report(collectorNode!, DiagnosticCodes.PolicyBadAutoAccept, collector is "feed" or "openrouter" or "github"
                ? $"collector '{collector}' is never auto-accepted: which way its candidates point is a person's call"
                : $"no collector '{collector}' whose candidates may be auto-accepted; expected {string.Join(", ", MechanicalCollectors)}");
            ok = false;
        }

        var kinds = new List<KindDef>();
        if (m.GetNonNull("kinds", required: true, what: "an auto_accept rule") is { } kn && nodes.Seq(kn, "'kinds'") is { } ks)
        {
            foreach (var k in ks)
            {
                if (nodes.Str(k, "a signal kind") is not { } kindName)
                {
                    ok = false;
                }
                else if (catalog.Find(kindName) is { Derived: false } kind)
                {
                    kinds.Add(kind);
                }
                else
                {
                    var hint = Suggest.Closest(kindName, catalog.Kinds.Where(x => !x.Derived).Select(x => x.Name));
                    nodes.Report(k, DiagnosticCodes.PolicyBadAutoAccept, $"no signal kind '{kindName}' a collector proposes in the pack{(hint is null ? string.Empty : $"; did you mean '{hint}'?")}");
                    ok = false;
                }
            }
        }
        else
        {
            ok = false;
        }

        var where = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (m.GetNonNull("where") is { } wn && nodes.Map(wn, "'where'") is { } wm)
        {
            foreach (var (k, v) in wm.Entries())
            {
                wm.MarkSeen(k.Value!);
                if (kinds.FirstOrDefault(x => x.Field(k.Value!) is null) is { } lacking)
                {
                    nodes.Report(k, DiagnosticCodes.PolicyBadAutoAccept, $"a {lacking.Name} signal has no field '{k.Value}'");
                    ok = false;
                }
                else if (nodes.Str(v, $"'where.{k.Value}'") is { } value)
                {
                    where[k.Value!] = value;
                }
            }
        }

        m.RejectUnknown("an auto_accept rule", ["collector", "kinds", "where"]);
        return ok && collector is not null && kinds.Count > 0 ? new AutoAcceptRule(collector, [.. kinds.Select(k => k.Name)], where, nodes.Span(item)) : null;
    }

    private static bool CheckRule(Nodes nodes, YamlDotNet.RepresentationModel.YamlNode node, string id, HashSet<string> ruleIds)
    {
        if (ruleIds.Contains(id))
        {
            return true;
        }

        var hint = Suggest.Closest(id, ruleIds);
        nodes.Report(node, DiagnosticCodes.PolicyUnknownRule, $"no rule '{id}' in the pack{(hint is null ? string.Empty : $"; did you mean '{hint}'?")}");
        return false;
    }

    private static double? Probability(Nodes nodes, YamlDotNet.RepresentationModel.YamlNode node, string what)
    {
        if (nodes.Number(node, what) is not { } p)
        {
            return null;
        }

        if (p is < 0 or > 1)
        {
            nodes.Report(node, DiagnosticCodes.PolicyProbabilityOutOfRange, $"{what} must be between 0 and 1");
            return null;
        }

        return p;
    }
}
