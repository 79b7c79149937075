using System.Globalization;
using System.Text;
using LicenseRisk.Model;
using LicenseRisk.Rules;
using LicenseRisk.Scoring;

namespace LicenseRisk.Benchmarks.Workload;

/// <summary>The dossier kinds of the bundled pack, and its two derived kinds.</summary>
public enum RKind
{
    Release,
    LicenseChange,
    LeadershipDeparture,
    LeadershipAppointment,
    Hiring,
    Funding,
    Partnership,
    Commercialization,
    Reorganization,
    Statement,
    Adoption,
    Layoff,
    Acquisition,
    ClosedLabLeadership,
    LeadershipExodus,
}

/// <summary>
/// A signal of the bundled pack in neutral form (also the fluent baseline's fact type): every
/// field the pack declares, as a typed property. The generator sets every field of the spec's
/// table; the optional fields added in issue #15 (line, weights_date, speaker_org, form,
/// recipient, ended) are null when missing, and the fluent rules spell out the rule language's
/// reading of a missing field (a comparison that reads it is false; a date field later than the
/// as-of day reads as missing).
/// </summary>
public sealed class RSignal
{
    public RKind Kind { get; init; }

    public double Day { get; init; }

    public double AsOf { get; init; }

    public double Age => AsOf - Day;

    public double Confidence { get; init; }

    public string Id { get; init; } = string.Empty;

    public string? Model { get; init; }

    public string? Weights { get; init; }

    public string? License { get; init; }

    public string? Tier { get; init; }

    public bool MoreRestrictive { get; init; }

    public string? Person { get; init; }

    public string? Seniority { get; init; }

    public bool ToClosedLab { get; init; }

    public bool FromClosedLab { get; init; }

    public string? Org { get; init; }

    public double Count { get; init; }

    public double Share { get; init; }

    public double AmountUsd { get; init; }

    public string? InvestorType { get; init; }

    public bool Exclusive { get; init; }

    public bool CloudDistribution { get; init; }

    public string? Channel { get; init; }

    public bool MergedWithProductUnit { get; init; }

    public bool CommercialFocus { get; init; }

    public string? Stance { get; init; }

    public double Downloads { get; init; }

    public double Derivatives { get; init; }

    public double EnterpriseCustomers { get; init; }

    public bool AcquirerClosed { get; init; }

    /// <summary>release.line: the model line, null when missing.</summary>
    public string? Line { get; init; }

    /// <summary>release.modality, null when missing.</summary>
    public string? Modality { get; init; }

    /// <summary>release.weights_date as a day number, null when missing (a day after <see cref="AsOf"/> reads as missing).</summary>
    public double? WeightsDate { get; init; }

    /// <summary>statement.speaker_org, null when missing.</summary>
    public string? SpeakerOrg { get; init; }

    /// <summary>funding.form, null when missing.</summary>
    public string? Form { get; init; }

    /// <summary>funding.recipient, null when missing.</summary>
    public string? Recipient { get; init; }

    /// <summary>partnership.ended as a day number, null when missing (a day after <see cref="AsOf"/> reads as missing).</summary>
    public double? Ended { get; init; }

    /// <summary>The activation that derived it, null for a dossier signal (read only by the "fluent, same output" baseline, after the session).</summary>
    public NRules.RuleModel.IMatch? Match { get; init; }

    /// <summary>The signal's fields as the pack names them (dossier kinds only), without the missing ones; a date field is a <see cref="DateOnly"/>.</summary>
    public IEnumerable<(string Field, object Value)> Fields() => Present(Kind switch
    {
        RKind.Release => [("model", Model!), ("weights", Weights!), ("license", License!), ("tier", Tier!), ("line", Line), ("weights_date", Date(WeightsDate)), ("modality", Modality)],
        RKind.LicenseChange => [("model", Model!), ("from", "old"), ("to", "new"), ("more_restrictive", MoreRestrictive)],
        RKind.LeadershipDeparture => [("person", Person!), ("role", "lead"), ("seniority", Seniority!), ("to_org", Org!), ("to_closed_lab", ToClosedLab)],
        RKind.LeadershipAppointment => [("person", Person!), ("role", "lead"), ("seniority", Seniority!), ("from_org", Org!), ("from_closed_lab", FromClosedLab)],
        RKind.Hiring => [("count", Count), ("from_org", Org!), ("from_closed_lab", FromClosedLab)],
        RKind.Funding => [("amount_usd", AmountUsd), ("investor", Org!), ("investor_type", InvestorType!), ("form", Form), ("recipient", Recipient)],
        RKind.Partnership => [("partner", Org!), ("exclusive", Exclusive), ("cloud_distribution", CloudDistribution), ("ended", Date(Ended))],
        RKind.Commercialization => [("channel", Channel!), ("detail", "generated")],
        RKind.Reorganization => [("detail", "generated"), ("merged_with_product_unit", MergedWithProductUnit), ("commercial_focus", CommercialFocus)],
        RKind.Statement => [("speaker", Person!), ("stance", Stance!), ("speaker_org", SpeakerOrg)],
        RKind.Adoption => [("downloads", Downloads), ("derivatives", Derivatives), ("enterprise_customers", EnterpriseCustomers)],
        RKind.Layoff => [("count", Count), ("share", Share)],
        RKind.Acquisition => [("acquirer", Org!), ("acquirer_closed", AcquirerClosed)],
        _ => [],
    });

    private static IEnumerable<(string Field, object Value)> Present(IEnumerable<(string Field, object? Value)> fields)
    {
        foreach (var (field, value) in fields)
        {
            if (value is not null)
            {
                yield return (field, value);
            }
        }
    }

    private static object? Date(double? day) => day is { } d ? DateOnly.FromDayNumber((int)d) : null;

    public static string KindName(RKind kind) => kind switch
    {
        RKind.LicenseChange => "license_change",
        RKind.LeadershipDeparture => "leadership_departure",
        RKind.LeadershipAppointment => "leadership_appointment",
        RKind.ClosedLabLeadership => "closed_lab_leadership",
        RKind.LeadershipExodus => "leadership_exodus",
        _ => kind.ToString().ToLowerInvariant(),
    };
}

/// <summary>A vendor's signals for the bundled pack in neutral form.</summary>
public sealed class RDossier
{
    public required string Vendor { get; init; }

    public required double AsOf { get; init; }

    public required IReadOnlyList<RSignal> Signals { get; init; }
}

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

/// <summary>The bundled pack (rules/) over generated dossiers: LicenseRisk, the fluent baseline, and the check that they agree.</summary>
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

    /// <summary>The fluent session's firings handed to LicenseRisk's scorer ("fluent, same output").</summary>
    public SameOutput SameOutput { get; }

    public VendorScore ScoreSameOutput(int i) => Fluent.ScoreSameOutput(SameOutput, Neutral[i], Dossiers[i]);

    public VendorScore Score(int i) => Evaluator.Score(Pack, Dossiers[i], RealisticGenerator.AsOfDate);

    public IEnumerable<(string Name, Func<int, double> Score)> Implementations()
    {
        yield return ("LicenseRisk", i => Score(i).Probability);
        yield return ("NRulesFluent", i => Fluent.Score(Neutral[i]));
        yield return ("FluentSameOutput", i => ScoreSameOutput(i).Probability);
        if (Variant is { } v)
        {
            yield return ("variant", i => Evaluator.Score(v, Dossiers[i], RealisticGenerator.AsOfDate).Probability);
        }
    }

    /// <summary>Scores dossiers with both; throws on the first disagreement. Returns the count checked and the mean of counted contributions.</summary>
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
