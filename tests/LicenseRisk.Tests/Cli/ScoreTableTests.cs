using System.Text.RegularExpressions;
using LicenseRisk.Presentation.Score;
using LicenseRisk.Tests.Hosting;

namespace LicenseRisk.Tests.Cli;

/// <summary>
/// <c>score</c>'s default view as a person reads it: it fits 80 columns, explains itself (bands and
/// their thresholds from the pack, log-odds, the thin-evidence mark), writes large numbers for
/// people and "unknown" for a field the dossier does not give, and reads as sentences, with rule
/// ids and derived-signal names left to the JSON and Markdown outputs.
/// </summary>
public sealed class ScoreTableTests
{
    private const string Dossier = """
        vendor:
          id: bigco
          name: BigCo AI
        signals:
        - kind: funding
          date: 2026-01-10
          amount_usd: 2000000000
          investor: A fund
          investor_type: vc
        - kind: adoption
          date: 2026-02-01
          downloads: 1000000000
          derivatives: 12000
        - kind: leadership_departure
          date: 2026-02-20
          seniority: executive
          to_org: OpenAI
          to_closed_lab: true
        - kind: release
          date: 2026-02-01
          model: Big 2
          weights: open
          tier: flagship
        """;

    [Fact]
    public void Table_FitsEightyColumns_AndEndsWithALegendFromThePack()
    {
        var r = CliProcess.Run("score", "samples/vendors", "--as-of", "2026-11-29", "--policy", "samples/policies/acme.yaml");

        r.ExitCode.ShouldBe(1);
        r.Stdout.Split('\n').ShouldAllBe(line => line.Length <= 80);
        var text = Words(r.Stdout);
        text.ShouldContain("How to read this");
        text.ShouldContain("Bands (from the pack): low below 0.25, elevated from 0.25 to 0.50, high from 0.50 to 0.75, critical from 0.75 up.");
        text.ShouldContain("A reason's number is what it adds to the log-odds of the prior");
        text.ShouldContain("* marks thin evidence: under 5 signals, the newest older than 365 days");
        text.ShouldContain("silo-ai, Silo AI (AMD Silo AI): 0.22, low * ");
        text.ShouldContain("* Thin evidence: the newest signal is 546 days old.");
        Regex.IsMatch(r.Stdout, @"(?m)^silo-ai\s+0\.22\s+0\.18-0\.25\s+low \*$").ShouldBeTrue(r.Stdout);
    }

    [Fact]
    public void Table_ReadsAsSentences_RuleIdsAndDerivedSignalsStayInJsonAndMarkdown()
    {
        var r = CliProcess.Run("score", "samples/vendors/qwen.yaml", "--as-of", "2026-03-05");

        r.ExitCode.ShouldBe(0, r.Stderr);
        var text = Words(r.Stdout);
        text.ShouldContain("qwen, Alibaba Qwen: 0.63, high");
        text.ShouldContain("+0.50 Junyang (Justin) Lin");
        text.ShouldContain("Inferred from the signals: closed lab leadership (from org Google DeepMind, person Zhou Hao); leadership exodus (count 4).");
        text.ShouldContain("8 more reasons not counted: a stronger reason of the same kind already counts.");
        text.ShouldContain("4 signals dated after 2026-03-05 left out (not used).");
        text.ShouldNotContain("lead-departs-after-open-release");
        text.ShouldNotContain("derived:");
        text.ShouldNotContain("leadership_exodus");

        var markdown = CliProcess.Run("score", "samples/vendors/qwen.yaml", "--as-of", "2026-03-05", "--format", "markdown").Stdout;
        markdown.ShouldContain("lead-departs-after-open-release");
        markdown.ShouldContain("leadership\\_exodus (count: 4)");
    }

    [Fact]
    public void Table_WritesLargeNumbersForPeople_AndUnknownForAMissingField()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["bigco.yaml"], Dossier);

        var table = CliProcess.Run("score", dir["bigco.yaml"], "--as-of", "2026-03-01");
        var json = CliProcess.Run("score", dir["bigco.yaml"], "--as-of", "2026-03-01", "--format", "json");

        table.ExitCode.ShouldBe(0, table.Stderr);
        var text = Words(table.Stdout);
        text.ShouldContain("USD 2.0 B raised in the 12 months before 2026-03-01");
        text.ShouldContain("1.0 B downloads, 12,000 derivatives");
        text.ShouldContain("unknown (unknown) left 19 day(s) after the open release of Big 2");
        text.ShouldNotContain("?");
        json.Stdout.ShouldContain("USD 2000000000 raised");
        json.Stdout.ShouldContain("? (?) left 19 day(s) after the open release of Big 2");
    }

    [Theory]
    [InlineData("USD 7400000000 raised", "USD 7.4 B raised")]
    [InlineData("700000000 downloads, 180000 derivatives", "700 M downloads, 180,000 derivatives")]
    [InlineData("90000 enterprise customers", "90,000 enterprise customers")]
    [InlineData("Qwen3-235B-A22B on 2025-04-29, 1234 GPUs, v12345, 12345.5", "Qwen3-235B-A22B on 2025-04-29, 1234 GPUs, v12345, 12345.5")]
    [InlineData("Ada (?) left; ? joined; why?", "Ada (unknown) left; unknown joined; why?")]
    public void Human_RewritesOnlyWholeLargeNumbersAndLoneQuestionMarks(string text, string expected) =>
        TableScoreWriter.Human(text).ShouldBe(expected);

    /// <summary>The text with its line breaks and indentation folded to single spaces, as it reads.</summary>
    private static string Words(string text) => Regex.Replace(text, @"\s+", " ");
}
