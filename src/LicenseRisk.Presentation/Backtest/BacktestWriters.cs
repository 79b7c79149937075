using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using LicenseRisk.Backtesting;
using LicenseRisk.Model;
using LicenseRisk.Presentation.Score;

namespace LicenseRisk.Presentation.Backtest;

/// <summary>Backtest output: <c>licenserisk.backtest/1</c> JSON (cli.md), a table and Markdown.</summary>
public static class BacktestWriters
{
    public const string Schema = "licenserisk.backtest/1";

    public static void WriteJson(Stream stream, BacktestReport r)
    {
        using var w = new Utf8JsonWriter(stream, JsonOutput.Options);
        w.WriteStartObject();
        w.WriteString("schema", Schema);
        JsonOutput.WritePack(w, r.Pack, r.PackSha256);
        if (r.PolicySha256 is { } policy)
        {
            w.WriteString("policy_sha256", policy);
        }

        w.WriteNumber("prior", r.Prior);
        w.WriteNumber("cases", r.Cases);
        w.WriteNumber("positives", r.Positives);
        Number(w, "brier", r.Brier);
        Number(w, "log_loss", r.LogLoss);
        Number(w, "base_rate_brier", r.BaseRateBrier);
        Number(w, "brier_skill_score", r.BrierSkillScore);
        Number(w, "auc", r.Auc);
        w.WriteStartObject("likelihood_ratio_check");
        Number(w, "mean_lr_no_flip", r.MeanLrNoFlip);
        Number(w, "mean_inverse_lr_flipped", r.MeanInverseLrFlipped);
        w.WriteEndObject();
        Decomposition(w, r.Decomposition);
        if (r.Intervals is { } intervals && r.Bootstrap is { } drawn)
        {
            Intervals(w, intervals, "brier_skill_score");
            w.WriteStartObject("bootstrap");
            BootstrapSettings(w, drawn);
            w.WriteNumber("groups", drawn.Groups);
            w.WriteNumber("cases", drawn.Cases);
            w.WriteNumber("skipped_draws", drawn.Skipped);
            w.WriteEndObject();
        }

        w.WriteStartArray("reliability");
        foreach (var b in r.Reliability)
        {
            w.WriteStartObject();
            w.WriteString("bin", b.Bin);
            w.WriteNumber("cases", b.Cases);
            Number(w, "mean_predicted", b.MeanPredicted);
            Number(w, "observed", b.Observed);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("results");
        foreach (var c in r.Results)
        {
            w.WriteStartObject();
            w.WriteString("file", c.Score.Dossier.File);
            w.WriteString("id", c.Score.Id);
            w.WriteString("as_of", IsoDate.Format(c.Score.AsOf));
            w.WriteNumber("horizon_months", c.Score.HorizonMonths);
            Number(w, "probability", c.Probability);
            w.WriteBoolean("went_api_only", c.WentApiOnly);
            Number(w, "error", c.Error);
            w.WriteBoolean("thin_evidence", c.Score.Coverage.ThinEvidence);
            w.WriteStartArray("top_reasons");
            foreach (var contribution in c.Score.Contributions.Take(3))
            {
                w.WriteStringValue(contribution.Rule);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.Flush();
        stream.Write("\n"u8);
    }

    /// <summary>The Brier score's CORP decomposition (<see cref="BrierDecomposition"/>), as an object.</summary>
    internal static void Decomposition(Utf8JsonWriter w, BrierDecomposition d)
    {
        w.WriteStartObject("brier_decomposition");
        Number(w, "miscalibration", d.Miscalibration);
        Number(w, "discrimination", d.Discrimination);
        Number(w, "uncertainty", d.Uncertainty);
        Number(w, "discrimination_skill", d.DiscriminationSkill);
        w.WriteEndObject();
    }

    /// <summary>The cluster bootstrap's intervals as an object: the level, then [low, high] of each figure (null bounds when every draw was skipped).</summary>
    internal static void Intervals(Utf8JsonWriter w, CvIntervals i, string skillName)
    {
        w.WriteStartObject("intervals");
        w.WriteNumber("level", i.Level);
        Interval(w, skillName, i.Skill);
        Interval(w, "auc", i.Auc);
        Interval(w, "mean_lr_no_flip", i.MeanLrNoFlip);
        Interval(w, "mean_inverse_lr_flipped", i.MeanInverseLrFlipped);
        w.WriteEndObject();
    }

    /// <summary>How the cluster bootstrap draws (<see cref="ClusterBootstrap"/>): the settings backtest and calibrate share.</summary>
    internal static void BootstrapSettings(Utf8JsonWriter w, CvBootstrap b)
    {
        w.WriteString("method", "cluster");
        w.WriteString("resampled", "company_groups");
        w.WriteString("forecasts", "fixed");
        w.WriteNumber("draws", b.Draws);
        w.WriteNumber("seed", b.Seed);
        w.WriteString("generator", "splitmix64");
        w.WriteNumber("level", b.Level);
        w.WriteString("percentile", "nearest_rank");
    }

    private static void Interval(Utf8JsonWriter w, string name, CvInterval i)
    {
        w.WriteStartArray(name);
        foreach (var x in new[] { i.Low, i.High })
        {
            if (double.IsFinite(x))
            {
                w.WriteNumberValue(JsonScoreWriter.Round(x));
            }
            else
            {
                w.WriteNullValue();
            }
        }

        w.WriteEndArray();
    }

    /// <summary>What the cluster bootstrap resampled, how often, and how many draws it skipped, without a line end.</summary>
    internal static string Drawn(CvBootstrap b, string cases)
    {
        var skipped = b.Skipped == 0 ? "none skipped" : $"{b.Skipped.ToString("N0", CultureInfo.InvariantCulture)} skipped: no flip or no non-flip";
        return string.Create(CultureInfo.InvariantCulture, $"{b.Level * 100:0}% intervals: the {b.Groups} company groups of the {b.Cases} {cases} resampled {b.Draws.ToString("N0", CultureInfo.InvariantCulture)} times ({skipped})");
    }

    /// <summary>An interval as "low to high" with three decimals, or "n/a" when a bound is not finite.</summary>
    internal static string Range(CvInterval i) =>
        double.IsFinite(i.Low) && double.IsFinite(i.High)
            ? string.Create(CultureInfo.InvariantCulture, $"{i.Low:0.000} to {i.High:0.000}")
            : "n/a";

    /// <summary>A rounded number, or null when it is not finite (a figure with no cases behind it).</summary>
    internal static void Number(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value))
        {
            w.WriteNumber(name, JsonScoreWriter.Round(value));
        }
        else
        {
            w.WriteNull(name);
        }
    }

    public static string Table(BacktestReport r, bool markdown)
    {
        var sb = new StringBuilder();
        string F(double x) => double.IsFinite(x) ? x.ToString("0.000", CultureInfo.InvariantCulture) : "n/a";
        if (markdown)
        {
            sb.Append("# Backtest\n\n");
        }

        sb.Append(CultureInfo.InvariantCulture, $"Pack {r.Pack.Name} {r.Pack.Version} ({r.PackSha256[..12]}), prior {r.Prior.ToString("0.###", CultureInfo.InvariantCulture)}: {r.Cases} cases, {r.Positives} went API-only\n\n");

        // With intervals, each of the four figures carries its own: in the note (table) or a third column (Markdown).
        var level = r.Intervals is { } iv ? string.Create(CultureInfo.InvariantCulture, $"{iv.Level * 100:0}% interval") : null;
        if (markdown)
        {
            sb.Append(level is null ? "| metric | value |\n| --- | ---: |\n" : $"| metric | value | {level} |\n| --- | ---: | ---: |\n");
        }

        void Metric(string name, double value, string note, CvInterval? interval = null)
        {
            var range = interval is null ? string.Empty : Range(interval);
            sb.Append(markdown
                ? level is null ? $"| {name} | {F(value)} |\n" : $"| {name} | {F(value)} | {range} |\n"
                : interval is null ? $"{name,-20} {F(value),7}   {note}\n" : $"{name,-20} {F(value),7}   {note[..^1]}; {level} {range})\n");
        }

        Metric("Brier score", r.Brier, "(lower is better)");
        Metric("log loss", r.LogLoss, "(lower is better)");
        Metric("base-rate Brier", r.BaseRateBrier, "(always forecasting the prior)");
        Metric("Brier skill score", r.BrierSkillScore, "(1 - Brier / base-rate Brier; above 0 beats the base rate)", r.Intervals?.Skill);
        Metric("ROC AUC", r.Auc, "(0.5 is chance; ties count half)", r.Intervals?.Auc);
        Metric("mean LR, no flip", r.MeanLrNoFlip, "(1 if the weights are true likelihood ratios; needs no base rate)", r.Intervals?.MeanLrNoFlip);
        Metric("mean 1/LR, flipped", r.MeanInverseLrFlipped, "(1 likewise; both below 1: weights too weak, both above: too strong)", r.Intervals?.MeanInverseLrFlipped);
        Metric("miscalibration", r.Decomposition.Miscalibration, "(Brier = miscalibration - discrimination + uncertainty; 0 if calibrated)");
        Metric("discrimination", r.Decomposition.Discrimination, "(what the ranking earns once recalibrated; higher is better)");
        Metric("uncertainty", r.Decomposition.Uncertainty, "(the Brier score of the cases' own flip rate)");
        Metric("ranking's ceiling", r.Decomposition.DiscriminationSkill, "(discrimination / uncertainty: the skill against the flip rate a perfect recalibration would reach)");
        sb.Append('\n');
        if (r.Bootstrap is { } drawn)
        {
            sb.Append(Drawn(drawn, "cases")).Append(";\n");
            sb.Append(CultureInfo.InvariantCulture, $"each draw's skill is against the prior, as the figure's is; nearest-rank percentiles, seed {drawn.Seed}\n");
        }
        else
        {
            var why = r.Positives == 0 || r.Positives == r.Cases ? "every case has the same outcome" : "the cases come from one company group";
            sb.Append(CultureInfo.InvariantCulture, $"no {ClusterBootstrap.LevelPercent}% interval: {why}\n");
        }
        sb.Append(markdown ? "\n## Reliability\n\n| forecast bin | cases | mean forecast | observed |\n| --- | ---: | ---: | ---: |\n" : "\nRELIABILITY  CASES  MEAN FORECAST  OBSERVED\n");
        foreach (var b in r.Reliability)
        {
            sb.Append(markdown
                ? $"| {b.Bin} | {b.Cases} | {(b.Cases == 0 ? "" : F(b.MeanPredicted))} | {(b.Cases == 0 ? "" : F(b.Observed))} |\n"
                : $"{b.Bin,-11}  {b.Cases,5}  {(b.Cases == 0 ? "" : F(b.MeanPredicted)),13}  {(b.Cases == 0 ? "" : F(b.Observed)),8}\n");
        }

        sb.Append(markdown ? "\n## Cases, largest error first\n\n| case | as of | forecast | went API-only | error | top reasons |\n| --- | --- | ---: | --- | ---: | --- |\n" : "\nCASE (largest error first)      AS OF       FORECAST  OUTCOME  ERROR  TOP REASONS\n");
        foreach (var c in r.Results)
        {
            var reasons = string.Join(", ", c.Score.Contributions.Take(3).Select(x => x.Rule));
            var thin = c.Score.Coverage.ThinEvidence ? "*" : string.Empty;
            sb.Append(markdown
                ? $"| {MarkdownScoreWriter.Escape(c.Score.Id)}{thin} | {IsoDate.Format(c.Score.AsOf)} | {F(c.Probability)} | {(c.WentApiOnly ? "yes" : "no")} | {F(c.Error)} | {MarkdownScoreWriter.Escape(reasons)} |\n"
                : $"{TableScoreWriter.Clean(c.Score.Id + thin),-30}  {IsoDate.Format(c.Score.AsOf)}  {F(c.Probability),8}  {(c.WentApiOnly ? "yes" : "no"),-7}  {F(c.Error),5}  {TableScoreWriter.Clean(reasons)}\n");
        }

        if (r.Results.Any(c => c.Score.Coverage.ThinEvidence))
        {
            sb.Append("\n* thin evidence: few or old signals, so the forecast leans on the prior.\n");
        }

        return sb.ToString();
    }
}
