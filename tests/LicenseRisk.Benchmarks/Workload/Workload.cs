using System.Globalization;
using System.Text;

namespace LicenseRisk.Benchmarks.Workload;

/// <summary>The shapes a generated rule can take (each maps to one construct of the rule format).</summary>
public enum Shape
{
    /// <summary>signal K where level &gt;= T [and tag == X].</summary>
    Single,

    /// <summary>signal K1 as a where level &gt;= T; signal K2 as b where tag == X and days(a.date, b.date) between 0 and W.</summary>
    Join,

    /// <summary>signal K1 as a where level &gt;= T; no K2 where tag == X and date &gt;= a.date.</summary>
    No,

    /// <summary>count K where level &gt;= T, at_least N.</summary>
    Count,

    /// <summary>signal K where level &gt;= T and tag == X; derive the derived kind D (no weight).</summary>
    Derive,

    /// <summary>signal D (a derived kind), weighted.</summary>
    UseDerived,
}

/// <summary>One generated rule, the neutral form every implementation is written from.</summary>
public sealed record RuleSpec(
    int Index,
    Shape Shape,
    int Kind,
    double Level,
    string? Tag,
    int Kind2,
    string Tag2,
    int Window,
    int AtLeast,
    int Derived,
    double? Weight,
    double HalfLife,
    string? Group)
{
    public string Id => $"r{Index:D4}";
}

/// <summary>A signal in neutral form (also the fact type of the fluent and RulesEngine baselines).</summary>
public sealed class WSignal
{
    public int Kind { get; init; }

    public double Day { get; init; }

    public double Age { get; init; }

    public double Confidence { get; init; }

    public double Level { get; init; }

    public string Tag { get; init; } = "a";

    public string Id { get; init; } = string.Empty;
}

/// <summary>A vendor's signals in neutral form.</summary>
public sealed class WDossier
{
    public required string Vendor { get; init; }

    public required double AsOf { get; init; }

    public required IReadOnlyList<WSignal> Signals { get; init; }
}

/// <summary>A weighted rule's firing: the rule, the confidence and the day its decay is measured from.</summary>
public readonly record struct WFiring(int Rule, double Confidence, double Newest);

/// <summary>
/// Generates packs and dossiers deterministically from a seed. Rules repeat the pattern
/// single×3, join×2, no×2, count, derive, use-derived; a quarter of weighted rules share a group.
/// </summary>
public sealed class Generator(int seed)
{
    public const int Kinds = 6;
    public static readonly string[] Tags = ["a", "b", "c", "d"];
    public static readonly DateOnly AsOfDate = new(2026, 3, 1);
    public static double AsOfDay => AsOfDate.DayNumber;
    public const double Prior = 0.2;

    private static readonly Shape[] Pattern =
        [Shape.Single, Shape.Single, Shape.Single, Shape.Join, Shape.Join, Shape.No, Shape.No, Shape.Count, Shape.Derive, Shape.UseDerived];

    private static readonly double[] HalfLives = [90, 180, 365, 730];
    private static readonly double[] Confidences = [0.5, 0.6, 0.7, 0.8, 0.9, 1.0];

    public IReadOnlyList<RuleSpec> Rules(int count)
    {
        var r = new Random(seed);
        var rules = new List<RuleSpec>(count);
        var derived = 0;
        for (var i = 0; i < count; i++)
        {
            var shape = Pattern[i % Pattern.Length];
            if (shape == Shape.UseDerived && rules.Count > 0 && rules[^1].Shape != Shape.Derive)
            {
                shape = Shape.Single;
            }

            var weight = Math.Round((r.NextDouble() * 0.9 + 0.1) * (r.Next(4) == 0 ? -1 : 1), 2);
            var group = r.Next(4) == 0 ? $"g{r.Next(6)}" : null;
            var d = shape == Shape.Derive ? derived++ : derived - 1;
            rules.Add(new RuleSpec(
                i,
                shape,
                Kind: r.Next(Kinds),
                Level: r.Next(2, 9),
                Tag: shape is Shape.Derive || r.Next(2) == 0 ? Tags[r.Next(Tags.Length)] : null,
                Kind2: r.Next(Kinds),
                Tag2: Tags[r.Next(Tags.Length)],
                Window: r.Next(10, 121),
                AtLeast: r.Next(2, 5),
                Derived: shape is Shape.Derive or Shape.UseDerived ? d : -1,
                Weight: shape == Shape.Derive ? null : weight,
                HalfLife: HalfLives[r.Next(HalfLives.Length)],
                Group: shape == Shape.Derive ? null : group));
        }

        return rules;
    }

