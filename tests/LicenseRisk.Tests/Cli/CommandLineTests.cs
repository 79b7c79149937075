using LicenseRisk.Tests.Hosting;

namespace LicenseRisk.Tests.Cli;

/// <summary>The command line itself: typed options, unknown options, output spellings, serve's settings.</summary>
public sealed class CommandLineTests
{
    private static readonly string Vendors = Repo.Path("samples/vendors");
    private static readonly string Qwen = Repo.Path("samples/vendors/qwen.yaml");
    private static readonly string Cases = Repo.Path("samples/cases");

    [Fact]
    public void UnknownOption_AmongPaths_IsAnUnknownOption_NotTwoMissingPaths()
    {
        var r = CliProcess.InProcess("score", Vendors, "--frmat", "json");
        r.ExitCode.ShouldBe(2, r.Stderr);
        r.Stderr.ShouldContain("--frmat: error LR900: unknown option for 'score'; did you mean '--format'?");
        r.Stderr.ShouldNotContain("LR001");
        r.Stdout.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("backtest", "--polcy", "--policy")]
    [InlineData("rules", "lint", null)]
    public void UnknownOption_OfOtherCommands_IsAnError(string command, string token, string? hint)
    {
        string[] args = command == "rules" ? ["rules", "lint", "--qiet"] : [command, Cases, token];
        var r = CliProcess.InProcess(args);
        r.ExitCode.ShouldBe(2, r.Stderr);
        r.Stderr.ShouldContain($"{args[^1]}: error LR900: unknown option");
        r.Stderr.ShouldContain(hint is null ? "did you mean '--quiet'?" : $"did you mean '{hint}'?");
    }

    [Fact]
    public void AFileNamedLikeAnOption_AfterDoubleDash_IsStillAPath()
    {
        using var dir = new TempDir();
        var file = dir["-acme.yaml"];
        File.Copy(Qwen, file);
        var r = CliProcess.InProcess("score", "--as-of", "2026-03-05", "-q", "--", file);
        r.ExitCode.ShouldBe(0, r.Stderr);
        r.Stdout.ShouldContain("qwen");
    }

    [Fact]
    public void BadValues_AreReportedAtTheirOptions_AllAtOnce()
    {
        var r = CliProcess.InProcess("score", Qwen, "--as-of", "2025-06-31", "--horizon", "0", "--fail-above", "NaN");
        r.ExitCode.ShouldBe(2, r.Stderr);
        r.Stderr.ShouldBe(string.Join(Environment.NewLine,
            "--as-of: error LR901: '2025-06-31' is not a date: June has 30 days",
            "--fail-above: error LR903: must be a probability from 0 to 1, not 'NaN'",
            "--horizon: error LR902: must be a whole number of months from 1 to 120, not '0'",
            "3 errors",
            string.Empty));
        r.Stdout.ShouldBeEmpty();
    }

    [Fact]
    public void Report_BadDateAndMissingVendors_BothReported()
    {
        using var dir = new TempDir();
        var r = CliProcess.InProcess("report", "--vendors", dir["nope"], "--output-dir", dir["out"], "--as-of", "someday");
        r.ExitCode.ShouldBe(2, r.Stderr);
        r.Stderr.ShouldContain("--as-of: error LR901: must be a date YYYY-MM-DD, not 'someday'");
        r.Stderr.ShouldContain($"{dir["nope"]}: error LR906: --vendors: no such folder");
        r.Stderr.ShouldContain("2 errors");
        Directory.Exists(dir["out"]).ShouldBeFalse();
    }

    [Fact]
    public void BadValueAndUnknownOption_BothReported_WithTheUsageHint()
    {
        var r = CliProcess.InProcess("score", Qwen, "--as-of", "tomorrow", "--fial-on", "high");
        r.ExitCode.ShouldBe(2, r.Stderr);
        r.Stderr.ShouldContain("--as-of: error LR901: must be a date YYYY-MM-DD, not 'tomorrow'");
        r.Stderr.ShouldContain("--fial-on: error LR900: unknown option for 'score'; did you mean '--fail-on'?");
        r.Stderr.ShouldContain("Run 'licenserisk --help' for usage.");
    }

