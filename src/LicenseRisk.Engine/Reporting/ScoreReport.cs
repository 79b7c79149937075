using LicenseRisk.Model;

namespace LicenseRisk.Reporting;

/// <summary>Everything a score output shows: the pack, the day, the horizon and each vendor's score.</summary>
public sealed record ScoreReport(
    PackInfo Pack,
    string PackSha256,
    DateOnly AsOf,
    int HorizonMonths,
    IReadOnlyList<VendorScore> Vendors,
    IReadOnlyList<Diagnostic> Warnings)
{
    /// <summary>The policy layered over the pack, if any (named in outputs with its hash, for audits).</summary>
    public Policy? Policy { get; init; }

    /// <summary>The pack's rules in pack order (SARIF lists them as reporting descriptors).</summary>
    public IReadOnlyList<RuleSyntax> Rules { get; init; } = [];

    /// <summary>The pack's bands, lowest first.</summary>
    public Bands Bands { get; init; } = new([]);
}