    public static int DerivedKinds(IReadOnlyList<RuleSpec> rules) => rules.Count(r => r.Shape == Shape.Derive);

    public IReadOnlyList<WDossier> Dossiers(int count, int signalsEach)
    {
        var r = new Random(seed * 7919 + 17);
        var list = new List<WDossier>(count);
        for (var v = 0; v < count; v++)
        {
            var signals = new WSignal[signalsEach];
            for (var s = 0; s < signalsEach; s++)
            {
                var age = r.Next(0, 1000);
                signals[s] = new WSignal
                {
                    Kind = r.Next(Kinds),
                    Day = AsOfDay - age,
                    Age = age,
                    Confidence = Confidences[r.Next(Confidences.Length)],
                    Level = r.Next(0, 10),
                    Tag = Tags[r.Next(Tags.Length)],
                    Id = $"s{s}",
                };
            }

            list.Add(new WDossier { Vendor = $"v{v:D6}", AsOf = AsOfDay, Signals = signals });
        }

        return list;
    }

    /// <summary>Writes a pack folder (pack.yaml, signals.yaml, rules.yaml) for the specs.</summary>
    public static void WritePack(string dir, IReadOnlyList<RuleSpec> rules)
    {
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "pack.yaml"), $"""
            pack: {"{"} name: bench, version: 0.0.1 {"}"}
            model:
              prior: {Prior.ToString(CultureInfo.InvariantCulture)}
              horizon_months: 12
              half_life_days: 365
            bands: {"{"} low: 0, elevated: 0.25, high: 0.5, critical: 0.75 {"}"}

            """);
        File.WriteAllText(Path.Combine(dir, "signals.yaml"), SignalsYaml(DerivedKinds(rules)));
        File.WriteAllText(Path.Combine(dir, "rules.yaml"), RulesYaml(rules));
    }

    public static string SignalsYaml(int derivedKinds)
    {
        var sb = new StringBuilder("kinds:\n");
        for (var k = 0; k < Kinds; k++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  k{k}:\n    fields:\n      level: {{ type: number, required: true }}\n      tag: {{ type: enum, values: [a, b, c, d], required: true }}\n");
        }

        for (var d = 0; d < derivedKinds; d++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  d{d}:\n    derived: true\n");
        }

        return sb.ToString();
    }

    public static string RulesYaml(IReadOnlyList<RuleSpec> rules)
    {
        var sb = new StringBuilder("rules:\n");
        foreach (var rule in rules)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  - id: {rule.Id}\n    title: generated {rule.Shape}\n");
            if (rule.Weight is { } w)
            {
                sb.Append(CultureInfo.InvariantCulture, $"    weight: {w}\n    half_life_days: {rule.HalfLife}\n");
            }

            if (rule.Group is { } g)
            {
                sb.Append(CultureInfo.InvariantCulture, $"    group: {g}\n");
            }

            var level = rule.Level.ToString(CultureInfo.InvariantCulture);
            var tag = rule.Tag is null ? string.Empty : $" and tag == '{rule.Tag}'";
            sb.Append("    when:\n");
            switch (rule.Shape)
            {
                case Shape.Single:
                    sb.Append(CultureInfo.InvariantCulture, $"      - signal: k{rule.Kind}\n        where: level >= {level}{tag}\n");
                    break;
                case Shape.Join:
                    sb.Append(CultureInfo.InvariantCulture, $"      - signal: k{rule.Kind}\n        as: a\n        where: level >= {level}\n");
                    sb.Append(CultureInfo.InvariantCulture, $"      - signal: k{rule.Kind2}\n        as: b\n        where: tag == '{rule.Tag2}' and days(a.date, b.date) between 0 and {rule.Window}\n");
                    break;
                case Shape.No:
                    sb.Append(CultureInfo.InvariantCulture, $"      - signal: k{rule.Kind}\n        as: a\n        where: level >= {level}\n");
                    sb.Append(CultureInfo.InvariantCulture, $"      - no: k{rule.Kind2}\n        where: tag == '{rule.Tag2}' and date >= a.date\n");
                    break;
                case Shape.Count:
                    sb.Append(CultureInfo.InvariantCulture, $"      - count: k{rule.Kind}\n        where: level >= {level}\n        at_least: {rule.AtLeast}\n");
                    break;
                case Shape.Derive:
                    sb.Append(CultureInfo.InvariantCulture, $"      - signal: k{rule.Kind}\n        where: level >= {level}{tag}\n    derive:\n      kind: d{rule.Derived}\n");
                    break;
                case Shape.UseDerived:
                    sb.Append(CultureInfo.InvariantCulture, $"      - signal: d{rule.Derived}\n");
                    break;
            }
        }

        return sb.ToString();
    }

    /// <summary>A dossier as YAML (for the CLI and streaming measurements).</summary>
    public static string DossierYaml(WDossier d)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"vendor: {{ id: {d.Vendor}, name: {d.Vendor} }}\nsignals:\n");
        foreach (var s in d.Signals)
        {
            var date = DateOnly.FromDayNumber((int)s.Day).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            sb.Append(CultureInfo.InvariantCulture, $"  - {{ kind: k{s.Kind}, id: {s.Id}, date: {date}, confidence: {s.Confidence}, level: {s.Level}, tag: {s.Tag}, source: gen }}\n");
        }

        return sb.ToString();
    }
}

