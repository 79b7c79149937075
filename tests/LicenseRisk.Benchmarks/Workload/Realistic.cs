using System.Globalization;
using System.Text;
using LicenseRisk.Model;
using LicenseRisk.Rules;
using LicenseRisk.Scoring;

namespace LicenseRisk.Benchmarks.Workload;

/// <summary>
/// Dossiers shaped like samples/vendors: 8 to 32 signals each (the samples have 8 to 32, 23 on
/// average), kinds in the samples' proportions (a third releases, then statements, departures,
/// commercialization...), dated over the four years before the as-of day. Releases include the
/// withheld, demo-only and staged availabilities, and the issue #15 optional fields are set on
/// part of the signals (some weights_date and ended days fall after the as-of day), so that the
/// pack's rules on them fire and miss.
/// </summary>
public sealed class RealisticGenerator(int seed)
{
    public static readonly DateOnly AsOfDate = new(2026, 3, 1);

    // Counts of each kind over the six sample dossiers, in RKind order.
    private static readonly int[] KindWeights = [53, 5, 12, 6, 1, 7, 4, 12, 9, 19, 5, 2, 1];
    private static readonly double[] Confidences = [0.5, 0.6, 0.7, 0.8, 0.9, 1.0];
    private static readonly string[] Licenses = ["apache-2.0", "mit", "llama community license", "research-only licence", "cc-by-nc-4.0", "custom non-commercial"];

    public IReadOnlyList<RDossier> Dossiers(int count)
    {
        var r = new Random(seed);
        var total = KindWeights.Sum();
        T Pick<T>(IReadOnlyList<T> from) => from[r.Next(from.Count)];
        bool Chance(double p) => r.NextDouble() < p;
        var asOf = (double)AsOfDate.DayNumber;
        var list = new List<RDossier>(count);
        for (var v = 0; v < count; v++)
        {
            var n = r.Next(8, 33);
            var signals = new RSignal[n];
            for (var i = 0; i < n; i++)
            {
                var x = r.Next(total);
                var k = 0;
                while (x >= KindWeights[k])
                {
                    x -= KindWeights[k++];
                }

                var kind = (RKind)k;
                var day = asOf - r.Next(0, 1461);
                var weights = kind == RKind.Release ? Pick(["open", "open", "open", "open", "gated", "api_only", "api_only", "withheld", "demo_only", "staged"]) : null;
                signals[i] = new RSignal
                {
                    Kind = kind,
                    Day = day,
                    AsOf = asOf,
                    Confidence = Pick(Confidences),
                    Id = $"s{i}",
                    Model = $"m{i}",
                    Weights = weights,
                    License = Pick(Licenses),
                    Tier = Pick(["flagship", "mid", "mid", "small", "small"]),
                    MoreRestrictive = Chance(0.5),
                    Person = $"p{r.Next(100)}",
                    Seniority = Pick(["founder", "executive", "lead", "senior", "senior", "senior"]),
                    ToClosedLab = Chance(0.3),
                    FromClosedLab = Chance(0.3),
                    Org = $"o{r.Next(50)}",
                    Count = kind == RKind.Layoff ? r.Next(5, 300) : r.Next(1, 12),
                    Share = Math.Round(r.NextDouble() * 0.25, 2),
                    AmountUsd = r.Next(1, 1500) * 1_000_000.0,
                    InvestorType = Pick(["vc", "vc", "strategic", "cloud", "sovereign", "public_market"]),
                    Exclusive = Chance(0.3),
                    CloudDistribution = Chance(0.4),
                    Channel = Pick(["api_pricing", "enterprise", "consumer_product", "device", "revenue_target"]),
                    MergedWithProductUnit = Chance(0.4),
                    CommercialFocus = Chance(0.5),
                    Stance = Pick(["pro_open", "pro_open", "neutral", "pro_closed"]),
                    Downloads = r.Next(0, 800) * 1_000_000.0,
                    Derivatives = r.Next(0, 20_000),
                    EnterpriseCustomers = r.Next(0, 20_000),
                    AcquirerClosed = Chance(0.5),
                    Line = kind == RKind.Release && Chance(0.5) ? Pick(["main", "code", "vision"]) : null,
                    WeightsDate = weights == "staged" && Chance(0.7) ? day + r.Next(10, 400) : null,
                    SpeakerOrg = kind == RKind.Statement && Chance(0.7) ? Pick(["vendor", "vendor", "parent", "outsider"]) : null,
                    Form = kind == RKind.Funding && Chance(0.7) ? Pick(["equity", "equity", "grant", "donation", "debt"]) : null,
                    Recipient = kind == RKind.Funding && Chance(0.5) ? Pick(["vendor", "parent"]) : null,
                    Ended = kind == RKind.Partnership && Chance(0.3) ? day + r.Next(30, 900) : null,
                    Modality = kind == RKind.Release && Chance(0.6) ? Pick(["text", "text", "text", "code", "multimodal", "image", "audio", "video"]) : null,
                };
            }

            list.Add(new RDossier { Vendor = $"r{v:D6}", AsOf = asOf, Signals = signals });
        }

        return list;
    }

