using System.Text.Json;

namespace LicenseRisk.Tests.Cli;

public sealed class BacktestCommandTests
{
    [Fact]
    public void Backtest_DevelopmentSet_PrintsTheFigures()
    {
        var r = CliProcess.Run("backtest", "samples/cases");
        r.ExitCode.ShouldBe(0, r.Stderr);
        foreach (var figure in new[] { "Brier score", "log loss", "base-rate Brier", "Brier skill score", "ROC AUC", "RELIABILITY", "largest error first" })
        {
            r.Stdout.ShouldContain(figure);
        }
    }

    [Fact]
    public void Backtest_Json_HasTheSpecifiedShape()
    {
        var r = CliProcess.InProcess("backtest", Repo.Path("samples/cases"), "--format", "json");
        r.ExitCode.ShouldBe(0, r.Stderr);
        var root = JsonDocument.Parse(r.Stdout).RootElement;
        root.GetProperty("schema").GetString().ShouldBe("licenserisk.backtest/1");
        root.GetProperty("cases").GetInt32().ShouldBe(16);
        root.GetProperty("positives").GetInt32().ShouldBe(6);
        foreach (var key in new[] { "brier", "log_loss", "base_rate_brier", "auc", "brier_skill_score" })
        {
            root.GetProperty(key).GetDouble().ShouldBeGreaterThan(0, key);
        }

        root.GetProperty("reliability")[0].GetProperty("bin").GetString().ShouldBe("0.0-0.2");
        var results = root.GetProperty("results").EnumerateArray().ToList();
        results.Count.ShouldBe(16);
        results.Select(x => x.GetProperty("error").GetDouble()).ShouldBeInOrder(SortDirection.Descending);
        results[0].TryGetProperty("went_api_only", out _).ShouldBeTrue();
    }

    [Fact]
    public void Backtest_SplitsTheBrierScore_IntoMiscalibrationDiscriminationAndUncertainty()
    {
        var json = JsonDocument.Parse(CliProcess.InProcess("backtest", Repo.Path("samples/cases"), "--format", "json", "-q").Stdout).RootElement;
        var d = json.GetProperty("brier_decomposition");
        var mcb = d.GetProperty("miscalibration").GetDouble();
        var dsc = d.GetProperty("discrimination").GetDouble();
        var unc = d.GetProperty("uncertainty").GetDouble();
        (mcb - dsc + unc).ShouldBe(json.GetProperty("brier").GetDouble(), 0.0002);

        // Uncertainty is the cases' own flip rate's Brier score, r (1 - r).
        var rate = json.GetProperty("positives").GetDouble() / json.GetProperty("cases").GetDouble();
        unc.ShouldBe(rate * (1 - rate), 0.0001);
        d.GetProperty("discrimination_skill").GetDouble().ShouldBe(dsc / unc, 0.0005);

        var table = CliProcess.InProcess("backtest", Repo.Path("samples/cases"), "-q");
        table.Stdout.ShouldContain("miscalibration         " + mcb.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture));
        table.Stdout.ShouldContain("ranking's ceiling");

        // One outcome only: no uncertainty to split, so no ceiling.
        var one = JsonDocument.Parse(CliProcess.InProcess("backtest", Repo.Path("samples/cases/meta-2023-07-31.yaml"), "--format", "json", "-q").Stdout).RootElement;
        one.GetProperty("brier_decomposition").GetProperty("discrimination_skill").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public void Backtest_AConstantForecast_PrintsNoDiscrimination_NotMinusZero()
    {
        // Five vendors with no signals, three of which flipped: every case gets the same forecast,
        // so the ranking earns nothing (0.000), and no rounding error prints as -0.000.
        using var dir = new LicenseRisk.Tests.Hosting.TempDir();
        for (var i = 0; i < 5; i++)
        {
            File.WriteAllText(dir[$"v{i}.yaml"], $"vendor: {{ id: v{i}, name: V{i} }}\nsignals: []\ncase: {{ as_of: 2024-01-01, went_api_only: {(i < 3 ? "true" : "false")} }}\n");
        }

        var table = CliProcess.InProcess("backtest", dir.Path, "-q");
        table.ExitCode.ShouldBe(0, table.Stderr);
        table.Stdout.ShouldContain("discrimination         0.000");
        table.Stdout.ShouldContain("ranking's ceiling      0.000");
        table.Stdout.ShouldNotContain("-0.000");
    }

