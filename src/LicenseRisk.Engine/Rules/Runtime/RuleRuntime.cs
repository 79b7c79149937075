using LicenseRisk.Model;
using LicenseRisk.Rules.Binding;
using LicenseRisk.Rules.Lowering;
using LicenseRisk.Scoring;
using NRules.RuleModel;

namespace LicenseRisk.Rules.Runtime;

/// <summary>
/// The actions every lowered rule runs: a firing is recorded per activation (and dropped when the
/// activation is deactivated); a derived signal is a fact linked to the activation, so NRules
/// retracts it when the match goes away.
/// </summary>
public static class RuleRuntime
{
    private const string DerivedKey = "derived";

    /// <summary>The action of a rule with <c>any:</c> branches: reads the matched facts by declaration name.</summary>
    public static void OnMatch(IContext ctx, CompiledRule rule)
    {
        if (ctx.Match.Trigger == MatchTrigger.Removed)
        {
            OnUnmatch(ctx);
            return;
        }

        var items = new object?[rule.Slots.Count];
        foreach (var fm in ctx.Match.Facts)
        {
            if (rule.SlotByName.TryGetValue(fm.Declaration.Name, out var i))
            {
                items[i] = fm.Value;
            }
        }

        OnMatch(ctx, rule, items);
    }

    /// <summary>
    /// The action of every other rule: the matched facts arrive as the action's parameters, laid
    /// out by slot (no per-firing list of matched facts, no lookups by name).
    /// </summary>
    public static void OnMatch(IContext ctx, CompiledRule rule, object?[] items)
    {
        // A rule's one action runs on every trigger: a removed match drops what it recorded.
        if (ctx.Match.Trigger == MatchTrigger.Removed)
        {
            OnUnmatch(ctx);
            return;
        }

        var asOfDay = AsOfDay(ctx, items);
        var (confidence, newest) = Strength(rule, items);

        if (rule.Weight is not null)
        {
            // The explanation is rendered when the firing is read (Firing), not here.
            Eval(ctx).Firings[ctx.Match] = new Firing(rule, items, asOfDay, confidence, newest);
        }

        if (rule.Derive is { } derive)
        {
            var fact = Derive(rule, derive, items, asOfDay, confidence, newest, Labels(rule, items));
            fact.SupportSpans = Spans(rule, items);
            // NRules retracts the linked signal with the activation.
            if (ctx.GetLinked(DerivedKey) is SignalFact existing)
            {
                existing.CopyFrom(fact);
                ctx.UpdateLinked(DerivedKey, existing);
                fact = existing;
            }
            else
            {
                ctx.InsertLinked(DerivedKey, fact);
            }

            Eval(ctx).Derived[ctx.Match] = fact;
        }
    }

    /// <summary>
    /// A match went away (truth maintenance): its firing no longer counts, and NRules retracts the
    /// signal it derived.
    /// </summary>
    public static void OnUnmatch(IContext ctx)
    {
        var eval = Eval(ctx);
        eval.Firings.Remove(ctx.Match);
        eval.Derived.Remove(ctx.Match);
    }

    [ThreadStatic]
    private static EvalContext? t_firing;

    [ThreadStatic]
    private static System.Text.StringBuilder? t_builder;

    /// <summary>
    /// Runs <paramref name="fire"/> with <paramref name="eval"/> as the context the actions record
    /// into, read from a thread-static field: NRules runs a session's actions on the thread that
    /// calls Fire, and asking its dependency resolver cost a lookup per activation. A session fired
    /// any other way still resolves the context through its dependency resolver.
    /// </summary>
    public static int Fire(EvalContext eval, Func<int> fire)
    {
        var outer = t_firing;
        t_firing = eval;
        try
        {
            return fire();
        }
        finally
        {
            t_firing = outer;
        }
    }

    private static EvalContext Eval(IContext ctx) => t_firing ?? (EvalContext)ctx.Resolve(typeof(EvalContext));

    /// <summary>
    /// Confidence is the product of the matched signals' confidences; for count/sum items, of the
    /// most confident signals needed to reach at_least. The newest of those dates the firing.
    /// </summary>
    public static (double Confidence, double? Newest) Strength(CompiledRule rule, object?[] items)
    {
        var confidence = 1.0;
        double? newest = null;
        // An index loop: foreach over the IReadOnlyList boxed an enumerator per call.
        var slots = rule.Slots;
        for (var k = 0; k < slots.Count; k++)
        {
            var slot = slots[k];
            switch (items[slot.Index])
            {
                case SignalFact s when slot.Role == SlotRole.Signal:
                    confidence *= s.Confidence;
                    newest = newest is null ? s.Day : Math.Max(newest.Value, s.Day);
                    break;
                case IEnumerable<SignalFact> set when slot.Role == SlotRole.Aggregate:
                    confidence = slot.SumField is null ? TopConfidences(slot, set, confidence) : SumConfidences(slot, set, confidence);

                    // Decay is measured from the newest matched signal of the whole set.
                    foreach (var s in set)
                    {
                        newest = newest is null ? s.Day : Math.Max(newest.Value, s.Day);
                    }

                    break;
            }
        }

        return (confidence, newest);
    }

