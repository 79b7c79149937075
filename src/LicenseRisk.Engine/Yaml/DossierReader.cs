using LicenseRisk.Model;
using YamlDotNet.RepresentationModel;

namespace LicenseRisk.Yaml;

/// <summary>Reads vendor dossiers (dossier-format.md) with every problem located.</summary>
public static class DossierReader
{
    /// <summary>Expands files and folders into the dossier files to read, sorted for stable output.</summary>
    public static IReadOnlyList<string> Expand(IEnumerable<string> paths, DiagnosticBag diags)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                var found = SourcePaths.YamlFiles(path, SearchOption.AllDirectories);
                if (found.Count == 0)
                {
                    // A mistyped or empty folder must not pass a CI gate as "nothing risky".
                    diags.Report(SourceSpan.None(path), DiagnosticCodes.NoDossierFiles, "no dossier files (*.yaml, *.yml) in this folder");
                }

                files.AddRange(found);
            }
            else if (File.Exists(path))
            {
                files.Add(SourcePaths.Normalize(path));
            }
            else
            {
                diags.Report(SourceSpan.None(path), DiagnosticCodes.FileNotFound, "no such file or folder");
            }
        }

        // One order whatever order the paths came in: outputs do not depend on the command line's order.
        return [.. files.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    /// <summary>Reads dossiers and checks ids are unique across them (<see cref="UniqueVendorIds"/>).</summary>
    public static IReadOnlyList<Dossier> ReadAll(IReadOnlyList<string> files, SignalCatalog catalog, Limits limits, DiagnosticBag diags)
    {
        var read = new Dossier?[files.Count];
        var bags = new DiagnosticBag[files.Count];
        Parallel.For(0, files.Count, i =>
        {
            bags[i] = new DiagnosticBag();
            read[i] = ReadFile(files[i], catalog, limits, bags[i]);
        });
        foreach (var bag in bags)
        {
            diags.AddRange(bag.Items);
        }

        var ids = new UniqueVendorIds();
        var result = read.OfType<Dossier>().OrderBy(d => d.File, StringComparer.Ordinal).Where(d => ids.Add(d, diags)).ToList();

        // Output order is the vendors' (then the cases' as_of), whatever order the paths came in.
        return [.. result.OrderBy(d => d.Vendor.Id, StringComparer.Ordinal).ThenBy(d => d.Case?.AsOf)];
    }

    public static Dossier? ReadFile(string file, SignalCatalog catalog, Limits limits, DiagnosticBag diags)
    {
        var root = YamlSource.LoadFile(file, file, limits, diags, out var source);
        return root is null ? null : Read(root, file, catalog, limits, diags) is { } dossier
            ? dossier with { Sha256 = ContentHash.Of(source!.Bytes) }
            : null;
    }

    public static Dossier? Read(YamlNode root, string file, SignalCatalog catalog, Limits limits, DiagnosticBag diags)
    {
        var nodes = new Nodes(file, diags);
        var map = nodes.Map(root, "a dossier");
        if (map is null)
        {
            return null;
        }

        var errorsBefore = diags.Items.Count(d => d.IsError);
        var vendorNode = map.GetNonNull("vendor", required: true, what: "a dossier");
        var vendor = vendorNode is null ? null : ReadVendor(nodes, vendorNode);

        var signals = new List<SignalRecord>();
        var signalsNode = map.Get("signals", required: true, what: "a dossier");
        if (signalsNode is not null && !Nodes.IsNull(signalsNode) && nodes.Seq(signalsNode, "'signals'") is { } seq)
        {
            if (seq.Children.Count > limits.MaxSignalsPerDossier)
            {
                nodes.Report(seq, DiagnosticCodes.TooManySignals, $"{seq.Children.Count} signals; the limit is {limits.MaxSignalsPerDossier} per dossier");
                return null;
            }

            foreach (var item in seq)
            {
                if (SignalReader.Read(nodes, item, catalog) is { } s)
                {
                    signals.Add(s);
                    if (s.Source is null)
                    {
                        diags.Report(s.Span, DiagnosticCodes.SignalWithoutSource, $"{s.Kind.Name} signal has no source");
                    }
                }
            }
        }

        CaseInfo? caseInfo = null;
        if (map.GetNonNull("case") is { } caseNode)
        {
            caseInfo = ReadCase(nodes, caseNode);
        }

        map.RejectUnknown("a dossier", ["vendor", "signals", "case"]);
        CheckSignalIds(nodes, signals);
        var errorsAfter = diags.Items.Count(d => d.IsError);
        return vendor is null || errorsAfter > errorsBefore ? null : new Dossier(file, vendor, signals, caseInfo);
    }

    private static VendorInfo? ReadVendor(Nodes nodes, YamlNode node)
    {
        var map = nodes.Map(node, "'vendor'");
        if (map is null)
        {
            return null;
        }

        var idNode = map.GetNonNull("id", required: true, what: "'vendor'");
        var id = idNode is null ? null : nodes.Str(idNode, "'id'");
        if (id is not null && !Names.IsId(id))
        {
            nodes.Report(idNode!, DiagnosticCodes.BadVendorId, $"vendor id '{id}' must match [a-z0-9][a-z0-9-]*");
            id = null;
        }

        var name = map.Str("name", required: true);
        var parent = map.Str("parent");
        var homepage = map.Str("homepage");
        var tags = map.StrList("tags");
        var errorsBefore = nodes.Diags.Items.Count(d => d.IsError);
        var sources = map.GetNonNull("sources") is { } sn ? ReadSources(nodes, sn) : VendorSources.None;
        map.RejectUnknown("'vendor'", ["id", "name", "parent", "homepage", "tags", "sources"]);
        return id is null || name is null || sources is null || nodes.Diags.Items.Count(d => d.IsError) > errorsBefore
            ? null
            : new VendorInfo(id, name, parent, homepage, tags, nodes.Span(idNode!)) { Sources = sources };
    }

    /// <summary>vendor.sources: where the collectors look (docs/collection.md).</summary>
    private static VendorSources? ReadSources(Nodes nodes, YamlNode node)
    {
        var map = nodes.Map(node, "'sources'");
        if (map is null)
        {
            return null;
        }

        var ok = true;
        IReadOnlyList<string> Names(string key)
        {
            if (map.GetNonNull(key) is not { } n)
            {
                return [];
            }

            var list = nodes.StrList(n, $"'sources.{key}'");
            foreach (var (item, value) in Items(n).Zip(list))
            {
                if (!Yaml.Names.IsSourceName(value))
                {
                    nodes.Report(item, DiagnosticCodes.BadVendorSource, $"'{value}' is not a {key} name: use letters, digits, '-', '_' and '.' (no '/', no address)");
                    ok = false;
                }
            }

            return list;
        }

        var hf = Names("huggingface");
        var or = Names("openrouter");
        var gh = Names("github");
        IReadOnlyList<string> feeds = [];
        if (map.GetNonNull("feeds") is { } fn)
        {
            feeds = nodes.StrList(fn, "'sources.feeds'");
            foreach (var (item, value) in Items(fn).Zip(feeds))
            {
                if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                {
                    nodes.Report(item, DiagnosticCodes.BadVendorSource, $"feed '{value}' is not an http or https address");
                    ok = false;
                }
            }
        }

        foreach (var (k, _) in map.Entries())
        {
            if (k.Value is not ("huggingface" or "openrouter" or "github" or "feeds"))
            {
                var hint = Suggest.Closest(k.Value!, ["huggingface", "openrouter", "github", "feeds"]);
                nodes.Report(k, DiagnosticCodes.BadVendorSource, $"unknown source '{k.Value}' in vendor.sources; expected huggingface, openrouter, github or feeds{(hint is null ? string.Empty : $" (did you mean '{hint}'?)")}");
                map.MarkSeen(k.Value!);
                ok = false;
            }
        }

        return ok ? new VendorSources(hf, or, gh, feeds) : null;
    }

    private static IEnumerable<YamlNode> Items(YamlNode node) => node is YamlSequenceNode seq ? seq.Children : [node];

    private static CaseInfo? ReadCase(Nodes nodes, YamlNode node)
    {
        var map = nodes.Map(node, "'case'");
        if (map is null)
        {
            return null;
        }

        var asOf = map.Date("as_of", required: true);
        var horizon = Horizon(nodes, map);
        var went = map.Bool("went_api_only", required: true);
        var resolution = map.Str("resolution");
        var certainty = ReadCertainty(nodes, map);
        var caveats = map.StrList("caveats");
        var vendorType = ReadVendorType(nodes, map);
        map.RejectUnknown("'case'", ["as_of", "horizon_months", "went_api_only", "resolution", "certainty", "caveats", "vendor_type"]);
        return asOf is null || went is null ? null : new CaseInfo(asOf.Value, (int)(horizon ?? 12), went.Value, resolution, nodes.Span(node), certainty, caveats) { VendorType = vendorType };
    }

    /// <summary>
    /// A case's <c>horizon_months</c> (a dossier's, or a rule test's): null when absent, or when out
    /// of 1 to 120 (reported at the value: a horizon of 0 or less would turn the probability into nonsense).
    /// </summary>
    internal static long? Horizon(Nodes nodes, MapReader map)
    {
        var horizon = map.Integer("horizon_months");
        if (horizon is <= 0 or > 120 && map.Get("horizon_months") is { } hn)
        {
            nodes.Report(hn, DiagnosticCodes.DossierHorizonOutOfRange, "horizon_months must be between 1 and 120");
            return null;
        }

        return horizon;
    }

    private static string? ReadVendorType(Nodes nodes, MapReader map) => ReadOneOf(nodes, map, "vendor_type", CaseInfo.VendorTypes);

    private static readonly string[] Certainties = ["high", "medium", "low"];

    private static LabelCertainty? ReadCertainty(Nodes nodes, MapReader map) => ReadOneOf(nodes, map, "certainty", Certainties) switch
    {
        "high" => LabelCertainty.High,
        "medium" => LabelCertainty.Medium,
        "low" => LabelCertainty.Low,
        _ => null,
    };

    /// <summary>A case key whose value is one of <paramref name="values"/>; another value is reported as an unknown value, with a did-you-mean, and read as absent.</summary>
    private static string? ReadOneOf(Nodes nodes, MapReader map, string key, IReadOnlyList<string> values)
    {
        if (map.Str(key) is not { } text)
        {
            return null;
        }

        if (values.Contains(text, StringComparer.Ordinal))
        {
            return text;
        }

        var hint = Suggest.Closest(text, values);
        nodes.Report(map.Get(key)!, DiagnosticCodes.UnknownEnumValue, $"'{text}' is not a value of case.{key}; expected one of: {string.Join(", ", values)}{(hint is null ? string.Empty : $" (did you mean '{hint}'?)")}");
        return null;
    }

    private static void CheckSignalIds(Nodes nodes, List<SignalRecord> signals)
    {
        var ids = new Dictionary<string, SignalRecord>(StringComparer.Ordinal);
        foreach (var s in signals)
        {
            if (s.Id is null)
            {
                continue;
            }

            if (!ids.TryAdd(s.Id, s))
            {
                nodes.Diags.Report(s.Span, DiagnosticCodes.DuplicateSignalId, $"signal id '{s.Id}' is already used at line {ids[s.Id].Span.Line}");
            }
        }
    }
}
