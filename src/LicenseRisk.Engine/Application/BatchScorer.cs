using LicenseRisk.Model;
using LicenseRisk.Rules;
using LicenseRisk.Scoring;
using LicenseRisk.Yaml;

namespace LicenseRisk.Application;

/// <summary>One dossier to score, and the day and horizon (null: the pack's) to score it at.</summary>
public readonly record struct ScoreJob(Dossier Dossier, DateOnly AsOf, int? HorizonMonths);

/// <summary>
/// The application core's scoring half: scoring many dossiers, in parallel, for the commands, the
/// report, the backtester and the rule tests. Results keep the input order.
/// </summary>
public static class BatchScorer
{
    /// <summary>Scores every job; <paramref name="scored"/> hears how many are done after each one.</summary>
    public static IReadOnlyList<VendorScore> Score(
        CompiledPack pack, IReadOnlyList<ScoreJob> jobs, Policy? policy, Action<int>? scored = null, CancellationToken ct = default)
    {
        var results = new VendorScore[jobs.Count];
        var done = 0;
        InParallel(jobs.Count, i =>
        {
            results[i] = Evaluator.Score(pack, jobs[i].Dossier, jobs[i].AsOf, jobs[i].HorizonMonths, policy);
            scored?.Invoke(Interlocked.Increment(ref done));
        }, ct);
        return results;
    }

    /// <summary>Scores every dossier as of one day, at one horizon (null: the pack's).</summary>
    public static IReadOnlyList<VendorScore> Score(
        CompiledPack pack, IReadOnlyList<Dossier> dossiers, DateOnly asOf, int? horizonMonths, Policy? policy, Action<int>? scored = null, CancellationToken ct = default) =>
        Score(pack, [.. dossiers.Select(d => new ScoreJob(d, asOf, horizonMonths))], policy, scored, ct);

    /// <summary>
    /// Reads and scores dossier files (expanded by <see cref="DossierReader.Expand"/>) a chunk at a
    /// time, each file read then scored in parallel, and yields the scores in the files' order, so
    /// memory holds one chunk, not the whole input. Scores drop their signal records (writers need
    /// the file and vendor only). Ids are checked unique as in <see cref="DossierReader.ReadAll"/>.
    /// Once <paramref name="diags"/> has an error, the rest is still read (to report every problem)
    /// but nothing more is yielded.
    /// </summary>
    public static IEnumerable<VendorScore> ScoreFiles(
        CompiledPack pack, IReadOnlyList<string> files, DateOnly asOf, int? horizonMonths, Policy? policy, Limits limits, DiagnosticBag diags, int chunk = 64)
    {
        var ids = new UniqueVendorIds();
        var read = new Dossier?[Math.Min(chunk, files.Count)];
        var scores = new VendorScore?[read.Length];
        var bags = new DiagnosticBag[read.Length];
        for (var start = 0; start < files.Count; start += chunk)
        {
            var count = Math.Min(chunk, files.Count - start);
            var scoring = !diags.HasErrors;
            InParallel(count, i =>
            {
                bags[i] = new DiagnosticBag();
                read[i] = DossierReader.ReadFile(files[start + i], pack.Catalog, limits, bags[i]);
                scores[i] = scoring && read[i] is { } d && !bags[i].HasErrors
                    ? Evaluator.Score(pack, d, asOf, horizonMonths, policy) with { Dossier = d with { Signals = CollectedOnly(d.Signals) } }
                    : null;
            });
            for (var i = 0; i < count; i++)
            {
                diags.AddRange(bags[i].Items);
                if (read[i] is { } d && ids.Add(d, diags) && scores[i] is { } score && !diags.HasErrors)
                {
                    yield return score;
                }
            }

            Array.Clear(read);
            Array.Clear(scores);
        }
    }

    /// <summary>Runs the body for 0..count-1 on the thread pool; one item runs inline (no thread-pool start-up).</summary>
    private static void InParallel(int count, Action<int> body, CancellationToken ct = default)
    {
        if (count == 1)
        {
            ct.ThrowIfCancellationRequested();
            body(0);
            return;
        }

        Parallel.For(0, count, new ParallelOptions { CancellationToken = ct }, body);
    }

    /// <summary>
    /// What a streamed score keeps of its dossier's signals: only those with provenance, which the
    /// writers list as collected evidence; hand-typed dossiers keep none, as before.
    /// </summary>
    private static IReadOnlyList<SignalRecord> CollectedOnly(IReadOnlyList<SignalRecord> signals) =>
        signals.Any(s => s.Provenance is not null) ? [.. signals.Where(s => s.Provenance is not null)] : [];
}
