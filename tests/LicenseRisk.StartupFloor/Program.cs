// The start-up floor (issue #16): what a one-dossier score costs when the bundled pack's rules are
// hand-written in NRules' fluent DSL (tests/LicenseRisk.Benchmarks/Workload/BundledFluent.cs,
// linked) instead of read from YAML and lowered. At start: RuleRepository.Load and
// RuleCompiler.Compile with LicenseRisk's expression compiler (interpreted under Native AOT, as
// in the CLI); then the dossier is read with YamlDotNet's representation model, its known signals
// inserted and fired, and the probability printed (round-trip precision).
// usage: licenserisk-floor DOSSIER.yaml [--as-of yyyy-MM-dd]
// LR_FLOOR_STOP=start|load|compile|read ends the run before loading the rules, after
// RuleRepository.Load, after compiling, or after reading the dossier (printing nothing), to split
// the whole-process time.
using System.Globalization;
using LicenseRisk.Benchmarks.Workload;
using LicenseRisk.StartupFloor;
using YamlDotNet.RepresentationModel;

var stop = Environment.GetEnvironmentVariable("LR_FLOOR_STOP");
if (stop == "start")
{
    return;
}

if (stop == "load")
{
    var index = new Dictionary<string, int>(StringComparer.Ordinal);
    for (var i = 0; i < RuleTable.Rules.Length; i++)
    {
        index.Add(RuleTable.Rules[i].Id, i);
    }

    Environment.ExitCode = BundledFluent.Load(index).Sum(set => set.Rules.Count()) == RuleTable.Rules.Length ? 0 : 1;
    return;
}

var asOf = args.Length >= 3 && args[1] == "--as-of" ? DateOnly.ParseExact(args[2], "yyyy-MM-dd", CultureInfo.InvariantCulture) : DateOnly.FromDateTime(DateTime.UtcNow);
var fluent = new BundledFluent(RuleTable.Rules, RuleTable.Prior);
if (stop == "compile")
{
    return;
}

var dossier = DossierFile.Read(args[0], asOf.DayNumber);
if (stop == "read")
{
    return;
}

Console.WriteLine(fluent.Score(dossier).ToString("R", CultureInfo.InvariantCulture));

internal static class DossierFile
{
    /// <summary>The dossier's signals known on the as-of day (dated and reported on or before it), as the fluent rules' facts.</summary>
    public static RDossier Read(string path, double asOf)
    {
        var yaml = new YamlStream();
        using (var reader = File.OpenText(path))
        {
            yaml.Load(reader);
        }

        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var signals = new List<RSignal>();
        var n = 0;
        foreach (var node in ((YamlSequenceNode)root.Children[new YamlScalarNode("signals")]).Children)
        {
            var f = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in (YamlMappingNode)node)
            {
                if (value is YamlScalarNode { Value: { } v })
                {
                    f[((YamlScalarNode)key).Value!] = v;
                }
            }

            n++;
            var day = Day(f["date"]);
            if (day > asOf || (f.TryGetValue("reported", out var reported) && Day(reported) > asOf))
            {
                continue;
            }

            string? S(string name) => f.GetValueOrDefault(name);
            double D(string name, double absent = 0) => f.TryGetValue(name, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : absent;
            bool B(string name) => f.TryGetValue(name, out var v) && v == "true";
            double? Date(string name) => f.TryGetValue(name, out var v) && Day(v) <= asOf ? Day(v) : null;
            var kind = Kind(f["kind"]);
            signals.Add(new RSignal
            {
                Kind = kind,
                Day = day,
                AsOf = asOf,
                Confidence = D("confidence", 1), // optional in a dossier, default 1 (docs/dossier-format.md)
                Id = S("id") ?? $"s{n}",
                Model = S("model"),
                Weights = S("weights"),
                License = S("license"),
                Tier = S("tier"),
                MoreRestrictive = B("more_restrictive"),
                Person = S("person") ?? S("speaker"),
                Seniority = S("seniority"),
                ToClosedLab = B("to_closed_lab"),
                FromClosedLab = B("from_closed_lab"),
                Org = S("to_org") ?? S("from_org") ?? S("investor") ?? S("partner") ?? S("acquirer"),
                Count = D("count"),
                Share = D("share"),
                AmountUsd = D("amount_usd"),
                InvestorType = S("investor_type"),
                Exclusive = B("exclusive"),
                CloudDistribution = B("cloud_distribution"),
                Channel = S("channel"),
                MergedWithProductUnit = B("merged_with_product_unit"),
                CommercialFocus = B("commercial_focus"),
                Stance = S("stance"),
                Downloads = D("downloads"),
                Derivatives = D("derivatives"),
                EnterpriseCustomers = D("enterprise_customers"),
                AcquirerClosed = B("acquirer_closed"),
                Line = S("line"),
                Modality = S("modality"),
                WeightsDate = Date("weights_date"),
                SpeakerOrg = S("speaker_org"),
                Form = S("form"),
                Recipient = S("recipient"),
                Ended = Date("ended"),
            });
        }

        return new RDossier { Vendor = Path.GetFileNameWithoutExtension(path), AsOf = asOf, Signals = signals };
    }

    private static double Day(string date) => DateOnly.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture).DayNumber;

    private static RKind Kind(string name)
    {
        foreach (var kind in Enum.GetValues<RKind>())
        {
            if (RSignal.KindName(kind) == name)
            {
                return kind;
            }
        }

        throw new InvalidDataException($"unknown signal kind {name}");
    }
}
