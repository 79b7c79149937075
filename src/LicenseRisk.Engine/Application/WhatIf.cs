using LicenseRisk.Model;
using LicenseRisk.Rules;
using LicenseRisk.Scoring;
using LicenseRisk.Yaml;

namespace LicenseRisk.Application;

/// <summary>A rule whose counted contribution differs from the base's: new (no Before), gone (no After), or changed.</summary>
public sealed record ContributionChange(string Rule, Contribution? Before, Contribution? After)
{
    /// <summary>The change in log-odds this rule adds to the score.</summary>
    public double Delta => (After?.Value ?? 0) - (Before?.Value ?? 0);
}

/// <summary>One variant's score, the dossier it scored, and the counted contributions that differ from the base's (largest change first).</summary>
public sealed record WhatIfResult(VendorScore Score, IReadOnlyList<ContributionChange> Changes)
{
    public Dossier Dossier => Score.Dossier;
}

/// <summary>
/// Incremental what-if for one vendor: the vendor's NRules session stays open, and each variant
/// (a list of edits to the dossier as loaded) moves it by inserting, retracting or updating only
/// the signals that differ from the previous variant, fires again and scores, reusing the
/// contributions, derived signals and coverage that the change left as they were. The result is the
/// score a full re-score of the edited dossier gives. Edits are checked as a dossier's signals are;
/// bad ones are located diagnostics and leave the session as it was. Not thread-safe: one caller
/// at a time per what-if (open one per vendor and user).
/// </summary>
public sealed class WhatIf
{
    private readonly CompiledPack _pack;
    private readonly ScoreRequest _request;
    private readonly VendorSession _session;
    private readonly ScoreMemo _memo;

    // The base's counted contributions by rule, made once: a variant's changes are found by lookup.
    private readonly BaseContributions _baseByRule;

    private WhatIf(CompiledPack pack, ScoreRequest request)
    {
        _pack = pack;
        _request = request;
        _session = new VendorSession(pack, request.AsOf);
        _memo = new ScoreMemo(pack);
        Base = Scorer.Score(pack, request, _session.Run(request.Dossier.Signals), _memo);
        _baseByRule = new BaseContributions(Base);
    }

    /// <summary>The score of the dossier as loaded.</summary>
    public VendorScore Base { get; }

    /// <summary>The dossier as loaded; edits number its signals from 1 in this order.</summary>
    public Dossier Dossier => _request.Dossier;

    /// <summary>Opens a what-if on a loaded dossier, scored as of <paramref name="asOf"/> (horizon null: the pack's).</summary>
    public static WhatIf Open(CompiledPack pack, Dossier dossier, DateOnly asOf, int? horizonMonths = null, Policy? policy = null) =>
        new(pack, new ScoreRequest(dossier, asOf, horizonMonths ?? pack.Model.HorizonMonths, policy));

    /// <summary>
    /// Scores the dossier with the edits applied in order (each relative to the dossier as loaded,
    /// not to the last variant); null with every problem in <paramref name="diags"/> when an edit
    /// does not apply.
    /// </summary>
    public WhatIfResult? Apply(IReadOnlyList<SignalEdit> edits, DiagnosticBag diags)
    {
        var slots = Edit(edits, diags);
        if (slots is null)
        {
            return null;
        }

        var dossier = Dossier with { Signals = Present(slots) };
        var score = Scorer.Score(_pack, _request with { Dossier = dossier }, _session.Run(slots), _memo);
        return new WhatIfResult(score, _baseByRule.Changes(score));
    }

    /// <summary>The signals in the slots, in slot order, the removed ones left out (one array, no iterator).</summary>
    private static SignalRecord[] Present(List<SignalRecord?> slots)
    {
        var n = 0;
        foreach (var s in slots)
        {
            n += s is null ? 0 : 1;
        }

        var signals = new SignalRecord[n];
        n = 0;
        foreach (var s in slots)
        {
            if (s is not null)
            {
                signals[n++] = s;
            }
        }

        return signals;
    }

    /// <summary>Moves the session back to the dossier as loaded and returns its score.</summary>
    public VendorScore Reset()
    {
        _session.Run(Dossier.Signals);
        return Base;
    }

    /// <summary>The counted contributions of <paramref name="after"/> that differ from <paramref name="before"/>'s, by rule.</summary>
    public static IReadOnlyList<ContributionChange> Changes(VendorScore before, VendorScore after) => new BaseContributions(before).Changes(after);

    /// <summary>
    /// One score's counted contributions by rule, to diff others against: per variant, a lookup
    /// per contribution and one list, with no dictionaries, set unions or LINQ sorts made.
    /// </summary>
    private sealed class BaseContributions
    {
        private readonly IReadOnlyList<Contribution> _contributions;
        private readonly Dictionary<string, int> _position = new(StringComparer.Ordinal);

        public BaseContributions(VendorScore score)
        {
            _contributions = score.Contributions;
            for (var i = 0; i < _contributions.Count; i++)
            {
                _position[_contributions[i].Rule] = i;
            }
        }

