using System.Globalization;
using System.Text.Json;
using LicenseRisk.Model;
using LicenseRisk.Presentation;

namespace LicenseRisk.Collection;

/// <summary>
/// The candidates proposed for one dossier, kept beside it in <c>NAME.inbox.json</c> (a JSON file,
/// so <c>score DIR</c>, which reads *.yaml and *.yml, never takes it for a dossier). Collect adds
/// candidates it has not proposed before; review marks them accepted or rejected. Written
/// atomically: a crash leaves the previous inbox whole.
/// </summary>
public sealed class Inbox
{
    /// <summary>The inbox format's version, written in the file.</summary>
    public const int FormatVersion = 1;

    private readonly List<Candidate> _candidates;
    private readonly SortedDictionary<string, RepoObservation> _observed;

    private Inbox(string dossierPath, List<Candidate> candidates, SortedDictionary<string, RepoObservation>? observed = null)
    {
        DossierPath = dossierPath;
        Path = PathFor(dossierPath);
        _candidates = candidates;
        _observed = observed ?? new(StringComparer.Ordinal);
    }

    /// <summary>
    /// What the GitHub collector saw of each model repository at its last read (<c>"observed"</c> in
    /// the file, keyed <c>github:OWNER/REPO</c>): GitHub gives only a repository's current licence,
    /// so a change is found by comparing with the previous collect.
    /// </summary>
    public IReadOnlyDictionary<string, RepoObservation> Observed => _observed;

    /// <summary>The dossier this inbox belongs to.</summary>
    public string DossierPath { get; }

    /// <summary>The inbox file (<see cref="PathFor"/>).</summary>
    public string Path { get; }

    /// <summary>Every candidate, in the order proposed.</summary>
    public IReadOnlyList<Candidate> Candidates => _candidates;

    /// <summary>The candidates waiting for review, in the order proposed.</summary>
    public IReadOnlyList<Candidate> Pending => [.. _candidates.Where(c => c.Status == CandidateStatus.Pending)];

    /// <summary>The inbox file of a dossier: <c>meta.yaml</c> has <c>meta.inbox.json</c> beside it.</summary>
    public static string PathFor(string dossierPath)
    {
        var dir = System.IO.Path.GetDirectoryName(dossierPath);
        var name = System.IO.Path.GetFileNameWithoutExtension(dossierPath) + ".inbox.json";
        return string.IsNullOrEmpty(dir) ? name : System.IO.Path.Combine(dir, name).Replace('\\', '/');
    }

