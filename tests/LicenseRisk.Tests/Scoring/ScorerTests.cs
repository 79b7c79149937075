using LicenseRisk.Model;
using LicenseRisk.Scoring;

namespace LicenseRisk.Tests.Scoring;

/// <summary>The spec's scoring arithmetic, checked against values computed by hand.</summary>
public sealed class ScorerTests
{
    private const string Rules = """
        rules:
          - id: r1
            title: departure, decaying
            group: g
            weight: 0.8
            sd: 0.4
            half_life_days: 100
            when:
              - signal: leadership_departure
          - id: r2
            title: release, no decay
            group: g
            weight: 0.5
            decay: false
            when:
              - signal: release
          - id: r3
            title: hiring
            weight: -0.3
            sd: 0.2
            decay: false
            when:
              - signal: hiring
        """;

    // as_of 2026-03-10; the departure is 100 days earlier (one half-life).
    private const string Signals = """
          - { kind: leadership_departure, date: 2025-11-30, seniority: lead, confidence: 0.9, source: s }
          - { kind: release, date: 2026-01-01, model: M, weights: open, source: s }
          - { kind: hiring, date: 2026-01-01, from_closed_lab: true, confidence: 0.5, source: s }
          - { kind: hiring, date: 2026-06-01, from_closed_lab: true, source: s, id: future-hire }

        """;

    private static VendorScore Score(int? horizon = null)
    {
        using var pack = new TestPack(Rules, prior: "0.2", extraModel: "  default_sd: 0.3");
        return Dossiers.Score(pack.CompileOk(), Signals, asOf: "2026-03-10", horizon: horizon);
    }

    [Fact]
    public void Score_MatchesHandComputedProbabilityAndInterval()
    {
        // logit = ln(0.2/0.8) + 0.5 (r2 wins group g over r1's 0.8*0.9*0.5 = 0.36) - 0.3*0.5 = -1.0362944
        // half-width = 1.6448536 * sqrt((0.3*1*1)^2 + (0.2*0.5*1)^2) = 0.5201478
        var s = Score();
        s.Logit.ShouldBe(-1.0362943611198905, 1e-12);
        s.Probability.ShouldBe(0.2618656320240251, 1e-12);
        s.Low.ShouldBe(0.1741576821092643, 1e-12);
        s.High.ShouldBe(0.37375387475814875, 1e-12);
        s.Band.ShouldBe("elevated");
    }

    [Fact]
    public void Score_GroupCountsItsStrongestRuleOnce_AndListsTheOther()
    {
        var s = Score();
        s.Contributions.Select(c => c.Rule).ShouldBe(["r2", "r3"]);
        var lost = s.Outweighed.Single();
        lost.By.ShouldBe("r2");
        lost.Contribution.Rule.ShouldBe("r1");
        lost.Contribution.Decay.ShouldBe(0.5, 1e-12);
        lost.Contribution.Value.ShouldBe(0.36, 1e-12);
    }

    [Fact]
    public void Score_SignalsAfterAsOf_AreIgnoredAndListed()
    {
        var s = Score();
        s.SignalsConsidered.ShouldBe(3);
        s.Ignored.Single().Label.ShouldBe("future-hire");
        s.Contributions.Single(c => c.Rule == "r3").Confidence.ShouldBe(0.5);
    }

    [Fact]
    public void Score_ConvertsToAnotherHorizon()
    {
        var six = Score(horizon: 6);
        six.HorizonMonths.ShouldBe(6);
        six.Probability.ShouldBe(0.14085253420848942, 1e-12);
        six.Low.ShouldBe(0.09124133132567269, 1e-12);
        six.High.ShouldBe(0.20864285860185028, 1e-12);
        Score(horizon: 24).Probability.ShouldBe(0.4551576548127081, 1e-12);
    }

    [Fact]
    public void Score_WithNoFirings_IsThePriorWithAPointInterval()
    {
        using var pack = new TestPack("rules: []", prior: "0.12");
        var s = Dossiers.Score(pack.CompileOk(), "  []\n");
        s.Probability.ShouldBe(0.12, 1e-12);
        s.Low.ShouldBe(0.12, 1e-12);
        s.High.ShouldBe(0.12, 1e-12);
        s.Band.ShouldBe("low");
    }

    [Theory]
    [InlineData(0.0, "low")]
    [InlineData(0.2499, "low")]
    [InlineData(0.25, "elevated")]
    [InlineData(0.5, "high")]
    [InlineData(0.9, "critical")]
    public void Bands_TakeTheLastThresholdReached(double p, string band) =>
        new Bands([new("low", 0), new("elevated", 0.25), new("high", 0.5), new("critical", 0.75)]).Classify(p).ShouldBe(band);

    [Fact]
    public void Decay_IsHalvedEachHalfLife() =>
        Scorer.Decay(180, 1000, 1360).ShouldBe(0.25, 1e-12);
}
