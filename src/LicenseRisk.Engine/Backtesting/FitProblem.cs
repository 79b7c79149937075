using LicenseRisk.Model;
using LicenseRisk.Rules;
using LicenseRisk.Rules.Lowering;
using LicenseRisk.Scoring;

namespace LicenseRisk.Backtesting;

/// <summary>
/// The cases as a regression problem: one feature per weighted rule (confidence × decay of its
/// counted firing), the outcome, each weight's prior (centred on the argued weight, the rule's
/// <c>sd</c> times a width scale wide), and each case's company group. Fits any subset of the
/// cases and chooses the width scale by grouped inner folds of that subset only.
/// </summary>
internal sealed class FitProblem
{
    private const double Fixed = 1e-6;

    public FitProblem(CompiledPack pack, IReadOnlyList<CaseResult> cases, Policy? policy, CrossValidationOptions options)
    {
        (X, Y, Rules) = Calibrator.Features(pack, cases);
        (Theta0, Sd) = Calibrator.Priors(pack, Rules, policy);
        (GroupOf, GroupNames) = CaseGroups.Of([.. cases.Select(c => c.Score.Dossier)]);
        Options = options;
    }

    public List<double[]> X { get; }

    public List<bool> Y { get; }

    public List<CompiledRule> Rules { get; }

    /// <summary>The intercept (logit of the prior) then the argued weights.</summary>
    public double[] Theta0 { get; }

    public double[] Sd { get; }

    public int[] GroupOf { get; }

    public IReadOnlyList<string> GroupNames { get; }

    public CrossValidationOptions Options { get; }

    /// <summary>
    /// MAP fit on the rows: the intercept with the options' wide prior, each weight with sd × scale
    /// (0: kept as argued). A weight stays as argued when its rule fires in fewer than the options'
    /// minimum of the rows, when the options keep it, or when the fit would flip its sign (then the
    /// rest is fitted again around it): a few cases, or a contradiction of the argument, do not
    /// move a weight.
    /// </summary>
    public double[] FitOn(IReadOnlyList<int> rows, double scale, IReadOnlyCollection<int>? pinned = null)
    {
        var firing = Enumerable.Range(0, Rules.Count).Select(j => rows.Count(i => X[i][j] != 0)).ToArray();
        var movable = Movable(firing, scale).Where(j => pinned?.Contains(j) != true).ToHashSet();
        while (true)
        {
            var theta = Solve(rows, firing, movable, scale);
            var flipped = movable.Where(j => Math.Sign(theta[j + 1]) != Math.Sign(Theta0[j + 1])).ToList();
            if (flipped.Count == 0)
            {
                return theta;
            }

            movable.ExceptWith(flipped);
        }
    }

    private double[] Solve(IReadOnlyList<int> rows, int[] firing, HashSet<int> movable, double scale)
    {
        var active = Enumerable.Range(0, Rules.Count).Where(j => firing[j] > 0).ToList();
        var x = rows.Select(i => active.Select(j => X[i][j]).ToArray()).ToList();
        double[] theta0 = [Theta0[0], .. active.Select(j => Theta0[j + 1])];
        double[] sd = [Options.InterceptSd, .. active.Select(j => movable.Contains(j) ? scale * Sd[j + 1] : Fixed)];
        var (fitted, _) = Calibrator.Fit(x, [.. rows.Select(i => Y[i])], theta0, sd);
        var theta = (double[])Theta0.Clone();
        theta[0] = fitted[0];
        for (var a = 0; a < active.Count; a++)
        {
            theta[active[a] + 1] = movable.Contains(active[a]) ? fitted[a + 1] : Theta0[active[a] + 1];
        }

        return theta;
    }

    /// <summary>The linear forecast of case i under θ (at the pack's horizon).</summary>
    public double Predict(double[] theta, int i)
    {
        var eta = theta[0];
        for (var j = 0; j < Rules.Count; j++)
        {
            eta += X[i][j] * theta[j + 1];
        }

        return Scorer.Sigmoid(eta);
    }

    /// <summary>
    /// What the grouped inner folds of the rows choose (groups sorted by name, dealt round-robin
    /// into the folds): the width scale with the lowest log loss (ties to the narrower), then,
    /// at that width, every movable weight whose pinning to its argued value alone lowers the
    /// inner log loss is pinned (a weight moves only where moving it helps out of sample). Fewer
    /// than two groups: width 0, the argued weights.
    /// </summary>
    public (double Width, IReadOnlyList<int> Pinned) Choose(IReadOnlyList<int> rows)
    {
        var groups = rows.Select(i => GroupOf[i]).Distinct().OrderBy(g => GroupNames[g], StringComparer.Ordinal).ToList();
        var k = Math.Min(Options.InnerFolds, groups.Count);
        if (k < 2)
        {
            return (0, []);
        }

        var foldOf = groups.Select((g, position) => (g, position % k)).ToDictionary(p => p.g, p => p.Item2);
        double Loss(double scale, IReadOnlyCollection<int> pinned)
        {
            var loss = 0.0;
            for (var f = 0; f < k; f++)
            {
                var theta = FitOn([.. rows.Where(i => foldOf[GroupOf[i]] != f)], scale, pinned);
                foreach (var i in rows.Where(i => foldOf[GroupOf[i]] == f))
                {
                    var p = Math.Clamp(Predict(theta, i), Metrics.Epsilon, 1 - Metrics.Epsilon);
                    loss -= Y[i] ? Math.Log(p) : Math.Log(1 - p);
                }
            }

            return loss;
        }

        var best = (Scale: 0.0, Loss: double.PositiveInfinity);
        foreach (var scale in Options.WidthScales)
        {
            var loss = Loss(scale, []);
            if (loss < best.Loss - 1e-9)
            {
                best = (scale, loss);
            }
        }

        var firing = Enumerable.Range(0, Rules.Count).Select(j => rows.Count(i => X[i][j] != 0)).ToArray();
        var pinnedRules = Movable(firing, best.Scale).Where(j => Loss(best.Scale, [j]) < best.Loss - 1e-9).Order().ToList();
        return (best.Scale, pinnedRules);
    }

    private IEnumerable<int> Movable(int[] firing, double scale) =>
        Enumerable.Range(0, Rules.Count).Where(j => scale > 0 && firing[j] >= Options.MinCasesToMove && !Options.Keep.Contains(Rules[j].Id));
}
