namespace LicenseRisk.Tests.Rules;

/// <summary>Every misuse is a located error (file:line:column) found when the pack loads.</summary>
public sealed class BinderErrorTests
{
    private static string Errors(string rulesYaml)
    {
        using var pack = new TestPack(rulesYaml);
        var (compiled, diags) = pack.Compile();
        compiled.ShouldBeNull();
        return TestPack.Errors(diags).Replace(pack.RulesFile, "rules.yaml", StringComparison.Ordinal);
    }

    private static string Rule(string where, string kind = "leadership_departure", string because = "x") => $"""
        rules:
          - id: r
            title: t
            weight: 1
            when:
              - signal: {kind}
                as: dep
                where: {where}
            because: "{because}"
        """;

    [Fact]
    public void UnknownField_PointsAtTheName()
    {
        var e = Errors(Rule("seniorty == 'lead'"));
        e.ShouldBe("rules.yaml:8:16: error LR101: unknown name 'seniorty' for leadership_departure signals; did you mean 'seniority'?");
    }

    [Fact]
    public void EnumValueNotDeclared_IsAnError()
    {
        var e = Errors(Rule("seniority == 'intern'"));
        e.ShouldBe("rules.yaml:8:29: error LR104: 'intern' is not a value of leadership_departure.seniority; expected one of: founder, executive, lead, senior");
    }

    [Fact]
    public void EnumValueInList_IsChecked()
    {
        Errors(Rule("seniority in ['lead', 'boss']")).ShouldContain("rules.yaml:8:38: error LR104: 'boss'");
    }

    [Fact]
    public void TypeMismatch_IsAnError()
    {
        Errors(Rule("person > 3")).ShouldBe("rules.yaml:8:23: error LR103: cannot compare string with number");
        Errors(Rule("age")).ShouldContain("LR103: a condition must be true or false, but this is number");
        Errors(Rule("date - date > 3")).ShouldContain("use days(earlier, later)");
    }

    [Fact]
    public void UnknownAlias_IsAnError()
    {
        var e = Errors(Rule("days(rel.date, date) < 30"));
        e.ShouldBe("rules.yaml:8:21: error LR107: unknown alias 'rel' (no aliases are bound here)");
    }

    [Fact]
    public void LaterAlias_IsNotVisibleEarlier()
    {
        var e = Errors("""
            rules:
              - id: r
                title: t
                weight: 1
                when:
                  - signal: release
                    as: rel
                    where: days(date, dep.date) < 30
                  - signal: leadership_departure
                    as: dep
            """);
        e.ShouldContain("rules.yaml:8:27: error LR107: unknown alias 'dep'");
    }

    [Fact]
    public void UnknownFunctionAndArity()
    {
        Errors(Rule("exec(person)")).ShouldContain("rules.yaml:8:16: error LR105: unknown function 'exec'");
        Errors(Rule("lower(person, 'x') == 'a'")).ShouldContain("LR106: lower(text) takes 1 argument, not 2");
        Errors(Rule("contains(age, 'x')")).ShouldContain("argument 1 must be string, not number");
    }

    [Fact]
    public void UnknownKind_IsAnError()
    {
        Errors(Rule("true", kind: "departure")).ShouldContain("rules.yaml:6:17: error LR060: unknown signal kind 'departure'");
    }

    [Fact]
    public void BecauseTemplate_IsTypeChecked()
    {
        Errors(Rule("true", because: "{dep.persn} left")).ShouldContain("rules.yaml:9:20: error LR102: leadership_departure signals have no field 'persn'; did you mean 'person'?");
        Errors(Rule("true", because: "{nobody.person} left")).ShouldContain("rules.yaml:9:16: error LR107: unknown alias 'nobody'");
    }

    [Fact]
    public void QuotedWhere_ColumnsCountTheQuote()
    {
        var e = Errors(Rule("\"seniority == 'x'\""));
        e.ShouldContain("rules.yaml:8:30: error LR104");
    }

