using System.Globalization;
using System.Text.Json;

namespace LicenseRisk.Tests.Cli;

/// <summary>backtest's bootstrap intervals as a user sees them: beside the four figures in the table, a column in Markdown, objects in the JSON, the same on every run.</summary>
public sealed class BacktestIntervalsTests
{
    private static CliResult Backtest(params string[] args)
    {
        var r = CliProcess.InProcess(["backtest", .. args, "-q"]);
        r.ExitCode.ShouldBe(0, r.Stderr);
        return r;
    }

    [Theory]
    [InlineData("samples/cases", 16, 15)]
    [InlineData("samples/holdout", 19, 18)]
    public void Json_IsByteIdenticalOnTwoRuns_AndEachIntervalHoldsItsPointFigure(string folder, int cases, int groups)
    {
        var first = Backtest(Repo.Path(folder), "--format", "json").Stdout;
        Backtest(Repo.Path(folder), "--format", "json").Stdout.ShouldBe(first);

        var root = JsonDocument.Parse(first).RootElement;
        var b = root.GetProperty("bootstrap");
        b.GetProperty("method").GetString().ShouldBe("cluster");
        b.GetProperty("resampled").GetString().ShouldBe("company_groups");
        b.GetProperty("draws").GetInt32().ShouldBe(2000);
        b.GetProperty("seed").GetUInt64().ShouldBe(20261207UL);
        b.GetProperty("level").GetDouble().ShouldBe(0.9);
        b.GetProperty("percentile").GetString().ShouldBe("nearest_rank");
        b.GetProperty("cases").GetInt32().ShouldBe(cases);
        b.GetProperty("groups").GetInt32().ShouldBe(groups);
        b.GetProperty("skipped_draws").GetInt32().ShouldBeInRange(0, 100, "a draw of this many companies rarely misses an outcome");

        var i = root.GetProperty("intervals");
        i.GetProperty("level").GetDouble().ShouldBe(0.9);
        var lr = root.GetProperty("likelihood_ratio_check");
        foreach (var (name, point) in new[]
        {
            ("brier_skill_score", root.GetProperty("brier_skill_score").GetDouble()),
            ("auc", root.GetProperty("auc").GetDouble()),
            ("mean_lr_no_flip", lr.GetProperty("mean_lr_no_flip").GetDouble()),
            ("mean_inverse_lr_flipped", lr.GetProperty("mean_inverse_lr_flipped").GetDouble()),
        })
        {
            var range = i.GetProperty(name).EnumerateArray().Select(x => x.GetDouble()).ToList();
            range.Count.ShouldBe(2);
            point.ShouldBeInRange(range[0], range[1], $"{folder}: {name}");
            (range[1] - range[0]).ShouldBeGreaterThan(0.05, $"{folder}: {name}: 16 to 19 cases are noisy");
        }
    }

    [Fact]
    public void Table_PrintsEachIntervalBesideItsFigure_AndHowTheyWereDrawn()
    {
        var text = Backtest(Repo.Path("samples/cases")).Stdout;
        var lines = text.Split('\n');
        foreach (var figure in new[] { "Brier skill score", "ROC AUC", "mean LR, no flip", "mean 1/LR, flipped" })
        {
            var line = lines.Single(l => l.StartsWith(figure + " ", StringComparison.Ordinal));
            line.ShouldMatch(@"; 90% interval -?\d\.\d{3} to -?\d\.\d{3}\)$", figure);
            line.Length.ShouldBeLessThanOrEqualTo(130, figure);
        }

        text.ShouldContain("ROC AUC                0.950   (0.5 is chance; ties count half; 90% interval ");
        text.ShouldMatch(@"\n90% intervals: the 15 company groups of the 16 cases resampled 2,000 times \((none skipped|[\d,]+ skipped: no flip or no non-flip)\);\n");
        text.ShouldContain("each draw's skill is against the prior, as the figure's is; nearest-rank percentiles, seed 20261207\n");
        lines.Where(l => l.Contains("interval", StringComparison.Ordinal)).ShouldAllBe(l => l.Length <= 130);
        text.ShouldNotContain("NaN");
    }

    [Fact]
    public void Markdown_GivesTheIntervalsAColumn()
    {
        var md = Backtest(Repo.Path("samples/holdout"), "--format", "markdown").Stdout;
        md.ShouldContain("| metric | value | 90% interval |\n| --- | ---: | ---: |\n");
        md.ShouldMatch(@"\| ROC AUC \| 0\.885 \| \d\.\d{3} to \d\.\d{3} \|\n");
        md.ShouldContain("| Brier score | 0.179 |  |\n");
        md.ShouldContain("90% intervals: the 18 company groups of the 19 cases resampled 2,000 times");
    }

    [Fact]
    public void OneOutcomeOnly_PrintsNoInterval_AndExitsAsBefore()
    {
        var one = Repo.Path("samples/cases/meta-2023-07-31.yaml");
        var table = Backtest(one).Stdout;
        table.ShouldContain("\nno 90% interval: every case has the same outcome\n");
        table.ShouldNotContain("90% interval ");
        table.ShouldNotContain("NaN");
        var md = Backtest(one, "--format", "markdown").Stdout;
        md.ShouldContain("| metric | value |\n| --- | ---: |\n");
        md.ShouldContain("no 90% interval: every case has the same outcome");
        var json = JsonDocument.Parse(Backtest(one, "--format", "json").Stdout).RootElement;
        json.TryGetProperty("intervals", out _).ShouldBeFalse();
        json.TryGetProperty("bootstrap", out _).ShouldBeFalse();
    }

    [Fact]
    public void OneCompanyGroup_PrintsNoInterval_EvenWithBothOutcomes()
    {
        // Two lines of one company (one id after the other), one flipped: nothing to resample between.
        using var dir = new Hosting.TempDir();
        File.WriteAllText(dir["a.yaml"], "vendor: { id: acme, name: Acme }\nsignals: []\ncase: { as_of: 2024-01-01, went_api_only: true }\n");
        File.WriteAllText(dir["b.yaml"], "vendor: { id: acme-vision, name: Acme Vision }\nsignals: []\ncase: { as_of: 2024-01-01, went_api_only: false }\n");
        var table = Backtest(dir.Path).Stdout;
        table.ShouldContain("\nno 90% interval: the cases come from one company group\n");
        table.ShouldContain("ROC AUC                0.500   (0.5 is chance; ties count half)\n");
        var json = JsonDocument.Parse(Backtest(dir.Path, "--format", "json").Stdout).RootElement;
        json.TryGetProperty("intervals", out _).ShouldBeFalse();
        json.GetProperty("auc").GetDouble().ToString(CultureInfo.InvariantCulture).ShouldBe("0.5");
    }
}
