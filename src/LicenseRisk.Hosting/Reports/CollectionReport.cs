using LicenseRisk.Collection;
using LicenseRisk.Hosting.Service;
using LicenseRisk.Model;
using LicenseRisk.Presentation.Report;

namespace LicenseRisk.Hosting.Reports;

/// <summary>Builds the report's collection section from the inboxes on disk and this run's collect.</summary>
public static class CollectionReport
{
    /// <param name="since">the previous run's as-of day, or null when there is none (everything counts as new).</param>
    public static CollectionSection Build(CollectRun run, IReadOnlyList<Dossier> dossiers, DateOnly? since)
    {
        var failed = run.Failures.Select(f => new FailedSource(f.Vendor, f.Source, f.Url, f.Reason)).ToList();
        var vendors = new List<VendorCollection>();
        foreach (var d in dossiers.OrderBy(d => d.Vendor.Id, StringComparer.Ordinal))
        {
            var diags = new DiagnosticBag();
            var inbox = Inbox.Load(d.File, diags);
            if (inbox is null)
            {
                // The collect reported an unreadable inbox already; a report run without a collect reports it here.
                if (!failed.Any(f => f.Source == "inbox" && f.Url == Inbox.PathFor(d.File)))
                {
                    failed.AddRange(diags.Items.Where(x => x.IsError).Select(x => new FailedSource(d.Vendor.Id, "inbox", x.Span.File, x.Message)));
                }

                continue;
            }

            if (d.Vendor.Sources.IsEmpty && inbox.Candidates.Count == 0)
            {
                continue;
            }

            bool IsNew(DateOnly day) => since is not { } s || day > s;
            var proposed = inbox.Candidates.Where(c => IsNew(c.FetchedDay)).Select(Item).ToList();
            var accepted = inbox.Candidates.Where(c => c.Status == CandidateStatus.Accepted && c.ReviewedOn is { } r && IsNew(r)).Select(Item).ToList();
            var pending = inbox.Pending;
            vendors.Add(new VendorCollection(d.Vendor.Id, d.Vendor.Name, proposed, accepted, pending.Count, pending.Count == 0 ? null : pending.Min(c => c.FetchedDay)));
        }

        return new CollectionSection(run.StartedAt, since, vendors, failed);
    }

    private static CollectedItem Item(Candidate c) => new(c.Id, c.Signal.Kind, c.Signal.Date, c.Collector, c.Summary(), c.AutoAcceptedBy is not null);
}
