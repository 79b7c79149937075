using LicenseRisk.Model;
using LicenseRisk.Presentation.Score;
using LicenseRisk.Rules;
using LicenseRisk.Rules.Lowering;
using LicenseRisk.Rules.Runtime;
using LicenseRisk.Scoring;
using NRules.RuleModel;

namespace LicenseRisk.Benchmarks.Workload;

/// <summary>
/// The "fluent, same output" baseline's second half: a fluent session's firings handed to
/// LicenseRisk's own scorer, so that it produces the same <see cref="VendorScore"/> as
/// <see cref="Evaluator.Score"/> (explanations, signals, spans, derived signals, coverage). The
/// code path is the one Evaluator.Score takes after its session: a <see cref="PackRun"/> of
/// <see cref="Firing"/> records (the matched facts laid out by the rule's slots, the strength the
/// fluent rule computed) and derived signals, then <see cref="Scorer.Score(CompiledPack, ScoreRequest, PackRun)"/>.
/// Each recorded firing is keyed by its NRules activation (<see cref="FluentRecorder"/>), whose
/// matched facts are read after the session; a fluent derived fact carries the activation that
/// derived it. A neutral fact becomes the engine's <see cref="SignalFact"/> the first time a
/// firing or a derived signal needs it (from the dossier record the neutral signal was made
/// from), as the explanation reads the engine's facts.
/// </summary>
public sealed class SameOutput
{
    private readonly CompiledPack _pack;
    private readonly IReadOnlyDictionary<object, SignalRecord> _records;
    private readonly Func<object, IMatch?> _derivedBy;
    private readonly Dictionary<string, CompiledRule> _byId;

    // Per rule: the slot of each matched fact, in the order the activation lists them.
    private readonly int[]?[] _slots;

    /// <param name="pack">LicenseRisk's compiled pack (the rules' slots, explanations and model).</param>
    /// <param name="records">The dossier record each neutral signal was made from (by reference).</param>
    /// <param name="derivedBy">The activation that derived a neutral fact, or null for a dossier signal.</param>
    public SameOutput(CompiledPack pack, IReadOnlyDictionary<object, SignalRecord> records, Func<object, IMatch?> derivedBy)
    {
        _pack = pack;
        _records = records;
        _derivedBy = derivedBy;
        _byId = pack.Rules.ToDictionary(r => r.Id, StringComparer.Ordinal);
        _slots = new int[]?[pack.Rules.Count];
    }

    /// <summary>The score of <paramref name="dossier"/> from a fired fluent session's recorded firings and derived facts.</summary>
    public VendorScore Score(Dossier dossier, DateOnly asOf, Dictionary<object, WFiring> firings, IEnumerable<object> derived) =>
        Scorer.Score(_pack, new ScoreRequest(dossier, asOf, _pack.Model.HorizonMonths, null), Run(dossier, asOf, firings, derived));

    /// <summary>The fluent session's firings and derived facts as the run <see cref="Evaluator.Run"/> would have given (what the scorer reads).</summary>
    public PackRun Run(Dossier dossier, DateOnly asOf, Dictionary<object, WFiring> firings, IEnumerable<object> derived)
    {
        var asOfDay = (double)asOf.DayNumber;
        var considered = new List<SignalRecord>(dossier.Signals.Count);
        var ignored = new List<IgnoredSignal>();
        foreach (var s in dossier.Signals)
        {
            if (Evaluator.NotKnown(s, asOf) is { } unknown)
            {
                ignored.Add(unknown);
            }
            else
            {
                considered.Add(s);
            }
        }

        var facts = new Dictionary<object, SignalFact>(ReferenceEqualityComparer.Instance);
        var runFirings = new List<Firing>(firings.Count);
        foreach (var (key, f) in firings)
        {
            var rule = _pack.Rules[f.Rule];
            var newest = f.Newest == double.MinValue ? (double?)null : f.Newest;
            runFirings.Add(new Firing(rule, Items(rule, (IMatch)key, facts, asOf), asOfDay, f.Confidence, newest));
        }

        var runDerived = new List<SignalFact>();
        foreach (var d in derived)
        {
            runDerived.Add(Fact(d, facts, asOf));
        }

        return new PackRun(runFirings, runDerived, considered, ignored);
    }

    /// <summary>The engine's fact for a neutral one: a dossier signal's, or the signal its deriving activation derives.</summary>
    private SignalFact Fact(object neutral, Dictionary<object, SignalFact> facts, DateOnly asOf)
    {
        if (facts.TryGetValue(neutral, out var fact))
        {
            return fact;
        }

        if (_derivedBy(neutral) is { } match)
        {
            var rule = _byId[match.Rule.Name];
            fact = RuleRuntime.Derived(rule, Items(rule, match, facts, asOf), asOf.DayNumber);
        }
        else
        {
            fact = SignalFact.From(_records[neutral], asOf);
        }

        facts[neutral] = fact;
        return fact;
    }

    /// <summary>The activation's matched facts as the engine's, laid out by the rule's slots.</summary>
    private object?[] Items(CompiledRule rule, IMatch match, Dictionary<object, SignalFact> facts, DateOnly asOf)
    {
        var slots = _slots[rule.Index] ??= SlotsOf(rule, match);
        var items = new object?[rule.Slots.Count];
        var k = 0;
        foreach (var fm in match.Facts)
        {
            var slot = slots[k++];
            if (fm.Value is IEnumerable<object> set)
            {
                var list = new List<SignalFact>();
                foreach (var s in set)
                {
                    list.Add(Fact(s, facts, asOf));
                }

                items[slot] = list;
            }
            else
            {
                items[slot] = Fact(fm.Value!, facts, asOf);
            }
        }

        return items;
    }

    /// <summary>
    /// Which slot each matched fact fills: by name when the fluent rule names its facts as the
    /// pack does, else in order (a fluent rule matches the same items in the same order; a no:
    /// item has no slot and matches no fact).
    /// </summary>
    private static int[] SlotsOf(CompiledRule rule, IMatch match)
    {
        var names = match.Facts.Select(f => f.Declaration.Name).ToList();
        var matched = rule.Slots.Where(s => s.Item != ItemKind.No).ToList();
        if (names.Count != matched.Count)
        {
            throw new InvalidOperationException($"{rule.Id}: the fluent rule matches {names.Count} facts ({string.Join(", ", names)}), the pack {matched.Count} ({string.Join(", ", matched.Select(s => s.Name))})");
        }

        return names.All(rule.SlotByName.ContainsKey) && names.Distinct(StringComparer.Ordinal).Count() == names.Count
            ? [.. names.Select(n => rule.SlotByName[n])]
            : [.. matched.Select(s => s.Index)];
    }

    /// <summary>What <c>licenserisk score --format json</c> writes for this one score (the Presentation JSON writer, in process).</summary>
    public static byte[] Json(CompiledPack pack, VendorScore score, DateOnly asOf)
    {
        using var stream = new MemoryStream();
        JsonScoreWriter.Write(stream, ScoreReport.Of(pack, null, [score], asOf, null, []));
        return stream.ToArray();
    }
}
