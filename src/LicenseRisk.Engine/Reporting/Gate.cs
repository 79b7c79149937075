using System.Globalization;
using LicenseRisk.Model;

namespace LicenseRisk.Reporting;

/// <summary>
/// The CI gate of <c>score</c>: <c>--fail-above P</c> trips on a probability above P, <c>--fail-on BAND</c>
/// on a band at or above BAND in the pack's band order. Either one tripping trips the vendor.
/// The same decision drives the exit code, the verdict lines on standard error and the CI formats.
/// </summary>
public sealed class Gate
{
    /// <summary>How many counted positive reasons a verdict line names.</summary>
    public const int TopReasons = 3;

    private readonly int _bandRank;
    private readonly IReadOnlyList<string> _bandOrder;

    private readonly Policy? _policy;

    private Gate(double? failAbove, string? failOn, IReadOnlyList<string> bandOrder, Policy? policy = null)
    {
        _policy = policy;
        FailAbove = failAbove;
        FailOn = failOn;
        _bandOrder = bandOrder;
        _bandRank = failOn is null ? -1 : IndexOf(bandOrder, failOn);
    }

    /// <summary>No gate: nothing trips, every vendor is reported.</summary>
    public static Gate None { get; } = new(null, null, []);

    public double? FailAbove { get; }

    public string? FailOn { get; }

    /// <summary>True when <c>--fail-above</c> or <c>--fail-on</c> was given, or the policy sets thresholds.</summary>
    public bool Active => FailAbove is not null || FailOn is not null || _policy?.FailAbove is not null || _policy?.VendorThresholds.Count > 0;

    /// <summary>The probability threshold for a vendor: the policy's per-vendor one, else --fail-above, else the policy's default.</summary>
    public double? ThresholdFor(VendorScore score) => _policy is null ? FailAbove : _policy.ThresholdFor(score.Id, FailAbove);

    /// <summary>
    /// Makes a gate; an unknown band name is an error naming the pack's bands (exit 2), reported
    /// against the option as <c>--fail-on: error LR904: ...</c>.
    /// </summary>
    public static Gate? Create(double? failAbove, string? failOn, Bands bands, DiagnosticBag diags, Policy? policy = null)
    {
        var order = bands.Thresholds.Select(t => t.Key).ToList();
        if (failOn is not null && IndexOf(order, failOn) < 0)
        {
            var hint = Suggest.Closest(failOn, order);
            diags.Error(
                SourceSpan.None("--fail-on"),
                "LR904",
                $"no band '{failOn}'; the pack's bands, lowest first, are {string.Join(", ", order)}{(hint is null ? string.Empty : $" (did you mean '{hint}'?)")}");
            return null;
        }

        return new Gate(failAbove, failOn, order, policy);
    }

    /// <summary>True when this vendor's score trips the gate.</summary>
    public bool Trips(VendorScore score) =>
        (ThresholdFor(score) is { } p && score.Probability > p)
        || (_bandRank >= 0 && IndexOf(_bandOrder, score.Band) >= _bandRank);

    /// <summary>
    /// Whether the CI formats (SARIF results, GitHub annotations) report this vendor's reasons: with a
    /// gate, only vendors that trip it; without one, every vendor.
    /// </summary>
    public bool Reports(VendorScore score) => !Active || Trips(score);

    /// <summary>The counted contributions that push the vendor up, strongest first.</summary>
    public static IEnumerable<Contribution> Positive(VendorScore score) => score.Contributions.Where(c => c.Value > 0);

    /// <summary>The one-line verdict for a tripped vendor: file, vendor, what tripped, the top reasons.</summary>
    public string Verdict(VendorScore s) =>
        TableScoreWriter.Clean($"{s.Dossier.File}: gate: {s.Id} {Summary(s)}");

    /// <summary>Why the vendor tripped, with its top reasons: <c>probability 0.48, band elevated: above --fail-above 0.30; top reasons: ...</c>.</summary>
    public string Summary(VendorScore s)
    {
        var why = new List<string>();
        if (ThresholdFor(s) is { } p && s.Probability > p)
        {
            why.Add(p == FailAbove
                ? FormattableString.Invariant($"above --fail-above {p:0.00}")
                : FormattableString.Invariant($"above the policy's threshold {p:0.00}"));
        }

        if (_bandRank >= 0 && IndexOf(_bandOrder, s.Band) >= _bandRank)
        {
            why.Add($"band at or above --fail-on {FailOn}");
        }

        var reasons = string.Join("; ", Positive(s).Take(TopReasons).Select(c => FormattableString.Invariant($"{c.Rule} ({c.Value:+0.00}): {c.Because}")));
        return FormattableString.Invariant($"probability {s.Probability:0.00}, band {s.Band}{(why.Count > 0 ? ": " + string.Join(" and ", why) : string.Empty)}")
            + (reasons.Length > 0 ? "; top reasons: " + reasons : "; no rule pushed it up (the prior alone)");
    }

    /// <summary>The rank of a band in the pack's order (lowest first), or -1.</summary>
    public static int IndexOf(IReadOnlyList<string> order, string band)
    {
        for (var i = 0; i < order.Count; i++)
        {
            if (string.Equals(order[i], band, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
