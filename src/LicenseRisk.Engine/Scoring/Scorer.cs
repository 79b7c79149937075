using LicenseRisk.Model;
using LicenseRisk.Rules.Runtime;
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

    public static VendorScore Score(CompiledPack pack, ScoreRequest request, PackRun run) => Score(pack, request, run, null);

    /// <summary>
    /// Scores a run, reusing from <paramref name="memo"/> what the last score of the same vendor
    /// (same pack, as-of day, horizon and policy) computed from the same inputs: a rule's
    /// contribution when its strongest firing is the same object or holds the same signals (what
    /// <see cref="ScoreMemo.Contribution"/> matches on), a derived signal when its fact
    /// has not changed since, and the coverage when the considered signals have the same count,
    /// newest date and kinds. What-if keeps one memo per vendor; the result is what a score
    /// without it gives.
    /// </summary>
    internal static VendorScore Score(CompiledPack pack, ScoreRequest request, PackRun run, ScoreMemo? memo)
    {
        var (dossier, asOf, horizonMonths, policy) = request;
        var allWarnings = IgnoredWarnings(run.Ignored, asOf);
        var waived = new List<WaivedContribution>();

        // Scratch kept per thread and taken while in use (a nested score makes its own): scoring is
        // synchronous, and new lists and arrays per score were a large share of what a what-if
        // variant allocated. The score keeps sorted copies of what it reads from them.
        var scratch = t_scratch ?? new Scratch();
        t_scratch = null;
        var (perRule, counted, outweighed, slotOfGroup) = (scratch.PerRule, scratch.Counted, scratch.Outweighed, scratch.SlotOfGroup);

        // The strongest firing of each rule in one pass over the firings: within a rule they are
        // met in list order, as grouping by rule gave them.
        var best = scratch.Best(pack.Rules.Count);
        foreach (var f in run.Firings)
        {
            ref var b = ref best[f.RuleIndex];
            var decay = f.Decay;
            var strength = f.Confidence * decay;
            if (b.Firing is null || strength > b.Strength || (strength == b.Strength && TieBreak(f, b.Firing) < 0))
            {
                b = (f, decay, strength);
            }
        }

        for (var i = 0; i < pack.Rules.Count; i++)
        {
            if (best[i].Firing is not { } firing)
            {
                continue;
            }

            var rule = pack.Rules[i];
            if (rule.Weight is null || policy?.Disabled.Contains(rule.Id) == true)
            {
                continue;
            }

            var weight = policy?.Weights.GetValueOrDefault(rule.Id, rule.Weight.Value) ?? rule.Weight.Value;
            Contribution contribution;
            if (memo is null)
            {
                contribution = ToContribution(rule, weight, firing, best[i].Decay);
            }
            else if (memo.Contribution(i, firing) is { } known)
            {
                // A firing on the same facts holding the same signals: the same contribution (the
                // weight, as-of day and policy are the memo's).
                contribution = known;
            }
            else
            {
                contribution = ToContribution(rule, weight, firing, best[i].Decay);
                memo.Remember(i, firing, contribution);
            }

            if (policy is not null && Waiver(policy, dossier.Vendor.Id, rule.Id, asOf) is { } waiver)
            {
                if (waiver.ActiveOn(asOf))
                {
                    waived.Add(new WaivedContribution(contribution, waiver));
                    continue;
                }

                allWarnings.Add($"{waiver.Span}: waiver of {waiver.Rule} for {waiver.Vendor} expired on {IsoDate.Format(waiver.Expires)} and no longer applies");
            }

            perRule.Add(contribution);
        }

        // One contribution counts per group (the largest magnitude, ties to the lower rule id);
        // an ungrouped rule is a group of its own. counted keeps the order in which groups first
        // appear, so the sums below add in the same order as before.
        foreach (var c in perRule)
        {
            if (c.Group is null)
            {
                counted.Add(c);
                continue;
            }

            if (!slotOfGroup.TryGetValue(c.Group, out var slot))
            {
                slotOfGroup[c.Group] = counted.Count;
                counted.Add(c);
            }
            else if (Stronger(c, counted[slot]))
            {
                counted[slot] = c;
            }
        }

        if (slotOfGroup.Count > 0)
        {
            foreach (var c in perRule)
            {
                if (c.Group is not null && counted[slotOfGroup[c.Group]] is var winner && !ReferenceEquals(c, winner))
                {
                    outweighed.Add(new Outweighed(c, winner.Rule));
                }
            }
        }

        var sum = 0.0;
        var variance = 0.0;
        foreach (var c in counted)
        {
            sum += c.Value;
            variance += Math.Pow(c.Sd * c.Confidence * c.Decay, 2);
        }

        var logit = Logit(policy?.Prior ?? pack.Model.Prior) + sum;
        var half = Z90 * Math.Sqrt(variance);
        var ratio = (double)horizonMonths / pack.Model.HorizonMonths;
        var p = ToHorizon(Sigmoid(logit), ratio);
        var low = ToHorizon(Sigmoid(logit - half), ratio);
        var high = ToHorizon(Sigmoid(logit + half), ratio);

        var score = new VendorScore(
            dossier,
            asOf,
            horizonMonths,
            p,
            low,
            high,
            pack.Bands.Classify(p),
            logit,
            Sorted(counted),
            Sorted(outweighed),
            SortedDerived(run.Derived, memo),
            run.Ignored,
            run.Considered.Count,
            allWarnings)
        {
            Waived = waived,
            Coverage = memo is null ? EvidenceCoverage.Of(pack, run.Considered, asOf) : memo.Coverage(pack, run.Considered, asOf),
        };

        scratch.Clear(pack.Rules.Count);
        t_scratch = scratch;
        return score;
    }

    [ThreadStatic]
    private static Scratch? t_scratch;

    /// <summary>One thread's scoring scratch: the per-rule, counted and outweighed lists, each group's slot in the counted list, and the strongest firing per rule.</summary>
    private sealed class Scratch
    {
        private (Firing? Firing, double Decay, double Strength)[] _best = [];

        public List<Contribution> PerRule { get; } = [];

        public List<Contribution> Counted { get; } = [];

        public List<Outweighed> Outweighed { get; } = [];

        public Dictionary<string, int> SlotOfGroup { get; } = new(StringComparer.Ordinal);

        public (Firing? Firing, double Decay, double Strength)[] Best(int rules)
        {
            if (_best.Length < rules)
            {
                _best = new (Firing? Firing, double Decay, double Strength)[rules];
            }

            return _best;
        }

        public void Clear(int rules)
        {
            Array.Clear(_best, 0, rules);
            PerRule.Clear();
            Counted.Clear();
            Outweighed.Clear();
            SlotOfGroup.Clear();
        }
    }

    /// <summary>
    /// The waiver of <paramref name="rule"/> for <paramref name="vendor"/>: an active one wins over
    /// expired ones (a renewal), else the latest to expire; null when there is none. (A method of its
    /// own: its lambdas' captures were allocated on every pass of the scoring loop, policy or not.)
    /// </summary>
    private static Waiver? Waiver(Policy policy, string vendor, string rule, DateOnly asOf)
    {
        var waivers = policy.Waivers.Where(w => w.Vendor == vendor && w.Rule == rule).ToList();
        return waivers.FirstOrDefault(w => w.ActiveOn(asOf)) ?? waivers.OrderByDescending(w => w.Expires).FirstOrDefault();
    }

    /// <summary>One warning for the signals dated after the as-of day, one for those reported after it.</summary>
    private static List<string> IgnoredWarnings(IReadOnlyList<IgnoredSignal> ignored, DateOnly asOf)
    {
        var warnings = new List<string>();
        if (ignored.Count == 0)
        {
            return warnings;
        }

        var reportedLater = ignored.Count(i => i.ReportedLater is not null);
        var datedLater = ignored.Count - reportedLater;
        if (datedLater > 0)
        {
            warnings.Add($"{Plural.Of(datedLater, "signal is", "signals are")} dated after {IsoDate.Format(asOf)} and ignored (no look-ahead)");
        }

        if (reportedLater > 0)
        {
            warnings.Add($"{Plural.Of(reportedLater, "signal was", "signals were")} reported after {IsoDate.Format(asOf)} and ignored (not yet known; no look-ahead)");
        }

        return warnings;
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

    /// <summary>Largest magnitude first, then the rule id (ordinal): a total order, rule ids being unique.</summary>
    private static bool Stronger(Contribution a, Contribution than)
    {
        var c = Math.Abs(than.Value).CompareTo(Math.Abs(a.Value));
        return c < 0 || (c == 0 && string.CompareOrdinal(a.Rule, than.Rule) < 0);
    }

    /// <summary>
    /// Largest magnitude first, then the rule id (ordinal). Each rule appears at most once in a
    /// list, so this is a total order and an unstable sort gives what OrderBy/ThenBy gave.
    /// </summary>
    private static int ByMagnitude(Contribution a, Contribution b)
    {
        var c = Math.Abs(b.Value).CompareTo(Math.Abs(a.Value));
        return c != 0 ? c : string.CompareOrdinal(a.Rule, b.Rule);
    }

    private static Contribution[] Sorted(List<Contribution> list)
    {
        var sorted = list.ToArray();
        Array.Sort(sorted, ByMagnitude);
        return sorted;
    }

    private static Outweighed[] Sorted(List<Outweighed> list)
    {
        var sorted = list.ToArray();
        Array.Sort(sorted, static (a, b) => ByMagnitude(a.Contribution, b.Contribution));
        return sorted;
    }

    private static Contribution ToContribution(CompiledRule rule, double weight, Firing firing, double decay) =>
        new(
            rule.Id,
            rule.Title,
            rule.Group,
            weight,
            rule.Sd,
            firing.Confidence,
            decay,
            weight * firing.Confidence * decay,
            firing.Because,
            firing.Signals,
            rule.Syntax.References,
            rule.Syntax.Rationale)
        {
            Spans = firing.Spans,
        };

    private static int TieBreak(Firing a, Firing b)
    {
        var c = CompareJoined(a.Signals, b.Signals);
        return c != 0 ? c : string.CompareOrdinal(a.Because, b.Because);
    }

    /// <summary>
    /// string.CompareOrdinal of the two lists joined with newlines, without joining them: the
    /// sign of the first differing character of the two joined texts, else of their lengths.
    /// </summary>
    private static int CompareJoined(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        int i = 0, j = 0, ia = 0, ib = 0;
        while (true)
        {
            // The next character of each joined text, or -1 at its end.
            var ca = Next(a, ref i, ref ia);
            var cb = Next(b, ref j, ref ib);
            if (ca != cb)
            {
                return ca < 0 ? -1 : cb < 0 ? 1 : ca - cb;
            }

            if (ca < 0)
            {
                return 0;
            }
        }

        static int Next(IReadOnlyList<string> list, ref int item, ref int at)
        {
            while (item < list.Count)
            {
                if (at < list[item].Length)
                {
                    return list[item][at++];
                }

                // The separator after every item but the last.
                item++;
                at = 0;
                if (item < list.Count)
                {
                    return '\n';
                }
            }

            return -1;
        }
    }

    /// <summary>Derived signals by date, kind, rule, support, confidence, then fields; a full tie (the same signal derived by several firings) is listed once.</summary>
    private static DerivedSignal[] SortedDerived(IReadOnlyList<SignalFact> derived, ScoreMemo? memo)
    {
        switch (derived.Count)
        {
            case 0:
                return [];
            case 1:
                return [memo is null ? ToDerived(derived[0]) : memo.Derived(derived[0]).Signal];
        }

        // Keys computed once per signal; the position breaks full ties, as OrderBy's stable sort did.
        var keyed = new (DerivedSignal Signal, string Support, string Fields, int Position)[derived.Count];
        for (var i = 0; i < keyed.Length; i++)
        {
            var (d, support, fields) = memo is null ? Keyed(derived[i]) : memo.Derived(derived[i]);
            keyed[i] = (d, support, fields, i);
        }

        Array.Sort(keyed, static (x, y) =>
        {
            var c = SameReport(x.Signal, x.Support, x.Fields, y.Signal, y.Support, y.Fields);
            return c != 0 ? c : x.Position.CompareTo(y.Position);
        });

        // Firings on different matches can derive the same signal (three departures on one day, each
        // the latest of the same four): it is one fact, reported once. Full ties are adjacent now.
        // Only the report merges them: the session still holds one linked fact per firing (each
        // retracted with its own match), so a rule that counts a derived kind counts each of them.
        var sorted = new List<DerivedSignal>(keyed.Length);
        for (var i = 0; i < keyed.Length; i++)
        {
            if (i > 0 && SameReport(keyed[i - 1].Signal, keyed[i - 1].Support, keyed[i - 1].Fields, keyed[i].Signal, keyed[i].Support, keyed[i].Fields) == 0)
            {
                continue;
            }

            sorted.Add(keyed[i].Signal);
        }

        return [.. sorted];
    }

    /// <summary>Date, kind, rule, support, confidence, then fields: 0 when two derived signals report the same.</summary>
    private static int SameReport(DerivedSignal x, string xSupport, string xFields, DerivedSignal y, string ySupport, string yFields)
    {
        var c = x.Date.CompareTo(y.Date);
        if (c == 0)
        {
            c = string.CompareOrdinal(x.Kind, y.Kind);
        }

        if (c == 0)
        {
            c = string.CompareOrdinal(x.By, y.By);
        }

        if (c == 0)
        {
            c = string.CompareOrdinal(xSupport, ySupport);
        }

        if (c == 0)
        {
            c = x.Confidence.CompareTo(y.Confidence);
        }

        return c != 0 ? c : string.CompareOrdinal(xFields, yFields);
    }

    private static string FieldsKey(DerivedSignal d) => string.Join(",", d.Fields.Select(f => f.Key + "=" + f.Value));

    /// <summary>A derived signal as reported, with the support and fields keys it is sorted by.</summary>
    internal static (DerivedSignal Signal, string Support, string Fields) Keyed(SignalFact f)
    {
        var d = ToDerived(f);
        return (d, string.Join(",", d.Support), FieldsKey(d));
    }

    private static DerivedSignal ToDerived(SignalFact f)
    {
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var field in f.KindDef.Fields)
        {
            if (!f.Has(field))
            {
                continue;
            }

            var text = field.Type switch
            {
                FieldType.String or FieldType.Enum => f.Str[field.Slot] ?? string.Empty,
                FieldType.Bool => RuleFunctions.FormatBool(f.Flag[field.Slot]),
                FieldType.Date => RuleFunctions.FormatDate(f.Num[field.Slot]),
                _ => RuleFunctions.FormatNumber(f.Num[field.Slot]),
            };
            fields.Add(new(field.Name, text));
        }

        return new DerivedSignal(f.KindDef.Name, DateOnly.FromDayNumber((int)f.Day), f.Confidence, f.DerivedBy!, f.Support, fields);
    }
}
