using System.Globalization;
using Microsoft.Data.Sqlite;

namespace LicenseRisk.Hosting.History;

/// <summary>The history schema and its migrations; <c>schema_version</c> records the applied version.</summary>
internal static class HistorySchema
{
    /// <summary>Migration N (1-based) takes the schema from version N-1 to N.</summary>
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            iso_week TEXT NOT NULL UNIQUE,
            as_of TEXT NOT NULL,
            pack_name TEXT NOT NULL,
            pack_version TEXT NOT NULL,
            pack_sha256 TEXT NOT NULL,
            horizon_months INTEGER NOT NULL);
        CREATE TABLE scores (
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            vendor TEXT NOT NULL,
            name TEXT NOT NULL,
            probability REAL NOT NULL,
            low REAL NOT NULL,
            high REAL NOT NULL,
            band TEXT NOT NULL,
            PRIMARY KEY (run_id, vendor));
        CREATE TABLE contributions (
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            vendor TEXT NOT NULL,
            rule TEXT NOT NULL,
            rule_group TEXT,
            contribution REAL NOT NULL,
            because TEXT NOT NULL,
            PRIMARY KEY (run_id, vendor, rule));
        CREATE TABLE run_signals (
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            vendor TEXT NOT NULL,
            signal_key TEXT NOT NULL,
            PRIMARY KEY (run_id, vendor, signal_key));
        CREATE INDEX scores_vendor ON scores (vendor);
        """,
    ];

    public static int Latest => Migrations.Length;

    public static void Migrate(SqliteConnection db)
    {
        using var tx = db.BeginTransaction();
        HistoryStore.Exec(db, tx, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
        var current = Convert.ToInt32(HistoryStore.Scalar(db, tx, "SELECT COALESCE(MAX(version), 0) FROM schema_version"), CultureInfo.InvariantCulture);
        if (current > Latest)
        {
            throw new InvalidOperationException($"the history database has schema version {current}, newer than this program's {Latest}; use a newer licenserisk");
        }

        for (var v = current; v < Latest; v++)
        {
            HistoryStore.Exec(db, tx, Migrations[v]);
        }

        if (current < Latest)
        {
            HistoryStore.Exec(db, tx, "DELETE FROM schema_version");
            HistoryStore.Exec(db, tx, "INSERT INTO schema_version (version) VALUES ($v)", ("$v", Latest));
        }

        tx.Commit();
    }

    public static int CurrentVersion(SqliteConnection db) =>
        Convert.ToInt32(HistoryStore.Scalar(db, null, "SELECT COALESCE(MAX(version), 0) FROM schema_version"), CultureInfo.InvariantCulture);
}
