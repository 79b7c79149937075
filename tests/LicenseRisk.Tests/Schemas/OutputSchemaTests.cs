using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using LicenseRisk.Tests.Cli;
using LicenseRisk.Tests.Hosting;

namespace LicenseRisk.Tests.Schemas;

/// <summary>
/// The JSON outputs of the real program (score, backtest, calibrate, report.json) match the schemas that
/// docs/cli.md publishes in schemas/, and those schemas are closed: a renamed field fails them.
/// </summary>
public sealed class OutputSchemaTests
{
    private static readonly Lazy<SchemaRegistry> Registry = new(Load);

    // Each output is produced once by the real program and cloned for each test.
    private static readonly Lazy<JsonNode> ScorePlain = new(() => Score("2026-03-05", expectedExit: 0));

    // The policy's thresholds trip the gate for meta and qwen: exit 1, the JSON is written all the same.
    private static readonly Lazy<JsonNode> ScoreWithPolicy = new(() => Score("2026-11-29", expectedExit: 1, "--policy", "samples/policies/acme.yaml"));

    private static readonly Lazy<JsonNode> Backtest = new(() =>
    {
        var result = CliProcess.Run("backtest", "samples/cases", "samples/holdout", "--format", "json", "-q");
        result.ExitCode.ShouldBe(0, result.Stderr);
        return JsonNode.Parse(result.Stdout)!;
    });

    private static readonly Lazy<JsonNode> Calibrate = new(() =>
    {
        using var dir = new TempDir();
        var result = CliProcess.Run("calibrate", "samples/cases", "samples/holdout", "--output", dir["overlay.yaml"], "--format", "json", "-q");
        result.ExitCode.ShouldBe(0, result.Stderr);
        return JsonNode.Parse(result.Stdout)!;
    });

    private static readonly Lazy<(JsonNode FirstWeek, JsonNode SecondWeek)> Reports = new(() =>
    {
        using var dir = new TempDir();
        var first = CliProcess.Run("report", "--vendors", "samples/vendors", "--out", dir.Path, "--as-of", "2026-03-02", "-q");
        first.ExitCode.ShouldBe(0, first.Stderr);
        var firstWeek = JsonNode.Parse(dir.Read("report.json"))!;
        var second = CliProcess.Run("report", "--vendors", "samples/vendors", "--out", dir.Path, "--as-of", "2026-03-09", "--policy", "samples/policies/acme.yaml", "-q");
        second.ExitCode.ShouldBe(0, second.Stderr);
        return (firstWeek, JsonNode.Parse(dir.Read("report.json"))!);
    });

    [Fact]
    public void ScoreJson_OfTheSamples_MatchesTheScoreSchema() =>
        Errors("score", ScorePlain.Value).ShouldBeEmpty();

    [Fact]
    public void WhatIfJson_OfAnEditAndASweep_MatchesTheWhatIfSchema()
    {
        foreach (var args in new[]
        {
            new[] { "--remove", "lin-departure", "--add", "{kind: statement, date: 2026-03-05, stance: pro_open}" },
            ["--sweep", "19.date=2025-01-01,2026-02-01", "--policy", "samples/policies/acme.yaml"],
        })
        {
            var result = CliProcess.Run(["whatif", "samples/vendors/qwen.yaml", "--as-of", "2026-03-05", "--format", "json", .. args]);
            result.ExitCode.ShouldBe(0, result.Stderr);
            var json = JsonNode.Parse(result.Stdout)!;
            Errors("whatif", json).ShouldBeEmpty();
            Rename(json, "variants.1.changed_contributions", "changes");
            Errors("whatif", json).ShouldNotBeEmpty("the schema is closed: variants.1.changed_contributions renamed");
        }
    }

    [Fact]
    public void ScoreJson_WithAPolicy_MatchesTheScoreSchema() =>
        Errors("score", ScoreWithPolicy.Value).ShouldBeEmpty();

    [Fact]
    public void ScoreJson_OfTheSamples_ExercisesTheOptionalParts()
    {
        ScorePlain.Value["policy"].ShouldBeNull();
        ScoreWithPolicy.Value["policy"]!["sha256"].ShouldNotBeNull();
        var vendors = ScorePlain.Value["vendors"]!.AsArray().Concat(ScoreWithPolicy.Value["vendors"]!.AsArray()).ToList();
        vendors.ShouldContain(v => v!["ignored_signals"]!.AsArray().Count > 0, "an ignored signal");
        vendors.ShouldContain(v => v!["outweighed"]!.AsArray().Count > 0, "an outweighed rule");
        vendors.ShouldContain(v => v!["waived"]!.AsArray().Count > 0, "a waived rule");
        vendors.ShouldContain(v => v!["derived_signals"]!.AsArray().Count > 0, "a derived signal");
        vendors.ShouldContain(v => v!["coverage"]!["thin_reason"] != null, "thin evidence");
    }

    [Fact]
    public void BacktestJson_OfTheCases_MatchesTheBacktestSchema() =>
        Errors("backtest", Backtest.Value).ShouldBeEmpty();

