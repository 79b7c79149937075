using System.Text.Json;

namespace LicenseRisk.Tests.Cli;

/// <summary>
/// calibrate's strata, read from its JSON over the real case library: the strata cover every
/// case once, and each stratum's figures are those of the per-case leave-one-company-out
/// forecasts of the pack, recomputed here from the cases' own rows.
/// </summary>
public sealed class CalibrateStrataTests
{
    private static readonly Lazy<JsonElement> Json = new(() => JsonDocument.Parse(CalibrateLibrary.Json.Value).RootElement.Clone());

    [Fact]
    public void Calibrate_StrataByModality_CoverEveryCaseAndMatchThePerCaseForecasts()
    {
        var root = Json.Value;
        var cases = root.GetProperty("leave_one_company_out").GetProperty("cases").EnumerateArray()
            .ToDictionary(c => (c.GetProperty("id").GetString()!, c.GetProperty("as_of").GetString()!), c => (P: c.GetProperty("pack").GetDouble(), Y: c.GetProperty("went_api_only").GetBoolean(), File: c.GetProperty("file").GetString()!));
        cases.Count.ShouldBe(109);
        var by = root.GetProperty("strata").EnumerateArray().Single(s => s.GetProperty("by").GetString() == "modality");
        by.GetProperty("scheme").GetString().ShouldBe("leave_one_company_out");
        var strata = by.GetProperty("strata").EnumerateArray().ToList();
        strata.Sum(s => s.GetProperty("cases").GetInt32()).ShouldBe(109);
        strata.Sum(s => s.GetProperty("positives").GetInt32()).ShouldBe(root.GetProperty("positives").GetInt32());
        var names = strata.Select(s => s.GetProperty("name").GetString()!).ToList();
        names.ShouldBe(names.Order(StringComparer.Ordinal).ToList());
        names.ShouldContain("text");
        names.ShouldContain("image");

        // Each case's modality, read independently from its file: the newest flagship release's, else the newest release's.
        var modality = cases.ToDictionary(kv => kv.Key, kv => ModalityOf(kv.Value.File, DateOnly.Parse(kv.Key.Item2)));
        foreach (var s in strata)
        {
            var name = s.GetProperty("name").GetString()!;
            Recomputed(s, [.. cases.Where(kv => modality[kv.Key] == name).Select(kv => (kv.Value.P, kv.Value.Y))], name);
        }
    }

    /// <summary>A stratum's figures against the same figures recomputed here from its cases' forecasts.</summary>
    private static void Recomputed(JsonElement s, List<(double P, bool Y)> rows, string name)
    {
        s.GetProperty("cases").GetInt32().ShouldBe(rows.Count, name);
        var flips = rows.Count(r => r.Y);
        s.GetProperty("positives").GetInt32().ShouldBe(flips, name);
        var brier = rows.Average(r => Math.Pow(r.P - (r.Y ? 1 : 0), 2));
        var rate = (double)flips / rows.Count;
        var baseBrier = rows.Average(r => Math.Pow(rate - (r.Y ? 1 : 0), 2));
        Near(s, "brier", brier, name);
        Near(s, "base_rate_brier", baseBrier, name);
        Near(s, "brier_skill_vs_base_rate", baseBrier == 0 ? null : 1 - (brier / baseBrier), name);
        Near(s, "mean_forecast_flipped", flips == 0 ? null : rows.Where(r => r.Y).Average(r => r.P), name);
        Near(s, "mean_forecast_no_flip", flips == rows.Count ? null : rows.Where(r => !r.Y).Average(r => r.P), name);
        var pos = rows.Where(r => r.Y).Select(r => r.P).ToList();
        var neg = rows.Where(r => !r.Y).Select(r => r.P).ToList();
        double? auc = pos.Count == 0 || neg.Count == 0 ? null
            : pos.Sum(a => neg.Sum(b => a > b ? 1.0 : a == b ? 0.5 : 0)) / (pos.Count * neg.Count);

        // The per-case forecasts read here are rounded to 4 decimals, so a pair that differs by less
        // than that may read as a tie: each such pair can move this AUC by half a pair.
        var nearTies = pos.Sum(a => neg.Count(b => Math.Abs(a - b) <= 0.0001));
        Near(s, "auc", auc, name, nearTies == 0 ? 0 : 0.5 * nearTies / (pos.Count * neg.Count));
    }

    [Fact]
    public void Calibrate_StrataByVendorType_CoverEveryCaseAndMatchThePerCaseForecasts()
    {
        var root = Json.Value;
        var cases = root.GetProperty("leave_one_company_out").GetProperty("cases").EnumerateArray().ToList();
        var by = root.GetProperty("strata").EnumerateArray().Single(s => s.GetProperty("by").GetString() == "vendor_type");
        var strata = by.GetProperty("strata").EnumerateArray().ToList();
        strata.Select(s => s.GetProperty("name").GetString()).ShouldBe(["big-company", "research", "startup"]);
        strata.Sum(s => s.GetProperty("cases").GetInt32()).ShouldBe(109);

        // Each case's vendor type, read from its file's "  vendor_type:" line.
        string TypeOf(JsonElement c)
        {
            var file = c.GetProperty("file").GetString()!;
            var line = File.ReadAllLines(Path.IsPathRooted(file) ? file : Repo.Path(file)).Single(l => l.StartsWith("  vendor_type:", StringComparison.Ordinal));
            return line["  vendor_type:".Length..].Trim();
        }

        var rows = cases.Select(c => (Type: TypeOf(c), P: c.GetProperty("pack").GetDouble(), Y: c.GetProperty("went_api_only").GetBoolean())).ToList();
        foreach (var s in strata)
        {
            var name = s.GetProperty("name").GetString()!;
            Recomputed(s, [.. rows.Where(r => r.Type == name).Select(r => (r.P, r.Y))], name);
        }
    }

