using LicenseRisk.Model;
using YamlDotNet.RepresentationModel;

namespace LicenseRisk.Yaml;

/// <summary>Reads a pack's pack.yaml: its name and version, the model settings and the bands.</summary>
public static class PackFileReader
{
    public static (PackInfo Info, ModelSettings Model, Bands Bands)? Read(Nodes nodes, YamlNode root)
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
}
