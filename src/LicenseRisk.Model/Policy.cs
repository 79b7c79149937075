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

    /// <summary>The <c>collect.auto_accept</c> rules: candidates collect accepts without a person (none by default).</summary>
    public IReadOnlyList<AutoAcceptRule> AutoAccept { get; init; } = [];
}

/// <summary>
/// A <c>collect.auto_accept</c> rule of a policy: candidates from <paramref name="Collector"/> of one
/// of <paramref name="Kinds"/> whose fields have the values of <paramref name="Where"/> are accepted
/// by collect as soon as they are proposed (docs/collection.md#auto-accepting-mechanical-facts).
/// </summary>
public sealed record AutoAcceptRule(string Collector, IReadOnlyList<string> Kinds, IReadOnlyDictionary<string, string> Where, SourceSpan Span)
{
    /// <summary>"huggingface: release where weights=open".</summary>
    public string Describe() =>
        $"{Collector}: {string.Join(", ", Kinds)}{(Where.Count == 0 ? string.Empty : " where " + string.Join(", ", Where.Select(w => $"{w.Key}={w.Value}")))}";
}
