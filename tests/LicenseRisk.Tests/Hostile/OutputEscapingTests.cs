using LicenseRisk.Tests.Cli;

namespace LicenseRisk.Tests.Hostile;

/// <summary>Hostile text from a dossier and a rule cannot break or inject into the table or Markdown.</summary>
public sealed class OutputEscapingTests
{
    private const string Hostile = "<script>alert(1)</script> ]]> | `x` **y** \\u001b[31mred\\u001b[0m";

    private static CliResult Score(string format)
    {
        using var pack = new TestPack("""
            rules:
              - id: r
                title: "<img src=x onerror=alert(1)> | title"
                weight: 1
                when:
                  - signal: release
                    as: rel
                because: "{rel.model} and {rel.note}"
            """);
        var file = pack.Write("d/h.yaml", $$"""
            vendor: { id: h, name: "{{Hostile}}" }
            signals:
              - { kind: release, date: 2026-03-01, model: "{{Hostile}}", weights: open, source: s, note: "line one\nline two" }
            """);
        return CliProcess.InProcess("score", file, "--rules", pack.Dir, "--as-of", "2026-03-05", "--format", format);
    }

    [Fact]
    public void Table_StripsTerminalControlSequences()
    {
        var r = Score("table");
        r.ExitCode.ShouldBe(0, r.Stderr);
        r.Stdout.ShouldNotContain("\u001b");
        r.Stdout.ShouldContain("[31mred");

        // The note's line break is a space: the text wraps with the table's indent, never at column 0.
        System.Text.RegularExpressions.Regex.Replace(r.Stdout, @"\s+", " ").ShouldContain("line one line two");
        r.Stdout.Split('\n').ShouldNotContain(l => l.StartsWith("line two", StringComparison.Ordinal));
    }

    [Fact]
    public void Markdown_EscapesTablesHtmlAndEmphasis()
    {
        var r = Score("markdown");
        r.ExitCode.ShouldBe(0, r.Stderr);
        r.Stdout.ShouldNotContain("\u001b");
        r.Stdout.ShouldNotContain("<script>");
        System.Text.RegularExpressions.Regex.IsMatch(r.Stdout, @"(?<!\\)<(img|script)").ShouldBeFalse();
        r.Stdout.ShouldContain("\\<script\\>alert(1)\\</script\\>");
        r.Stdout.ShouldContain("\\| \\`x\\` \\*\\*y\\*\\*");
        r.Stdout.ShouldNotContain("line one\nline two");
    }

    [Fact]
    public void Json_KeepsTheTextExactButEscaped()
    {
        var r = Score("json");
        r.ExitCode.ShouldBe(0, r.Stderr);
        r.Stdout.ShouldNotContain("\u001b");
        var v = System.Text.Json.JsonDocument.Parse(r.Stdout).RootElement.GetProperty("vendors")[0];
        v.GetProperty("name").GetString().ShouldBe("<script>alert(1)</script> ]]> | `x` **y** \u001b[31mred\u001b[0m");
    }
}