    [Theory]
    [InlineData("--output")]
    [InlineData("-o")]
    public void Score_OutputFile_BothSpellings(string spelling)
    {
        using var dir = new TempDir();
        var r = CliProcess.InProcess("score", Qwen, "--as-of", "2026-03-05", "--format", "json", spelling, dir["s.json"]);
        r.ExitCode.ShouldBe(0, r.Stderr);
        r.Stdout.ShouldBeEmpty();
        dir.Read("s.json").ShouldContain("\"schema\": \"licenserisk.score/1\"");
    }

    [Fact]
    public void Calibrate_OutputAndTheOldOut_WriteTheSameOverlay()
    {
        using var dir = new TempDir();
        var viaOutput = CliProcess.InProcess("calibrate", Cases, "--output", dir["a.yaml"], "-q");
        var viaOut = CliProcess.InProcess("calibrate", Cases, "--out", dir["b.yaml"], "-q");
        viaOutput.ExitCode.ShouldBe(0, viaOutput.Stderr);
        viaOut.ExitCode.ShouldBe(0, viaOut.Stderr);
        dir.Read("a.yaml").ShouldStartWith("# Written by 'licenserisk calibrate'");
        dir.Read("a.yaml").ShouldBe(dir.Read("b.yaml"));
    }

    [Fact]
    public void Calibrate_WithoutAnOutputFile_IsAnError()
    {
        var r = CliProcess.InProcess("calibrate", Cases);
        r.ExitCode.ShouldBe(2, r.Stderr);
        r.Stderr.ShouldContain("licenserisk: error LR900: Option '--output' is required.");
    }

    [Fact]
    public void Report_OutputDirAndTheOldOut_WriteTheSameReport()
    {
        using var dir = new TempDir();
        var viaOutputDir = CliProcess.InProcess("report", "--vendors", Vendors, "--output-dir", dir["a"], "--as-of", "2026-03-05", "-q");
        var viaOut = CliProcess.InProcess("report", "--vendors", Vendors, "--out", dir["b"], "--as-of", "2026-03-05", "-q");
        viaOutputDir.ExitCode.ShouldBe(0, viaOutputDir.Stderr);
        viaOut.ExitCode.ShouldBe(0, viaOut.Stderr);
        dir.Read("a/report.json").ShouldBe(dir.Read("b/report.json"));
    }

    [Fact]
    public void ServeHelp_ListsItsOptions_AndNoAdditionalArguments()
    {
        var r = CliProcess.InProcess("serve", "--help");
        r.ExitCode.ShouldBe(0, r.Stderr);
        r.Stdout.ShouldContain("--output-dir <DIR>");
        r.Stdout.ShouldNotContain("additional arguments", Case.Insensitive);
    }

    [Theory]
    [InlineData("score")]
    [InlineData("whatif")]
    [InlineData("report")]
    public void Help_AsOf_SaysToday_WithoutADateInAnotherFormat(string command)
    {
        var r = CliProcess.InProcess(command, "--help");
        r.ExitCode.ShouldBe(0, r.Stderr);
        var line = r.Stdout.Split('\n').Single(l => l.TrimStart().StartsWith("--as-of", StringComparison.Ordinal));
        line.ShouldContain("--as-of <YYYY-MM-DD>");
        line.ShouldContain("(default: today, UTC)");
        line.ShouldNotContain("[default:");
        r.Stdout.ShouldContain("--rules <DIR>");
        r.Stdout.ShouldContain("--policy <FILE>");
    }

