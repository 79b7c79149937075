namespace LicenseRisk.Model;

/// <summary>A time-limited exception: a rule's contribution does not count for one vendor.</summary>
public sealed record Waiver(string Vendor, string Rule, string Reason, string Approver, DateOnly Expires, SourceSpan Span)
{
    /// <summary>A waiver applies up to and including its expiry day.</summary>
    public bool ActiveOn(DateOnly day) => day <= Expires;
}

/// <summary>
/// An organisation's policy layered over a pack without editing it: disabled rules, weight and
/// prior overrides, gate thresholds per vendor, and waivers. Calibration writes one too.
/// </summary>
public sealed record Policy(
    string File,
    string? Name,
    double? Prior,
    IReadOnlyList<string> Disabled,
    IReadOnlyDictionary<string, double> Weights,
    double? FailAbove,
    IReadOnlyDictionary<string, double> VendorThresholds,
    IReadOnlyList<Waiver> Waivers,
    string Sha256)
{
    /// <summary>The gate threshold for a vendor: its own, else the policy's default, else the command line's.</summary>
    public double? ThresholdFor(string vendor, double? commandLine) =>
        VendorThresholds.TryGetValue(vendor, out var t) ? t : commandLine ?? FailAbove;
}
