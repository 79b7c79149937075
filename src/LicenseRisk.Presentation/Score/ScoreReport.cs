using LicenseRisk.Model;
using LicenseRisk.Rules;

namespace LicenseRisk.Presentation.Score;

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

    /// <summary>The report of these scores under this pack and policy (horizon: the pack's when null).</summary>
    public static ScoreReport Of(CompiledPack pack, Policy? policy, IReadOnlyList<VendorScore> scores, DateOnly asOf, int? horizonMonths, IReadOnlyList<Diagnostic> warnings) =>
        new(pack.Info, pack.Sha256, asOf, horizonMonths ?? pack.Model.HorizonMonths, scores, warnings)
        {
            Policy = policy,
            Rules = [.. pack.Rules.Select(r => r.Syntax)],
            Bands = pack.Bands,
        };
}
