using System.Text.Json;

namespace LicenseRisk.Tests.Cli;

/// <summary>calibrate's bootstrap intervals as a user sees them: in the table after each scheme, and in the JSON, the same on every run.</summary>
public sealed class CalibrateIntervalsTests
{
    [Fact]
    public void Calibrate_Json_IsByteIdenticalOnTwoRuns_AndCarriesTheIntervals()
    {
        // The first run is the one the other calibrate tests read too (CalibrateLibrary.Json).
        var first = CalibrateLibrary.Json.Value;
        var second = CalibrateLibrary.Run("--format", "json").Stdout;
        second.ShouldBe(first);

        var root = JsonDocument.Parse(first).RootElement;
        var b = root.GetProperty("options").GetProperty("bootstrap");
        b.GetProperty("draws").GetInt32().ShouldBe(2000);
        b.GetProperty("level").GetDouble().ShouldBe(0.9);
        b.GetProperty("percentile").GetString().ShouldBe("nearest_rank");
        b.GetProperty("forecasts").GetString().ShouldBe("fixed");
        var company = b.GetProperty("schemes").GetProperty("leave_one_company_out");
        company.GetProperty("groups").GetInt32().ShouldBe(root.GetProperty("groups").GetArrayLength());
        company.GetProperty("cases").GetInt32().ShouldBe(109);

        foreach (var scheme in new[] { "leave_one_company_out", "time_split" })
        {
            foreach (var model in new[] { "pack", "fitted_at_prior", "argued", "fitted" })
            {
                var f = root.GetProperty(scheme).GetProperty(model);
                var i = f.GetProperty("intervals");
                i.GetProperty("level").GetDouble().ShouldBe(0.9);
                foreach (var (name, point) in new[]
                {
                    ("brier_skill_vs_base_rate", f.GetProperty("brier_skill_vs_base_rate").GetDouble()),
                    ("auc", f.GetProperty("auc").GetDouble()),
                    ("mean_lr_no_flip", f.GetProperty("likelihood_ratio_check").GetProperty("mean_lr_no_flip").GetDouble()),
                    ("mean_inverse_lr_flipped", f.GetProperty("likelihood_ratio_check").GetProperty("mean_inverse_lr_flipped").GetDouble()),
                })
                {
                    var range = i.GetProperty(name).EnumerateArray().Select(x => x.GetDouble()).ToList();
                    range.Count.ShouldBe(2);
                    point.ShouldBeInRange(range[0], range[1], $"{scheme}.{model}.{name}");
                }
            }
        }
    }

    [Fact]
    public void Calibrate_Table_PrintsTheIntervalsAfterEachScheme()
    {
        var text = CalibrateLibrary.Run().Stdout;
        var lines = text.Split('\n');
        text.ShouldContain("90% intervals: the 65 company groups of the 109 tested cases resampled 2,000 times (none skipped);\n");
        text.ShouldContain("forecasts fixed (not refitted per draw); nearest-rank percentiles, seed 20261207\n");
        var headers = lines.Select((l, k) => (l, k)).Where(x => x.l.StartsWith("MODEL (OUT OF SAMPLE)                           SKILL/BASE RATE", StringComparison.Ordinal)).Select(x => x.k).ToList();
        headers.Count.ShouldBe(2, "one block per scheme");
        foreach (var h in headers)
        {
            lines[h + 1].ShouldStartWith("pack as written ");
            lines[h + 1].ShouldMatch(@"^pack as written +-?\d\.\d{3} to -?\d\.\d{3} +\d\.\d{3} to \d\.\d{3} +\d\.\d{3} to \d\.\d{3} +\d\.\d{3} to \d\.\d{3}$");
            lines[h + 4].ShouldStartWith("fitted weights, fitted intercept ");
            lines[(h - 2)..(h + 5)].ShouldAllBe(l => l.Length < 130);
        }

        // The time split resamples the groups of its tested cases only.
        text.ShouldMatch(@"90% intervals: the \d+ company groups of the 59 tested cases resampled 2,000 times");
    }
}
