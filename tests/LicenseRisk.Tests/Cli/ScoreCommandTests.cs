using System.Text.Json;

namespace LicenseRisk.Tests.Cli;

/// <summary>The real CLI process: exit codes, JSON shape, located errors, determinism.</summary>
public sealed class ScoreCommandTests
{
    [Fact]
    public void Score_SampleVendors_PrintsATableAndExitsZero()
    {
        var r = CliProcess.Run("score", "samples/vendors", "--as-of", "2026-03-05");
        r.ExitCode.ShouldBe(0, r.Stderr);
        r.Stdout.ShouldContain("VENDOR");
        r.Stdout.ShouldContain("90% INTERVAL");
        r.Stdout.ShouldContain("qwen      0.63  0.35-0.84     high\n");
        r.Stdout.ShouldContain("deepseek  0.14  0.08-0.24     low\n");
    }

    [Fact]
    public void Score_Qwen_IsAboveThePrior_WithTheMotivatingReasons()
    {
        var r = CliProcess.Run("score", "samples/vendors/qwen.yaml", "--as-of", "2026-03-05", "--format", "json");
        r.ExitCode.ShouldBe(0, r.Stderr);
        using var doc = JsonDocument.Parse(r.Stdout);
        var root = doc.RootElement;
        root.GetProperty("schema").GetString().ShouldBe("licenserisk.score/1");
        root.GetProperty("as_of").GetString().ShouldBe("2026-03-05");
        root.GetProperty("horizon_months").GetInt32().ShouldBe(12);
        root.GetProperty("pack").GetProperty("sha256").GetString()!.Length.ShouldBe(64);
        var qwen = root.GetProperty("vendors")[0];
        qwen.GetProperty("id").GetString().ShouldBe("qwen");
        var p = qwen.GetProperty("probability").GetDouble();
        p.ShouldBeGreaterThan(0.3);
        var interval = qwen.GetProperty("interval");
        interval[0].GetDouble().ShouldBeLessThan(p);
        interval[1].GetDouble().ShouldBeGreaterThan(p);

        var contributions = qwen.GetProperty("contributions").EnumerateArray().ToList();
        var explained = string.Join("\n", contributions.Select(c => c.GetProperty("because").GetString()));
        explained.ShouldContain("Lin");
        explained.ShouldContain("Google DeepMind");
        explained.ShouldContain("Reorganization");
        contributions.ShouldContain(c => c.GetProperty("signals").EnumerateArray().Any(s => s.GetString() == "lin-departure"));
        foreach (var key in new[] { "rule", "title", "group", "weight", "confidence", "decay", "contribution", "because", "signals" })
        {
            contributions[0].TryGetProperty(key, out _).ShouldBeTrue(key);
        }

        qwen.GetProperty("ignored_signals").GetArrayLength().ShouldBeGreaterThan(0);
        qwen.GetProperty("outweighed").GetArrayLength().ShouldBeGreaterThan(0);
        qwen.GetProperty("derived_signals").EnumerateArray().ShouldContain(d => d.GetProperty("kind").GetString() == "closed_lab_leadership");
    }

    [Fact]
    public void Score_Qwen_ListsTheExodusOnce_ThoughThreeDeparturesOnOneDayEachDeriveIt()
    {
        // Three of the four departures are dated 2026-03-04: each is "the latest" of the same four,
        // so leadership-exodus fires three times and derives the same signal three times.
        var r = CliProcess.Run("score", "samples/vendors/qwen.yaml", "--as-of", "2026-03-05", "--format", "json");
        r.ExitCode.ShouldBe(0, r.Stderr);
        using var doc = JsonDocument.Parse(r.Stdout);
        var derived = doc.RootElement.GetProperty("vendors")[0].GetProperty("derived_signals").EnumerateArray()
            .Where(d => d.GetProperty("kind").GetString() == "leadership_exodus").ToList();
        derived.Count.ShouldBe(1);
        derived[0].GetProperty("fields").GetProperty("count").GetString().ShouldBe("4");

        var md = CliProcess.Run("score", "samples/vendors/qwen.yaml", "--as-of", "2026-03-05", "--format", "markdown");
        md.ExitCode.ShouldBe(0, md.Stderr);
        md.Stdout.Split('\n').Count(l => l.Contains("leadership\\_exodus (count: 4)")).ShouldBe(1);
    }

    [Fact]
    public void Score_Json_IsByteIdenticalAcrossRuns()
    {
        var a = CliProcess.Run("score", "samples/vendors", "--as-of", "2026-03-05", "--format", "json");
        var b = CliProcess.Run("score", "samples/vendors", "--as-of", "2026-03-05", "--format", "json");
        a.ExitCode.ShouldBe(0);
        a.Stdout.ShouldBe(b.Stdout);
        a.Stdout.Length.ShouldBeGreaterThan(1000);
    }

