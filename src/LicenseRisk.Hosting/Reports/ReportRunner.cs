using LicenseRisk.Hosting.History;
using LicenseRisk.Model;
using LicenseRisk.Rules;
using LicenseRisk.Presentation;
using LicenseRisk.Presentation.Report;
using LicenseRisk.Application;

namespace LicenseRisk.Hosting.Reports;

/// <summary>What one report run needs besides the pack and dossiers.</summary>
public sealed record ReportRequest(string OutDirectory, DateOnly AsOf, string? HistoryFile = null, int? HorizonMonths = null)
{
    public TimeSpan LockWait { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>An organisation policy layered over the pack (overrides, waivers), or null.</summary>
    public Policy? Policy { get; init; }

    /// <summary>Set by the service when its last reload was rejected and the inputs are the last good ones.</summary>
    public StaleInputs? StaleInputs { get; init; }

    /// <summary>The service's collect just before this run; the report then shows the collection section. Null: no section.</summary>
    public Service.CollectRun? Collected { get; init; }

    public string HistoryPath => HistoryFile ?? Path.Combine(OutDirectory, "history.db");
}

/// <summary>Where a report run is: scored vendors out of all, then the writing of the files.</summary>
public readonly record struct ReportProgress(int Done, int Total, string Stage);

/// <summary>The files a report run wrote, and the report itself.</summary>
public sealed record ReportResult(WeeklyReport Report, IReadOnlyList<string> Files);

/// <summary>
/// One report run: lock the output folder, score, store the run in the history (replacing the
/// same ISO week), compare with the previous run, write report.md/html/json atomically.
/// </summary>
public sealed class ReportRunner(TimeProvider time)
{
    public const string Markdown = "report.md";
    public const string Html = "report.html";
    public const string Json = "report.json";

    public ReportResult Run(
        ReportRequest request,
        CompiledPack pack,
        IReadOnlyList<Dossier> dossiers,
        IReadOnlyList<Diagnostic> inputWarnings,
        IProgress<ReportProgress>? progress = null,
        CancellationToken ct = default)
    {
        using var outputLock = OutputLock.Acquire(request.OutDirectory, request.LockWait, time, ct);
        var total = dossiers.Count;
        progress?.Report(new ReportProgress(0, total, "scoring"));
        var scores = BatchScorer.Score(pack, dossiers, request.AsOf, request.HorizonMonths, request.Policy, done => progress?.Report(new ReportProgress(done, total, "scoring")), ct);

        var horizon = request.HorizonMonths ?? pack.Model.HorizonMonths;
        WeeklyReport report;
        progress?.Report(new ReportProgress(total, total, "history"));
        using (var history = HistoryStore.Open(request.HistoryPath))
        {
            history.Save(pack.Info.Name, pack.Info.Version, pack.Sha256, request.AsOf, horizon, scores);
            var previous = history.Previous(request.AsOf, horizon);
            report = ReportBuilder.Build(pack.Info, pack.Sha256, request.AsOf, horizon, scores, inputWarnings, previous, history.Trends(request.AsOf, horizon))
                with
                {
                    Policy = request.Policy,
                    StaleInputs = request.StaleInputs,
                    Collection = request.Collected is { } collected ? CollectionReport.Build(collected, dossiers, previous?.Run.AsOf) : null,
                };
        }

        ct.ThrowIfCancellationRequested();
        progress?.Report(new ReportProgress(total, total, "writing"));
        var md = Path.Combine(request.OutDirectory, Markdown);
        var html = Path.Combine(request.OutDirectory, Html);
        var json = Path.Combine(request.OutDirectory, Json);
        AtomicFile.WriteText(md, w => MarkdownReportWriter.Write(w, report));
        AtomicFile.WriteText(html, w => HtmlReportWriter.Write(w, report));
        AtomicFile.Write(json, s => JsonReportWriter.Write(s, report));
        return new ReportResult(report, [md, html, json]);
    }
}