    /// <summary>A neutral dossier as the engine's model, against the pack's catalog (what the dossier reader would produce).</summary>
    public static Dossier ToDossier(CompiledPack pack, RDossier d)
    {
        var signals = new List<SignalRecord>(d.Signals.Count);
        foreach (var s in d.Signals)
        {
            var kind = pack.Catalog.Find(RSignal.KindName(s.Kind))!;
            var values = new List<FieldValue>();
            foreach (var (name, value) in s.Fields())
            {
                var field = kind.Field(name) ?? throw new InvalidOperationException($"{kind.Name} has no field {name}");
                values.Add(value switch
                {
                    bool b => new FieldValue(field, 0, null, b),
                    double n => new FieldValue(field, n, null, false),
                    DateOnly date => new FieldValue(field, date.DayNumber, null, false),
                    _ => new FieldValue(field, 0, (string)value, false),
                });
            }

            signals.Add(new SignalRecord(kind, DateOnly.FromDayNumber((int)s.Day), s.Confidence, "gen", null, s.Id, values, SourceSpan.None(d.Vendor)));
        }

        return new Dossier($"{d.Vendor}.yaml", new VendorInfo(d.Vendor, d.Vendor, null, null, [], SourceSpan.None(d.Vendor)), signals, null);
    }

    /// <summary>A dossier as YAML, for the CLI.</summary>
    public static string DossierYaml(RDossier d)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"vendor: {{ id: {d.Vendor}, name: {d.Vendor} }}\nsignals:\n");
        foreach (var s in d.Signals)
        {
            var date = DateOnly.FromDayNumber((int)s.Day).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            sb.Append(CultureInfo.InvariantCulture, $"  - {{ kind: {RSignal.KindName(s.Kind)}, id: {s.Id}, date: {date}, confidence: {s.Confidence}, source: gen");
            foreach (var (name, value) in s.Fields())
            {
                var text = value switch
                {
                    bool b => b ? "true" : "false",
                    double n => n.ToString(CultureInfo.InvariantCulture),
                    DateOnly day => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    _ => $"'{value}'",
                };
                sb.Append(CultureInfo.InvariantCulture, $", {name}: {text}");
            }

            sb.Append(" }\n");
        }

        return sb.ToString();
    }
}

/// <summary>The bundled pack (rules/) over generated dossiers: LicenseRisk, the fluent baselines, the plain loop, and the check that they agree.</summary>
public sealed class RealisticWorkload
{
    public RealisticWorkload(int seed, int dossiers)
    {
        var diags = new DiagnosticBag();
        Pack = PackCompiler.Load(BundledRules(), new LicenseRisk.Yaml.Limits(), diags)
            ?? throw new InvalidOperationException(string.Join("\n", diags.Sorted()));
        Neutral = new RealisticGenerator(seed).Dossiers(dossiers);
        Dossiers = Neutral.Select(d => RealisticGenerator.ToDossier(Pack, d)).ToList();
        Fluent = new BundledFluent(Pack);
        Plain = new RealisticPlainLoop(Pack);
        var records = new Dictionary<object, SignalRecord>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < Neutral.Count; i++)
        {
            for (var j = 0; j < Neutral[i].Signals.Count; j++)
            {
                records[Neutral[i].Signals[j]] = Dossiers[i].Signals[j];
            }
        }

