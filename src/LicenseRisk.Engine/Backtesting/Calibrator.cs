using LicenseRisk.Model;
using LicenseRisk.Rules;
using LicenseRisk.Rules.Lowering;
using LicenseRisk.Scoring;
using MathNet.Numerics.LinearAlgebra;

namespace LicenseRisk.Backtesting;

/// <summary>The fitted prior and weights, with what the fit changed, the width scale (× each rule's sd) the fit used, and the rules the inner folds pinned to their argued weights.</summary>
public sealed record CalibrationResult(
    double Prior,
    IReadOnlyList<(string Rule, double PackWeight, double Fitted, int CasesFiring)> Weights,
    double WidthScale,
    IReadOnlyList<string> Pinned);

/// <summary>
/// Regularized logistic regression (MAP): each weight has a Gaussian prior centred on the pack's
/// weight with the rule's sd (times a width scale chosen by grouped cross-validation) as its width,
/// the intercept a wide one centred on logit(prior), so a few cases move weights little. Solved by
/// Newton's method with Math.NET.
/// </summary>
public static class Calibrator
{
    public const double PriorSd = 1.0;

    /// <summary>
    /// Fits θ to features x (no intercept column: it is added) and outcomes y, with Gaussian priors
    /// N(θ0, sd²). θ0[0] and sd[0] belong to the intercept.
    /// </summary>
    public static (double[] Theta, int Iterations) Fit(IReadOnlyList<double[]> x, IReadOnlyList<bool> y, double[] theta0, double[] sd)
    {
        var n = x.Count;
        var k = theta0.Length;
        var X = Matrix<double>.Build.Dense(n, k, (i, j) => j == 0 ? 1 : x[i][j - 1]);
        var Y = Vector<double>.Build.Dense(n, i => y[i] ? 1 : 0);
        var prior = Vector<double>.Build.DenseOfArray(theta0);
        var precision = Vector<double>.Build.Dense(k, j => 1 / Math.Max(sd[j] * sd[j], 1e-12));
        var theta = prior.Clone();
        var iterations = 0;
        for (; iterations < 100; iterations++)
        {
            var eta = X * theta;
            var p = eta.Map(Scorer.Sigmoid);
            var gradient = (X.TransposeThisAndMultiply(Y - p)) - precision.PointwiseMultiply(theta - prior);
            var w = p.PointwiseMultiply(1 - p);
            var hessian = -(X.TransposeThisAndMultiply(X.PointwiseMultiply(Matrix<double>.Build.Dense(n, k, (i, _) => w[i])))) - Matrix<double>.Build.DiagonalOfDiagonalVector(precision);
            var step = hessian.Solve(gradient);
            theta -= step;
            if (step.AbsoluteMaximum() < 1e-10)
            {
                iterations++;
                break;
            }
        }

        return (theta.ToArray(), iterations);
    }

    /// <summary>The feature of each weighted rule per case: confidence × decay of its counted firing (0 if not counted).</summary>
    public static (List<double[]> X, List<bool> Y, List<CompiledRule> Rules) Features(CompiledPack pack, IReadOnlyList<CaseResult> cases)
    {
        var rules = pack.Rules.Where(r => r.Weight is not null).ToList();
        var x = cases.Select(c =>
        {
            var row = new double[rules.Count];
            foreach (var contribution in c.Score.Contributions)
            {
                var j = rules.FindIndex(r => r.Id == contribution.Rule);
                row[j] = contribution.Confidence * contribution.Decay;
            }

            return row;
        }).ToList();
        return (x, cases.Select(c => c.WentApiOnly).ToList(), rules);
    }

    /// <summary>
    /// Fits the intercept and the weights on every case, with the width scale and the pinned weights
    /// that grouped folds over all the cases choose (as each outer fold of <see cref="CrossValidator"/>
    /// chooses its own).
    /// </summary>
    public static CalibrationResult Calibrate(CompiledPack pack, IReadOnlyList<CaseResult> cases, Policy? policy = null, CrossValidationOptions? options = null)
    {
        var problem = new FitProblem(pack, cases, policy, options ?? CrossValidationOptions.Default);
        var all = Enumerable.Range(0, cases.Count).ToList();
        var (width, pinned) = problem.Choose(all);
        var theta = problem.FitOn(all, width, pinned);
        var weights = problem.Rules.Select((r, j) => (r.Id, problem.Theta0[j + 1], theta[j + 1], problem.X.Count(row => row[j] != 0))).ToList();
        return new CalibrationResult(Scorer.Sigmoid(theta[0]), weights, width, [.. pinned.Select(j => problem.Rules[j].Id)]);
    }

    internal static (double[] Theta0, double[] Sd) Priors(CompiledPack pack, List<CompiledRule> rules, Policy? policy)
    {
        var prior = policy?.Prior ?? pack.Model.Prior;
        double[] theta0 = [Scorer.Logit(prior), .. rules.Select(r => policy?.Weights.GetValueOrDefault(r.Id, r.ArguedWeight!.Value) ?? r.ArguedWeight!.Value)];
        double[] sd = [PriorSd, .. rules.Select(r => r.Sd)];
        return (theta0, sd);
    }
}
