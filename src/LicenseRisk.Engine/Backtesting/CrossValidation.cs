namespace LicenseRisk.Backtesting;

/// <summary>
/// The nested cross-validation's settings: the widths tried (each a multiple of every rule's
/// <c>sd</c>; 0 keeps the argued weights), the day that splits past from future, the width of the
/// intercept's prior (wide: the intercept absorbs the case set's own flip rate) and how many
/// grouped inner folds choose the width, in how many training cases a rule must fire before its
/// weight may move, and the rules whose weights are kept as argued whatever the cases say.
/// </summary>
public sealed record CrossValidationOptions(IReadOnlyList<double> WidthScales, DateOnly TimeSplit, double InterceptSd, int InnerFolds, int MinCasesToMove)
{
    public static CrossValidationOptions Default { get; } = new([0, 0.5, 1, 2], new DateOnly(2024, 1, 1), 2, 5, 10);

    public IReadOnlyList<string> Keep { get; init; } = [];

    /// <summary>The cluster bootstrap's draws per scheme (<see cref="ClusterBootstrap"/>); 0 computes no interval.</summary>
    public int BootstrapDraws { get; init; } = ClusterBootstrap.DefaultDraws;

    /// <summary>The cluster bootstrap's fixed seed.</summary>
    public ulong BootstrapSeed { get; init; } = ClusterBootstrap.DefaultSeed;
}

/// <summary>
/// One case's out-of-sample forecasts: the pack as written; the weights the training fold fitted,
/// at the pack's prior (what shipping them would give); the argued weights with the intercept
/// fitted on the training fold; and the fitted weights with it. The last two carry that intercept.
/// </summary>
public sealed record CvCase(CaseResult Case, string Fold, double Pack, double FittedAtPrior, double Argued, double ArguedPrior, double Fitted, double FittedPrior);

/// <summary>One outer fold: what it trained and tested on (indexes into the cases), the width its inner folds chose, and the test cases' Brier scores.</summary>
public sealed record CvFold(
    string Name,
    int TrainCases,
    int TrainPositives,
    int TestCases,
    int TestPositives,
    DateOnly? TrainNewest,
    DateOnly TestOldest,
    double WidthScale,
    double FittedPrior,
    double BaseRateBrier,
    double PackBrier,
    double FittedAtPriorBrier,
    double ArguedBrier,
    double FittedBrier,
    IReadOnlyList<int> TrainRows,
    IReadOnlyList<int> TestRows);

/// <summary>
/// Figures over the pooled out-of-sample forecasts of one model. The base rate is the tested
/// cases' own flip rate (the best constant forecast in hindsight: a strict reference). ROC AUC and
/// the likelihood-ratio check are computed on the evidence (each forecast's log odds against its
/// own prior's), which is how the pack ranks vendors: the prior is the same for every vendor.
/// The decomposition splits the Brier score into what calibration costs and what the ranking earns.
/// </summary>
public sealed record CvFigures(
    int Cases,
    int Positives,
    double Brier,
    double LogLoss,
    double BaseRateBrier,
    double SkillVsBaseRate,
    double PriorBrier,
    double SkillVsPrior,
    double Auc,
    double MeanLrNoFlip,
    double MeanInverseLrFlipped,
    BrierDecomposition Decomposition)
{
    /// <summary>The cluster bootstrap's intervals of the skill, ROC AUC and LR check; null when no draw was made.</summary>
    public CvIntervals? Intervals { get; init; }
}

/// <summary>Mean, standard deviation, least and greatest of a per-fold figure.</summary>
public sealed record CvSpread(double Mean, double Sd, double Min, double Max)
{
    public static CvSpread Of(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return new CvSpread(double.NaN, double.NaN, double.NaN, double.NaN);
        }

        var mean = values.Average();
        var sd = values.Count < 2 ? 0 : Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
        return new CvSpread(mean, sd, values.Min(), values.Max());
    }
}

/// <summary>A weight across the outer folds: its argued value and the range of the values the folds fitted.</summary>
public sealed record CvWeight(string Rule, double Argued, int CasesFiring, CvSpread Fitted);

/// <summary>One way of splitting the cases (by company, or by time), with every fold and the pooled figures.</summary>
public sealed record CvScheme(
    string Name,
    IReadOnlyList<CvFold> Folds,
    IReadOnlyList<CvCase> Cases,
    double BaseRate,
    CvFigures Pack,
    CvFigures FittedAtPrior,
    CvFigures Argued,
    CvFigures Fitted,
    CvSpread FittedBrier,
    CvSpread Gain,
    IReadOnlyList<CvWeight> Weights)
{
    /// <summary>How the figures' intervals were drawn; null when no draw was made.</summary>
    public CvBootstrap? Bootstrap { get; init; }
}

/// <summary>Both schemes, the prior the skill is also measured against, and the company groups.</summary>
public sealed record NestedCrossValidation(CrossValidationOptions Options, double Prior, IReadOnlyList<string> Groups, CvScheme ByCompany, CvScheme ByTime)
{
    /// <summary>The pack's leave-one-company-out forecasts split by each case's modality (<see cref="Backtesting.Strata.ModalityOf"/>), then, when any case records one, by its <c>case.vendor_type</c> ("unknown" where a case does not).</summary>
    public IReadOnlyList<CvStrata> Strata { get; init; } = [];
}
