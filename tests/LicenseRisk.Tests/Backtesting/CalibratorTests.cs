using LicenseRisk.Backtesting;
using LicenseRisk.Scoring;

namespace LicenseRisk.Tests.Backtesting;

public sealed class CalibratorTests
{
    [Fact]
    public void Fit_RecoversKnownWeights_FromSyntheticCases()
    {
        // Outcomes drawn from a known logistic model; a weak prior lets the data speak.
        double[] truth = [-1.5, 1.2, -0.8, 0.5];
        var random = new Random(42);
        var x = new List<double[]>();
        var y = new List<bool>();
        for (var i = 0; i < 4000; i++)
        {
            var row = new[] { random.NextDouble(), random.NextDouble(), (double)random.Next(2) };
            var eta = truth[0] + (row[0] * truth[1]) + (row[1] * truth[2]) + (row[2] * truth[3]);
            x.Add(row);
            y.Add(random.NextDouble() < Scorer.Sigmoid(eta));
        }

        var (theta, iterations) = Calibrator.Fit(x, y, [0, 0, 0, 0], [10, 10, 10, 10]);
        iterations.ShouldBeLessThan(20);
        for (var j = 0; j < truth.Length; j++)
        {
            theta[j].ShouldBe(truth[j], 0.25, $"coefficient {j}");
        }
    }

    [Fact]
    public void Fit_WithFewCases_StaysNearThePrior()
    {
        // Two cases cannot move a weight whose sd is 0.1 far from the pack's value.
        var (theta, _) = Calibrator.Fit([[1.0], [1.0]], [true, true], [0, 0.5], [1, 0.1]);
        theta[1].ShouldBe(0.5, 0.05);
    }

    [Fact]
    public void Fit_AFeatureThatNeverFires_KeepsItsPriorWeight()
    {
        var (theta, _) = Calibrator.Fit([[0.0], [0.0], [0.0]], [true, false, false], [0, 0.7], [1, 0.3]);
        theta[1].ShouldBe(0.7, 1e-9);
    }
}