    [Fact]
    public void Backtest_PrintsTheLikelihoodRatioCheck_AndNaWhenOneSideHasNoCase()
    {
        var table = CliProcess.InProcess("backtest", Repo.Path("samples/cases"));
        table.ExitCode.ShouldBe(0, table.Stderr);
        table.Stdout.ShouldContain("mean LR, no flip       0.753");
        table.Stdout.ShouldContain("mean 1/LR, flipped     0.702");

        var json = JsonDocument.Parse(CliProcess.InProcess("backtest", Repo.Path("samples/cases"), "--format", "json").Stdout).RootElement;
        var check = json.GetProperty("likelihood_ratio_check");
        check.GetProperty("mean_lr_no_flip").GetDouble().ShouldBe(0.753, 0.0005);
        check.GetProperty("mean_inverse_lr_flipped").GetDouble().ShouldBe(0.702, 0.0005);

        // Only cases that did not flip: the flipped side has nothing to average.
        var one = CliProcess.InProcess("backtest", Repo.Path("samples/cases/meta-2023-07-31.yaml"));
        one.ExitCode.ShouldBe(0, one.Stderr);
        one.Stdout.ShouldContain("mean 1/LR, flipped       n/a");
        var oneJson = JsonDocument.Parse(CliProcess.InProcess("backtest", Repo.Path("samples/cases/meta-2023-07-31.yaml"), "--format", "json").Stdout).RootElement;
        oneJson.GetProperty("likelihood_ratio_check").GetProperty("mean_inverse_lr_flipped").ValueKind.ShouldBe(JsonValueKind.Null);
        var md = CliProcess.InProcess("backtest", Repo.Path("samples/cases"), "--format", "markdown").Stdout;
        md.ShouldContain("| mean LR, no flip | 0.753 |");
    }

    [Fact]
    public void Backtest_WithoutCases_IsBadInput()
    {
        var r = CliProcess.InProcess("backtest", Repo.Path("samples/vendors"));
        r.ExitCode.ShouldBe(2);
        r.Stderr.ShouldContain("error LR110: no dossier has a case: block");
    }

