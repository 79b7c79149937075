using System.Text;
using LicenseRisk.Model;
using LicenseRisk.Presentation;
using LicenseRisk.Yaml;

namespace LicenseRisk.Collection;

/// <summary>
/// Accepts or rejects an inbox's candidates. Accepting appends the signal, with its provenance, to
/// the end of the dossier's signals list as text (comments and layout kept), re-reads the new text
/// to check it, then replaces the dossier atomically and marks the candidate accepted. Nothing is
/// written when any check fails. Each decision holds the dossier's <see cref="DossierLock"/> from
/// reading the inbox to writing it back, so decisions by several processes at once all land.
/// </summary>
public static class Review
{
    /// <summary>
    /// Accepts candidate <paramref name="id"/> of the dossier's inbox into the dossier.
    /// <paramref name="set"/> gives or overrides fields (a required field the collector could not
    /// know, or a proposed tier to correct); <c>confidence</c> and <c>note</c> may be set too.
    /// </summary>
    /// <returns>the accepted candidate, or null with the problems on <paramref name="diags"/> (the collect-and-review codes of DiagnosticCodes, or the dossier's own).</returns>
    public static Candidate? Accept(
        string dossierPath,
        string id,
        string reason,
        IReadOnlyList<KeyValuePair<string, string>> set,
        SignalCatalog catalog,
        Limits limits,
        DateOnly today,
        DiagnosticBag diags,
        string? autoAcceptedBy = null)
    {
        using var held = Lock(dossierPath, diags);
        if (held is null || Open(dossierPath, id, diags) is not ({ } inbox, { } candidate))
        {
            return null;
        }

        var kind = catalog.Find(candidate.Signal.Kind);
        if (kind is null || kind.Derived)
        {
            diags.Report(SourceSpan.None(inbox.Path), DiagnosticCodes.AcceptWouldBreakDossier, $"candidate '{id}' proposes kind '{candidate.Signal.Kind}', which the pack does not declare");
            return null;
        }

        var fields = candidate.Signal.Fields.ToList();
        var signal = candidate.Signal;
        var ok = true;
        foreach (var (name, value) in set)
        {
            if (name == "confidence" && double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var c) && c is >= 0 and <= 1)
            {
                signal = signal with { Confidence = c };
            }
            else if (name == "note")
            {
                signal = signal with { Note = value.Length == 0 ? null : value };
            }
            else if (kind.Field(name) is not null)
            {
                fields.RemoveAll(f => f.Key == name);
                if (value.Length > 0)
                {
                    fields.Add(new(name, value));
                }
            }
            else
            {
                var hint = Suggest.Closest(name, kind.Fields.Select(f => f.Name).Append("confidence").Append("note"));
                diags.Report(SourceSpan.None("--set"), DiagnosticCodes.AcceptWouldBreakDossier, name == "confidence"
                    ? $"confidence must be a number from 0 to 1, not '{value}'"
                    : $"a {kind.Name} signal has no field '{name}'{(hint is null ? string.Empty : $" (did you mean '{hint}'?)")}");
                ok = false;
            }
        }

        foreach (var def in kind.Fields.Where(f => f.Required && !fields.Any(x => x.Key == f.Name)))
        {
            diags.Report(SourceSpan.None(inbox.Path), DiagnosticCodes.CandidateIncomplete, $"candidate '{id}' needs '{def.Name}' ({def.TypeName}), which the collector cannot know: accept with --set {def.Name}=VALUE");
            ok = false;
        }

        if (!ok)
        {
            return null;
        }

        var bytes = File.ReadAllBytes(dossierPath);
        var bom = bytes.AsSpan().StartsWith("\uFEFF"u8);
        var text = Encoding.UTF8.GetString(bom ? bytes[3..] : bytes);
        var root = YamlSource.LoadText(text, dossierPath, limits, diags);
        var dossier = root is null ? null : DossierReader.Read(root, dossierPath, catalog, limits, diags);
        if (root is null || dossier is null)
        {
            return null;
        }

        if (dossier.Signals.Any(s => s.Provenance?.Candidate == id))
        {
            // Accepted before, and the inbox was not updated (a crash between the two writes): record it.
            var already = candidate with { Status = CandidateStatus.Accepted, ReviewedOn = today, Reason = reason, AutoAcceptedBy = autoAcceptedBy };
            inbox.Replace(already);
            inbox.Save();
            return already;
        }

