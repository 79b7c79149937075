using LicenseRisk.Hosting.History;
using LicenseRisk.Model;
using LicenseRisk.Presentation.Report;

namespace LicenseRisk.Hosting.Reports;

/// <summary>Builds the weekly report from this run's scores and the stored history.</summary>
public static class ReportBuilder
{
    /// <summary>A dossier whose newest considered signal is older than this is stale.</summary>
    public const int StaleDays = 180;

    public static WeeklyReport Build(
        PackInfo pack,
        string packSha256,
        DateOnly asOf,
        int horizonMonths,
        IReadOnlyList<VendorScore> scores,
        IReadOnlyList<Diagnostic> inputWarnings,
        (PreviousRun Run, IReadOnlyDictionary<string, StoredScore> Scores)? previous,
        IReadOnlyDictionary<string, IReadOnlyList<TrendPoint>> trends)
    {
        var vendors = new List<VendorEntry>(scores.Count);
        foreach (var s in scores)
        {
            Change? change = null;
            IReadOnlyList<NewSignal> added = [];
            if (previous is { } prev && prev.Scores.TryGetValue(s.Id, out var before))
            {
                change = new Change(prev.Run.AsOf, before.Probability, before.Band, s.Probability - before.Probability);
                added = [.. SignalKeys.ConsideredSignals(s)
                    .Where(x => !before.Signals.Contains(SignalKeys.Key(x)))
                    .OrderBy(x => x.Date)
                    .ThenBy(x => x.Label, StringComparer.Ordinal)
                    .Select(x => new NewSignal(x.Label, x.Kind.Name, x.Date, x.Source, x.Note) { Provenance = NewSignal.Describe(x.Provenance) })];
            }

            vendors.Add(new VendorEntry(s, change, added, DataWarnings(s, inputWarnings), trends.TryGetValue(s.Id, out var t) ? t : []));
        }

        return new WeeklyReport(pack, packSha256, asOf, horizonMonths, previous?.Run, vendors);
    }

    /// <summary>Stale dossier, signals without a source, signals left out, and the reader's warnings for the file.</summary>
    public static IReadOnlyList<string> DataWarnings(VendorScore s, IReadOnlyList<Diagnostic> inputWarnings)
    {
        var warnings = new List<string>();
        var considered = SignalKeys.ConsideredSignals(s).ToList();
        if (considered.Count == 0)
        {
            warnings.Add($"stale dossier: no signal on or before {IsoDate.Format(s.AsOf)}");
        }
        else
        {
            var newest = considered.Max(x => x.Date);
            var age = s.AsOf.DayNumber - newest.DayNumber;
            if (age > StaleDays)
            {
                warnings.Add($"stale dossier: the newest signal is from {IsoDate.Format(newest)}, {age} days before {IsoDate.Format(s.AsOf)} (more than {StaleDays})");
            }
        }

        var unsourced = considered.Where(x => string.IsNullOrWhiteSpace(x.Source)).Select(x => x.Label).ToList();
        if (unsourced.Count > 0)
        {
            warnings.Add($"{Plural.Of(unsourced.Count, "signal has", "signals have")} no source: {string.Join(", ", unsourced)}");
        }

        if (s.Coverage.ThinEvidence)
        {
            warnings.Add($"thin evidence: {s.Coverage.ThinReason}; the score leans on the prior (absence of a signal is not evidence of absence)");
        }

        if (s.Coverage.GroupsWithoutData.Count > 0)
        {
            warnings.Add($"no data at all for the factor groups: {string.Join(", ", s.Coverage.GroupsWithoutData)}");
        }

        warnings.AddRange(s.Warnings);
        warnings.AddRange(inputWarnings
            .Where(d => !d.IsError && d.Span.File == s.Dossier.File && d.Descriptor != DiagnosticCodes.SignalWithoutSource)
            .Select(d => d.ToString()));
        return warnings;
    }
}