    [Fact]
    public void ManyErrors_AreAllReportedAtOnce()
    {
        var e = Errors("""
            rules:
              - id: a
                title: t
                weight: 1
                when:
                  - signal: release
                    where: wieghts == 'open'
              - id: b
                title: t
                weight: x
                when:
                  - signal: nope
              - id: a
                title: t
                when:
                  - signal: release
                    bogus: 1
            """);
        var lines = e.Split('\n');
        lines.ShouldContain(l => l.Contains("rules.yaml:7:16: error LR101", StringComparison.Ordinal));
        lines.ShouldContain(l => l.Contains("rules.yaml:10:13: error LR012", StringComparison.Ordinal));
        lines.ShouldContain(l => l.Contains("rules.yaml:12:17: error LR060", StringComparison.Ordinal));
        lines.ShouldContain(l => l.Contains("rules.yaml:13:9: error LR059: rule id 'a' is already used", StringComparison.Ordinal));
        lines.ShouldContain(l => l.Contains("rules.yaml:17:9: error LR018: unknown key 'bogus'", StringComparison.Ordinal));
        lines.ShouldContain(l => l.Contains("LR053", StringComparison.Ordinal));
    }

    [Fact]
    public void SumOverNonNumber_IsAnError()
    {
        Errors("""
            rules:
              - id: r
                title: t
                weight: 1
                when:
                  - sum: release.model
                    at_least: 3
            """).ShouldContain("rules.yaml:6:22: error LR061: sum: needs a number field, but release.model is string");
    }

    [Fact]
    public void DeriveOfUndeclaredOrNonDerivedKind_IsAnError()
    {
        Errors("""
            rules:
              - id: r
                title: t
                when:
                  - signal: release
                derive:
                  kind: made_up
            """).ShouldContain("rules.yaml:7:13: error LR070: derive: kind 'made_up' is not declared");
        Errors("""
            rules:
              - id: r
                title: t
                when:
                  - signal: release
                derive:
                  kind: release
            """).ShouldContain("must be declared with derived: true");
    }

    [Fact]
    public void DeriveCycle_IsRejectedAtLoad()
    {
        var e = Errors("""
            rules:
              - id: a-to-b
                title: t
                when:
                  - signal: flag_a
                derive: { kind: flag_b }
              - id: b-to-a
                title: t
                when:
                  - signal: flag_b
                derive: { kind: flag_a }
            """);
        e.ShouldContain("rules.yaml:6:21: error LR073: derive cycle: 'flag_b' feeds back into itself");
        e.ShouldContain("b-to-a derives flag_a");
    }

    [Fact]
    public void BrokenSignalsFile_IsLocated()
    {
        using var pack = new TestPack("rules: []", signals: """
            kinds:
              release:
                fields:
                  model: { type: text }
                  weights: { type: enum }
            """);
        var (_, diags) = pack.Compile();
        var e = TestPack.Errors(diags).Replace(pack.Dir + "/", string.Empty, StringComparison.Ordinal);
        e.ShouldContain("signals.yaml:4:22: error LR045: unknown field type 'text'");
        e.ShouldContain("signals.yaml:5:24: error LR045: enum field 'weights' needs a non-empty 'values' list");
    }
}

/// <summary>Errors inside quoted, folded, literal and multi-line scalars point at the exact character.</summary>
public sealed class ScalarStyleLocationTests
{
    [Theory]
    [InlineData("\"model == \\\"a\\\" and nn > 1\"", 7, 36)]
    [InlineData("'model == ''a'' and nn > 1'", 7, 36)]
    [InlineData(">\n          model == 'a'\n          and nn > 1", 9, 15)]
    [InlineData("|\n          model == 'a'\n            and nn > 1", 9, 17)]
    [InlineData("model == 'a'\n          and nn > 1", 8, 15)]
    public void UnknownName_IsLocatedExactly(string where, int line, int column)
    {
        using var pack = new TestPack($"rules:\n  - id: r\n    title: t\n    weight: 1\n    when:\n      - signal: release\n        where: {where}\n");
        var (_, diags) = pack.Compile();
        TestPack.Errors(diags).ShouldBe($"{pack.RulesFile}:{line}:{column}: error LR101: unknown name 'nn' for release signals");
    }
}
