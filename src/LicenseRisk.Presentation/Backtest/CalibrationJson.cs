using System.Text.Json;
using LicenseRisk.Backtesting;
using LicenseRisk.Model;
using LicenseRisk.Presentation.Score;

namespace LicenseRisk.Presentation.Backtest;

/// <summary><c>licenserisk.calibrate/1</c> JSON (cli.md): the nested cross-validation, every fold and case, and the fit on all cases.</summary>
public static class CalibrationJson
{
    public const string Schema = "licenserisk.calibrate/1";

    public static void Write(Stream stream, BacktestReport report, NestedCrossValidation cv, CalibrationResult fit)
    {
        using var w = new Utf8JsonWriter(stream, JsonOutput.Options);
        w.WriteStartObject();
        w.WriteString("schema", Schema);
        JsonOutput.WritePack(w, report.Pack, report.PackSha256);
        if (report.PolicySha256 is { } policy)
        {
            w.WriteString("policy_sha256", policy);
        }

        w.WriteNumber("prior", cv.Prior);
        w.WriteNumber("cases", report.Cases);
        w.WriteNumber("positives", report.Positives);
        w.WriteStartObject("options");
        w.WriteStartArray("width_scales");
        foreach (var s in cv.Options.WidthScales)
        {
            w.WriteNumberValue(s);
        }

        w.WriteEndArray();
        w.WriteString("time_split", IsoDate.Format(cv.Options.TimeSplit));
        w.WriteNumber("intercept_sd", cv.Options.InterceptSd);
        w.WriteNumber("inner_folds", cv.Options.InnerFolds);
        w.WriteNumber("min_cases_to_move", cv.Options.MinCasesToMove);
        w.WriteStartArray("keep");
        foreach (var rule in cv.Options.Keep)
        {
            w.WriteStringValue(rule);
        }

        w.WriteEndArray();
        Bootstrap(w, cv);
        w.WriteEndObject();
        w.WriteStartArray("groups");
        foreach (var g in cv.Groups.Order(StringComparer.Ordinal))
        {
            w.WriteStringValue(g);
        }

        w.WriteEndArray();
        Scheme(w, "leave_one_company_out", cv.ByCompany);
        Scheme(w, "time_split", cv.ByTime);
        w.WriteStartArray("strata");
        foreach (var by in cv.Strata)
        {
            w.WriteStartObject();
            w.WriteString("by", by.By);
            w.WriteString("scheme", "leave_one_company_out");
            w.WriteString("model", "pack");
            w.WriteStartArray("strata");
            foreach (var x in by.Strata)
            {
                w.WriteStartObject();
                w.WriteString("name", x.Name);
                w.WriteNumber("cases", x.Cases);
                w.WriteNumber("positives", x.Flips);
                Number(w, "brier", x.Brier);
                Number(w, "base_rate_brier", x.BaseRateBrier);
                Number(w, "brier_skill_vs_base_rate", x.Skill);
                Number(w, "auc", x.Auc);
                Number(w, "mean_forecast_flipped", x.MeanFlipped);
                Number(w, "mean_forecast_no_flip", x.MeanNotFlipped);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartObject("fit");
        w.WriteNumber("width_scale", fit.WidthScale);
        Number(w, "prior", fit.Prior);
        w.WriteStartArray("kept_as_argued");
        foreach (var rule in fit.Pinned)
        {
            w.WriteStringValue(rule);
        }

        w.WriteEndArray();
        w.WriteStartArray("weights");
        foreach (var (rule, pack, fitted, cases) in fit.Weights.OrderBy(x => x.Rule, StringComparer.Ordinal))
        {
            w.WriteStartObject();
            w.WriteString("rule", rule);
            Number(w, "pack", pack);
            Number(w, "fitted", fitted);
            w.WriteNumber("cases_firing", cases);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
        w.Flush();
        stream.Write("\n"u8);
    }

    private static void Scheme(Utf8JsonWriter w, string name, CvScheme s)
    {
        w.WriteStartObject(name);
        Number(w, "base_rate", s.BaseRate);
        Figures(w, "pack", s.Pack);
        Figures(w, "fitted_at_prior", s.FittedAtPrior);
        Figures(w, "argued", s.Argued);
        Figures(w, "fitted", s.Fitted);
        w.WriteStartObject("spread");
        Spread(w, "fitted_brier", s.FittedBrier);
        Spread(w, "gain_over_argued", s.Gain);
        w.WriteEndObject();
        w.WriteStartArray("folds");
        foreach (var f in s.Folds)
        {
            w.WriteStartObject();
            w.WriteString("name", f.Name);
            w.WriteNumber("train_cases", f.TrainCases);
            w.WriteNumber("train_positives", f.TrainPositives);
            w.WriteNumber("test_cases", f.TestCases);
            w.WriteNumber("test_positives", f.TestPositives);
            w.WriteString("train_newest", f.TrainNewest is { } d ? IsoDate.Format(d) : null);
            w.WriteString("test_oldest", IsoDate.Format(f.TestOldest));
            w.WriteNumber("width_scale", f.WidthScale);
            Number(w, "fitted_intercept", f.FittedPrior);
            Number(w, "base_rate_brier", f.BaseRateBrier);
            Number(w, "pack_brier", f.PackBrier);
            Number(w, "fitted_at_prior_brier", f.FittedAtPriorBrier);
            Number(w, "argued_brier", f.ArguedBrier);
            Number(w, "fitted_brier", f.FittedBrier);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("cases");
        foreach (var c in s.Cases.OrderBy(c => c.Case.Score.Id, StringComparer.Ordinal).ThenBy(c => c.Case.Score.AsOf))
        {
            w.WriteStartObject();
            w.WriteString("file", c.Case.Score.Dossier.File);
            w.WriteString("id", c.Case.Score.Id);
            w.WriteString("as_of", IsoDate.Format(c.Case.Score.AsOf));
            w.WriteBoolean("went_api_only", c.Case.WentApiOnly);
            w.WriteString("fold", c.Fold);
            Number(w, "pack", c.Pack);
            Number(w, "fitted_at_prior", c.FittedAtPrior);
            Number(w, "argued", c.Argued);
            Number(w, "argued_intercept", c.ArguedPrior);
            Number(w, "fitted", c.Fitted);
            Number(w, "fitted_intercept", c.FittedPrior);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("weights");
        foreach (var x in s.Weights.OrderBy(x => x.Rule, StringComparer.Ordinal))
        {
            w.WriteStartObject();
            w.WriteString("rule", x.Rule);
            Number(w, "argued", x.Argued);
            w.WriteNumber("cases_firing", x.CasesFiring);
            Spread(w, "fitted", x.Fitted);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Figures(Utf8JsonWriter w, string name, CvFigures f)
    {
        w.WriteStartObject(name);
        w.WriteNumber("cases", f.Cases);
        w.WriteNumber("positives", f.Positives);
        Number(w, "brier", f.Brier);
        Number(w, "log_loss", f.LogLoss);
        Number(w, "base_rate_brier", f.BaseRateBrier);
        Number(w, "brier_skill_vs_base_rate", f.SkillVsBaseRate);
        Number(w, "prior_brier", f.PriorBrier);
        Number(w, "brier_skill_vs_prior", f.SkillVsPrior);
        Number(w, "auc", f.Auc);
        w.WriteStartObject("likelihood_ratio_check");
        Number(w, "mean_lr_no_flip", f.MeanLrNoFlip);
        Number(w, "mean_inverse_lr_flipped", f.MeanInverseLrFlipped);
        w.WriteEndObject();
        BacktestWriters.Decomposition(w, f.Decomposition);
        if (f.Intervals is { } i)
        {
            BacktestWriters.Intervals(w, i, "brier_skill_vs_base_rate");
        }

        w.WriteEndObject();
    }

    /// <summary>The cluster bootstrap's settings (ClusterBootstrap), in options; absent when no draw was made.</summary>
    private static void Bootstrap(Utf8JsonWriter w, NestedCrossValidation cv)
    {
        if (cv.ByCompany.Bootstrap is not { } b)
        {
            return;
        }

        w.WriteStartObject("bootstrap");
        BacktestWriters.BootstrapSettings(w, b);
        w.WriteStartObject("schemes");
        foreach (var (name, s) in new[] { ("leave_one_company_out", cv.ByCompany), ("time_split", cv.ByTime) })
        {
            w.WriteStartObject(name);
            w.WriteNumber("groups", s.Bootstrap?.Groups ?? 0);
            w.WriteNumber("cases", s.Bootstrap?.Cases ?? 0);
            w.WriteNumber("skipped_draws", s.Bootstrap?.Skipped ?? 0);
            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void Spread(Utf8JsonWriter w, string name, CvSpread s)
    {
        w.WriteStartObject(name);
        Number(w, "mean", s.Mean);
        Number(w, "sd", s.Sd);
        Number(w, "min", s.Min);
        Number(w, "max", s.Max);
        w.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter w, string name, double value) => BacktestWriters.Number(w, name, value);
}
