using LicenseRisk.Model;
using LicenseRisk.Rules;
using LicenseRisk.Rules.Runtime;
using NRules;

namespace LicenseRisk.Scoring;

/// <summary>
/// One vendor's NRules session, kept open between runs (what-if). Each run is given the vendor's
/// signals as numbered slots; the session moves from the slots of its last run to the new ones by
/// retracting, inserting or updating in place only the facts whose signal changed, then fires.
/// Firings and derived signals are truth-maintained (a deactivated match drops its firing, and
/// NRules retracts the signals linked to it), so a run gives what a fresh session on the same
/// signals gives (<see cref="Evaluator.Run"/>). Not thread-safe: one caller at a time.
/// </summary>
public sealed class VendorSession
{
    private readonly DateOnly _asOf;
    private readonly ISession _session;
    private readonly EvalContext _eval;
    private readonly List<Live?> _live = [];

    public VendorSession(CompiledPack pack, DateOnly asOf)
    {
        _asOf = asOf;
        _session = pack.Factory.CreateSession();
        _eval = new EvalContext(asOf);
        _session.DependencyResolver = new Evaluator.Resolver(_eval);
    }

    /// <summary>
    /// Fires the pack on the signals in <paramref name="slots"/> known on the as-of day (dated, and
    /// reported when the signal says so, on or before it; a null slot holds no signal, and slot i of
    /// one run is slot i of the next). The others are listed as ignored, in slot order.
    /// </summary>
    public PackRun Run(IReadOnlyList<SignalRecord?> slots)
    {
        var considered = new List<SignalRecord>(slots.Count);
        var ignored = new List<IgnoredSignal>();
        // The facts to move, made only when there are some (a variant changes one or two signals).
        List<SignalFact>? retract = null;
        List<object>? updateFacts = null;
        List<(int Slot, SignalRecord Record)>? inserts = null;
        for (var i = 0; i < Math.Max(slots.Count, _live.Count); i++)
        {
            var target = i < slots.Count ? slots[i] : null;
            if (target is not null && Evaluator.NotKnown(target, _asOf) is { } unknown)
            {
                // Dated or reported after the as-of day: listed as a fresh session lists it, and
                // out of the session (no look-ahead).
                ignored.Add(unknown);
                target = null;
            }
            else if (target is not null)
            {
                considered.Add(target);
            }

            var live = i < _live.Count ? _live[i] : null;
            if (ReferenceEquals(live?.Record, target))
            {
                continue;
            }

            if (live is not null && target is not null && ReferenceEquals(live.Record.Kind, target.Kind))
            {
                // The same kind: update the fact in place.
                live.Fact.Reload(target);
                live.Record = target;
                (updateFacts ??= []).Add(live.Fact);
                continue;
            }

            if (live is not null)
            {
                (retract ??= []).Add(live.Fact);
            }

            if (target is not null)
            {
                (inserts ??= []).Add((i, target));
            }

            while (_live.Count <= i)
            {
                _live.Add(null);
            }

            _live[i] = null;
        }

        List<object>? insertFacts = null;
        if (inserts is not null)
        {
            foreach (var (slot, record) in inserts)
            {
                // A fact of the same kind leaving the session takes the new signal in place (one
                // update instead of a retraction and an insertion: the move from one variant to the
                // next, an added signal replacing the last variant's, say); else a new fact.
                var reuse = retract is null ? -1 : IndexOfKind(retract, record.Kind);
                if (reuse >= 0)
                {
                    var fact = retract![reuse];
                    retract.RemoveAt(reuse);
                    fact.Reload(record);
                    _live[slot] = new Live(record, fact);
                    (updateFacts ??= []).Add(fact);
                }
                else
                {
                    var fact = SignalFact.From(record, _asOf);
                    _live[slot] = new Live(record, fact);
                    (insertFacts ??= []).Add(fact);
                }
            }
        }

        if (retract is { Count: > 0 })
        {
            _session.RetractAll(retract);
        }

        if (updateFacts is not null)
        {
            _session.UpdateAll(updateFacts);
        }

        if (insertFacts is not null)
        {
            _session.InsertAll(insertFacts);
        }

        RuleRuntime.Fire(_eval, _session.Fire);
        var derived = _eval.Derived.Values.ToList();
        return new PackRun([.. _eval.Firings.Values], derived, considered, ignored);
    }

    /// <summary>The first fact of <paramref name="kind"/> in <paramref name="facts"/>, or -1 (a loop: FindIndex's lambda captured the kind, a closure per call).</summary>
    private static int IndexOfKind(List<SignalFact> facts, KindDef kind)
    {
        for (var i = 0; i < facts.Count; i++)
        {
            if (ReferenceEquals(facts[i].KindDef, kind))
            {
                return i;
            }
        }

        return -1;
    }

    private sealed class Live(SignalRecord record, SignalFact fact)
    {
        public SignalRecord Record { get; set; } = record;

        public SignalFact Fact { get; } = fact;
    }
}