    [Fact]
    public void Calibrate_ACaseWithAnUnknownVendorType_IsALocatedErrorAndExit2()
    {
        using var dir = new Hosting.TempDir();
        var text = File.ReadAllText(Repo.Path("samples/cases/01ai-2023-12-01.yaml")).Replace("  vendor_type: startup\n", "  vendor_type: start-up\n", StringComparison.Ordinal);
        File.WriteAllText(dir["case.yaml"], text);
        var line = text.Split('\n').ToList().FindIndex(l => l.StartsWith("  vendor_type:", StringComparison.Ordinal)) + 1;
        var r = CliProcess.InProcess("calibrate", dir["case.yaml"], Repo.Path("samples/cases"), "--output", dir["f.yaml"]);
        r.ExitCode.ShouldBe(2);
        r.Stderr.ShouldContain($"case.yaml:{line}:16: error LR023: 'start-up' is not a value of case.vendor_type; expected one of: research, startup, big-company (did you mean 'startup'?)");
        r.Stderr.ShouldNotContain("   at ");
    }

    [Theory]
    [InlineData("leave_one_company_out")]
    [InlineData("time_split")]
    public void Calibrate_BrierDecomposition_AddsUpAndBoundsTheSkill(string scheme)
    {
        var s = Json.Value.GetProperty(scheme);
        foreach (var model in new[] { "pack", "fitted_at_prior", "argued", "fitted" })
        {
            var f = s.GetProperty(model);
            var d = f.GetProperty("brier_decomposition");
            double Get(string name) => d.GetProperty(name).GetDouble();

            // Brier = miscalibration - discrimination + uncertainty, each rounded to 4 decimals.
            (Get("miscalibration") - Get("discrimination") + Get("uncertainty")).ShouldBe(f.GetProperty("brier").GetDouble(), 0.0002, model);
            Get("uncertainty").ShouldBe(f.GetProperty("base_rate_brier").GetDouble(), 0.0001, model);
            Get("miscalibration").ShouldBeGreaterThanOrEqualTo(0, model);

            // A recalibration in sample can only help: the ceiling is at least the skill reached.
            Get("discrimination_skill").ShouldBeGreaterThanOrEqualTo(f.GetProperty("brier_skill_vs_base_rate").GetDouble() - 0.0001, model);
            Get("discrimination_skill").ShouldBeLessThanOrEqualTo(1, model);
        }
    }

    [Fact]
    public void Calibrate_Table_PrintsTheModalityStrata()
    {
        using var dir = new Hosting.TempDir();
        var r = CliProcess.InProcess("calibrate", Repo.Path("samples/cases"), Repo.Path("samples/holdout"), Repo.Path("samples/library"), "--output", dir["f.yaml"], "-q");
        r.ExitCode.ShouldBe(0, r.Stderr);
        r.Stdout.ShouldContain("by modality");
        r.Stdout.ShouldContain("STRATUM         CASES  FLIPS  BRIER");
        r.Stdout.ShouldContain("MODEL (OUT OF SAMPLE)               MISCALIBRATION  DISCRIMINATION  UNCERTAINTY  CEILING");
    }

    // JSON numbers are rounded to 4 decimals.
    private static void Near(JsonElement s, string field, double? expected, string stratum, double slack = 0)
    {
        var v = s.GetProperty(field);
        if (expected is null)
        {
            v.ValueKind.ShouldBe(JsonValueKind.Null, $"{stratum}.{field}");
            return;
        }

        Math.Abs(v.GetDouble() - expected.Value).ShouldBeLessThan(0.00051 + slack, $"{stratum}.{field}");
    }

    /// <summary>A deliberately plain reading of the YAML: each "- kind: release" item's date, reported, tier and modality.</summary>
    private static string ModalityOf(string file, DateOnly asOf)
    {
        var path = Path.IsPathRooted(file) ? file : Repo.Path(file);
        var releases = new List<(DateOnly Date, int Order, string? Tier, string Modality)>();
        var lines = File.ReadAllLines(path);
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Replace("'", string.Empty).Replace("\"", string.Empty).Trim() != "- kind: release")
            {
                continue;
            }

            DateOnly? date = null, reported = null;
            string? tier = null, modality = null;
            for (var j = i + 1; j < lines.Length && lines[j].StartsWith("  ", StringComparison.Ordinal); j++)
            {
                var t = lines[j].Trim();
                string Value() => t[(t.IndexOf(':') + 1)..].Trim().Trim('\'', '"');
                if (lines[j].StartsWith("  date:", StringComparison.Ordinal)) { date = DateOnly.Parse(Value()); }
                else if (lines[j].StartsWith("  reported:", StringComparison.Ordinal)) { reported = DateOnly.Parse(Value()); }
                else if (lines[j].StartsWith("  tier:", StringComparison.Ordinal)) { tier = Value(); }
                else if (lines[j].StartsWith("  modality:", StringComparison.Ordinal)) { modality = Value(); }
            }

            if (date is { } d && modality is not null && (reported ?? d) <= asOf)
            {
                releases.Add((d, i, tier, modality));
            }
        }

        var ordered = releases.OrderBy(r => r.Date).ThenBy(r => r.Order).ToList();
        var flagship = ordered.LastOrDefault(r => r.Tier == "flagship");
        return flagship.Modality ?? (ordered.Count == 0 ? "unknown" : ordered[^1].Modality);
    }
}
