using System.Globalization;
using LicenseRisk.Hosting.Reports;
using LicenseRisk.Model;
using Microsoft.Data.Sqlite;
using LicenseRisk.Presentation.Report;

namespace LicenseRisk.Hosting.History;

/// <summary>One vendor's stored score in one run.</summary>
public sealed record StoredScore(string Vendor, double Probability, double Low, double High, string Band, IReadOnlySet<string> Signals);

/// <summary>
/// Every report run in SQLite: scores, contributions and the signals considered, keyed by
/// vendor, as-of day and pack hash. One run per ISO week: a re-run replaces that week's run.
/// </summary>
public sealed class HistoryStore : IDisposable
{
    private readonly SqliteConnection _db;

    private HistoryStore(SqliteConnection db) => _db = db;

    /// <summary>Opens (creating and migrating) a history database; a file that is not one is a <see cref="HistoryException"/>.</summary>
    public static HistoryStore Open(string path)
    {
        SqliteConnection? db = null;
        try
        {
            if (Directory.Exists(path))
            {
                throw new HistoryException(path, "it is a folder");
            }

            var dir = Path.GetDirectoryName(Path.GetFullPath(path));
            if (dir is not null)
            {
                Directory.CreateDirectory(dir);
            }

            db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
            db.Open();
            Exec(db, null, "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;");
            HistorySchema.Migrate(db);
            return new HistoryStore(db);
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            db?.Dispose();
            throw new HistoryException(path, ex is SqliteException ? $"not a usable LicenseRisk history database ({ex.Message})" : ex.Message);
        }
    }

    public int SchemaVersion => HistorySchema.CurrentVersion(_db);

    /// <summary>Stores a run, replacing the run of the same ISO week, in one transaction.</summary>
    public void Save(string packName, string packVersion, string packSha256, DateOnly asOf, int horizon, IReadOnlyList<VendorScore> scores)
    {
        using var tx = _db.BeginTransaction();
        var week = WeeklyReport.Week(asOf);
        Exec(_db, tx, "DELETE FROM runs WHERE iso_week = $w", ("$w", week));
        var runId = Convert.ToInt64(Scalar(_db, tx,
            "INSERT INTO runs (iso_week, as_of, pack_name, pack_version, pack_sha256, horizon_months) VALUES ($w, $a, $n, $v, $s, $h) RETURNING id",
            ("$w", week), ("$a", IsoDate.Format(asOf)), ("$n", packName), ("$v", packVersion), ("$s", packSha256), ("$h", horizon)), CultureInfo.InvariantCulture);
        // One prepared statement per table, its parameters set per row: SQLite parses each once,
        // not once a row (a 1,000-vendor run stores about 45,000 rows).
        using var score = Prepared(tx, "INSERT INTO scores (run_id, vendor, name, probability, low, high, band) VALUES ($r, $v, $n, $p, $l, $h, $b)", "$r", "$v", "$n", "$p", "$l", "$h", "$b");
        using var contribution = Prepared(tx, "INSERT INTO contributions (run_id, vendor, rule, rule_group, contribution, because) VALUES ($r, $v, $u, $g, $c, $b)", "$r", "$v", "$u", "$g", "$c", "$b");
        using var signal = Prepared(tx, "INSERT INTO run_signals (run_id, vendor, signal_key) VALUES ($r, $v, $k)", "$r", "$v", "$k");
        foreach (var s in scores)
        {
            Run(score, runId, s.Id, s.Name, s.Probability, s.Low, s.High, s.Band);
            foreach (var c in s.Contributions)
            {
                Run(contribution, runId, s.Id, c.Rule, (object?)c.Group ?? DBNull.Value, c.Value, c.Because);
            }

            foreach (var key in SignalKeys.Considered(s).Distinct(StringComparer.Ordinal))
            {
                Run(signal, runId, s.Id, key);
            }
        }

        tx.Commit();
    }

