using System.ServiceModel.Syndication;
using System.Text.RegularExpressions;
using System.Xml;
using LicenseRisk.Model;

namespace LicenseRisk.Collection.Collectors;

/// <summary>
/// RSS and Atom feeds (read with System.ServiceModel.Syndication): an item whose title or summary
/// reads like a departure, an appointment, a hire (from a closed lab), a reorganization, a layoff,
/// funding, a partnership or a statement on openness becomes a pending candidate with the item's
/// link and date. Which way it points is the reviewer's call: required fields a headline cannot
/// settle (a departure's seniority, a statement's stance) are left for the reviewer to give.
/// </summary>
public static partial class FeedCollector
{
    /// <summary>The collector's name in provenance and messages.</summary>
    public const string Name = "feed";

    /// <summary>The candidates of one feed for a vendor.</summary>
    public static async Task<IReadOnlyList<Candidate>> CollectAsync(SourceFetcher fetcher, Dossier dossier, Uri feed, CancellationToken ct)
    {
        var fetched = await fetcher.GetAsync(Name, feed, ct).ConfigureAwait(false);
        SyndicationFeed parsed;
        try
        {
            using var stream = new MemoryStream(fetched.Body);
            using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = fetched.Body.LongLength * 4 + 1024 });
            parsed = SyndicationFeed.Load(reader);
        }
        catch (Exception ex) when (ex is XmlException or InvalidOperationException or FormatException)
        {
            throw new SourceException(Name, feed.ToString(), $"not an RSS or Atom feed ({fetched.Describe()}): {ex.Message}", ex);
        }

        var candidates = new List<Candidate>();
        foreach (var item in parsed.Items)
        {
            var title = item.Title?.Text?.Trim() ?? string.Empty;
            var summary = item.Summary?.Text ?? string.Empty;
            var text = title + " " + Regex.Replace(summary, "<[^>]+>", " ");
            if (Classify(text) is not { } kind)
            {
                continue;
            }

            var date = item.PublishDate != default ? item.PublishDate : item.LastUpdatedTime;
            if (date == default)
            {
                continue;
            }

            var link = item.Links.FirstOrDefault(l => l.RelationshipType is null or "alternate")?.Uri?.ToString() ?? item.Id ?? feed.ToString();
            var (fields, needs) = Fields(kind, text);
            candidates.Add(new Candidate(
                Candidate.MakeId(Name, $"{dossier.Vendor.Id}|{kind}|{item.Id ?? link}"),
                Name,
                feed.ToString(),
                fetched.FetchedAt,
                fetched.Sha256,
                $"feed item '{Short(title)}' reads like {kind.Replace('_', ' ')}; which way it points is for the reviewer to judge",
                new ProposedSignal(kind, DateOnly.FromDateTime(date.UtcDateTime), fields, link, 0.7, Short(title)),
                needs));
        }

        return candidates;
    }

    /// <summary>The signal kind an item's text reads like, or null.</summary>
    public static string? Classify(string text)
    {
        if (Departure().IsMatch(text))
        {
            return "leadership_departure";
        }

        if (Appointment().IsMatch(text))
        {
            return "leadership_appointment";
        }

        if (Hiring().IsMatch(text))
        {
            return "hiring";
        }

        if (Layoff().IsMatch(text))
        {
            return "layoff";
        }

        if (Reorganization().IsMatch(text))
        {
            return "reorganization";
        }

        if (Funding().IsMatch(text))
        {
            return "funding";
        }

        if (Partnership().IsMatch(text))
        {
            return "partnership";
        }

        return Statement().IsMatch(text) ? "statement" : null;
    }

    private static (List<KeyValuePair<string, string>> Fields, List<string> Needs) Fields(string kind, string text)
    {
        var closed = ClosedLab().IsMatch(text);
        return kind switch
        {
            "leadership_departure" => ([], ["seniority"]),
            "leadership_appointment" or "hiring" => closed ? ([new("from_closed_lab", "true")], []) : ([], ["from_closed_lab"]),
            "reorganization" => ([new("detail", Short(text))], []),
            "statement" => ([], ["stance"]),
            _ => ([], []),
        };
    }

    private static string Short(string s)
    {
        s = Regex.Replace(s, @"\s+", " ").Trim();
        return s.Length > 160 ? s[..157] + "..." : s;
    }

    [GeneratedRegex(@"(?i)\b(steps? down|stepping down|resign(s|ed|ation)?|depart(s|ed|ure)?|leaves|leaving|left the company|exits?|quits?)\b")]
    private static partial Regex Departure();

    [GeneratedRegex(@"(?i)\b(appoint(s|ed|ment)?|names? .{1,40} as|named (chief|head|ceo|cto)|new (chief|head|ceo|cto)|joins as|promoted)\b")]
    private static partial Regex Appointment();

    [GeneratedRegex(@"(?i)\b(hires?|hired|hiring|poach(es|ed)?|recruit(s|ed)?|talent)\b")]
    private static partial Regex Hiring();

    [GeneratedRegex(@"(?i)\b(lay(s)? off|layoffs?|job cuts|cuts? \d[\d,]* (jobs|roles|staff))\b")]
    private static partial Regex Layoff();

    [GeneratedRegex(@"(?i)\b(reorgani[sz]\w*|restructur\w*|reorg|new division|merg(es|ed|er) (its|the) .{0,30}(team|unit|lab))\b")]
    private static partial Regex Reorganization();

    [GeneratedRegex(@"(?i)\b(raises?|raised|funding|series [a-f]\b|valuation|invest(s|ed|ment))\b")]
    private static partial Regex Funding();

    [GeneratedRegex(@"(?i)\b(partner(s|ship|ships)?|collaborat\w*|alliance)\b")]
    private static partial Regex Partnership();

    [GeneratedRegex(@"(?i)(open[- ]source|open[- ]weights?|closed[- ]source|proprietary|keep .{0,20} closed)")]
    private static partial Regex Statement();

    [GeneratedRegex(@"(?i)\b(openai|anthropic|google deepmind|deepmind|xai)\b")]
    private static partial Regex ClosedLab();
}