    /// <summary>
    /// A count item: the product of the at_least highest confidences, highest first. Ties in
    /// confidence multiply the same values in the same order whatever breaks them, so no sort by
    /// day or label is needed here (the labels are ordered separately).
    /// </summary>
    private static double TopConfidences(SlotInfo slot, IEnumerable<SignalFact> set, double confidence)
    {
        if (slot.AtLeast is not { } atLeast || atLeast <= 0)
        {
            return confidence;
        }

        var values = new List<double>();
        foreach (var s in set)
        {
            values.Add(s.Confidence);
        }

        values.Sort(static (x, y) => y.CompareTo(x));
        var take = Math.Min(values.Count, (int)Math.Ceiling(atLeast));
        for (var i = 0; i < take; i++)
        {
            confidence *= values[i];
        }

        return confidence;
    }

    /// <summary>A sum item: which signals are needed depends on the full order (confidence, day, label).</summary>
    private static double SumConfidences(SlotInfo slot, IEnumerable<SignalFact> set, double confidence)
    {
        if (slot.AtLeast is not { } atLeast || atLeast <= 0)
        {
            return confidence;
        }

        // The most confident signals with the field, until their sum reaches at_least.
        var sum = 0.0;
        var field = slot.SumField!;
        var bit = 1UL << field.Index;
        foreach (var s in set.OrderByDescending(s => s.Confidence).ThenByDescending(s => s.Day).ThenBy(s => s.Label, StringComparer.Ordinal))
        {
            if (sum >= atLeast)
            {
                break;
            }

            if ((s.Present & bit) != 0 && s.Num[field.Slot] > 0)
            {
                sum += s.Num[field.Slot];
                confidence *= s.Confidence;
            }
        }

        return confidence;
    }

    /// <summary>The matched signals' labels, ordered by day then label, each once.</summary>
    public static IReadOnlyList<string> Labels(CompiledRule rule, object?[] items)
    {
        // A match of one dossier signal (most rules): its label alone.
        if (Single(rule, items) is { DerivedBy: null } only)
        {
            return [only.Label];
        }

        // Any order: SortedDistinct orders (day, label) pairs totally.
        var labels = new List<(double Day, string Label)>(rule.Slots.Count);
        ForEachMatched(rule, items, labels, static (list, s) => AddLabels(list, s));

        return SortedDistinct(labels);
    }

    /// <summary>Every signal a match holds (each single signal, each member of a count or sum set), handed to <paramref name="add"/>.</summary>
    private static void ForEachMatched<T>(CompiledRule rule, object?[] items, T into, Action<T, SignalFact> add)
    {
        // An index loop: foreach over the IReadOnlyList boxed an enumerator per call.
        var slots = rule.Slots;
        for (var k = 0; k < slots.Count; k++)
        {
            var slot = slots[k];
            switch (items[slot.Index])
            {
                case SignalFact s when slot.Role == SlotRole.Signal:
                    add(into, s);
                    break;
                case IEnumerable<SignalFact> set when slot.Role == SlotRole.Aggregate:
                    foreach (var s in set)
                    {
                        add(into, s);
                    }

                    break;
            }
        }
    }

    /// <summary>The matched signal when the rule's only slot is a single signal, else null.</summary>
    private static SignalFact? Single(CompiledRule rule, object?[] items) =>
        rule.Slots.Count == 1 && rule.Slots[0].Role == SlotRole.Signal ? items[rule.Slots[0].Index] as SignalFact : null;

    /// <summary>Labels ordered by day, then label (ordinal), each once: what OrderBy/ThenBy/Distinct gave, without LINQ.</summary>
    private static IReadOnlyList<string> SortedDistinct(List<(double Day, string Label)> labels)
    {
        switch (labels.Count)
        {
            case 0:
                return [];
            case 1:
                return [labels[0].Label];
        }

        // Equal keys are equal values, so an unstable sort gives the same sequence.
        labels.Sort(static (x, y) => x.Day != y.Day ? x.Day.CompareTo(y.Day) : string.CompareOrdinal(x.Label, y.Label));
        var result = new List<string>(labels.Count);
        HashSet<string>? seen = labels.Count > 16 ? new HashSet<string>(StringComparer.Ordinal) : null;
        foreach (var (_, label) in labels)
        {
            if (seen is null ? !result.Contains(label, StringComparer.Ordinal) : seen.Add(label))
            {
                result.Add(label);
            }
        }

        return result;
    }

