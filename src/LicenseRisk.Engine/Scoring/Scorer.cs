using LicenseRisk.Model;
using LicenseRisk.Rules;
using LicenseRisk.Rules.Lowering;

namespace LicenseRisk.Scoring;

/// <summary>
/// The scoring model (rule-format.md, "Scoring"): strongest firing per rule, strongest rule per
/// group, weight × confidence × decay summed in log-odds onto the prior, a 90% interval from the
/// weights' sd, then conversion to the requested horizon.
/// </summary>
public static class Scorer
{
    public const double Z90 = 1.6448536269514722;

    public static VendorScore Score(
        CompiledPack pack,
        Dossier dossier,
        DateOnly asOf,
        int horizonMonths,
        IReadOnlyList<Firing> firings,
        IReadOnlyList<SignalFact> derived,
        IReadOnlyList<IgnoredSignal> ignored,
        int considered,
        IReadOnlyList<string> warnings)
    {
        var asOfDay = (double)asOf.DayNumber;
        var perRule = firings
            .GroupBy(f => f.RuleIndex)
            .Select(g => Strongest(pack.Rules[g.Key], g, asOfDay))
            .ToList();

        var counted = new List<Contribution>();
        var outweighed = new List<Outweighed>();
        foreach (var group in perRule.GroupBy(c => c.Group ?? "\0" + c.Rule))
        {
            var ordered = group
                .OrderByDescending(c => Math.Abs(c.Value))
                .ThenBy(c => c.Rule, StringComparer.Ordinal)
                .ToList();
            counted.Add(ordered[0]);
            outweighed.AddRange(ordered.Skip(1).Select(c => new Outweighed(c, ordered[0].Rule)));
        }

        var logit = Logit(pack.Model.Prior) + counted.Sum(c => c.Value);
        var variance = counted.Sum(c => Math.Pow(c.Sd * c.Confidence * c.Decay, 2));
        var half = Z90 * Math.Sqrt(variance);
        var ratio = (double)horizonMonths / pack.Model.HorizonMonths;
        var p = ToHorizon(Sigmoid(logit), ratio);
        var low = ToHorizon(Sigmoid(logit - half), ratio);
        var high = ToHorizon(Sigmoid(logit + half), ratio);

        return new VendorScore(
            dossier,
            asOf,
            horizonMonths,
            p,
            low,
            high,
            pack.Bands.Classify(p),
            logit,
            [.. counted.OrderByDescending(c => Math.Abs(c.Value)).ThenBy(c => c.Rule, StringComparer.Ordinal)],
            [.. outweighed.OrderByDescending(o => Math.Abs(o.Contribution.Value)).ThenBy(o => o.Contribution.Rule, StringComparer.Ordinal)],
            [.. derived.Select(ToDerived).OrderBy(d => d.Date).ThenBy(d => d.Kind, StringComparer.Ordinal).ThenBy(d => d.By, StringComparer.Ordinal).ThenBy(d => string.Join(",", d.Support), StringComparer.Ordinal)],
            ignored,
            considered,
            warnings);
    }

    public static double Logit(double p) => Math.Log(p / (1 - p));

    public static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    /// <summary>p over h months from p over H: 1 - (1 - p)^(h/H).</summary>
    public static double ToHorizon(double p, double ratio) => ratio == 1 ? p : 1 - Math.Pow(1 - p, ratio);

    public static double Decay(double? halfLifeDays, double? newestDay, double asOfDay)
    {
        if (halfLifeDays is not { } hl || newestDay is not { } newest)
        {
            return 1;
        }

        var age = Math.Max(0, asOfDay - newest);
        return Math.Pow(2, -age / hl);
    }

    private static Contribution Strongest(CompiledRule rule, IEnumerable<Firing> firings, double asOfDay)
    {
        var weight = rule.Weight ?? 0;
        var best = firings
            .Select(f => (Firing: f, Decay: Decay(rule.HalfLifeDays, f.NewestDay, asOfDay)))
            .OrderByDescending(x => x.Firing.Confidence * x.Decay)
            .ThenBy(x => string.Join("\n", x.Firing.Signals), StringComparer.Ordinal)
            .ThenBy(x => x.Firing.Because, StringComparer.Ordinal)
            .First();
        return new Contribution(
            rule.Id,
            rule.Title,
            rule.Group,
            weight,
            rule.Sd,
            best.Firing.Confidence,
            best.Decay,
            weight * best.Firing.Confidence * best.Decay,
            best.Firing.Because,
            best.Firing.Signals,
            rule.Syntax.References,
            rule.Syntax.Rationale)
        {
            Spans = best.Firing.Spans,
        };
    }

    private static DerivedSignal ToDerived(SignalFact f)
    {
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var field in f.KindDef.Fields.Where(f.Has))
        {
            var text = field.Type switch
            {
                FieldType.String or FieldType.Enum => f.Str[field.Slot] ?? string.Empty,
                FieldType.Bool => Fn.FormatBool(f.Flag[field.Slot]),
                FieldType.Date => Fn.FormatDate(f.Num[field.Slot]),
                _ => Fn.FormatNumber(f.Num[field.Slot]),
            };
            fields.Add(new(field.Name, text));
        }

        return new DerivedSignal(f.KindDef.Name, DateOnly.FromDayNumber((int)f.Day), f.Confidence, f.DerivedBy!, f.Support, fields);
    }
}
