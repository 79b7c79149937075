using LicenseRisk.Collection.Collectors;
using LicenseRisk.Model;
using Microsoft.Extensions.DependencyInjection;

namespace LicenseRisk.Collection;

/// <summary>A source that failed this run, for the messages and the service's report.</summary>
public sealed record SourceFailure(string Vendor, string Source, string Url, string Reason);

/// <summary>What collect did for one dossier: the candidates it added to the inbox, and how many wait.</summary>
public sealed record DossierCollected(string DossierPath, string Vendor, IReadOnlyList<Candidate> Added, int Pending, DateOnly? OldestPendingFetched);

/// <summary>The result of a collect run.</summary>
public sealed record CollectResult(IReadOnlyList<DossierCollected> Dossiers, IReadOnlyList<SourceFailure> Failures)
{
    /// <summary>Candidates added over all dossiers.</summary>
    public int Added => Dossiers.Sum(d => d.Added.Count);
}

/// <summary>
/// Runs every collector over the sources each dossier names and adds what they propose to the
/// dossier's inbox (<see cref="Inbox"/>). A source that fails is recorded and the others still run;
/// a dossier is never written by collect; each inbox is written atomically, once.
/// </summary>
public sealed class Collector(SourceFetcher fetcher, CollectOptions options)
{
    /// <summary>A collector with its own HTTP clients (<see cref="SourceClients"/>), for the CLI and simple callers.</summary>
    public static Collector Create(CollectOptions options, TimeProvider? time = null)
    {
        var services = new ServiceCollection();
        services.AddCollectionClients(_ => options);
        var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<IHttpClientFactory>();
        return new Collector(new SourceFetcher(factory, options, time ?? TimeProvider.System), options);
    }

    /// <summary>Collects for every dossier; problems (SourceFailed, NoSources, BadInbox) go to <paramref name="diags"/>.</summary>
    public async Task<CollectResult> RunAsync(IReadOnlyList<Dossier> dossiers, DiagnosticBag diags, CancellationToken ct)
    {
        var failures = new List<SourceFailure>();
        var results = new List<DossierCollected>();
        Task<(Fetched, IReadOnlyList<OpenRouterCollector.OpenRouterModel>)>? openRouter = null;
        SourceException? openRouterFailure = null;
        foreach (var dossier in dossiers)
        {
            var sources = dossier.Vendor.Sources;
            if (sources.IsEmpty)
            {
                diags.Report(dossier.Vendor.Span, DiagnosticCodes.NoSources, $"vendor '{dossier.Vendor.Id}' names no sources (vendor.sources); nothing to collect");
            }

            var proposed = new List<Candidate>();
            void Fail(SourceException ex)
            {
                failures.Add(new SourceFailure(dossier.Vendor.Id, ex.SourceName, ex.Url, ex.Reason));
                diags.Report(SourceSpan.None(ex.Url), DiagnosticCodes.SourceFailed, $"{ex.SourceName} for '{dossier.Vendor.Id}': {ex.Reason}");
            }

            var models = new List<HuggingFaceCollector.HubModel>();
            var hubComplete = true;
            foreach (var org in sources.HuggingFace)
            {
                try
                {
                    models.AddRange(await HuggingFaceCollector.ListAsync(fetcher, options, org, ct).ConfigureAwait(false));
                }
                catch (SourceException ex)
                {
                    Fail(ex);
                    hubComplete = false;
                }
            }

            // Tiers and licence changes compare a vendor's releases: with an organisation missing, propose nothing from the Hub.
            if (hubComplete && models.Count > 0)
            {
                proposed.AddRange(HuggingFaceCollector.Propose(dossier, models, options.HubUrl));
            }

            if (sources.OpenRouter.Count > 0)
            {
                openRouter ??= ListOpenRouter(ct);
                try
                {
                    var (page, list) = await openRouter.ConfigureAwait(false);
                    proposed.AddRange(OpenRouterCollector.Propose(dossier, page, list));
                }
                catch (SourceException ex)
                {
                    // The list is shared: report its failure once, not once per vendor.
                    if (openRouterFailure is null)
                    {
                        openRouterFailure = ex;
                        Fail(ex);
                    }
                    else
                    {
                        failures.Add(new SourceFailure(dossier.Vendor.Id, ex.SourceName, ex.Url, ex.Reason));
                    }
                }
            }

            foreach (var feed in sources.Feeds)
            {
                try
                {
                    proposed.AddRange(await FeedCollector.CollectAsync(fetcher, dossier, new Uri(feed), ct).ConfigureAwait(false));
                }
                catch (SourceException ex)
                {
                    Fail(ex);
                }
            }

            var repos = new List<GitHubCollector.Repo>();
            foreach (var org in sources.GitHub)
            {
                try
                {
                    repos.AddRange(await GitHubCollector.ListAsync(fetcher, options, org, ct).ConfigureAwait(false));
                }
                catch (SourceException ex)
                {
                    // The organisations read still count: each repository is compared with its own earlier state only.
                    Fail(ex);
                }
            }

            // The sources are read; the inbox is read, merged and written back under the dossier's lock.
            using var held = DossierLock.Acquire(dossier.File, diags);
            var inbox = held is null ? null : Inbox.Load(dossier.File, diags);
            if (inbox is null)
            {
                continue;
            }

            var (fromGitHub, seen) = GitHubCollector.Propose(dossier, repos, inbox.Observed);
            proposed.AddRange(fromGitHub);
            var observed = false;
            foreach (var (key, state) in seen)
            {
                observed |= inbox.Observe(key, state);
            }

            var inDossier = dossier.Signals.Select(s => s.Provenance?.Candidate).OfType<string>().ToHashSet(StringComparer.Ordinal);
            var added = inbox.Merge(proposed, inDossier);
            if (added.Count > 0 || observed)
            {
                inbox.Save();
            }

            var pending = inbox.Pending;
            DateOnly? oldest = pending.Count == 0 ? null : pending.Min(c => c.FetchedDay);
            results.Add(new DossierCollected(dossier.File, dossier.Vendor.Id, added, pending.Count, oldest));
        }

        return new CollectResult(results, failures);
    }

    private async Task<(Fetched, IReadOnlyList<OpenRouterCollector.OpenRouterModel>)> ListOpenRouter(CancellationToken ct)
    {
        var (page, models) = await OpenRouterCollector.ListAsync(fetcher, options, ct).ConfigureAwait(false);
        return (page, models);
    }
}
