using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using LicenseRisk.Model;

namespace LicenseRisk.Collection.Collectors;

/// <summary>
/// GitHub organisations (<c>/orgs/ORG/repos?per_page=100</c>, paged through the <c>Link</c> header):
/// of the model repositories (not forks; the name, description or topics speak of a model, LLM,
/// weights or checkpoints) it proposes what the listing supports and no more. A licence change:
/// GitHub gives only a repository's current licence (<c>license.spdx_id</c>), so the licence each
/// collect saw is kept in the inbox (<see cref="Inbox.Observed"/>) and a later collect that sees
/// another proposes a <c>license_change</c>, dated the day it was seen. An archived repository: a
/// <c>reorganization</c> with only a detail (no bundled rule weighs it until a reviewer adds
/// <c>commercial_focus</c> or <c>merged_with_product_unit</c>), dated the day collect first saw it
/// archived, or, archived before the first collect, its <c>updated_at</c> (the latest the archiving
/// can be). Both always wait for a reviewer.
/// </summary>
public static partial class GitHubCollector
{
    /// <summary>The collector's name in provenance and messages.</summary>
    public const string Name = "github";

    /// <summary>One repository of the listing, with what GitHub says about it.</summary>
    public sealed record Repo(
        string FullName,
        string Name,
        string HtmlUrl,
        string? Description,
        IReadOnlyList<string> Topics,
        bool Fork,
        bool Archived,
        string? License,
        DateOnly Created,
        DateOnly? Pushed,
        DateOnly? Updated,
        Fetched Page)
    {
        /// <summary>A model repository: not a fork, and its name, description or topics speak of a model.</summary>
        public bool IsModelRepo => !Fork && ModelWords().IsMatch(string.Join(' ', [Name.Replace('-', ' ').Replace('_', ' '), Description ?? string.Empty, .. Topics]));

        /// <summary>The inbox key of its observation: <c>github:OWNER/REPO</c>.</summary>
        public string Key => "github:" + FullName;
    }

    /// <summary>The first page's address for an organisation.</summary>
    public static Uri ListUrl(Uri api, string org) => new(api, "orgs/" + Uri.EscapeDataString(org) + "/repos?type=public&per_page=100");

    /// <summary>Every repository of <paramref name="org"/>, following the Link header's next page (at most MaxPages).</summary>
    public static async Task<IReadOnlyList<Repo>> ListAsync(SourceFetcher fetcher, CollectOptions options, string org, CancellationToken ct)
    {
        var repos = new List<Repo>();
        Uri? url = ListUrl(options.GitHubUrl, org);
        for (var page = 0; url is not null && page < options.MaxPages; page++)
        {
            var fetched = await fetcher.GetAsync(Name, url, ct).ConfigureAwait(false);
            using var doc = fetched.Json();
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new SourceException(Name, url.ToString(), $"expected a JSON list of repositories, got {doc.RootElement.ValueKind.ToString().ToLowerInvariant()} ({fetched.Describe()})");
            }

            foreach (var r in doc.RootElement.EnumerateArray())
            {
                repos.Add(Read(r, fetched) ?? throw new SourceException(Name, url.ToString(), $"repository {repos.Count + 1} lacks full_name, html_url or created_at, or has them in another form than GitHub's"));
            }

            url = LinkHeader.Next(fetched.Link, url);
        }

