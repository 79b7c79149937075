using LicenseRisk.Model;
using LicenseRisk.Application;
using LicenseRisk.Yaml;

namespace LicenseRisk.Tests.Scoring;

/// <summary>Scoring many files streams in chunks, keeps file order, and stops yielding at the first error.</summary>
public sealed class StreamingScoreTests
{
    private const string Rules = """
        rules:
          - id: open
            title: t
            weight: 0.5
            when:
              - signal: release
                where: weights == 'open'
        """;

    private static string Vendor(string id) =>
        $"vendor: {{ id: {id}, name: {id} }}\nsignals:\n  - {{ kind: release, date: 2026-01-01, model: M, weights: open, source: s }}\n";

    [Fact]
    public void ScoreFiles_ManyChunks_KeepsFileOrderAndDropsSignals()
    {
        using var pack = new TestPack(Rules);
        for (var i = 0; i < 25; i++)
        {
            pack.Write($"d/v{i:D2}.yaml", Vendor($"v{i:D2}"));
        }

        var diags = new DiagnosticBag();
        var scores = BatchScorer.ScoreFiles(pack.CompileOk(), DossierReader.Expand([Path.Combine(pack.Dir, "d")], diags), new DateOnly(2026, 3, 1), null, null, new LicenseRisk.Yaml.Limits(), diags, chunk: 4).ToList();
        diags.HasErrors.ShouldBeFalse();
        scores.Select(s => s.Id).ShouldBe(Enumerable.Range(0, 25).Select(i => $"v{i:D2}"));
        scores.ShouldAllBe(s => s.Dossier.Signals.Count == 0 && s.SignalsConsidered == 1 && s.Contributions.Count == 1);
    }

    [Fact]
    public void ScoreFiles_ErrorInALaterChunk_StopsYieldingButReportsEveryError()
    {
        using var pack = new TestPack(Rules);
        for (var i = 0; i < 10; i++)
        {
            pack.Write($"d/v{i:D2}.yaml", Vendor($"v{i:D2}"));
        }

        pack.Write("d/v05b.yaml", Vendor("v05"));
        pack.Write("d/v08b.yaml", Vendor("v08").Replace("open", "maybe", StringComparison.Ordinal));
        var diags = new DiagnosticBag();
        var scores = BatchScorer.ScoreFiles(pack.CompileOk(), DossierReader.Expand([Path.Combine(pack.Dir, "d")], diags), new DateOnly(2026, 3, 1), null, null, new LicenseRisk.Yaml.Limits(), diags, chunk: 3).ToList();
        diags.Items.Where(d => d.IsError).Select(d => d.Code).Order(StringComparer.Ordinal).ShouldBe(["LR023", "LR030", "LR030"]);
        scores.Count.ShouldBeLessThan(10);
    }
}
