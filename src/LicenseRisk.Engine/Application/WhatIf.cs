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

    private WhatIf(CompiledPack pack, ScoreRequest request)
    {
        _pack = pack;
        _request = request;
        _session = new VendorSession(pack, request.AsOf);
        _memo = new ScoreMemo(pack);
        Base = Scorer.Score(pack, request, _session.Run(request.Dossier.Signals), _memo);
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

        var dossier = Dossier with { Signals = [.. slots.OfType<SignalRecord>()] };
        var score = Scorer.Score(_pack, _request with { Dossier = dossier }, _session.Run(slots), _memo);
        return new WhatIfResult(score, Changes(Base, score));
    }

    /// <summary>Moves the session back to the dossier as loaded and returns its score.</summary>
    public VendorScore Reset()
    {
        _session.Run(Dossier.Signals);
        return Base;
    }

    /// <summary>The counted contributions of <paramref name="after"/> that differ from <paramref name="before"/>'s, by rule.</summary>
    public static IReadOnlyList<ContributionChange> Changes(VendorScore before, VendorScore after)
    {
        var was = before.Contributions.ToDictionary(c => c.Rule, StringComparer.Ordinal);
        var now = after.Contributions.ToDictionary(c => c.Rule, StringComparer.Ordinal);
        return [.. was.Keys.Union(now.Keys)
            .Select(rule => new ContributionChange(rule, was.GetValueOrDefault(rule), now.GetValueOrDefault(rule)))
            .Where(c => c.Before is null || c.After is null || c.Before.Value != c.After.Value || c.Before.Because != c.After.Because)
            .OrderByDescending(c => Math.Abs(c.Delta))
            .ThenBy(c => c.Rule, StringComparer.Ordinal)];
    }

    /// <summary>The dossier's signals as numbered slots with the edits applied (a removed signal leaves a null slot).</summary>
    private List<SignalRecord?>? Edit(IReadOnlyList<SignalEdit> edits, DiagnosticBag diags)
    {
        var slots = new List<SignalRecord?>(Dossier.Signals);
        var errors = new DiagnosticBag();
        var removed = new HashSet<string>(StringComparer.Ordinal);
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
                        removed.Add(removedId);
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
    private static int? Resolve(List<SignalRecord?> slots, HashSet<string> removed, SignalRef target, DiagnosticBag diags)
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
            if (index < 0 && removed.Contains(target.Text))
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