/// <summary>The scoring model applied to firings (strongest firing per rule, strongest rule per group, logit sum).</summary>
public static class Reference
{
    public static double Decay(double halfLife, double newest, double asOf) => Math.Pow(2, -Math.Max(0, asOf - newest) / halfLife);

    /// <summary>The strength (confidence × decay) of a firing for a rule.</summary>
    public static double Strength(RuleSpec rule, double confidence, double newest, double asOf) => confidence * Decay(rule.HalfLife, newest, asOf);

    /// <summary>Combines each weighted rule's strongest strength (0 = did not fire) into a probability.</summary>
    public static double Probability(IReadOnlyList<RuleSpec> rules, double[] strongest)
    {
        var logit = Math.Log(Generator.Prior / (1 - Generator.Prior));
        Span<double> groupBest = stackalloc double[8];
        Span<int> groupRule = stackalloc int[8];
        groupRule.Fill(-1);
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            if (rule.Weight is not { } w || strongest[i] <= 0)
            {
                continue;
            }

            var value = w * strongest[i];
            if (rule.Group is null)
            {
                logit += value;
                continue;
            }

            var g = rule.Group[1] - '0';

            // Largest magnitude wins; ties go to the lower rule id (ordinal), i.e. the earlier rule.
            if (groupRule[g] < 0 || Math.Abs(value) > Math.Abs(groupBest[g]))
            {
                groupBest[g] = value;
                groupRule[g] = i;
            }
        }

        for (var g = 0; g < groupBest.Length; g++)
        {
            if (groupRule[g] >= 0)
            {
                logit += groupBest[g];
            }
        }

        return 1 / (1 + Math.Exp(-logit));
    }

    public static double Probability(IReadOnlyList<RuleSpec> rules, IEnumerable<WFiring> firings, double asOf)
    {
        var strongest = new double[rules.Count];
        foreach (var f in firings)
        {
            var s = Strength(rules[f.Rule], f.Confidence, f.Newest, asOf);
            if (s > strongest[f.Rule])
            {
                strongest[f.Rule] = s;
            }
        }

        return Probability(rules, strongest);
    }
}
