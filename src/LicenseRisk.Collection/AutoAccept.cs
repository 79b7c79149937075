using LicenseRisk.Model;
using LicenseRisk.Yaml;

namespace LicenseRisk.Collection;

/// <summary>
/// The policy's <c>collect.auto_accept</c> rules (off by default): a candidate a named collector
/// just proposed, of a named kind, with the named field values and nothing left for a person to
/// give, is accepted at once, its provenance saying it was accepted automatically and by which
/// policy. Feeds and OpenRouter are never auto-accepted (the policy reader refuses them).
/// </summary>
public static class AutoAccept
{
    /// <summary>Whether <paramref name="rule"/> covers <paramref name="c"/>: its collector, a listed kind, every listed field value, no field needed.</summary>
    public static bool Matches(AutoAcceptRule rule, Candidate c) =>
        c.Status == CandidateStatus.Pending
        && c.Needs.Count == 0
        && string.Equals(rule.Collector, c.Collector, StringComparison.Ordinal)
        && rule.Kinds.Contains(c.Signal.Kind, StringComparer.Ordinal)
        && rule.Where.All(w => string.Equals(c.Signal.Field(w.Key), w.Value, StringComparison.Ordinal));

    /// <summary>
    /// Accepts the candidates <paramref name="result"/> added that a rule of <paramref name="policy"/> covers.
    /// </summary>
    /// <returns>per dossier path, the candidates accepted (a dossier with none is absent).</returns>
    public static IReadOnlyDictionary<string, IReadOnlyList<Candidate>> Apply(
        CollectResult result, Policy? policy, SignalCatalog catalog, Limits limits, DateOnly today, DiagnosticBag diags)
    {
        var accepted = new Dictionary<string, IReadOnlyList<Candidate>>(StringComparer.Ordinal);
        if (policy is null || policy.AutoAccept.Count == 0)
        {
            return accepted;
        }

        var by = policy.Name ?? policy.File;
        foreach (var d in result.Dossiers)
        {
            var list = new List<Candidate>();
            foreach (var c in d.Added)
            {
                if (policy.AutoAccept.FirstOrDefault(r => Matches(r, c)) is not { } rule)
                {
                    continue;
                }

                var reason = $"accepted automatically: policy '{by}' collect.auto_accept ({rule.Describe()})";
                if (Review.Accept(d.DossierPath, c.Id, reason, [], catalog, limits, today, diags, autoAcceptedBy: by) is { } done)
                {
                    list.Add(done);
                }
            }

            if (list.Count > 0)
            {
                accepted[d.DossierPath] = list;
            }
        }

        return accepted;
    }
}