        return repos;
    }

    /// <summary>
    /// The candidates for a vendor from its organisations' repositories, given what the previous
    /// collects saw (<paramref name="before"/>); and what this read saw of each model repository, to record.
    /// </summary>
    public static (IReadOnlyList<Candidate> Candidates, IReadOnlyList<(string Key, RepoObservation Seen)> Seen) Propose(
        Dossier dossier, IReadOnlyList<Repo> repos, IReadOnlyDictionary<string, RepoObservation> before)
    {
        var candidates = new List<Candidate>();
        var seen = new List<(string, RepoObservation)>();
        foreach (var repo in repos.Where(r => r.IsModelRepo).OrderBy(r => r.FullName, StringComparer.Ordinal))
        {
            var page = repo.Page;
            var day = DateOnly.FromDateTime(DateTimeOffset.Parse(page.FetchedAt, CultureInfo.InvariantCulture).UtcDateTime);
            before.TryGetValue(repo.Key, out var last);
            seen.Add((repo.Key, new RepoObservation(repo.License, repo.Archived, page.FetchedAt)));

            if (last is not null && !string.Equals(last.License, repo.License, StringComparison.OrdinalIgnoreCase))
            {
                var from = last.License ?? "none";
                var to = repo.License ?? "none";
                candidates.Add(new Candidate(
                    Candidate.MakeId(Name, $"license_change|{dossier.Vendor.Id}|{repo.FullName}|{from}|{to}"),
                    Name,
                    page.Url.ToString(),
                    page.FetchedAt,
                    page.Sha256,
                    $"GitHub repository {repo.FullName} had licence {Describe(last.License)} (as collect saw it since {last.Since}) and has {Describe(repo.License)} now; "
                        + $"GitHub does not say when it changed, so it is dated {IsoDate.Format(day)}, the day it was seen (correct the date from the repository's history); whether it is more restrictive is the reviewer's call",
                    new ProposedSignal("license_change", day, [new("model", repo.Name), new("from", from), new("to", to)], repo.HtmlUrl, 0.8, null),
                    ["more_restrictive"]));
            }

            if (repo.Archived && last is not { Archived: true })
            {
                var (date, when) = last is null
                    ? (repo.Updated ?? day, $"archived before collect first read the organisation: dated its updated_at, {IsoDate.Format(repo.Updated ?? day)}, the latest the archiving can be")
                    : (day, $"archived since collect's read of {last.Since}: dated {IsoDate.Format(day)}, the day it was seen");
                var pushed = repo.Pushed is { } p ? $"; last push {IsoDate.Format(p)}" : string.Empty;
                candidates.Add(new Candidate(
                    Candidate.MakeId(Name, $"archived|{dossier.Vendor.Id}|{repo.FullName}"),
                    Name,
                    page.Url.ToString(),
                    page.FetchedAt,
                    page.Sha256,
                    $"GitHub repository {repo.FullName}{(repo.Description is { Length: > 0 } d ? $" ('{Short(d)}')" : string.Empty)} is archived (read-only); {when}{pushed}. "
                        + "Often a line only moved to a new repository: the pack has no kind for an archived repository, so it is proposed as a reorganization with a detail only, which no bundled rule weighs; "
                        + "add commercial_focus or merged_with_product_unit only if the vendor's news says so, or reject it",
                    new ProposedSignal("reorganization", date, [new("detail", $"GitHub repository {repo.FullName} archived{pushed}")], repo.HtmlUrl, 0.5, null),
                    []));
            }
        }

        return (candidates, seen);
    }

    private static string Describe(string? license) => license switch
    {
        null => "none (no licence GitHub recognises)",
        "NOASSERTION" => "'NOASSERTION' (a licence GitHub does not identify)",
        _ => $"'{license}'",
    };

    private static string Short(string s)
    {
        s = Regex.Replace(s, @"\s+", " ").Trim();
        return s.Length > 100 ? s[..97] + "..." : s;
    }

    private static Repo? Read(JsonElement r, Fetched page)
    {
        string? S(JsonElement o, string name) => o.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
        DateOnly? D(string name) => S(r, name) is { } t && DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) ? DateOnly.FromDateTime(d.UtcDateTime) : null;
        bool B(string name) => r.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.True;
        if (r.ValueKind != JsonValueKind.Object || S(r, "full_name") is not { } full || S(r, "html_url") is not { } html || D("created_at") is not { } created)
        {
            return null;
        }

        var name = S(r, "name") ?? full[(full.IndexOf('/', StringComparison.Ordinal) + 1)..];
        string? license = r.TryGetProperty("license", out var l) && l.ValueKind == JsonValueKind.Object ? S(l, "spdx_id") ?? S(l, "key") : null;
        var topics = r.TryGetProperty("topics", out var t) && t.ValueKind == JsonValueKind.Array
            ? t.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToList()
            : [];
        return new Repo(full, name, html, S(r, "description"), topics, B("fork"), B("archived"), license, created, D("pushed_at"), D("updated_at"), page);
    }

    [GeneratedRegex(@"(?i)\b(llms?|models?|weights|checkpoints?|language[- ]models?|foundation[- ]models?|moe|vlm|multimodal)\b")]
    private static partial Regex ModelWords();
}