    [Theory]
    [InlineData(new[] { "scor", "samples/vendors", "--format", "json" }, "licenserisk: error LR900: unknown command 'scor'; did you mean 'score'?")]
    [InlineData(new[] { "rules", "lnt" }, "licenserisk: error LR900: unknown command 'lnt' of 'licenserisk rules'; did you mean 'lint'?")]
    [InlineData(new[] { "frobnicate" }, "licenserisk: error LR900: unknown command 'frobnicate'")]
    public void UnknownCommand_IsOneLine_WithTheClosestCommand(string[] args, string expected)
    {
        var r = CliProcess.InProcess(args);
        r.ExitCode.ShouldBe(2, r.Stderr);
        r.Stdout.ShouldBeEmpty();
        r.Stderr.ShouldBe($"{expected}\nRun 'licenserisk --help' for usage.\n");
    }

    [Fact]
    public void Score_WithoutAsOf_IsAsOfToday()
    {
        var before = DateTime.UtcNow;
        var r = CliProcess.InProcess("score", Path.Combine(Vendors, "qwen.yaml"), "--format", "json");
        var after = DateTime.UtcNow;
        r.ExitCode.ShouldBe(0, r.Stderr);
        // The day the run started or, across midnight, the next one.
        (r.Stdout.Contains($"\"as_of\": \"{before:yyyy-MM-dd}\"", StringComparison.Ordinal)
            || r.Stdout.Contains($"\"as_of\": \"{after:yyyy-MM-dd}\"", StringComparison.Ordinal)).ShouldBeTrue(r.Stdout[..200]);
    }

    [Theory]
    [InlineData("-o")]
    [InlineData("--json-output")]
    [InlineData("--fail-on", "high", "--rules")]
    public void Score_AnOptionWithoutItsValue_IsLR900_NotACrash(params string[] options)
    {
        var r = CliProcess.InProcess(["score", Vendors, .. options]);
        r.ExitCode.ShouldBe(2, r.Stderr);
        r.Stderr.ShouldContain($"licenserisk: error LR900: Required argument missing for option: '{options[^1]}'.");
        r.Stderr.ShouldContain("Run 'licenserisk --help' for usage.");
        r.Stderr.ShouldNotContain("Exception");
        r.Stdout.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("whatif", "QWEN", "--add")]
    [InlineData("whatif", "QWEN", "--add-file")]
    [InlineData("whatif", "QWEN", "--remove")]
    [InlineData("whatif", "QWEN", "--set")]
    [InlineData("review", "QWEN", "--accept", "c1", "--reason", "r", "--set")]
    public void ARepeatableOptionWithoutItsValue_IsLR900_NotAnEditLeftOut(params string[] args)
    {
        // Before, `whatif FILE --add` printed the base alone and exited 0, as if no edit were asked.
        string[] line = [.. args.Select(a => a == "QWEN" ? Qwen : a)];
        var r = CliProcess.InProcess(line);
        r.ExitCode.ShouldBe(2, r.Stderr);
        r.Stderr.ShouldContain($"licenserisk: error LR900: Required argument missing for option: '{args[^1]}'.");
        r.Stdout.ShouldBeEmpty();
    }

    [Fact]
    public void Serve_UnknownOption_IsAnError_NotASetting()
    {
        var r = CliProcess.InProcess("serve", "--vendor", Vendors);
        r.ExitCode.ShouldBe(2, r.Stderr);
        r.Stderr.ShouldContain("--vendor: error LR900: unknown option for 'serve'; did you mean '--vendors'?");
        r.Stderr.ShouldNotContain("Unrecognized command or argument");
    }

    [Fact]
    public void Report_MisspeltOption_IsLocatedAtTheOption_WithAHint_AndItsValueIsNotReportedAgain()
    {
        using var dir = new TempDir();
        var r = CliProcess.InProcess("report", "--vendor", Vendors, "--output-dir", dir["out"], "--histroy", dir["h.db"]);
        r.ExitCode.ShouldBe(2, r.Stderr);
        r.Stderr.ShouldContain("--vendor: error LR900: unknown option for 'report'; did you mean '--vendors'?");
        r.Stderr.ShouldContain("--histroy: error LR900: unknown option for 'report'; did you mean '--history'?");
        r.Stderr.ShouldContain("licenserisk: error LR900: Option '--vendors' is required.");
        r.Stderr.ShouldNotContain("Unrecognized command or argument");
        r.Stderr.ShouldContain("Run 'licenserisk --help' for usage.");
        r.Stdout.ShouldBeEmpty();
        Directory.Exists(dir["out"]).ShouldBeFalse();
    }