        SameOutput = new SameOutput(Pack, records, static o => ((RSignal)o).Match);
        if (Environment.GetEnvironmentVariable("LR_VARIANT") is { Length: > 0 } variant)
        {
            // Experiments: a second pack loaded with the variable named by LR_VARIANT set, timed beside the first.
            Environment.SetEnvironmentVariable(variant, "1");
            Variant = PackCompiler.Load(BundledRules(), new LicenseRisk.Yaml.Limits(), diags);
            Environment.SetEnvironmentVariable(variant, null);
        }
    }

    public CompiledPack? Variant { get; }

    public CompiledPack Pack { get; }

    public IReadOnlyList<RDossier> Neutral { get; }

    public IReadOnlyList<Dossier> Dossiers { get; }

    public BundledFluent Fluent { get; }

    /// <summary>The floor: the same rules as plain C# loops, no rules engine.</summary>
    public RealisticPlainLoop Plain { get; }

    /// <summary>The fluent session's firings handed to LicenseRisk's scorer ("fluent, same output").</summary>
    public SameOutput SameOutput { get; }

    public VendorScore ScoreSameOutput(int i) => Fluent.ScoreSameOutput(SameOutput, Neutral[i], Dossiers[i]);

    public VendorScore Score(int i) => Evaluator.Score(Pack, Dossiers[i], RealisticGenerator.AsOfDate);

    public IEnumerable<(string Name, Func<int, double> Score)> Implementations()
    {
        yield return ("LicenseRisk", i => Score(i).Probability);
        yield return ("NRulesFluent", i => Fluent.Score(Neutral[i]));
        yield return ("FluentSameOutput", i => ScoreSameOutput(i).Probability);
        yield return ("PlainLoop", i => Plain.Score(Neutral[i]));
        if (Variant is { } v)
        {
            yield return ("variant", i => Evaluator.Score(v, Dossiers[i], RealisticGenerator.AsOfDate).Probability);
        }
    }

    /// <summary>Scores dossiers with LicenseRisk, the fluent baselines and the plain loop; throws on the first disagreement. Returns the count checked and the mean of counted contributions.</summary>
    public (int Checked, double Contributions) Check(int? count = null)
    {
        var n = Math.Min(count ?? Neutral.Count, Neutral.Count);
        var contributions = 0;
        for (var i = 0; i < n; i++)
        {
            var expected = Score(i);
            contributions += expected.Contributions.Count;
            var fluent = Fluent.Score(Neutral[i]);
            Workloads.SameOutputCheck(Pack, RealisticGenerator.AsOfDate, Neutral[i].Vendor, expected, ScoreSameOutput(i));
            if (Math.Abs(fluent - expected.Probability) > Workloads.Tolerance)
            {
                throw new InvalidOperationException($"{Neutral[i].Vendor}: fluent NRules scores {fluent:R}, LicenseRisk {expected.Probability:R}");
            }

            var plain = Plain.Score(Neutral[i]);
            if (Math.Abs(plain - expected.Probability) > Workloads.Tolerance)
            {
                throw new InvalidOperationException($"{Neutral[i].Vendor}: plain loop scores {plain:R}, LicenseRisk {expected.Probability:R}");
            }
        }

        return (n, (double)contributions / Math.Max(1, n));
    }

    /// <summary>The ids of the rules that fire on at least one of the first <paramref name="count"/> dossiers (LicenseRisk's firings).</summary>
    public IReadOnlySet<string> FiredRules(int count)
    {
        var fired = new SortedSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Math.Min(count, Dossiers.Count); i++)
        {
            foreach (var f in Evaluator.Run(Pack, Dossiers[i].Signals, RealisticGenerator.AsOfDate).Firings)
            {
                fired.Add(Pack.Rules[f.RuleIndex].Id);
            }
        }

        return fired;
    }

    /// <summary>The repository's rules/ folder, found upwards from the running assembly.</summary>
    public static string BundledRules()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var rules = Path.Combine(dir.FullName, "rules");
            if (File.Exists(Path.Combine(rules, "pack.yaml")) && File.Exists(Path.Combine(rules, "signals.yaml")))
            {
                return rules;
            }
        }

        throw new InvalidOperationException("the bundled rules/ folder was not found above " + AppContext.BaseDirectory);
    }
}