    /// <summary>The as-of day: every fact carries it; only a match without facts asks the session.</summary>
    private static double AsOfDay(IContext ctx, object?[] items)
    {
        foreach (var item in items)
        {
            switch (item)
            {
                case SignalFact s:
                    return s.AsOf;
                case IEnumerable<SignalFact> set:
                    foreach (var s in set)
                    {
                        return s.AsOf;
                    }

                    break;
            }
        }

        return Eval(ctx).AsOfDay;
    }

    /// <summary>
    /// Where the matched signals are written: a dossier signal by its own span, a derived signal by
    /// the spans of its support. Ordered by file, line and column, without repeats.
    /// </summary>
    public static IReadOnlyList<SourceSpan> Spans(CompiledRule rule, object?[] items)
    {
        // A match of one dossier signal (most rules): its span alone.
        if (Single(rule, items) is { Record: { } record })
        {
            return [record.Span];
        }

        var spans = new List<SourceSpan>();
        ForEachMatched(rule, items, spans, static (list, s) => AddSpans(list, s));

        // (file, line, column) is the whole span, so sorting then dropping repeats gives what
        // Distinct().OrderBy(file).ThenBy(line).ThenBy(column) gave.
        if (spans.Count > 1)
        {
            spans.Sort(static (x, y) =>
            {
                var c = string.CompareOrdinal(x.File, y.File);
                return c != 0 ? c : x.Line != y.Line ? x.Line.CompareTo(y.Line) : x.Column.CompareTo(y.Column);
            });
            var kept = 1;
            for (var i = 1; i < spans.Count; i++)
            {
                if (spans[i] != spans[kept - 1])
                {
                    spans[kept++] = spans[i];
                }
            }

            spans.RemoveRange(kept, spans.Count - kept);
        }

        return spans;
    }

    private static void AddSpans(List<SourceSpan> spans, SignalFact s)
    {
        if (s.Record is { } record)
        {
            spans.Add(record.Span);
        }
        else
        {
            spans.AddRange(s.SupportSpans);
        }
    }

    /// <summary>A derived signal is explained by the dossier signals behind it.</summary>
    private static void AddLabels(List<(double Day, string Label)> labels, SignalFact s)
    {
        if (s.DerivedBy is null)
        {
            labels.Add((s.Day, s.Label));
            return;
        }

        foreach (var l in s.Support)
        {
            labels.Add((s.Day, l));
        }
    }

    public static string Render(IReadOnlyList<TemplateFn> template, object?[] items, double asOf)
    {
        if (template.Count == 0)
        {
            return string.Empty;
        }

        if (template.Count == 1 && template[0].Text is { } only)
        {
            return only;
        }

        // One builder per thread, reused: explanations are rendered one at a time.
        var sb = t_builder ?? new System.Text.StringBuilder();
        t_builder = null;
        foreach (var part in template)
        {
            if (part.Text is not null)
            {
                sb.Append(part.Text);
            }
            else if (AnyMissing(part.Slots, items))
            {
                sb.Append('?');
            }
            else
            {
                sb.Append(part.Render!(items, asOf));
            }
        }

        var text = sb.ToString();
        sb.Clear();
        t_builder = sb;
        return text;
    }

    private static bool AnyMissing(IReadOnlyList<int> slots, object?[] items)
    {
        for (var i = 0; i < slots.Count; i++)
        {
            if (items[slots[i]] is null)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The signal a match of a deriving rule derives, as <see cref="OnMatch(IContext, CompiledRule, object?[])"/>
    /// makes it (support labels and spans included), for the benchmark baseline that hands another
    /// engine's matches to the scorer.
    /// </summary>
    internal static SignalFact Derived(CompiledRule rule, object?[] items, double asOfDay)
    {
        var (confidence, newest) = Strength(rule, items);
        var fact = Derive(rule, rule.Derive!, items, asOfDay, confidence, newest, Labels(rule, items));
        fact.SupportSpans = Spans(rule, items);
        return fact;
    }

    private static SignalFact Derive(CompiledRule rule, DeriveFn derive, object?[] items, double asOf, double confidence, double? newest, IReadOnlyList<string> labels)
    {
        // A derived signal is never dated after the as-of day: that would be look-ahead.
        var day = Math.Min(asOf, derive.Date?.Invoke(items, asOf) is double d && double.IsFinite(d) ? d : newest ?? asOf);
        var fact = SignalFact.Create(derive.Kind, day, asOf, confidence, $"derived:{rule.Id}");
        fact.DerivedBy = rule.Id;
        fact.Support = labels;
        foreach (var (field, value) in derive.Fields)
        {
            switch (value(items, asOf))
            {
                case null:
                    break;
                case double n when double.IsFinite(n):
                    fact.Set(field, n, null, false);
                    break;
                case bool b:
                    fact.Set(field, 0, null, b);
                    break;
                case string s:
                    fact.Set(field, 0, s, false);
                    break;
            }
        }

        return fact;
    }
}
