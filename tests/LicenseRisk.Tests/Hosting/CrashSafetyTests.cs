using System.Text.Json;
using LicenseRisk.Tests.Cli;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace LicenseRisk.Tests.Hosting;

/// <summary>
/// Kills the real <c>licenserisk report</c> and <c>serve</c> processes (SIGKILL) inside their
/// writes (the history's transaction, a report's atomic write), many times, and checks after each kill that the previous report files are whole, the history is consistent
/// (SQLite integrity check, no half-stored run) and the next run succeeds.
/// </summary>
[Trait("Category", "Hostile")]
public sealed class CrashSafetyTests(ITestOutputHelper output) : IDisposable
{
    private const int Vendors = 120;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "lr-tests", Guid.NewGuid().ToString("n"));

    private string VendorsDir => Path.Combine(_dir, "vendors");

    private string OutDir => Path.Combine(_dir, "out");

    [Fact]
    public void Report_KilledInsideEachWrite_NeverLosesAReportOrCorruptsHistory()
    {
        WriteVendors();
        Run("2026-03-02").ExitCode.ShouldBe(0);
        AssertWhole(expectRuns: 1);

        // Runs alternate between the two writes a report makes: the history's transaction (its
        // rollback journal is on disk) and the reports' atomic writes (a temporary file is).
        // The history is saved before the reports, so a run killed at a report has committed it
        // (or rolled back the journal left before it), and the next history kill starts clean.
        // KillInside fails the test when no kill lands inside the write it aims at.
        for (var i = 0; i < 6; i++)
        {
            // A new ISO week each time, so a finished run adds a run and changes the files.
            var asOf = new DateOnly(2026, 3, 9).AddDays(7 * i).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            var target = i % 2 == 0 ? Write.History : Write.Report;
            (target == Write.Report || !File.Exists(Journal)).ShouldBeTrue("a history kill starts without a journal, or the old one could be taken for its own");
            var attempts = KillInside(target, "report", "--vendors", VendorsDir, "--out", OutDir, "--as-of", asOf, "-q");
            output.WriteLine($"run {i} as of {asOf}: killed inside its {target} write after {attempts} attempt(s)");
            AssertWhole(expectRuns: null);
        }

        var last = Run("2027-01-04");
        last.ExitCode.ShouldBe(0, last.Stderr);
        AssertWhole(expectRuns: null);
        File.Exists(Journal).ShouldBeFalse("the next run rolls the journal back");
        JsonDocument.Parse(File.ReadAllText(Path.Combine(OutDir, "report.json"))).RootElement.GetProperty("as_of").GetString().ShouldBe("2027-01-04");
    }

    [Fact]
    public void Serve_KilledInsideEachWriteOfItsRun_NeverLosesAReportOrCorruptsHistory()
    {
        WriteVendors();
        Run("2026-03-02").ExitCode.ShouldBe(0);
        AssertWhole(expectRuns: 1);

        for (var i = 0; i < 4; i++)
        {
            var target = i % 2 == 0 ? Write.History : Write.Report;
            (target == Write.Report || !File.Exists(Journal)).ShouldBeTrue("a history kill starts without a journal");
            var attempts = KillInside(target, "serve", "--vendors", VendorsDir, "--out", OutDir, "--run-at-start", "--urls", "http://127.0.0.1:0", "--LicenseRisk:Collect:Enabled=false");
            output.WriteLine($"serve {i}: killed inside its {target} write after {attempts} attempt(s)");
            AssertWhole(expectRuns: null);
        }

        var last = Run("2027-01-04");
        last.ExitCode.ShouldBe(0, last.Stderr);
        AssertWhole(expectRuns: null);
    }

    [Fact]
    public void History_LeftWithAHotJournal_IsRecoveredByTheNextRun()
    {
        // What a kill inside a transaction leaves, made deterministically: the database and its
        // rollback journal copied while a transaction that replaced every run is still open
        // (pages spilled to the file), then the copy given to the next run.
        WriteVendors();
        Run("2026-03-02").ExitCode.ShouldBe(0);
        var history = Path.Combine(OutDir, "history.db");
        var crashed = Path.Combine(_dir, "crashed");
        Directory.CreateDirectory(crashed);
        using (var writer = new SqliteConnection($"Data Source={history};Pooling=False"))
        {
            writer.Open();
            using var tx = writer.BeginTransaction();
            using var cmd = writer.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "PRAGMA cache_size = 1; DELETE FROM runs; DELETE FROM scores; DELETE FROM contributions; DELETE FROM run_signals;";
            cmd.ExecuteNonQuery();
            File.Exists(history + "-journal").ShouldBeTrue("the open transaction has a journal");
            File.Copy(history, Path.Combine(crashed, "history.db"));
            File.Copy(history + "-journal", Path.Combine(crashed, "history.db-journal"));
        }

        // A read-only look at the copy fails: the journal must be rolled back first.
        using (var readOnly = new SqliteConnection($"Data Source={Path.Combine(crashed, "history.db")};Mode=ReadOnly;Pooling=False"))
        {
            readOnly.Open();
            using var count = readOnly.CreateCommand();
            count.CommandText = "SELECT COUNT(*) FROM runs";
            Should.Throw<SqliteException>(() => count.ExecuteScalar()).SqliteErrorCode.ShouldBe(8);
        }

        // The next run opens it read-write: the half-done replacement is undone, the run is back.
        using (var store = LicenseRisk.Hosting.History.HistoryStore.Open(Path.Combine(crashed, "history.db")))
        {
            store.RunCount().ShouldBe(1);
        }

        File.Exists(Path.Combine(crashed, "history.db-journal")).ShouldBeFalse();
        var next = CliProcess.Run("report", "--vendors", VendorsDir, "--out", crashed, "--as-of", "2026-03-09", "-q");
        next.ExitCode.ShouldBe(0, next.Stderr);
        using var db = new SqliteConnection($"Data Source={Path.Combine(crashed, "history.db")};Mode=ReadOnly;Pooling=False");
        db.Open();
        using var runs = db.CreateCommand();
        runs.CommandText = "SELECT COUNT(*) FROM runs";
        runs.ExecuteScalar().ShouldBe(2L);
    }

    private void WriteVendors()
    {
        Directory.CreateDirectory(VendorsDir);
        var template = File.ReadAllText(Repo.Path("samples/vendors/qwen.yaml"));
        for (var i = 0; i < Vendors; i++)
        {
            File.WriteAllText(Path.Combine(VendorsDir, $"v{i:000}.yaml"), template.Replace("  id: qwen", $"  id: v{i:000}", StringComparison.Ordinal));
        }
    }

    private CliResult Run(string asOf) =>
        CliProcess.Run("report", "--vendors", VendorsDir, "--out", OutDir, "--as-of", asOf, "-q");

    private string Journal => Path.Combine(OutDir, "history.db-journal");

    /// <summary>The two writes a run makes that a kill can interrupt.</summary>
    private enum Write
    {
        History,
        Report,
    }

    /// <summary>
    /// Starts the program and kills it (SIGKILL) the moment <paramref name="target"/> is under
    /// way: the history's rollback journal, or a report's temporary file, appears in the output
    /// folder. The kill counts only if that file is still there afterwards (the write was cut
    /// short, not finished between the look and the kill); otherwise it starts again, at most
    /// <see cref="MaxAttempts"/> times. Returns the attempts it took.
    /// </summary>
    private int KillInside(Write target, params string[] args)
    {
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var before = InFlight(target);
            using var p = CliProcess.Start(args, out _, out var stderr);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (!p.HasExited && InFlight(target).Except(before).FirstOrDefault() is null && clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                // A millisecond between looks: the writes last longer, and a busy loop would take
                // a core from the tests that time the program.
                Thread.Sleep(1);
            }

            // The program is the process itself (no children): one SIGKILL, without first walking
            // the process tree, which takes long enough for a report's write to finish.
            p.Kill();
            p.WaitForExit(10_000).ShouldBeTrue();
            (p.ExitCode is 0 or 137 or -1).ShouldBeTrue($"exit {p.ExitCode}: {stderr.Result}");
            if (InFlight(target).Except(before).Any())
            {
                return attempt;
            }

            output.WriteLine($"  attempt {attempt}: the {target} write finished before the kill");
        }

        throw new ShouldAssertException($"no kill landed inside the {target} write in {MaxAttempts} attempts");
    }

    private const int MaxAttempts = 8;

    private HashSet<string> InFlight(Write target)
    {
        if (target == Write.History)
        {
            return File.Exists(Journal) ? [Journal] : [];
        }

        return Directory.Exists(OutDir) ? [.. Directory.EnumerateFiles(OutDir, "*.tmp")] : [];
    }

    private void AssertWhole(int? expectRuns)
    {
        var json = File.ReadAllText(Path.Combine(OutDir, "report.json"));
        var root = JsonDocument.Parse(json).RootElement;
        root.GetProperty("vendors").GetArrayLength().ShouldBe(Vendors);
        File.ReadAllText(Path.Combine(OutDir, "report.html")).TrimEnd().ShouldEndWith("</html>");
        File.ReadAllText(Path.Combine(OutDir, "report.md")).ShouldContain("v119");

        // A copy is checked, read-write, as the next run would open it: a process killed inside a
        // transaction leaves a hot rollback journal, which SQLite rolls back on the next open and
        // a read-only connection cannot (SQLite error 8, "attempt to write a readonly database").
        // The original and its journal are left for the next real run to recover.
        var copy = Path.Combine(_dir, "check-" + Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(copy);
        foreach (var suffix in new[] { string.Empty, "-journal", "-wal", "-shm" })
        {
            var file = Path.Combine(OutDir, "history.db" + suffix);
            if (File.Exists(file))
            {
                File.Copy(file, Path.Combine(copy, "history.db" + suffix));
                if (suffix == "-journal")
                {
                    output.WriteLine("  (a rollback journal was left behind)");
                }
            }
        }

        using var db = new SqliteConnection($"Data Source={Path.Combine(copy, "history.db")};Mode=ReadWrite;Pooling=False");
        db.Open();
        using (var check = db.CreateCommand())
        {
            check.CommandText = "PRAGMA integrity_check";
            check.ExecuteScalar().ShouldBe("ok");
        }

        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT r.id, (SELECT COUNT(*) FROM scores s WHERE s.run_id = r.id) FROM runs r";
        using var reader = cmd.ExecuteReader();
        var runs = 0;
        while (reader.Read())
        {
            runs++;
            reader.GetInt64(1).ShouldBe(Vendors, "a run was stored without all its vendors");
        }

        if (expectRuns is { } n)
        {
            runs.ShouldBe(n);
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dir, true);
        }
        catch (IOException)
        {
        }
    }
}

