using System.Text.Json;
using LicenseRisk.Tests.Cli;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace LicenseRisk.Tests.Hosting;

/// <summary>
/// Kills the real <c>licenserisk report</c> process (SIGKILL) at random points, many times, and
/// checks after each kill that the previous report files are whole, the history is consistent
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
    public void Report_KilledAtRandomPoints_NeverLosesAReportOrCorruptsHistory()
    {
        WriteVendors();
        Run("2026-03-02").ExitCode.ShouldBe(0);
        AssertWhole(expectRuns: 1);

        var random = new Random(20261129);
        var kills = 0;
        for (var i = 0; i < 10; i++)
        {
            // A new ISO week each time, so a finished run adds a run and changes the files.
            var asOf = new DateOnly(2026, 3, 9).AddDays(7 * i).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            var delay = random.Next(100, 4000);
            var finished = RunAndKill(asOf, delay);
            kills += finished ? 0 : 1;
            output.WriteLine($"run {i} as of {asOf}: {(finished ? "finished" : $"killed after {delay} ms")}");
            AssertWhole(expectRuns: null);
        }

        output.WriteLine($"{kills} of 10 runs killed mid-way");
        var last = Run("2027-01-04");
        last.ExitCode.ShouldBe(0, last.Stderr);
        AssertWhole(expectRuns: null);
        JsonDocument.Parse(File.ReadAllText(Path.Combine(OutDir, "report.json"))).RootElement.GetProperty("as_of").GetString().ShouldBe("2027-01-04");
    }

    [Fact]
    public void Serve_KilledDuringItsRun_NeverLosesAReportOrCorruptsHistory()
    {
        WriteVendors();
        Run("2026-03-02").ExitCode.ShouldBe(0);
        AssertWhole(expectRuns: 1);

        var random = new Random(29112026);
        for (var i = 0; i < 6; i++)
        {
            var delay = random.Next(300, 5000);
            var finished = RunAndKill(delay, "serve", "--vendors", VendorsDir, "--out", OutDir, "--run-at-start");
            finished.ShouldBeFalse("serve keeps running after its first report");
            output.WriteLine($"serve {i}: killed after {delay} ms");
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

    private bool RunAndKill(string asOf, int delayMs) =>
        RunAndKill(delayMs, "report", "--vendors", VendorsDir, "--out", OutDir, "--as-of", asOf, "-q");

    private static bool RunAndKill(int delayMs, params string[] args)
    {
        using var p = CliProcess.Start(args, out _, out _);
        if (p.WaitForExit(delayMs))
        {
            return true;
        }

        p.Kill(entireProcessTree: true);
        p.WaitForExit(10_000).ShouldBeTrue();
        return false;
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
        using (var p = CliProcess.Start(["serve", "--vendors", Repo.Path("samples/vendors"), "--out", dir["out"], "--policy", dir["policy.yaml"], "--run-at-start"], out _, out var stderr))
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