    [Fact]
    public void Calibrate_WritesAPolicyTheScorerAccepts_AndReportsCrossValidation()
    {
        var dir = Path.Combine(Path.GetTempPath(), "lr-tests", Guid.NewGuid().ToString("n"));
        var file = Path.Combine(dir, "calibration.yaml");
        try
        {
            var r = CliProcess.InProcess("calibrate", Repo.Path("samples/cases"), "--out", file);
            r.ExitCode.ShouldBe(0, r.Stderr);
            r.Stdout.ShouldContain("Leave one company out (15 folds)");
            r.Stdout.ShouldContain("Time split: fit on ");
            r.Stdout.ShouldContain("young-venture-backed-startup");
            File.ReadAllText(file).ShouldContain("prior: ");

            var scored = CliProcess.InProcess("backtest", Repo.Path("samples/cases"), "--policy", file, "--format", "json");
            scored.ExitCode.ShouldBe(0, scored.Stderr);
            JsonDocument.Parse(scored.Stdout).RootElement.GetProperty("policy_sha256").GetString()!.Length.ShouldBe(64);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Calibrate_Keep_HoldsTheRuleAtItsArguedWeight_AndAnUnknownRuleIsBadInput()
    {
        using var dir = new Hosting.TempDir();
        var kept = CliProcess.InProcess("calibrate", Repo.Path("samples/cases"), Repo.Path("samples/holdout"), "--output", dir["o.yaml"], "--format", "json", "--keep", "pro-open-statement");
        kept.ExitCode.ShouldBe(0, kept.Stderr);
        var json = JsonDocument.Parse(kept.Stdout).RootElement;
        json.GetProperty("options").GetProperty("keep")[0].GetString().ShouldBe("pro-open-statement");
        var weights = json.GetProperty("fit").GetProperty("weights").EnumerateArray().ToDictionary(w => w.GetProperty("rule").GetString()!, w => w);
        weights["pro-open-statement"].GetProperty("fitted").GetDouble().ShouldBe(weights["pro-open-statement"].GetProperty("pack").GetDouble());
        foreach (var rule in json.GetProperty("fit").GetProperty("kept_as_argued").EnumerateArray())
        {
            var w = weights[rule.GetString()!];
            w.GetProperty("fitted").GetDouble().ShouldBe(w.GetProperty("pack").GetDouble(), rule.GetString());
        }

        var unknown = CliProcess.InProcess("calibrate", Repo.Path("samples/cases"), "--output", dir["u.yaml"], "--keep", "no-such-rule");
        unknown.ExitCode.ShouldBe(2);
        unknown.Stderr.ShouldContain("--keep: error LR113: 'no-such-rule' is not a weighted rule of the pack");
        File.Exists(dir["u.yaml"]).ShouldBeFalse();
    }

    [Fact]
    public void Calibrate_CentresOnArguedWeight_WhenTheRuleHasOne()
    {
        using var dir = new Hosting.TempDir();
        var withArgued = CopyPack(dir["with"]);
        var without = CopyPack(dir["without"]);
        var statements = Path.Combine(without, "statements.yaml");
        File.WriteAllText(statements, File.ReadAllText(statements).Replace("    argued_weight: -0.15", "    # no argued weight", StringComparison.Ordinal));

        Dictionary<string, JsonElement> Fit(string rules, string name)
        {
            var r = CliProcess.InProcess("calibrate", Repo.Path("samples/cases"), Repo.Path("samples/holdout"), Repo.Path("samples/library"), "--rules", rules, "--output", dir[name], "--format", "json");
            r.ExitCode.ShouldBe(0, r.Stderr);
            return JsonDocument.Parse(r.Stdout).RootElement.GetProperty("fit").GetProperty("weights").EnumerateArray()
                .ToDictionary(w => w.GetProperty("rule").GetString()!, w => w.Clone());
        }

        var argued = Fit(withArgued, "a.yaml")["pro-open-statement"];
        var shipped = Fit(without, "s.yaml")["pro-open-statement"];
        argued.GetProperty("pack").GetDouble().ShouldBe(-0.15);
        shipped.GetProperty("pack").GetDouble().ShouldBe(-0.55);
        Math.Abs(argued.GetProperty("fitted").GetDouble() - shipped.GetProperty("fitted").GetDouble()).ShouldBeGreaterThan(0.005);
    }

    [Fact]
    public void RulesLint_ArguedWeight_WithoutWeightOrOutOfRangeOrPinned_IsLocatedError()
    {
        using var dir = new Hosting.TempDir();
        var rules = CopyPack(dir["rules"]);
        var statements = Path.Combine(rules, "statements.yaml");
        var text = File.ReadAllText(statements)
            .Replace("    argued_weight: -0.15", "    argued_weight: -9", StringComparison.Ordinal);
        File.WriteAllText(statements, text);
        var organisation = Path.Combine(rules, "organisation.yaml");
        File.WriteAllText(organisation, File.ReadAllText(organisation).Replace("    argued_weight: 0.3             # the argument's weight; 0.5 is the pre-2024 fit (pack 1.2.0)\n    sd: 0.3", "    argued_weight: 0.3\n    sd: 0", StringComparison.Ordinal));
        var closedLab = Path.Combine(rules, "closed-lab.yaml");
        var closedLabText = File.ReadAllText(closedLab);
        closedLabText.ShouldContain("  - id: closed-lab-appointment\n");
        File.WriteAllText(closedLab, closedLabText.Replace("  - id: closed-lab-appointment\n", "  - id: closed-lab-appointment\n    argued_weight: 0.4\n", StringComparison.Ordinal));

        var r = CliProcess.InProcess("rules", "lint", rules);
        r.ExitCode.ShouldBe(2);
        r.Stderr.ShouldContain("statements.yaml:");
        r.Stderr.ShouldContain("error LR051: argued_weight must be from -5 to 5");
        r.Stderr.ShouldContain("organisation.yaml:");
        r.Stderr.ShouldContain("error LR051: argued_weight differs from 'weight' but sd is 0");
        r.Stderr.ShouldContain("closed-lab.yaml:");
        r.Stderr.ShouldContain("error LR051: argued_weight needs a 'weight' beside it");
        CliProcess.InProcess("rules", "lint", Repo.Path("rules")).ExitCode.ShouldBe(0);
    }

    [Fact]
    public void Calibrate_CasesOfOneCompany_WarnLocatedAtThePaths_AndQuietHidesIt()
    {
        using var dir = new Hosting.TempDir();
        var one = Repo.Path("samples/cases/01ai-2023-12-01.yaml");
        var r = CliProcess.InProcess("calibrate", one, "-o", dir["fit.yaml"]);
        r.ExitCode.ShouldBe(0, r.Stderr);
        r.Stderr.ShouldContain($"{one}: warning LR112: the cases come from one company;");
        var quiet = CliProcess.InProcess("calibrate", one, "-o", dir["fit2.yaml"], "--quiet");
        quiet.ExitCode.ShouldBe(0, quiet.Stderr);
        quiet.Stderr.ShouldNotContain("LR112");
    }

    private static string CopyPack(string rules)
    {
        foreach (var file in Directory.EnumerateFiles(Repo.Path("rules"), "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(rules, Path.GetRelativePath(Repo.Path("rules"), file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return rules;
    }

    [Fact]
    public void Calibrate_PackNameWithColonAndSpace_WritesAnOverlayThatScoreAccepts()
    {
        using var dir = new Hosting.TempDir();
        var rules = dir["rules"];
        foreach (var file in Directory.EnumerateFiles(Repo.Path("rules"), "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(rules, Path.GetRelativePath(Repo.Path("rules"), file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        var packFile = Path.Combine(rules, "pack.yaml");
        File.WriteAllText(packFile, File.ReadAllText(packFile).Replace("name: licenserisk-core", "name: 'core: beta'", StringComparison.Ordinal));
        var overlay = dir["overlay.yaml"];

        var calibrated = CliProcess.InProcess("calibrate", Repo.Path("samples/cases"), "--rules", rules, "--out", overlay);
        calibrated.ExitCode.ShouldBe(0, calibrated.Stderr);
        File.ReadAllText(overlay).ShouldContain("pack: 'core: beta 1.6.1'\n");

        var scored = CliProcess.InProcess("score", Repo.Path("samples/vendors"), "--rules", rules, "--policy", overlay, "--format", "json");
        scored.ExitCode.ShouldBe(0, scored.Stderr);
        JsonDocument.Parse(scored.Stdout).RootElement.GetProperty("policy").GetProperty("name").GetString().ShouldBe("calibration");
    }
}

public sealed class BacktestPlotTests
{
    [Theory]
    [InlineData("plot.png")]
    [InlineData("plot.svg")]
    [InlineData("plot.jpg")]
    [InlineData("plot.JPEG")]
    public void Backtest_Plot_WritesTheChart(string name)
    {
        var dir = Path.Combine(Path.GetTempPath(), "lr-tests", Guid.NewGuid().ToString("n"));
        var file = Path.Combine(dir, name);
        try
        {
            var r = CliProcess.InProcess("backtest", Repo.Path("samples/cases"), "--plot", file, "-q");
            r.ExitCode.ShouldBe(0, r.Stderr);
            var bytes = File.ReadAllBytes(file);
            if (name.EndsWith(".png", StringComparison.Ordinal))
            {
                bytes.Take(4).ShouldBe(new byte[] { 0x89, 0x50, 0x4E, 0x47 });
            }
            else if (name.EndsWith(".jpg", StringComparison.Ordinal) || name.EndsWith(".JPEG", StringComparison.Ordinal))
            {
                bytes.Take(3).ShouldBe(new byte[] { 0xFF, 0xD8, 0xFF }, "a JPEG file");
            }
            else
            {
                var svg = System.Text.Encoding.UTF8.GetString(bytes);
                svg.ShouldStartWith("<svg");
                svg.ShouldContain("Reliability");
                svg.ShouldContain("Forecast per case");
            }
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Backtest_PlotWithAnUnknownExtension_IsRefusedBeforeAnythingRuns()
    {
        using var dir = new Hosting.TempDir();
        var file = dir["plot.gif"];
        var r = CliProcess.InProcess("backtest", Repo.Path("samples/cases"), "--plot", file);
        r.ExitCode.ShouldBe(2, r.Stderr);
        r.Stderr.ShouldContain($"--plot: error LR912: no image format for '{file}': use .png, .svg, .jpg, .jpeg");
        r.Stdout.ShouldBeEmpty();
        File.Exists(file).ShouldBeFalse();
    }

    [Fact]
    public void Backtest_PlotToAnUnwritablePath_NamesThatPath_NotATemporaryFile()
    {
        // /proc takes no new files, even for root (a read-only folder would not stop root).
        var r = CliProcess.InProcess("backtest", Repo.Path("samples/cases"), "--plot", "/proc/plot.png", "-q");
        r.ExitCode.ShouldBe(2, r.Stderr);
        r.Stderr.ShouldStartWith("/proc/plot.png: error LR907: cannot write: ");
        r.Stderr.ShouldEndWith("\n1 error\n");
        r.Stderr.ShouldNotContain(".tmp");
        r.Stderr.ShouldNotContain("   at ");
    }
}
