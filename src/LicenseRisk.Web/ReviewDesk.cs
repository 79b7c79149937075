using LicenseRisk.Application;
using LicenseRisk.Collection;
using LicenseRisk.Hosting.Service;
using LicenseRisk.Model;
using Microsoft.AspNetCore.Http;

namespace LicenseRisk.Web;

/// <summary>A loaded vendor's inbox (NAME.inbox.json beside its dossier), or the problem reading it.</summary>
public sealed record VendorInbox(string VendorId, string VendorName, string Dossier, Inbox? Inbox, IReadOnlyList<Diagnostic> Problems)
{
    public int Pending => Inbox?.Pending.Count ?? 0;
}

/// <summary>What an accept or reject came to: the HTTP status, and the candidate or the problems.</summary>
public sealed record ReviewOutcome(int Status, VendorInbox? Where, Candidate? Candidate, IReadOnlyList<Diagnostic> Problems, string? Message)
{
    public bool Done => Candidate is not null;

    /// <summary>Every problem as one line each (the located diagnostics, or the message).</summary>
    public IEnumerable<string> Lines => Message is not null ? [Message] : Problems.Select(p => p.ToString());
}

/// <summary>
/// The review inbox as the web shows it: the loaded vendors' inboxes, and accepting or rejecting a
/// candidate through the collection library's <see cref="Review"/> (the same code as
/// <c>licenserisk review</c>). One decision at a time; after an accept the inputs are reloaded at
/// once, so the next page already scores the new signal.
/// </summary>
public sealed class ReviewDesk(InputState state, LicenseRiskOptions lr, LiveScores live, WebCounters counters) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>The inboxes of the vendors in the inputs in use, in the vendors' order; empty before the inputs load.</summary>
    public IReadOnlyList<VendorInbox> Inboxes()
    {
        if (state.Current is not { } snapshot)
        {
            return [];
        }

        var list = new List<VendorInbox>();
        foreach (var d in snapshot.Inputs.Dossiers)
        {
            var diags = new DiagnosticBag();
            var inbox = Inbox.Load(d.File, diags);
            list.Add(new VendorInbox(d.Vendor.Id, d.Vendor.Name, d.File, inbox, diags.Items));
        }

        return list;
    }

    /// <summary>Candidates waiting for review in every loaded vendor's inbox.</summary>
    public int PendingCount() => Inboxes().Sum(i => i.Pending);

    /// <summary>
    /// Accepts (<paramref name="accept"/>) or rejects candidate <paramref name="id"/>, found in the
    /// inbox of <paramref name="vendor"/> or, when null, of the one vendor that has it.
    /// </summary>
    public async Task<ReviewOutcome> Decide(string id, string? vendor, bool accept, string? reason, IReadOnlyList<KeyValuePair<string, string>> set, CancellationToken ct)
    {
        if (state.Current is not { } snapshot)
        {
            return Refuse(StatusCodes.Status503ServiceUnavailable, "the inputs are not loaded yet");
        }

        await _gate.WaitAsync(ct);
        try
        {
            var inboxes = Inboxes().Where(i => vendor is null || i.VendorId == vendor).ToList();
            if (vendor is not null && inboxes.Count == 0)
            {
                return Refuse(StatusCodes.Status404NotFound, $"no vendor '{vendor}'");
            }

            var holders = inboxes.Where(i => i.Inbox?.Find(id) is not null).ToList();
            if (holders.Count == 0)
            {
                var hint = Suggest.Closest(id, inboxes.SelectMany(i => i.Inbox?.Pending ?? []).Select(c => c.Id));
                return Refuse(StatusCodes.Status404NotFound, $"no candidate '{id}'{(hint is null ? string.Empty : $" (did you mean '{hint}'?)")}");
            }

            if (holders.Count > 1)
            {
                return Refuse(StatusCodes.Status409Conflict, $"candidate '{id}' is in the inboxes of {string.Join(", ", holders.Select(h => h.VendorId))}: name the vendor (vendor={holders[0].VendorId})");
            }

            var where = holders[0];
            if (string.IsNullOrWhiteSpace(reason))
            {
                return Refuse(StatusCodes.Status400BadRequest, "a reason is required: say why the candidate is accepted or rejected", where);
            }

            var diags = new DiagnosticBag();
            var today = live.Today();
            var done = accept
                ? Review.Accept(where.Dossier, id, reason.Trim(), set, snapshot.Inputs.Pack.Catalog, lr.Limits, today, diags)
                : Review.Reject(where.Dossier, id, reason.Trim(), today, diags);
            if (done is null)
            {
                var status = diags.Items.Any(d => d.Code == DiagnosticCodes.CandidateAlreadyReviewed.Code) ? StatusCodes.Status409Conflict
                    : diags.Items.Any(d => d.Code == DiagnosticCodes.DossierInUse.Code) ? StatusCodes.Status503ServiceUnavailable // another process's review or collect: try again
                    : StatusCodes.Status400BadRequest;
                return new ReviewOutcome(status, where, null, diags.Items.Where(d => d.IsError).ToList(), null);
            }

            counters.Reviewed(accept);
            if (accept)
            {
                // The watcher would reload after its debounce; reloading now lets the answer's next page show the new score.
                state.Reload();
            }

            return new ReviewOutcome(StatusCodes.Status200OK, where, done, [], null);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private static ReviewOutcome Refuse(int status, string message, VendorInbox? where = null) => new(status, where, null, [], message);
}
