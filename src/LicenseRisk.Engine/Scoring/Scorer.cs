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
        IReadOnlyList<string> warnings,
        Coverage coverage,
        Policy? policy = null)
    {
        var asOfDay = (double)asOf.DayNumber;
        var allWarnings = warnings.ToList();
        var waived = new List<WaivedContribution>();
        var perRule = new List<Contribution>();
        foreach (var g in firings.GroupBy(f => f.RuleIndex).OrderBy(g => g.Key))
        {
            var rule = pack.Rules[g.Key];
            if (rule.Weight is null || policy?.Disabled.Contains(rule.Id) == true)
            {
                continue;
            }

            var weight = policy?.Weights.GetValueOrDefault(rule.Id, rule.Weight.Value) ?? rule.Weight.Value;
            var contribution = Strongest(rule, weight, g, asOfDay);
            // An active waiver wins over expired ones for the same vendor and rule (a renewal).
            var waivers = policy?.Waivers.Where(w => w.Vendor == dossier.Vendor.Id && w.Rule == rule.Id).ToList() ?? [];
            var waiver = waivers.FirstOrDefault(w => w.ActiveOn(asOf)) ?? waivers.OrderByDescending(w => w.Expires).FirstOrDefault();
            if (waiver is not null && waiver.ActiveOn(asOf))
            {
                waived.Add(new WaivedContribution(contribution, waiver));
                continue;
            }

            if (waiver is not null)
            {
                allWarnings.Add($"{waiver.Span}: waiver of {waiver.Rule} for {waiver.Vendor} expired on {waiver.Expires.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)} and no longer applies");
            }

            perRule.Add(contribution);
        }

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

        var logit = Logit(policy?.Prior ?? pack.Model.Prior) + counted.Sum(c => c.Value);
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
            [.. derived.Select(ToDerived).OrderBy(d => d.Date).ThenBy(d => d.Kind, StringComparer.Ordinal).ThenBy(d => d.By, StringComparer.Ordinal).ThenBy(d => string.Join(",", d.Support), StringComparer.Ordinal).ThenBy(d => d.Confidence).ThenBy(d => string.Join(",", d.Fields.Select(f => f.Key + "=" + f.Value)), StringComparer.Ordinal)],
            ignored,
            considered,
            allWarnings)
        {
            Waived = waived,
            Coverage = coverage,
        };
    }

    public const int ThinSignals = 5;
    public const int StaleDays = 365;

    /// <summary>Evidence coverage: which factor groups have any signal at all, and whether the evidence is thin.</summary>
    public static Coverage Coverage(CompiledPack pack, IReadOnlyList<SignalRecord> considered, DateOnly asOf)
    {
        var kinds = considered.Select(s => s.Kind.Name).ToHashSet(StringComparer.Ordinal);
        var withData = pack.GroupKinds.Where(g => g.Value.Overlaps(kinds)).Select(g => g.Key).ToList();
        var without = pack.GroupKinds.Where(g => !g.Value.Overlaps(kinds)).Select(g => g.Key).ToList();
        int? newestAge = considered.Count == 0 ? null : asOf.DayNumber - considered.Max(s => s.Date.DayNumber);
        string? reason = null;
        if (considered.Count < ThinSignals)
        {
            reason = $"only {considered.Count} signal{(considered.Count == 1 ? string.Empty : "s")} known";
        }
        else if (newestAge > StaleDays)
        {
            reason = $"the newest signal is {newestAge} days old";
        }
        else if (withData.Count * 3 < pack.GroupKinds.Count)
        {
            reason = $"only {withData.Count} of {pack.GroupKinds.Count} factor groups have any data";
        }

        return new Coverage(considered.Count, newestAge, withData, without, reason is not null, reason);
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

    private static Contribution Strongest(CompiledRule rule, double weight, IEnumerable<Firing> firings, double asOfDay)
    {
        // The first firing under (strength desc, signals, because): what OrderBy(...).First() gave,
        // in one pass; the text keys are built only to break an exact tie in strength.
        (Firing Firing, double Decay) best = default;
        var bestStrength = double.NaN;
        foreach (var f in firings)
        {
            var decay = Decay(rule.HalfLifeDays, f.NewestDay, asOfDay);
            var strength = f.Confidence * decay;
            if (best.Firing is null || strength > bestStrength || (strength == bestStrength && TieBreak(f, best.Firing) < 0))
            {
                best = (f, decay);
                bestStrength = strength;
            }
        }

        var firing = best.Firing ?? throw new InvalidOperationException($"rule {rule.Id} has no firing to score");
        return new Contribution(
            rule.Id,
            rule.Title,
            rule.Group,
            weight,
            rule.Sd,
            firing.Confidence,
            best.Decay,
            weight * firing.Confidence * best.Decay,
            firing.Because,
            firing.Signals,
            rule.Syntax.References,
            rule.Syntax.Rationale)
        {
            Spans = best.Firing.Spans,
        };
    }

    private static int TieBreak(Firing a, Firing b)
    {
        var c = string.CompareOrdinal(string.Join("\n", a.Signals), string.Join("\n", b.Signals));
        return c != 0 ? c : string.CompareOrdinal(a.Because, b.Because);
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