    /// <summary>
    /// The newest run of an earlier ISO week than <paramref name="asOf"/>'s, with the same horizon
    /// (probabilities over different horizons are not comparable).
    /// </summary>
    public (PreviousRun Run, IReadOnlyDictionary<string, StoredScore> Scores)? Previous(DateOnly asOf, int? horizonMonths = null)
    {
        using var cmd = Command(_db, null,
            "SELECT id, as_of, iso_week, pack_sha256 FROM runs WHERE iso_week < $w AND ($h IS NULL OR horizon_months = $h) ORDER BY iso_week DESC LIMIT 1",
            ("$w", WeeklyReport.Week(asOf)), ("$h", (object?)horizonMonths ?? DBNull.Value));
        long id;
        PreviousRun run;
        using (var r = cmd.ExecuteReader())
        {
            if (!r.Read())
            {
                return null;
            }

            id = r.GetInt64(0);
            run = new PreviousRun(ParseDate(r.GetString(1)), r.GetString(2), r.GetString(3));
        }

        var signals = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        using (var sc = Command(_db, null, "SELECT vendor, signal_key FROM run_signals WHERE run_id = $r", ("$r", id)))
        using (var r = sc.ExecuteReader())
        {
            while (r.Read())
            {
                var v = r.GetString(0);
                if (!signals.TryGetValue(v, out var set))
                {
                    signals[v] = set = new HashSet<string>(StringComparer.Ordinal);
                }

                set.Add(r.GetString(1));
            }
        }

        var scores = new Dictionary<string, StoredScore>(StringComparer.Ordinal);
        using (var sc = Command(_db, null, "SELECT vendor, probability, low, high, band FROM scores WHERE run_id = $r", ("$r", id)))
        using (var r = sc.ExecuteReader())
        {
            while (r.Read())
            {
                var v = r.GetString(0);
                scores[v] = new StoredScore(v, r.GetDouble(1), r.GetDouble(2), r.GetDouble(3), r.GetString(4),
                    signals.TryGetValue(v, out var set) ? set : new HashSet<string>(StringComparer.Ordinal));
            }
        }

        return (run, scores);
    }

    /// <summary>Each vendor's scores in the stored runs up to <paramref name="asOf"/>'s week, oldest first.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<TrendPoint>> Trends(DateOnly asOf, int? horizonMonths = null)
    {
        var result = new Dictionary<string, List<TrendPoint>>(StringComparer.Ordinal);
        using var cmd = Command(_db, null,
            "SELECT s.vendor, r.as_of, r.iso_week, s.probability, s.low, s.high, s.band FROM scores s JOIN runs r ON r.id = s.run_id " +
            "WHERE r.iso_week <= $w AND ($h IS NULL OR r.horizon_months = $h) ORDER BY r.iso_week, s.vendor",
            ("$w", WeeklyReport.Week(asOf)), ("$h", (object?)horizonMonths ?? DBNull.Value));
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            var v = r.GetString(0);
            if (!result.TryGetValue(v, out var list))
            {
                result[v] = list = [];
            }

            list.Add(new TrendPoint(ParseDate(r.GetString(1)), r.GetString(2), r.GetDouble(3), r.GetDouble(4), r.GetDouble(5), r.GetString(6)));
        }

        return result.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<TrendPoint>)kv.Value, StringComparer.Ordinal);
    }

    /// <summary>How many runs are stored (one per ISO week).</summary>
    public long RunCount() => Convert.ToInt64(Scalar(_db, null, "SELECT COUNT(*) FROM runs"), CultureInfo.InvariantCulture);

    public void Dispose() => _db.Dispose();

    private static DateOnly ParseDate(string s) => DateOnly.ParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    internal static SqliteCommand Command(SqliteConnection db, SqliteTransaction? tx, string sql, params (string Name, object Value)[] args)
    {
        var cmd = db.CreateCommand();
        cmd.Transaction = tx;
#pragma warning disable CA2100 // SQL text is constant; values are parameters
        cmd.CommandText = sql;
#pragma warning restore CA2100
        foreach (var (name, value) in args)
        {
            cmd.Parameters.AddWithValue(name, value);
        }

        return cmd;
    }

    private SqliteCommand Prepared(SqliteTransaction tx, string sql, params string[] parameters)
    {
        var cmd = Command(_db, tx, sql);
        foreach (var name in parameters)
        {
            cmd.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        cmd.Prepare();
        return cmd;
    }

    private static void Run(SqliteCommand cmd, params object[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            cmd.Parameters[i].Value = values[i];
        }

        cmd.ExecuteNonQuery();
    }

    internal static void Exec(SqliteConnection db, SqliteTransaction? tx, string sql, params (string Name, object Value)[] args)
    {
        using var cmd = Command(db, tx, sql, args);
        cmd.ExecuteNonQuery();
    }

    internal static object? Scalar(SqliteConnection db, SqliteTransaction? tx, string sql, params (string Name, object Value)[] args)
    {
        using var cmd = Command(db, tx, sql, args);
        return cmd.ExecuteScalar();
    }
}

/// <summary>The history database cannot be opened or used (corrupt, not SQLite, a newer schema, no permission).</summary>
public sealed class HistoryException(string path, string reason) : Exception($"{path}: {reason}")
{
    public string Path { get; } = path;

    public string Reason { get; } = reason;
}
