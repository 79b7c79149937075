using LicenseRisk.Model;
using LicenseRisk.Scoring;

namespace LicenseRisk.Presentation.Score;

/// <summary>
/// The wording of the CI gate of <c>score</c> (<c>--fail-above P</c>, <c>--fail-on BAND</c>): the
/// verdict line of a tripped vendor and why it tripped, with its top reasons.
/// </summary>
public static class GateMessages
{
    /// <summary>How many counted positive reasons a verdict line names.</summary>
    public const int TopReasons = 3;

    /// <summary>The one-line verdict for a tripped vendor: file, vendor, what tripped, the top reasons.</summary>
    public static string Verdict(Gate gate, VendorScore s) =>
        TableScoreWriter.Clean($"{s.Dossier.File}: gate: {s.Id} {Summary(gate, s)}");

    /// <summary>Why the vendor tripped, with its top reasons: <c>probability 0.48, band elevated: above --fail-above 0.30; top reasons: ...</c>.</summary>
    public static string Summary(Gate gate, VendorScore s)
    {
        var trip = gate.Check(s);
        var why = new List<string>();
        if (trip.AboveThreshold is { } p)
        {
            why.Add(trip.ThresholdIsGates
                ? FormattableString.Invariant($"above --fail-above {p:0.00}")
                : FormattableString.Invariant($"above the policy's threshold {p:0.00}"));
        }

        if (trip.BandAtOrAbove)
        {
            why.Add($"band at or above --fail-on {gate.FailOn}");
        }

        var reasons = string.Join("; ", Gate.Positive(s).Take(TopReasons).Select(c => FormattableString.Invariant($"{c.Rule} ({c.Value:+0.00}): {c.Because}")));
        return FormattableString.Invariant($"probability {s.Probability:0.00}, band {s.Band}{(why.Count > 0 ? ": " + string.Join(" and ", why) : string.Empty)}")
            + (reasons.Length > 0 ? "; top reasons: " + reasons : "; no rule pushed it up (the prior alone)");
    }
}