        public List<ContributionChange> Changes(VendorScore after)
        {
            var changes = new List<ContributionChange>();
            Span<bool> seen = _contributions.Count <= 256 ? stackalloc bool[_contributions.Count] : new bool[_contributions.Count];
            foreach (var now in after.Contributions)
            {
                if (!_position.TryGetValue(now.Rule, out var i))
                {
                    changes.Add(new ContributionChange(now.Rule, null, now));
                    continue;
                }

                seen[i] = true;
                var was = _contributions[i];
                if (!ReferenceEquals(was, now) && (was.Value != now.Value || was.Because != now.Because))
                {
                    changes.Add(new ContributionChange(now.Rule, was, now));
                }
            }

            for (var i = 0; i < seen.Length; i++)
            {
                if (!seen[i])
                {
                    changes.Add(new ContributionChange(_contributions[i].Rule, _contributions[i], null));
                }
            }

            // Largest change first, then the rule id: a total order (one change per rule), so an
            // unstable sort gives what OrderByDescending/ThenBy gave.
            if (changes.Count > 1)
            {
                changes.Sort(static (a, b) =>
                {
                    var c = Math.Abs(b.Delta).CompareTo(Math.Abs(a.Delta));
                    return c != 0 ? c : string.CompareOrdinal(a.Rule, b.Rule);
                });
            }

            return changes;
        }
    }

    /// <summary>The dossier's signals as numbered slots with the edits applied (a removed signal leaves a null slot).</summary>
    private List<SignalRecord?>? Edit(IReadOnlyList<SignalEdit> edits, DiagnosticBag diags)
    {
        var slots = new List<SignalRecord?>(Dossier.Signals);
        var errors = new DiagnosticBag();
        HashSet<string>? removed = null;
        foreach (var edit in edits)
        {
            switch (edit)
            {
                case AddSignal add:
                    if (add.Signal.Id is { } id && IndexOfId(slots, id) is var used and >= 0)
                    {
                        errors.Report(add.Span, DiagnosticCodes.DuplicateSignalId, $"signal id '{id}' is already used by signal {used + 1}");
                    }

                    slots.Add(add.Signal);
                    break;
                case RemoveSignal remove when Resolve(slots, removed, remove.Target, errors) is int i:
                    if (slots[i]!.Id is { } removedId)
                    {
                        (removed ??= new HashSet<string>(StringComparer.Ordinal)).Add(removedId);
                    }

                    slots[i] = null;
                    break;
                case SetField set when Resolve(slots, removed, set.Target, errors) is int i:
                    if (SignalEditReader.Apply(slots[i]!, set, errors) is { } changed)
                    {
                        if (changed.Id is { } newId && !string.Equals(newId, slots[i]!.Id, StringComparison.Ordinal) && IndexOfId(slots, newId) is var other and >= 0)
                        {
                            errors.Report(set.Value.Start.Line > 0 ? new SourceSpan(set.ValueFile, (int)set.Value.Start.Line, (int)set.Value.Start.Column) : set.Span, DiagnosticCodes.DuplicateSignalId, $"signal id '{newId}' is already used by signal {other + 1}");
                        }

                        slots[i] = changed;
                    }

                    break;
            }
        }

        diags.AddRange(errors.Items);
        return errors.HasErrors ? null : slots;
    }

    private static int IndexOfId(List<SignalRecord?> slots, string id) =>
        slots.FindIndex(s => s?.Id is { } x && string.Equals(x, id, StringComparison.Ordinal));

    /// <summary>The slot a reference names; null with an error when there is no such signal, or it was removed.</summary>
    private static int? Resolve(List<SignalRecord?> slots, HashSet<string>? removed, SignalRef target, DiagnosticBag diags)
    {
        int index;
        if (target.Number is { } n)
        {
            if (n < 1 || n > slots.Count)
            {
                diags.Report(target.Span, DiagnosticCodes.UnknownSignal, $"no signal {n}: the signals are numbered 1 to {slots.Count} (the dossier's, then the added ones)");
                return null;
            }

            index = n - 1;
        }
        else
        {
            index = IndexOfId(slots, target.Text);
            if (index < 0 && removed?.Contains(target.Text) == true)
            {
                diags.Report(target.Span, DiagnosticCodes.EditOfRemovedSignal, $"signal {target.Text} is removed by an earlier edit");
                return null;
            }

            if (index < 0)
            {
                var hint = Suggest.Closest(target.Text, slots.Select(s => s?.Id).OfType<string>());
                diags.Report(target.Span, DiagnosticCodes.UnknownSignal, $"no signal with id '{target.Text}'{(hint is null ? string.Empty : $"; did you mean '{hint}'?")}");
                return null;
            }
        }

        if (slots[index] is null)
        {
            diags.Report(target.Span, DiagnosticCodes.EditOfRemovedSignal, $"signal {target.Text} is removed by an earlier edit");
            return null;
        }

        return index;
    }
}