        var signalId = dossier.Signals.Any(s => s.Id == id) ? $"{id}-{today.DayNumber}" : id;
        var provenance = new SignalProvenance(candidate.Collector, candidate.Url, candidate.FetchedAt, candidate.Sha256, candidate.Id, today, reason) { AutoAcceptedBy = autoAcceptedBy };
        var lines = DossierAppender.ItemLines(kind, signal, fields, signalId, provenance);
        var updated = DossierAppender.Append(text, root, lines, out var problem);
        if (updated is null)
        {
            diags.Report(dossier.Vendor.Span with { Line = 0, Column = 0 }, DiagnosticCodes.AcceptWouldBreakDossier, problem!);
            return null;
        }

        // The new text must read as a dossier, with the new signal in it, before it replaces the file.
        var check = new DiagnosticBag();
        var newRoot = YamlSource.LoadText(updated, dossierPath, limits, check);
        var reread = newRoot is null ? null : DossierReader.Read(newRoot, dossierPath, catalog, limits, check);
        if (reread is null || reread.Signals.Count != dossier.Signals.Count + 1 || check.HasErrors)
        {
            foreach (var d in check.Items.Where(d => d.IsError))
            {
                diags.Report(SourceSpan.None(dossierPath), DiagnosticCodes.AcceptWouldBreakDossier, $"candidate '{id}' would make the dossier invalid: line {d.Span.Line}: {d.Message}");
            }

            if (!check.HasErrors)
            {
                diags.Report(SourceSpan.None(dossierPath), DiagnosticCodes.AcceptWouldBreakDossier, $"candidate '{id}' could not be appended to the signals list");
            }

            return null;
        }

        AtomicFile.Write(dossierPath, s =>
        {
            if (bom)
            {
                s.Write("\uFEFF"u8);
            }

            s.Write(Encoding.UTF8.GetBytes(updated));
        });
        var accepted = candidate with { Status = CandidateStatus.Accepted, ReviewedOn = today, Reason = reason, AutoAcceptedBy = autoAcceptedBy };
        inbox.Replace(accepted);
        inbox.Save();
        return accepted;
    }

    /// <summary>
    /// <c>FIELD=VALUE</c> items (<c>review --set</c>, or the lines of the web form's box) as pairs;
    /// an item without a field name before '=' goes to <paramref name="problem"/>.
    /// </summary>
    public static List<KeyValuePair<string, string>> ParseSet(IEnumerable<string> items, Action<string> problem)
    {
        var set = new List<KeyValuePair<string, string>>();
        foreach (var item in items)
        {
            var eq = item.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                problem($"'{item}' is not FIELD=VALUE");
                continue;
            }

            set.Add(new(item[..eq].Trim(), item[(eq + 1)..].Trim()));
        }

        return set;
    }

    /// <summary>Rejects candidate <paramref name="id"/>: it stays in the inbox, marked, and is never proposed again.</summary>
    /// <returns>the rejected candidate, or null with the problem on <paramref name="diags"/>.</returns>
    public static Candidate? Reject(string dossierPath, string id, string reason, DateOnly today, DiagnosticBag diags)
    {
        using var held = Lock(dossierPath, diags);
        if (held is null || Open(dossierPath, id, diags) is not ({ } inbox, { } candidate))
        {
            return null;
        }

        var rejected = candidate with { Status = CandidateStatus.Rejected, ReviewedOn = today, Reason = reason };
        inbox.Replace(rejected);
        inbox.Save();
        return rejected;
    }

    /// <summary>The dossier's <see cref="DossierLock"/>, held from reading the inbox to writing it back; null (and why) when the dossier is missing or the lock is not free in time.</summary>
    private static IDisposable? Lock(string dossierPath, DiagnosticBag diags)
    {
        if (!File.Exists(dossierPath))
        {
            diags.Report(SourceSpan.None(dossierPath), DiagnosticCodes.FileNotFound, "no such file");
            return null;
        }

        return DossierLock.Acquire(dossierPath, diags);
    }

    private static (Inbox?, Candidate?) Open(string dossierPath, string id, DiagnosticBag diags)
    {
        var inbox = Inbox.Load(dossierPath, diags);
        if (inbox is null)
        {
            return (null, null);
        }

        var candidate = inbox.Find(id);
        if (candidate is null)
        {
            var hint = Suggest.Closest(id, inbox.Candidates.Select(c => c.Id));
            diags.Report(SourceSpan.None(inbox.Path), DiagnosticCodes.UnknownCandidate, $"no candidate '{id}' in this inbox{(hint is null ? string.Empty : $" (did you mean '{hint}'?)")}");
            return (null, null);
        }

        if (candidate.Status != CandidateStatus.Pending)
        {
            diags.Report(SourceSpan.None(inbox.Path), DiagnosticCodes.CandidateAlreadyReviewed, $"candidate '{id}' was already {Inbox.StatusName(candidate.Status)}{(candidate.ReviewedOn is { } d ? " on " + IsoDate.Format(d) : string.Empty)}");
            return (null, null);
        }

        return (inbox, candidate);
    }
}
