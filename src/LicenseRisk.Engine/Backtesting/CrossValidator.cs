using LicenseRisk.Application;
using LicenseRisk.Model;
using LicenseRisk.Rules;
using LicenseRisk.Scoring;

namespace LicenseRisk.Backtesting;

/// <summary>
/// Nested, grouped cross-validation of <c>calibrate</c>'s fit. Outer folds: leave one company out
/// (every case of a company, all its lines, is tested together and never trained on), and a time
/// split (fit on cases dated before the split day, test on the rest). In each outer fold the width
/// scale, and which weights may move at all, are chosen by grouped inner folds of the training
/// cases only, then the intercept and the weights are fitted on all of them, and the test cases are scored by the real scorer with the
/// fitted values as a policy. The same is done with the argued weights (only the intercept
/// fitted), so the two can be compared case by case.
/// </summary>
public static class CrossValidator
{
    public static NestedCrossValidation Run(CompiledPack pack, IReadOnlyList<CaseResult> cases, Policy? policy = null, CrossValidationOptions? options = null)
    {
        var problem = new FitProblem(pack, cases, policy, options ?? CrossValidationOptions.Default);
        var all = Enumerable.Range(0, cases.Count).ToList();
        var byCompany = Enumerable.Range(0, problem.GroupNames.Count)
            .OrderBy(g => problem.GroupNames[g], StringComparer.Ordinal)
            .Select(g => (problem.GroupNames[g], Train: all.Where(i => problem.GroupOf[i] != g).ToList(), Test: all.Where(i => problem.GroupOf[i] == g).ToList()))
            .ToList();
        var split = problem.Options.TimeSplit;
        var byTime = new List<(string, List<int>, List<int>)>
        {
            ($"before {IsoDate.Format(split)} | from {IsoDate.Format(split)}", all.Where(i => cases[i].Score.AsOf < split).ToList(), all.Where(i => cases[i].Score.AsOf >= split).ToList()),
        };
        var prior = policy?.Prior ?? pack.Model.Prior;
        var company = Scheme("leave one company out", pack, cases, policy, problem, byCompany, prior);
        return new NestedCrossValidation(
            problem.Options,
            prior,
            problem.GroupNames,
            company,
            Scheme("time split", pack, cases, policy, problem, byTime, prior))
        {
            Strata =
            [
                Strata.By("modality", company.Cases, c => Strata.ModalityOf(c.Case.Score.Dossier, c.Case.Score.AsOf)),
                .. company.Cases.Any(c => c.Case.Score.Dossier.Case?.VendorType is not null)
                    ? [Strata.By("vendor_type", company.Cases, c => c.Case.Score.Dossier.Case?.VendorType ?? Strata.Unknown)]
                    : Array.Empty<CvStrata>(),
            ],
        };
    }

    private static CvScheme Scheme(string name, CompiledPack pack, IReadOnlyList<CaseResult> cases, Policy? policy, FitProblem problem, List<(string Name, List<int> Train, List<int> Test)> folds, double prior)
    {
        folds = [.. folds.Where(f => f.Train.Count > 0 && f.Test.Count > 0)];
        var tested = folds.SelectMany(f => f.Test).ToList();
        var baseRate = tested.Count == 0 ? double.NaN : tested.Average(i => problem.Y[i] ? 1.0 : 0.0);
        var results = new List<CvCase>();
        var foldRows = new List<CvFold>();
        var thetas = new List<double[]>();
        foreach (var (foldName, train, test) in folds)
        {
            var (width, pinned) = problem.Choose(train);
            var argued = problem.FitOn(train, 0);
            var fitted = problem.FitOn(train, width, pinned);
            thetas.Add(fitted);
            var atPrior = Rescore(pack, cases, test, FoldPolicy(policy, problem, fitted, prior));
            var arguedScores = Rescore(pack, cases, test, FoldPolicy(policy, problem, argued, Scorer.Sigmoid(argued[0])));
            var fittedScores = Rescore(pack, cases, test, FoldPolicy(policy, problem, fitted, Scorer.Sigmoid(fitted[0])));
            var rows = test.Select((i, t) => new CvCase(
                cases[i], foldName, cases[i].Probability, atPrior[t].Probability, arguedScores[t].Probability, Scorer.Sigmoid(argued[0]), fittedScores[t].Probability, Scorer.Sigmoid(fitted[0]))).ToList();
            results.AddRange(rows);
            var y = rows.Select(r => r.Case.WentApiOnly).ToList();
            double Brier(Func<CvCase, double> f) => Metrics.Brier([.. rows.Select(f)], y);
            foldRows.Add(new CvFold(
                foldName,
                train.Count,
                train.Count(i => problem.Y[i]),
                test.Count,
                test.Count(i => problem.Y[i]),
                train.Max(i => cases[i].Score.AsOf),
                test.Min(i => cases[i].Score.AsOf),
                width,
                Scorer.Sigmoid(fitted[0]),
                Brier(_ => baseRate),
                Brier(r => r.Pack),
                Brier(r => r.FittedAtPrior),
                Brier(r => r.Argued),
                Brier(r => r.Fitted),
                train,
                test));
        }

        // The cluster bootstrap: the test cases' company groups resampled, the same draws for every model.
        var outcomes = results.Select(r => r.Case.WentApiOnly).ToList();
        var groupOfRow = tested.Select(i => problem.GroupOf[i]).ToList();
        var draws = problem.Options.BootstrapDraws;
        var (used, skipped) = draws > 0 ? ClusterBootstrap.Draws(groupOfRow, outcomes, draws, problem.Options.BootstrapSeed) : ([], 0);
        var bootstrap = draws > 0 ? new CvBootstrap(groupOfRow.Distinct().Count(), results.Count, draws, skipped, problem.Options.BootstrapSeed, ClusterBootstrap.Level) : null;
        CvFigures Model(Func<CvCase, double> forecast, Func<CvCase, double> priorOf) =>
            Figures(results, pack, baseRate, prior, forecast, priorOf, bootstrap is null ? null : used);

        var weights = problem.Rules.Select((r, j) => new CvWeight(
            r.Id,
            problem.Theta0[j + 1],
            problem.X.Count(row => row[j] != 0),
            CvSpread.Of([.. thetas.Select(t => t[j + 1])]))).ToList();
        return new CvScheme(
            name,
            foldRows,
            results,
            baseRate,
            Model(c => c.Pack, _ => prior),
            Model(c => c.FittedAtPrior, _ => prior),
            Model(c => c.Argued, c => c.ArguedPrior),
            Model(c => c.Fitted, c => c.FittedPrior),
            CvSpread.Of([.. foldRows.Select(f => f.FittedBrier)]),
            CvSpread.Of([.. foldRows.Select(f => f.ArguedBrier - f.FittedBrier)]),
            weights)
        {
            Bootstrap = bootstrap,
        };
    }