    [Fact]
    public void Score_SignalOrderInTheFile_DoesNotChangeTheScores()
    {
        var dir = Path.Combine(Path.GetTempPath(), "lr-tests", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(dir);
        try
        {
            var lines = File.ReadAllText(Repo.Path("samples/vendors/deepseek.yaml"));
            var head = lines[..(lines.IndexOf("\nsignals:", StringComparison.Ordinal) + 10)];
            var items = lines[head.Length..].Split("\n- ", StringSplitOptions.None);
            var reversed = head + string.Join("\n- ", new[] { items[0] }.Concat(items.Skip(1).Reverse().Select(i => i.TrimEnd('\n'))));
            File.WriteAllText(Path.Combine(dir, "deepseek.yaml"), reversed.TrimEnd('\n') + "\n");
            var original = CliProcess.InProcess("score", Repo.Path("samples/vendors/deepseek.yaml"), "--as-of", "2026-03-05", "--format", "json");
            var shuffled = CliProcess.InProcess("score", Path.Combine(dir, "deepseek.yaml"), "--as-of", "2026-03-05", "--format", "json");
            shuffled.ExitCode.ShouldBe(0, shuffled.Stderr);
            Probability(shuffled.Stdout).ShouldBe(Probability(original.Stdout));
        }
        finally
        {
            Directory.Delete(dir, true);
        }

        static double Probability(string json) => JsonDocument.Parse(json).RootElement.GetProperty("vendors")[0].GetProperty("probability").GetDouble();
    }

    [Fact]
    public void Score_FailAbove_TripsTheGateWithExitOne()
    {
        var tripped = CliProcess.Run("score", "samples/vendors", "--as-of", "2026-03-05", "--fail-above", "0.3", "-q");
        tripped.ExitCode.ShouldBe(1);
        tripped.Stderr.ShouldContain("gate: qwen probability");
        tripped.Stderr.ShouldContain("samples/vendors/qwen.yaml");

        var passed = CliProcess.InProcess("score", Repo.Path("samples/vendors"), "--as-of", "2026-03-05", "--fail-above", "0.99");
        passed.ExitCode.ShouldBe(0);
    }

    [Fact]
    public void Score_BrokenDossier_GivesLocatedErrorsAndExitTwo_AndNoScores()
    {
        var dir = Path.Combine(Path.GetTempPath(), "lr-tests", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(dir);
        try
        {
            File.WriteAllText(Path.Combine(dir, "bad.yaml"), """
                vendor: { id: bad, name: Bad }
                signals:
                  - { kind: release, date: 2026-13-01, model: M, weights: open, source: s }
                  - { kind: statement, date: 2026-01-01, stance: maybe, source: s }
                """);
            var r = CliProcess.Run("score", dir, "--as-of", "2026-03-05");
            r.ExitCode.ShouldBe(2);
            r.Stdout.ShouldBeEmpty();
            var file = Path.Combine(dir, "bad.yaml");
            r.Stderr.ShouldContain($"{file}:3:28: error LR014: '2026-13-01' is not a date: there is no month 13; months run from 01 to 12");
            r.Stderr.ShouldContain($"{file}:4:50: error LR023: 'maybe' is not a value of statement.stance");
            r.Stderr.ShouldNotContain("   at ");
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Score_DuplicateVendorId_IsReportedAtBothFiles_EachNamingTheOther()
    {
        using var dir = new LicenseRisk.Tests.Hosting.TempDir();
        File.WriteAllText(dir["a.yaml"], "vendor:\n  id: same\n  name: First\nsignals: []\n");
        File.WriteAllText(dir["b.yaml"], "vendor:\n  id: same\n  name: Second\nsignals: []\n");
        var r = CliProcess.Run("score", dir.Path, "--as-of", "2026-03-05");
        r.ExitCode.ShouldBe(2);
        r.Stdout.ShouldBeEmpty();
        r.Stderr.ShouldBe(
            $"{dir["a.yaml"]}:2:7: error LR030: vendor id 'same' is used again by {dir["b.yaml"]}:2:7\n" +
            $"{dir["b.yaml"]}:2:7: error LR030: vendor id 'same' is already used by {dir["a.yaml"]}:2:7\n" +
            "2 errors\n");
    }

    [Fact]
    public void Score_BrokenRulePack_GivesLocatedErrorsAndExitTwo()
    {
        using var pack = new TestPack("""
            rules:
              - id: r
                title: t
                weight: 1
                when:
                  - signal: release
                    where: weights == 'closed'
            """);
        var r = CliProcess.Run("score", "samples/vendors", "--rules", pack.Dir);
        r.ExitCode.ShouldBe(2);
        r.Stderr.ShouldContain($"{pack.RulesFile}:7:27: error LR104: 'closed' is not a value of release.weights");
    }

    [Theory]
    [InlineData("--as-of", "yesterday", "--as-of: error LR901")]
    [InlineData("--horizon", "0", "--horizon: error LR902")]
    [InlineData("--fail-above", "1.5", "--fail-above: error LR903")]
    [InlineData("--fail-above", "NaN", "--fail-above: error LR903")]
    [InlineData("--horizon", "abc", "--horizon: error LR902: must be a whole number of months from 1 to 120, not 'abc'")]
    [InlineData("--as-of", "0001-01-01", "--as-of: error LR901: '0001-01-01' is outside the years 1900 to 2200")]
    [InlineData("--format", "pdf", "error LR900")]
    public void Score_BadOptions_ExitTwo(string option, string value, string message)
    {
        var r = CliProcess.InProcess("score", Repo.Path("samples/vendors"), option, value);
        r.ExitCode.ShouldBe(2);
        r.Stderr.ShouldContain(message);
    }

    [Fact]
    public void Score_MissingPath_ExitsTwo()
    {
        var r = CliProcess.InProcess("score", "/no/such/folder", "--as-of", "2026-03-05");
        r.ExitCode.ShouldBe(2);
        r.Stderr.ShouldContain("/no/such/folder: error LR001: no such file or folder");
    }

    [Fact]
    public void Score_Output_WritesTheFile()
    {
        var path = Path.Combine(Path.GetTempPath(), "lr-tests", Guid.NewGuid().ToString("n"), "out.json");
        var r = CliProcess.InProcess("score", Repo.Path("samples/vendors/allenai.yaml"), "--as-of", "2026-03-05", "--format", "json", "--output", path);
        r.ExitCode.ShouldBe(0);
        r.Stdout.ShouldBeEmpty();
        JsonDocument.Parse(File.ReadAllText(path)).RootElement.GetProperty("vendors")[0].GetProperty("id").GetString().ShouldBe("allenai");
        Directory.Delete(Path.GetDirectoryName(path)!, true);
    }

    [Fact]
    public void Score_JsonOutput_ABadDossierAfterAGoodOne_LeavesThePreviousFileWhole_AndNoTemporaryFile()
    {
        using var dir = new Hosting.TempDir();
        Directory.CreateDirectory(dir["vendors"]);
        File.Copy(Repo.Path("samples/vendors/allenai.yaml"), Path.Combine(dir["vendors"], "a.yaml"));
        File.WriteAllText(Path.Combine(dir["vendors"], "b.yaml"), "vendor: { id: b, name: B }\nsignals:\n  - kind: release\n    date: 2025-06-31\n");
        var path = dir["out.json"];
        File.WriteAllText(path, "previous");

        var r = CliProcess.InProcess("score", dir["vendors"], "--as-of", "2026-03-05", "--format", "json", "--output", path);

        r.ExitCode.ShouldBe(2, r.Stderr);
        r.Stderr.ShouldContain("b.yaml:4:");
        File.ReadAllText(path).ShouldBe("previous");
        Directory.GetFiles(dir.Path).ShouldBe([path]);
    }

    [Fact]
    public void Score_Horizon_ChangesTheProbabilityAsSpecified()
    {
        var twelve = CliProcess.InProcess("score", Repo.Path("samples/vendors/qwen.yaml"), "--as-of", "2026-03-05", "--format", "json");
        var six = CliProcess.InProcess("score", Repo.Path("samples/vendors/qwen.yaml"), "--as-of", "2026-03-05", "--format", "json", "--horizon", "6");
        var p12 = JsonDocument.Parse(twelve.Stdout).RootElement.GetProperty("vendors")[0].GetProperty("probability").GetDouble();
        var p6 = JsonDocument.Parse(six.Stdout).RootElement.GetProperty("vendors")[0].GetProperty("probability").GetDouble();
        p6.ShouldBe(1 - Math.Sqrt(1 - p12), 1e-3);
    }

    [Fact]
    public void TheInstalledCli_UsesServerGc_WithACappedGen0Budget()
    {
        // docs/performance.md: without the cap a run allocates about 90 MB before its first
        // collection; with the workstation GC, collections stall every core.
        var config = File.ReadAllText(Path.ChangeExtension(CliProcess.Dll, ".runtimeconfig.json"));
        using var doc = System.Text.Json.JsonDocument.Parse(config);
        var properties = doc.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");
        properties.GetProperty("System.GC.Gen0MaxBudget").GetInt64().ShouldBe(16 * 1024 * 1024);
        properties.GetProperty("System.GC.Server").GetBoolean().ShouldBeTrue();
    }
}
