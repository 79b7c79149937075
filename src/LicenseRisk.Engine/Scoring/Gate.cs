using LicenseRisk.Model;

namespace LicenseRisk.Scoring;

/// <summary>
/// Why a vendor trips the gate, as data: the probability threshold it is above (and whether that
/// threshold is the gate's own or the policy's), and whether its band is at or above the gate's band.
/// </summary>
public readonly record struct GateTrip(double? AboveThreshold, bool ThresholdIsGates, bool BandAtOrAbove)
{
    public bool Tripped => AboveThreshold is not null || BandAtOrAbove;
}

/// <summary>
/// The CI gate of <c>score</c>: a probability threshold trips on a probability above it, a band on a
/// band at or above it in the pack's band order. Either one tripping trips the vendor. The same
/// decision drives the exit code, the verdict lines and the CI formats.
/// </summary>
public sealed class Gate
{
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

    /// <summary>The probability threshold given to the gate, if any.</summary>
    public double? FailAbove { get; }

    /// <summary>The band given to the gate, if any.</summary>
    public string? FailOn { get; }

    /// <summary>True when a threshold or band was given, or the policy sets thresholds.</summary>
    public bool Active => FailAbove is not null || FailOn is not null || _policy?.FailAbove is not null || _policy?.VendorThresholds.Count > 0;

    /// <summary>The probability threshold for a vendor: the policy's per-vendor one, else the gate's, else the policy's default.</summary>
    public double? ThresholdFor(VendorScore score) => _policy is null ? FailAbove : _policy.ThresholdFor(score.Id, FailAbove);

    /// <summary>
    /// Makes a gate; an unknown band name is an error (<see cref="DiagnosticCodes.UnknownGateBand"/>) at <paramref name="failOnSource"/> (where
    /// the band was given) naming the pack's bands, and null.
    /// </summary>
    public static Gate? Create(double? failAbove, string? failOn, SourceSpan failOnSource, Bands bands, DiagnosticBag diags, Policy? policy = null)
    {
        var order = bands.Thresholds.Select(t => t.Key).ToList();
        if (failOn is not null && IndexOf(order, failOn) < 0)
        {
            diags.Report(failOnSource, DiagnosticCodes.UnknownGateBand, UnknownBand(failOn, order));
            return null;
        }

        return new Gate(failAbove, failOn, order, policy);
    }

    /// <summary>The message of a <c>--fail-on</c> band the pack lacks: its bands, lowest first, and the one plausibly meant.</summary>
    public static string UnknownBand(string failOn, IReadOnlyList<string> order)
    {
        var hint = Suggest.Closest(failOn, order);
        return $"no band '{failOn}'; the pack's bands, lowest first, are {string.Join(", ", order)}{(hint is null ? string.Empty : $" (did you mean '{hint}'?)")}";
    }

    /// <summary>Whether and why this vendor's score trips the gate.</summary>
    public GateTrip Check(VendorScore score)
    {
        var above = ThresholdFor(score) is { } p && score.Probability > p ? p : (double?)null;
        return new GateTrip(above, above == FailAbove, _bandRank >= 0 && IndexOf(_bandOrder, score.Band) >= _bandRank);
    }

    /// <summary>True when this vendor's score trips the gate.</summary>
    public bool Trips(VendorScore score) => Check(score).Tripped;

    /// <summary>
    /// Whether the CI formats report this vendor's reasons: with a gate, only vendors that trip it;
    /// without one, every vendor.
    /// </summary>
    public bool Reports(VendorScore score) => !Active || Trips(score);

    /// <summary>The counted contributions that push the vendor up, strongest first.</summary>
    public static IEnumerable<Contribution> Positive(VendorScore score) => score.Contributions.Where(c => c.Value > 0);

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