    [Theory]
    [InlineData("whatif", "FOLDER")]
    [InlineData("score", "QWEN", "--policy", "FOLDER")]
    public void AFolderWhereAFileBelongs_SaysSo(params string[] args)
    {
        string[] line = [.. args.Select(a => a == "FOLDER" ? Vendors : a == "QWEN" ? Qwen : a)];
        var r = CliProcess.InProcess(line);
        r.ExitCode.ShouldBe(2, r.Stderr);
        r.Stderr.ShouldContain($"{Vendors}: error LR001: is a folder; a file is expected here");
        r.Stdout.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("score", "VENDORS", "--frmat=json", "--frmat: error LR900: unknown option for 'score'; did you mean '--format'?")]
    [InlineData("report", "--vendor=VENDORS", "--out", "OUT", "--vendor: error LR900: unknown option for 'report'; did you mean '--vendors'?")]
    public void AMisspeltOptionWithItsValueAfterEquals_IsLocatedAtTheOption_WithAHint(params string[] args)
    {
        using var dir = new TempDir();
        string[] line = [.. args[..^1].Select(a => a.Replace("VENDORS", Vendors, StringComparison.Ordinal).Replace("OUT", dir["out"], StringComparison.Ordinal))];
        var r = CliProcess.InProcess(line);
        r.ExitCode.ShouldBe(2, r.Stderr);
        r.Stderr.ShouldContain(args[^1]);
        r.Stdout.ShouldBeEmpty();
    }

    [Fact]
    public void AFileWhereAFolderBelongs_OrAFolderForServesConfig_SaysSo()
    {
        var rules = CliProcess.InProcess("score", Vendors, "--rules", Qwen);
        rules.ExitCode.ShouldBe(2, rules.Stderr);
        rules.Stderr.ShouldContain($"{Qwen}: error LR001: is a file; a rule pack is a folder holding pack.yaml");

        var config = CliProcess.InProcess("serve", "--vendors", Vendors, "--config", Vendors);
        config.ExitCode.ShouldBe(2, config.Stderr);
        config.Stderr.ShouldContain($"{Vendors}: error LR910: --config: is a folder; a file is expected here");
    }

    [Fact]
    public void Version_Misspelt_IsAnUnknownOption_WithAHint()
    {
        var r = CliProcess.InProcess("--verison");
        r.ExitCode.ShouldBe(2, r.Stderr);
        r.Stderr.ShouldContain("--verison: error LR900: unknown option for 'licenserisk'; did you mean '--version'?");
        r.Stderr.ShouldNotContain("Unrecognized command or argument");
        r.Stdout.ShouldBeEmpty();
    }

    [Fact]
    public void Init_UnknownOption_AfterItsFolder_IsAnUnknownOption()
    {
        using var dir = new TempDir();
        var r = CliProcess.InProcess("init", dir["watch"], "--froce");
        r.ExitCode.ShouldBe(2, r.Stderr);
        r.Stderr.ShouldContain("--froce: error LR900: unknown option for 'init'");
        Directory.Exists(dir["watch"]).ShouldBeFalse();
    }

    [Fact]
    public void AMisspeltSwitch_DoesNotSwallowTheNextWord_BothAreReportedInOneRun()
    {
        using var dir = new TempDir();
        var r = CliProcess.InProcess("report", "--vendors", Vendors, "--output-dir", dir["out"], "--qiuet", "extra");
        ShouldBeRejectedWith(
            r,
            "--qiuet: error LR900: unknown option for 'report'; did you mean '--quiet'?",
            "licenserisk: error LR900: Unrecognized command or argument 'extra'.");
        r.Stdout.ShouldBeEmpty();
        Directory.Exists(dir["out"]).ShouldBeFalse();
    }

