using LicenseRisk.Application;
using LicenseRisk.Hosting.History;
using LicenseRisk.Hosting.Reports;
using LicenseRisk.Hosting.Service;
using LicenseRisk.Model;
using LicenseRisk.Presentation.Report;
using Microsoft.Extensions.Options;

namespace LicenseRisk.Web;

/// <summary>The vendors' scores as of one day under one set of inputs, with the stored history, as the pages and the API show them.</summary>
public sealed record LiveView(InputSnapshot Snapshot, WeeklyReport Report, IReadOnlyDictionary<string, string> DossierHashes)
{
    public VendorEntry? Vendor(string id) => Report.Vendors.FirstOrDefault(v => string.Equals(v.Score.Id, id, StringComparison.Ordinal));
}

/// <summary>
/// Scores every loaded dossier as of today (the schedule's time zone) with the inputs in use, and
/// joins the history database's previous run and trends, as the weekly report does, without
/// writing anything. Kept until the inputs, the day or the history change.
/// </summary>
public sealed class LiveScores(InputState state, ServiceStatus status, IOptions<ServiceOptions> options, TimeProvider time)
{
    private readonly Lock _gate = new();
    private (InputSnapshot Snapshot, DateOnly AsOf, int Runs, LiveView View)? _cached;

    /// <summary>Today in the schedule's time zone.</summary>
    public DateOnly Today()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(options.Value.TimeZone);
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), zone).DateTime);
    }

    /// <summary>The horizon the service scores at (null: the pack's).</summary>
    public int? HorizonMonths => options.Value.HorizonMonths;

    /// <summary>The current view; null before the inputs are loaded.</summary>
    public LiveView? Current()
    {
        if (state.Current is not { } snapshot)
        {
            return null;
        }

        var asOf = Today();
        var runs = status.Completed;
        lock (_gate)
        {
            if (_cached is { } c && ReferenceEquals(c.Snapshot, snapshot) && c.AsOf == asOf && c.Runs == runs)
            {
                return c.View;
            }

            var view = Build(snapshot, asOf);
            _cached = (snapshot, asOf, runs, view);
            return view;
        }
    }

    /// <summary>The history database the service writes, or null when none exists yet.</summary>
    public string? HistoryFile
    {
        get
        {
            var o = options.Value;
            var path = string.IsNullOrWhiteSpace(o.History) ? Path.Combine(o.Out!, "history.db") : o.History;
            return File.Exists(path) ? path : null;
        }
    }

    private LiveView Build(InputSnapshot snapshot, DateOnly asOf)
    {
        var inputs = snapshot.Inputs;
        var pack = inputs.Pack;
        var horizon = options.Value.HorizonMonths ?? pack.Model.HorizonMonths;
        var scores = BatchScorer.Score(pack, inputs.Dossiers, asOf, horizon, inputs.Policy);
        (PreviousRun, IReadOnlyDictionary<string, StoredScore>)? previous = null;
        IReadOnlyDictionary<string, IReadOnlyList<TrendPoint>> trends = new Dictionary<string, IReadOnlyList<TrendPoint>>();
        if (HistoryFile is { } file)
        {
            using var history = HistoryStore.Open(file);
            previous = history.Previous(asOf, horizon);
            trends = history.Trends(asOf, horizon);
        }

        var report = ReportBuilder.Build(pack.Info, pack.Sha256, asOf, horizon, scores, inputs.Warnings, previous, trends)
            with { Policy = inputs.Policy, StaleInputs = snapshot.Stale };
        // The hash of the bytes the scores were computed from, not of the file as it is now: after
        // an edit the reload rejected, the page shows the last good dossier's hash beside its score.
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var d in inputs.Dossiers)
        {
            hashes[d.Vendor.Id] = d.Sha256 ?? "unknown";
        }

        return new LiveView(snapshot, report, hashes);
    }
}