    /// <summary>
    /// Pooled figures of one model's out-of-sample forecasts (see <see cref="CvFigures"/>), with the
    /// percentile intervals of its skill against each draw's own flip rate, ROC AUC and LR check over
    /// the bootstrap <paramref name="draws"/> (indexes into <paramref name="rows"/>; the forecasts
    /// are the rows' own, not refitted) when there are draws.
    /// </summary>
    private static CvFigures Figures(List<CvCase> rows, CompiledPack pack, double baseRate, double reference, Func<CvCase, double> forecast, Func<CvCase, double> priorOf, IReadOnlyList<int[]>? draws)
    {
        if (rows.Count == 0)
        {
            // No tested case, so no draw: intervals of nothing (n/a), as the figures are.
            var none = new CvFigures(0, 0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, new BrierDecomposition(double.NaN, double.NaN, double.NaN));
            return draws is null ? none : none with { Intervals = ClusterBootstrap.Intervals(draws, [], [], null, [], []) };
        }

        var p = rows.Select(forecast).ToList();
        var y = rows.Select(r => r.Case.WentApiOnly).ToList();
        double Ratio(CvCase c) => (double)c.Case.Score.HorizonMonths / pack.Model.HorizonMonths;
        var brier = Metrics.Brier(p, y);
        var baseBrier = Metrics.Brier([.. rows.Select(_ => baseRate)], y);
        var priorBrier = Metrics.Brier([.. rows.Select(r => Scorer.ToHorizon(reference, Ratio(r)))], y);
        var evidence = rows.Select((r, i) => Scorer.Logit(p[i]) - Scorer.Logit(Scorer.ToHorizon(priorOf(r), Ratio(r)))).ToList();
        var lr = Metrics.LikelihoodRatioCheck(evidence, y);
        var figures = new CvFigures(
            rows.Count,
            y.Count(v => v),
            brier,
            Metrics.LogLoss(p, y),
            baseBrier,
            Metrics.SkillScore(brier, baseBrier),
            priorBrier,
            Metrics.SkillScore(brier, priorBrier),
            Metrics.Auc(evidence, y),
            lr.NoFlip,
            lr.Flipped,
            Metrics.Decompose(p, y));
        return draws is null ? figures : figures with { Intervals = ClusterBootstrap.Intervals(draws, y, p, null, evidence, evidence) };
    }

    private static IReadOnlyList<VendorScore> Rescore(CompiledPack pack, IReadOnlyList<CaseResult> cases, List<int> rows, Policy policy) =>
        BatchScorer.Score(pack, [.. rows.Select(i => new ScoreJob(cases[i].Score.Dossier, cases[i].Score.AsOf, cases[i].Score.HorizonMonths))], policy);

    /// <summary>The user's policy (disabled rules, waivers) with the fold's weights and the given prior.</summary>
    private static Policy FoldPolicy(Policy? user, FitProblem problem, double[] theta, double prior) =>
        new(
            user?.File ?? "(cross-validation)",
            "cross-validation",
            prior,
            user?.Disabled ?? [],
            problem.Rules.Select((r, j) => (r.Id, theta[j + 1])).ToDictionary(w => w.Id, w => w.Item2, StringComparer.Ordinal),
            null,
            new Dictionary<string, double>(StringComparer.Ordinal),
            user?.Waivers ?? [],
            user?.Sha256 ?? string.Empty);
}