public sealed class ReportPolicyTests
{
    [Fact]
    public void Report_WithAPolicy_ScoresUnderIt()
    {
        var dir = Path.Combine(Path.GetTempPath(), "lr-tests", Guid.NewGuid().ToString("n"));
        try
        {
            Directory.CreateDirectory(dir);
            var policy = Path.Combine(dir, "policy.yaml");
            File.WriteAllText(policy, "prior: 0.5\n");
            var plain = CliProcess.InProcess("report", "--vendors", Repo.Path("samples/vendors"), "--out", Path.Combine(dir, "a"), "--as-of", "2026-03-05", "-q");
            var withPolicy = CliProcess.InProcess("report", "--vendors", Repo.Path("samples/vendors"), "--out", Path.Combine(dir, "b"), "--as-of", "2026-03-05", "--policy", policy, "-q");
            plain.ExitCode.ShouldBe(0, plain.Stderr);
            withPolicy.ExitCode.ShouldBe(0, withPolicy.Stderr);
            double Qwen(string sub) => JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, sub, "report.json"))).RootElement
                .GetProperty("vendors").EnumerateArray().Single(v => v.GetProperty("id").GetString() == "qwen").GetProperty("probability").GetDouble();
            Qwen("b").ShouldBeGreaterThan(Qwen("a") + 0.1);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, true);
        }
    }
}

public sealed class ServePolicyTests
{
    [Fact]
    public async Task Serve_WithAPolicy_ScoresUnderIt()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["policy.yaml"], "prior: 0.9\n");
        var json = dir["out/report.json"];
        using (var p = CliProcess.Start(["serve", "--vendors", Repo.Path("samples/vendors"), "--out", dir["out"], "--policy", dir["policy.yaml"], "--run-at-start", "--urls", "http://127.0.0.1:0", "--LicenseRisk:Collect:Enabled=false"], out _, out var stderr))
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!File.Exists(json) && DateTime.UtcNow < deadline && !p.HasExited)
            {
                Thread.Sleep(200);
            }

            var exited = p.HasExited;
            p.Kill(entireProcessTree: true);
            p.WaitForExit(10_000).ShouldBeTrue();
            File.Exists(json).ShouldBeTrue(exited ? $"serve exited: {await stderr}" : "no report within 60 s");
        }

        var vendors = JsonDocument.Parse(File.ReadAllText(json)).RootElement.GetProperty("vendors");
        vendors.EnumerateArray().ShouldAllBe(v => v.GetProperty("probability").GetDouble() > 0.5);
    }
}
