namespace LicenseRisk.Backtesting;

public sealed record ReliabilityBin(string Bin, double Low, double High, int Cases, double MeanPredicted, double Observed);

/// <summary>Forecast-quality metrics for binary outcomes.</summary>
public static class Metrics
{
    public const double Epsilon = 1e-15;

    public static double Brier(IReadOnlyList<double> p, IReadOnlyList<bool> y)
    {
        Check(p, y);
        var sum = 0.0;
        for (var i = 0; i < p.Count; i++)
        {
            var d = p[i] - (y[i] ? 1 : 0);
            sum += d * d;
        }

        return sum / p.Count;
    }

    /// <summary>Mean negative log-likelihood (natural log); probabilities clipped to [1e-15, 1 - 1e-15].</summary>
    public static double LogLoss(IReadOnlyList<double> p, IReadOnlyList<bool> y)
    {
        Check(p, y);
        var sum = 0.0;
        for (var i = 0; i < p.Count; i++)
        {
            var q = Math.Clamp(p[i], Epsilon, 1 - Epsilon);
            sum -= y[i] ? Math.Log(q) : Math.Log(1 - q);
        }

        return sum / p.Count;
    }

    /// <summary>1 - Brier / reference Brier: above 0 beats the reference, 1 is perfect.</summary>
    public static double SkillScore(double brier, double referenceBrier) =>
        referenceBrier == 0 ? 0 : 1 - (brier / referenceBrier);

    /// <summary>ROC AUC as the Mann-Whitney probability that a positive outranks a negative; ties count one half. NaN without both classes.</summary>
    public static double Auc(IReadOnlyList<double> p, IReadOnlyList<bool> y)
    {
        Check(p, y);
        double wins = 0;
        long pairs = 0;
        for (var i = 0; i < p.Count; i++)
        {
            if (!y[i])
            {
                continue;
            }

            for (var j = 0; j < p.Count; j++)
            {
                if (y[j])
                {
                    continue;
                }

                pairs++;
                wins += p[i] > p[j] ? 1 : p[i] == p[j] ? 0.5 : 0;
            }
        }

        return pairs == 0 ? double.NaN : wins / pairs;
    }

    /// <summary>Equal-width bins over [0, 1]; the last bin includes 1.</summary>
    public static IReadOnlyList<ReliabilityBin> Reliability(IReadOnlyList<double> p, IReadOnlyList<bool> y, int bins = 5)
    {
        Check(p, y);
        var result = new List<ReliabilityBin>();
        for (var b = 0; b < bins; b++)
        {
            var low = (double)b / bins;
            var high = (double)(b + 1) / bins;
            var members = Enumerable.Range(0, p.Count).Where(i => p[i] >= low && (p[i] < high || (b == bins - 1 && p[i] <= high))).ToList();
            var name = FormattableString.Invariant($"{low:0.0}-{high:0.0}");
            result.Add(members.Count == 0
                ? new ReliabilityBin(name, low, high, 0, 0, 0)
                : new ReliabilityBin(name, low, high, members.Count, members.Average(i => p[i]), members.Average(i => y[i] ? 1.0 : 0.0)));
        }

        return result;
    }

    private static void Check(IReadOnlyList<double> p, IReadOnlyList<bool> y)
    {
        if (p.Count != y.Count || p.Count == 0)
        {
            throw new ArgumentException("forecasts and outcomes must be non-empty and of equal length");
        }
    }
}