    [Fact]
    public void AMisspeltOptionThatNeedsAValue_TakesTheNextWord_ButNotTheOneAfter()
    {
        using var dir = new TempDir();
        var r = CliProcess.InProcess("report", "--vendors", Vendors, "--output-dir", dir["out"], "--histroy", dir["h.db"], "extra");
        ShouldBeRejectedWith(
            r,
            "--histroy: error LR900: unknown option for 'report'; did you mean '--history'?",
            "licenserisk: error LR900: Unrecognized command or argument 'extra'.");
    }

    [Fact]
    public void AMisspeltSwitch_BeforeAnotherOption_LeavesThatOptionAlone()
    {
        using var dir = new TempDir();
        var r = CliProcess.InProcess("report", "--vendors", Vendors, "--output-dir", dir["out"], "--qiuet", "--as-of", "2026-03-05");
        ShouldBeRejectedWith(r, "--qiuet: error LR900: unknown option for 'report'; did you mean '--quiet'?");
    }

    [Theory]
    [InlineData("init", "--froce", "DIR", "--froce: error LR900: unknown option for 'init'")]
    [InlineData("rules", "test", "--rule", "x", "--rule: error LR900: unknown option for 'rules test'")]
    public void AMisspeltOptionBeforeAPath_IsTheOnlyProblem(params string[] args)
    {
        using var dir = new TempDir();
        string[] line = [.. args[..^1].Select(a => a is "DIR" or "x" ? dir[a] : a)];
        var r = CliProcess.InProcess(line);
        ShouldBeRejectedWith(r, args[^1]);
        r.Stdout.ShouldBeEmpty();
        Directory.Exists(dir["DIR"]).ShouldBeFalse();
    }

    [Fact]
    public void AMisspeltOptionBeforeAPath_AndAWordTooMany_ReportsBoth()
    {
        using var dir = new TempDir();
        var r = CliProcess.InProcess("init", "--froce", dir["watch"], "extra");
        ShouldBeRejectedWith(
            r,
            "--froce: error LR900: unknown option for 'init'",
            "licenserisk: error LR900: Unrecognized command or argument 'extra'.");
    }

    [Theory]
    [InlineData("test")]
    [InlineData("lint")]
    public void UnknownOption_OfASubcommand_NamesTheWholeCommand(string sub)
    {
        var r = CliProcess.InProcess("rules", sub, "--qiet");
        ShouldBeRejectedWith(r, $"--qiet: error LR900: unknown option for 'rules {sub}'; did you mean '--quiet'?");
    }

    /// <summary>Exit 2, and on stderr exactly these errors, a line each, then the usage hint.</summary>
    private static void ShouldBeRejectedWith(CliResult r, params string[] errors)
    {
        r.ExitCode.ShouldBe(2, r.Stderr);
        r.Stderr.ShouldBe(string.Join(Environment.NewLine, [.. errors, "Run 'licenserisk --help' for usage.", string.Empty]));
    }

    [Fact]
    public void Serve_SettingsOnTheCommandLine_ReachTheHost_InBothForms()
    {
        using var dir = new TempDir();
        var r = CliProcess.InProcess("serve", "--LicenseRisk:Vendors", dir["missing"], "--LicenseRisk:Schedule=every monday");
        r.ExitCode.ShouldBe(2, r.Stderr);
        r.Stderr.ShouldContain($"error LR911: LicenseRisk:Vendors: no such folder '{dir["missing"]}'");
        r.Stderr.ShouldContain("error LR911: LicenseRisk:Schedule: 'every monday' is not a cron expression");
        r.Stderr.ShouldNotContain("LR900");
    }

    [Fact]
    public void Serve_MissingConfigFile_IsLocatedAtTheFile()
    {
        using var dir = new TempDir();
        var r = CliProcess.InProcess("serve", "--config", dir["nope.json"]);
        r.ExitCode.ShouldBe(2, r.Stderr);
        r.Stderr.ShouldContain($"{dir["nope.json"]}: error LR910: --config: no such file");
    }
}