    /// <summary>
    /// Reads the inbox of a dossier; an empty one when there is no inbox file yet. Null (with an
    /// BadInbox error on <paramref name="diags"/>) when the file is not an inbox.
    /// </summary>
    public static Inbox? Load(string dossierPath, DiagnosticBag diags)
    {
        var path = PathFor(dossierPath);
        if (!File.Exists(path))
        {
            return new Inbox(dossierPath, []);
        }

        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("inbox", out var v) || v.ValueKind != JsonValueKind.Number || v.GetInt32() != FormatVersion
                || !root.TryGetProperty("candidates", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                diags.Report(SourceSpan.None(path), DiagnosticCodes.BadInbox, $"not a LicenseRisk inbox (version {FormatVersion}): expected an object with \"inbox\": {FormatVersion} and a \"candidates\" list");
                return null;
            }

            var candidates = new List<Candidate>();
            var ids = new HashSet<string>(StringComparer.Ordinal);
            var index = 0;
            foreach (var item in list.EnumerateArray())
            {
                var c = ReadCandidate(item);
                if (c is null || !ids.Add(c.Id))
                {
                    diags.Report(SourceSpan.None(path), DiagnosticCodes.BadInbox, c is null ? $"candidate {index + 1} is malformed" : $"candidate id '{c.Id}' appears twice");
                    return null;
                }

                candidates.Add(c);
                index++;
            }

            var observed = new SortedDictionary<string, RepoObservation>(StringComparer.Ordinal);
            if (root.TryGetProperty("observed", out var obs))
            {
                if (obs.ValueKind != JsonValueKind.Object)
                {
                    diags.Report(SourceSpan.None(path), DiagnosticCodes.BadInbox, "\"observed\" must be an object");
                    return null;
                }

                foreach (var o in obs.EnumerateObject())
                {
                    var ov = o.Value;
                    if (ov.ValueKind != JsonValueKind.Object || !ov.TryGetProperty("license", out var l) || l.ValueKind is not (JsonValueKind.String or JsonValueKind.Null)
                        || !ov.TryGetProperty("archived", out var a) || a.ValueKind is not (JsonValueKind.True or JsonValueKind.False)
                        || !ov.TryGetProperty("since", out var seen) || seen.ValueKind != JsonValueKind.String)
                    {
                        diags.Report(SourceSpan.None(path), DiagnosticCodes.BadInbox, $"observed '{o.Name}' is malformed: expected license (text or null), archived (true or false) and since");
                        return null;
                    }

                    observed[o.Name] = new RepoObservation(l.GetString(), a.GetBoolean(), seen.GetString()!);
                }
            }

            return new Inbox(dossierPath, candidates, observed);
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            diags.Report(SourceSpan.None(path), DiagnosticCodes.BadInbox, $"cannot read the inbox: {ex.Message}");
            return null;
        }
    }

    /// <summary>
    /// Adds the candidates not proposed before (by id; a rejected one stays rejected) and not
    /// already in the dossier (<paramref name="inDossier"/>: candidate ids of its signals' provenance).
    /// </summary>
    /// <returns>the candidates added, in order.</returns>
    public IReadOnlyList<Candidate> Merge(IEnumerable<Candidate> proposed, IReadOnlySet<string> inDossier)
    {
        var known = _candidates.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var added = new List<Candidate>();
        foreach (var c in proposed)
        {
            if (!inDossier.Contains(c.Id) && known.Add(c.Id))
            {
                _candidates.Add(c);
                added.Add(c);
            }
        }

        return added;
    }

    /// <summary>Records what a collector saw of a repository; true when it differs from what was recorded.</summary>
    public bool Observe(string key, RepoObservation seen)
    {
        if (_observed.TryGetValue(key, out var before) && before == seen)
        {
            return false;
        }

        _observed[key] = seen;
        return true;
    }

    /// <summary>Finds a candidate by id.</summary>
    public Candidate? Find(string id) => _candidates.FirstOrDefault(c => c.Id == id);

    /// <summary>Replaces a candidate (same id) by its reviewed form.</summary>
    internal void Replace(Candidate reviewed)
    {
        var i = _candidates.FindIndex(c => c.Id == reviewed.Id);
        _candidates[i] = reviewed;
    }

    /// <summary>Writes the inbox atomically (AtomicFile).</summary>
    public void Save() => AtomicFile.Write(Path, Write);

    /// <summary>The inbox as JSON (UTF-8, indented, stable order).</summary>
    public void Write(Stream stream)
    {
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteNumber("inbox", FormatVersion);
        w.WriteString("dossier", System.IO.Path.GetFileName(DossierPath));
        w.WriteStartArray("candidates");
        foreach (var c in _candidates)
        {
            WriteCandidate(w, c);
        }

        w.WriteEndArray();
        if (_observed.Count > 0)
        {
            w.WriteStartObject("observed");
            foreach (var (key, o) in _observed)
            {
                w.WriteStartObject(key);
                if (o.License is null)
                {
                    w.WriteNull("license");
                }
                else
                {
                    w.WriteString("license", o.License);
                }

                w.WriteBoolean("archived", o.Archived);
                w.WriteString("since", o.Since);
                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.Flush();
        stream.Write("\n"u8);
    }

    /// <summary>
    /// The pending candidates of <paramref name="inboxes"/> as two properties of an open JSON object:
    /// <c>pending</c> (how many) and <c>dossiers</c> (each with its dossier, inbox file and pending
    /// candidates; with <paramref name="vendorOf"/>, also the vendor id first). The form of
    /// <c>review --format json</c> and of the web API's <c>GET /api/v1/review</c>.
    /// </summary>
    public static void WritePending(Utf8JsonWriter w, IReadOnlyList<Inbox> inboxes, Func<Inbox, string>? vendorOf = null)
    {
        w.WriteNumber("pending", inboxes.Sum(i => i.Pending.Count));
        w.WriteStartArray("dossiers");
        foreach (var inbox in inboxes)
        {
            w.WriteStartObject();
            if (vendorOf is not null)
            {
                w.WriteString("vendor", vendorOf(inbox));
            }

            w.WriteString("dossier", inbox.DossierPath);
            w.WriteString("inbox", inbox.Path);
            w.WriteStartArray("pending");
            foreach (var c in inbox.Pending)
            {
                WriteCandidate(w, c);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    /// <summary>One candidate as a JSON object (the inbox's and the CLI's form).</summary>
    public static void WriteCandidate(Utf8JsonWriter w, Candidate c)
    {
        w.WriteStartObject();
        w.WriteString("id", c.Id);
        w.WriteString("status", StatusName(c.Status));
        w.WriteString("collector", c.Collector);
        w.WriteString("url", c.Url);
        w.WriteString("fetched_at", c.FetchedAt);
        w.WriteString("sha256", c.Sha256);
        w.WriteString("why", c.Why);
        w.WriteStartObject("signal");
        w.WriteString("kind", c.Signal.Kind);
        w.WriteString("date", IsoDate.Format(c.Signal.Date));
        w.WriteStartObject("fields");
        foreach (var (k, v) in c.Signal.Fields)
        {
            w.WriteString(k, v);
        }

        w.WriteEndObject();
        w.WriteString("source", c.Signal.Source);
        w.WriteNumber("confidence", c.Signal.Confidence);
        if (c.Signal.Note is not null)
        {
            w.WriteString("note", c.Signal.Note);
        }

        w.WriteEndObject();
        w.WriteStartArray("needs");
        foreach (var n in c.Needs)
        {
            w.WriteStringValue(n);
        }

        w.WriteEndArray();
        if (c.ReviewedOn is { } day)
        {
            w.WriteString("reviewed", IsoDate.Format(day));
        }

        if (c.Reason is not null)
        {
            w.WriteString("reason", c.Reason);
        }

        if (c.AutoAcceptedBy is not null)
        {
            w.WriteString("auto_accepted_by", c.AutoAcceptedBy);
        }

        w.WriteEndObject();
    }

    /// <summary>pending, accepted or rejected.</summary>
    public static string StatusName(CandidateStatus status) => status switch
    {
        CandidateStatus.Accepted => "accepted",
        CandidateStatus.Rejected => "rejected",
        _ => "pending",
    };

    private static Candidate? ReadCandidate(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        string? S(JsonElement o, string name) => o.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
        var status = S(e, "status") switch
        {
            "pending" => CandidateStatus.Pending,
            "accepted" => CandidateStatus.Accepted,
            "rejected" => CandidateStatus.Rejected,
            _ => (CandidateStatus?)null,
        };
        if (S(e, "id") is not { } id || status is null || S(e, "collector") is not { } collector || S(e, "url") is not { } url
            || S(e, "fetched_at") is not { } fetched || S(e, "sha256") is not { } sha || S(e, "why") is not { } why
            || !e.TryGetProperty("signal", out var s) || s.ValueKind != JsonValueKind.Object
            || S(s, "kind") is not { } kind || S(s, "date") is not { } dateText || !IsoDate.TryParse(dateText, out var date, out _)
            || S(s, "source") is not { } source || !s.TryGetProperty("confidence", out var conf) || conf.ValueKind != JsonValueKind.Number
            || !s.TryGetProperty("fields", out var fields) || fields.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var fieldList = new List<KeyValuePair<string, string>>();
        foreach (var f in fields.EnumerateObject())
        {
            if (f.Value.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            fieldList.Add(new(f.Name, f.Value.GetString()!));
        }

        var needs = new List<string>();
        if (e.TryGetProperty("needs", out var n) && n.ValueKind == JsonValueKind.Array)
        {
            needs.AddRange(n.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!));
        }

        DateOnly? reviewed = S(e, "reviewed") is { } r && IsoDate.TryParse(r, out var rd, out _) ? rd : null;
        return new Candidate(id, collector, url, fetched, sha, why, new ProposedSignal(kind, date, fieldList, source, conf.GetDouble(), S(s, "note")), needs)
        {
            Status = status.Value,
            ReviewedOn = reviewed,
            Reason = S(e, "reason"),
            AutoAcceptedBy = S(e, "auto_accepted_by"),
        };
    }

    /// <summary>Formats a number for a field value: invariant, shortest round-trip.</summary>
    internal static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>What a collector saw of a repository: its licence (SPDX id; null when it has none), whether it was archived, and since which read (UTC, ISO 8601) it has been so.</summary>
public sealed record RepoObservation(string? License, bool Archived, string Since)
{
    /// <summary>Equal when the licence and the archived flag are (since when does not matter).</summary>
    public bool Equals(RepoObservation? other) => other is not null && License == other.License && Archived == other.Archived;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(License, Archived);
}
