using LicenseRisk.Model;

namespace LicenseRisk.Backtesting;

/// <summary>
/// One stratum's out-of-sample figures for the pack as written: its cases and flips, the Brier
/// score, the Brier score of always forecasting the stratum's own flip rate and the skill against
/// it (null when that reference is perfect, a stratum of one outcome), the ROC AUC of the
/// forecasts (null without both outcomes), and the mean forecast over the flips and the non-flips.
/// </summary>
public sealed record CvStratum(string Name, int Cases, int Flips, double Brier, double BaseRateBrier, double Skill, double Auc, double MeanFlipped, double MeanNotFlipped);

/// <summary>The cases of one scheme split by one property (<c>modality</c>, <c>vendor_type</c>), strata in ordinal order of name.</summary>
public sealed record CvStrata(string By, IReadOnlyList<CvStratum> Strata);

/// <summary>Splits a cross-validation scheme's out-of-sample forecasts by a property of each case's dossier.</summary>
public static class Strata
{
    public const string Unknown = "unknown";

    /// <summary>
    /// The case's modality: that of its newest flagship release known on <paramref name="asOf"/>,
    /// else of its newest release known then (releases without a recorded modality are passed
    /// over; ties on the day go to the later one in the file); "unknown" when there is none.
    /// </summary>
    public static string ModalityOf(Dossier dossier, DateOnly asOf)
    {
        var releases = dossier.Signals
            .Select((s, i) => (s, i))
            .Where(x => x.s.Kind.Name == "release" && x.s.Known <= asOf && Field(x.s, "modality") is not null)
            .OrderBy(x => x.s.Date)
            .ThenBy(x => x.i)
            .Select(x => x.s)
            .ToList();
        var newest = releases.LastOrDefault(s => Field(s, "tier") == "flagship") ?? releases.LastOrDefault();
        return newest is null ? Unknown : Field(newest, "modality")!;
    }

    /// <summary>The pack's out-of-sample figures per stratum of <paramref name="key"/>.</summary>
    public static CvStrata By(string by, IReadOnlyList<CvCase> cases, Func<CvCase, string> key) =>
        new(by, [.. cases.GroupBy(key).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Figures(g.Key, [.. g]))]);

    private static CvStratum Figures(string name, List<CvCase> rows)
    {
        var p = rows.Select(r => r.Pack).ToList();
        var y = rows.Select(r => r.Case.WentApiOnly).ToList();
        var flips = y.Count(v => v);
        var rate = (double)flips / rows.Count;
        var brier = Metrics.Brier(p, y);
        var baseBrier = Metrics.Brier([.. rows.Select(_ => rate)], y);
        return new CvStratum(
            name,
            rows.Count,
            flips,
            brier,
            baseBrier,
            baseBrier == 0 ? double.NaN : Metrics.SkillScore(brier, baseBrier),
            Metrics.Auc(p, y),
            flips == 0 ? double.NaN : rows.Where(r => r.Case.WentApiOnly).Average(r => r.Pack),
            flips == rows.Count ? double.NaN : rows.Where(r => !r.Case.WentApiOnly).Average(r => r.Pack));
    }

    private static string? Field(SignalRecord s, string name)
    {
        foreach (var v in s.Values)
        {
            if (v.Field.Name == name)
            {
                return v.Text;
            }
        }

        return null;
    }
}
