using System.Globalization;
using System.Text;
using LicenseRisk.Hosting.Service;

namespace LicenseRisk.Web;

/// <summary>Counts of the web requests that do work (scoring, what-if), for <c>/metrics</c>.</summary>
public sealed class WebCounters
{
    private long _scoreRequests;
    private long _scoreRejected;
    private long _whatIfRequests;
    private long _accepted;
    private long _rejected;

    public long ScoreRequests => Interlocked.Read(ref _scoreRequests);

    public void Scored(bool ok)
    {
        Interlocked.Increment(ref _scoreRequests);
        if (!ok)
        {
            Interlocked.Increment(ref _scoreRejected);
        }
    }

    public void WhatIf() => Interlocked.Increment(ref _whatIfRequests);

    /// <summary>A candidate was accepted into its dossier (true) or rejected (false) through the web.</summary>
    public void Reviewed(bool accepted) => Interlocked.Increment(ref accepted ? ref _accepted : ref _rejected);

    /// <summary>Every metric in the Prometheus text exposition format (version 0.0.4).</summary>
    public string Prometheus(ServiceStatus status, InputState state, int pendingCandidates, CollectRun? lastCollect)
    {
        var sb = new StringBuilder();
        void Metric(string name, string type, string help, double value)
        {
            sb.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
            sb.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
            sb.Append(name).Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }

        var snapshot = state.Current;
        Metric("licenserisk_report_runs_total", "counter", "Report runs that wrote their files.", status.Completed);
        Metric("licenserisk_report_runs_failed_total", "counter", "Report runs that failed or were skipped because the output folder was locked.", status.Failed);
        Metric("licenserisk_report_run_seconds_total", "counter", "Wall time of the completed report runs, in seconds.", status.SecondsTotal);
        Metric("licenserisk_report_last_run_seconds", "gauge", "Wall time of the last completed report run, in seconds.", status.LastSeconds);
        Metric("licenserisk_report_vendors_scored_total", "counter", "Vendors scored by the completed report runs.", status.VendorsScored);
        Metric("licenserisk_vendors", "gauge", "Dossiers in the inputs in use.", snapshot?.Inputs.Dossiers.Count ?? 0);
        Metric("licenserisk_inputs_reloads_total", "counter", "Reloads of the pack, policy and dossiers that replaced the inputs.", state.Reloads);
        Metric("licenserisk_inputs_reloads_rejected_total", "counter", "Reloads rejected because an input had errors (the last good inputs stay in use).", state.Rejected);
        Metric("licenserisk_inputs_stale", "gauge", "1 when the last reload was rejected and the inputs in use are the last good ones.", snapshot?.Stale is null ? 0 : 1);
        Metric("licenserisk_http_score_requests_total", "counter", "POST /api/v1/score requests answered (scored or rejected as bad input).", ScoreRequests);
        Metric("licenserisk_http_score_rejected_total", "counter", "POST /api/v1/score requests answered 400 (bad dossier).", Interlocked.Read(ref _scoreRejected));
        Metric("licenserisk_http_whatif_requests_total", "counter", "What-if requests answered (API and page).", Interlocked.Read(ref _whatIfRequests));
        Metric("licenserisk_collect_sources_failed", "gauge", "Sources that could not be read in the last collect run of serve (0 before the first).", lastCollect?.Failures.Count ?? 0);
        Metric("licenserisk_review_candidates_pending", "gauge", "Candidates waiting for review in the loaded vendors' inboxes (NAME.inbox.json).", pendingCandidates);
        Metric("licenserisk_review_accepted_total", "counter", "Candidates accepted into their dossiers through the web UI or API.", Interlocked.Read(ref _accepted));
        Metric("licenserisk_review_rejected_total", "counter", "Candidates rejected through the web UI or API.", Interlocked.Read(ref _rejected));
        return sb.ToString();
    }
}