    [Fact]
    public void BacktestJson_OfOneOutcome_HasNoIntervals_AndMatchesTheBacktestSchema()
    {
        // In process (Program.Main's code; the native binary when CI names one): no program start for one small run.
        var result = CliProcess.InProcess("backtest", Repo.Path("samples/cases/meta-2023-07-31.yaml"), "--format", "json", "-q");
        result.ExitCode.ShouldBe(0, result.Stderr);
        var json = JsonNode.Parse(result.Stdout)!;
        json["intervals"].ShouldBeNull();
        json["bootstrap"].ShouldBeNull();
        Errors("backtest", json).ShouldBeEmpty();
    }

    [Fact]
    public void CalibrateJson_OfTheCases_MatchesTheCalibrateSchema() =>
        Errors("calibrate", Calibrate.Value).ShouldBeEmpty();

    [Fact]
    public void ReportJson_OfTwoWeeks_MatchesTheReportSchema()
    {
        var (firstWeek, secondWeek) = Reports.Value;
        firstWeek["previous_run"].ShouldBeNull();
        Errors("report", firstWeek).ShouldBeEmpty("first week: no previous run");

        secondWeek["previous_run"].ShouldNotBeNull();
        secondWeek["policy"]!["sha256"].ShouldNotBeNull();
        secondWeek["vendors"]![0]!["trend"]!.AsArray().Count.ShouldBe(2);
        Errors("report", secondWeek).ShouldBeEmpty("second week: a previous run, changes and trends");
    }

    [Theory]
    [InlineData("score", "vendors.0.probability", "probabilty")]
    [InlineData("score", "vendors.0.contributions.0.because", "reason")]
    [InlineData("score", "vendors.0.coverage.thin_evidence", "thin")]
    [InlineData("score", "pack.sha256", "hash")]
    [InlineData("backtest", "results.0.went_api_only", "outcome")]
    [InlineData("backtest", "likelihood_ratio_check.mean_lr_no_flip", "mean_lr")]
    [InlineData("backtest", "intervals.brier_skill_score", "brier_skill_vs_base_rate")]
    [InlineData("backtest", "bootstrap.skipped_draws", "skipped")]
    [InlineData("calibrate", "leave_one_company_out.fitted.auc", "roc_auc")]
    [InlineData("calibrate", "time_split.folds.0.train_newest", "newest")]
    [InlineData("calibrate", "leave_one_company_out.pack.intervals.auc", "roc_auc")]
    [InlineData("calibrate", "time_split.fitted.intervals", "interval")]
    [InlineData("calibrate", "options.bootstrap.schemes.time_split.skipped_draws", "skipped")]
    [InlineData("report", "vendors.0.trend.0.iso_week", "week")]
    [InlineData("report", "vendors.0.change.delta", "difference")]
    [InlineData("report", "vendors.0.contributions.0.decay", "decay_factor")]
    public void ARenamedField_FailsTheSchema(string schema, string path, string newName)
    {
        var json = (schema switch
        {
            "score" => ScorePlain.Value,
            "backtest" => Backtest.Value,
            "calibrate" => Calibrate.Value,
            _ => Reports.Value.SecondWeek,
        }).DeepClone();
        Errors(schema, json).ShouldBeEmpty("before the rename");

        Rename(json, path, newName);

        Errors(schema, json).ShouldNotBeEmpty($"{path} renamed to {newName}");
    }

    private static JsonNode Score(string asOf, int expectedExit, params string[] more)
    {
        var result = CliProcess.Run(["score", "samples/vendors", "--as-of", asOf, "--format", "json", "-q", .. more]);
        result.ExitCode.ShouldBe(expectedExit, result.Stderr);
        return JsonNode.Parse(result.Stdout)!;
    }

    /// <summary>Renames the property at a dotted path (array indexes as numbers), keeping its value.</summary>
    private static void Rename(JsonNode root, string path, string newName)
    {
        var steps = path.Split('.');
        var node = root;
        foreach (var step in steps[..^1])
        {
            node = int.TryParse(step, out var i) ? node[i]! : node[step]!;
        }

        var obj = node.AsObject();
        var value = obj[steps[^1]].ShouldNotBeNull(path);
        obj.Remove(steps[^1]);
        obj[newName] = value.DeepClone();
    }

    internal static List<string> Errors(string name, JsonNode? instance)
    {
        var schema = (JsonSchema)Registry.Value.Get(Uri(name))!;
        using var doc = JsonDocument.Parse(instance?.ToJsonString() ?? "null");
        var result = schema.Evaluate(doc.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return result.IsValid
            ? []
            : [.. (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}")).DefaultIfEmpty("invalid")];
    }

    private static Uri Uri(string name) => new($"https://licenserisk.dev/schemas/{name}.schema.json");

    /// <summary>
    /// The output schemas in one registry: backtest, calibrate and report refer to score.schema.json's
    /// definitions by relative reference, as an editor resolves them beside each other.
    /// </summary>
    private static SchemaRegistry Load()
    {
        var registry = new SchemaRegistry();
        var options = new BuildOptions { SchemaRegistry = registry };
        foreach (var name in new[] { "score", "backtest", "calibrate", "report", "whatif", "errors", "history", "readiness", "review" })
        {
            var schema = JsonSchema.FromText(File.ReadAllText(Repo.Path($"schemas/{name}.schema.json")), options, Uri(name));
            registry.Register(schema);
        }

        return registry;
    }
}
