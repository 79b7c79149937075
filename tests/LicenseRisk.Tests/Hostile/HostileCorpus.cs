using System.Text;

namespace LicenseRisk.Tests.Hostile;

public enum Target
{
    /// <summary>A dossier given to <c>licenserisk score</c>.</summary>
    Dossier,

    /// <summary>A rule file in an otherwise valid pack, given to <c>licenserisk rules lint</c>.</summary>
    RuleFile,

    /// <summary>A <c>where:</c> expression in an otherwise valid rule.</summary>
    Expression,
}

public sealed record HostileInput(string Name, Target Target, byte[] Content)
{
    public override string ToString() => Name;
}

/// <summary>Hostile inputs, generated (not stored) so the repository stays small.</summary>
public static class HostileCorpus
{
    private const string Vendor = "vendor: { id: h, name: H }\n";

    private static HostileInput D(string name, string text) => new(name, Target.Dossier, Encoding.UTF8.GetBytes(text));

    private static HostileInput E(string name, string expression) => new(name, Target.Expression, Encoding.UTF8.GetBytes(expression));

    public static IReadOnlyList<HostileInput> All { get; } = Build();

    private static List<HostileInput> Build()
    {
        var laughs = new StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (var i = 1; i < 10; i++)
        {
            laughs.Append(CultureInfo(i)).Append('\n');
        }

        static string CultureInfo(int i) => $"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]";

        var list = new List<HostileInput>
        {
            D("billion laughs", laughs + Vendor + "signals: []\n"),
            D("billion laughs under extra", Vendor + "signals: []\nextra:\n" + string.Join("\n", laughs.ToString().Split('\n').Select(l => "  " + l))),
            D("10,000-deep flow list", Vendor + "signals: " + new string('[', 10_000) + new string(']', 10_000) + "\n"),
            D("1,000-deep block mapping", Vendor + "signals: []\nextra:\n" + string.Concat(Enumerable.Range(0, 1_000).Select(i => new string(' ', 1 + i) + "k:\n"))),
            D("NUL byte", Vendor + "signals: []\x00\n"),
            new("invalid UTF-8", Target.Dossier, [.. Encoding.UTF8.GetBytes(Vendor + "signals: []\n# "), 0xC3, 0x28, 0x0A]),
            D("duplicate keys", Vendor + "vendor: { id: x, name: X }\nsignals: []\n"),
            D("number overflow", Vendor + "signals:\n  - { kind: release, date: 2026-01-01, model: M, weights: open, params_b: 1e999, source: s }\n"),
            D("NaN", Vendor + "signals:\n  - { kind: release, date: 2026-01-01, model: M, weights: open, params_b: .nan, source: s }\n"),
            D("Infinity", Vendor + "signals:\n  - { kind: release, date: 2026-01-01, model: M, weights: open, params_b: -.inf, source: s }\n"),
            D("int overflow", Vendor + "signals:\n  - { kind: hiring, date: 2026-01-01, count: 99999999999999999999999, from_closed_lab: true, source: s }\n"),
            D("impossible date", Vendor + "signals:\n  - { kind: release, date: 2026-02-30, model: M, weights: open, source: s }\n"),
            D("absurd date", Vendor + "signals:\n  - { kind: release, date: 0001-01-01, model: M, weights: open, source: s }\n"),
            D("far-future date", Vendor + "signals:\n  - { kind: release, date: 9999-12-31, model: M, weights: open, source: s }\n"),
            D("confidence out of range", Vendor + "signals:\n  - { kind: release, date: 2026-01-01, model: M, weights: open, confidence: -0.1, source: s }\n"),
            D("empty document", string.Empty),
            D("only a comment", "# nothing here\n"),
            D("several documents", Vendor + "signals: []\n---\n" + Vendor + "signals: []\n"),
            D("sequence where a map belongs", "- vendor\n- signals\n"),
            D("scalar root", "just text\n"),
            D("map where the signal list belongs", Vendor + "signals: { kind: release }\n"),
            D("unclosed flow mapping", "vendor: { id: h, name: H\nsignals: []\n"),
            D("tab indentation", "vendor:\n\tid: h\n"),
            D("30,000 signals (over the limit)", Vendor + "signals:\n" + string.Concat(Enumerable.Repeat("  - { kind: layoff, date: 2026-01-01, source: s }\n", 30_000))),
            D("very long string", Vendor + "signals:\n  - { kind: release, date: 2026-01-01, model: " + new string('x', 100_000) + ", weights: open, source: s }\n"),
            D("ANSI escape in a name", "vendor: { id: h, name: \"\\e[31mred\\e[0m\" }\nsignals: []\nbogus: 1\n"),
            D("unknown kind with script", Vendor + "signals:\n  - { kind: \"<script>alert(1)</script>\", date: 2026-01-01 }\n"),
            D("bad vendor id", "vendor: { id: \"../../etc/passwd\", name: X }\nsignals: []\n"),
            D("binary junk", "\u0001\u0002\u0003\u007f{{{{[[[[::::"),
            E("method call", "model.GetType() == 'x'"),
            E("type name", "System.IO.File.ReadAllText('/etc/passwd') == ''"),
            E("GetType bare", "GetType() == 'x'"),
            E("indexer", "model[0] == 'x'"),
            E("cast", "(string)model == 'x'"),
            E("lambda", "x => x.model"),
            E("new object", "new System.Object() == model"),
            E("typeof", "typeof(string) == model"),
            E("unicode look-alike name", "mоdel == 'x'"),
            E("unicode look-alike operator", "model ＝＝ 'x'"),
            E("10,000-deep parentheses", new string('(', 10_000) + "true" + new string(')', 10_000)),
            E("1,000-deep parentheses", new string('(', 1_000) + "true" + new string(')', 1_000)),
            E("200-deep not", string.Concat(Enumerable.Repeat("not ", 200)) + "true"),
            E("huge expression", string.Join(" or ", Enumerable.Range(0, 2_000).Select(i => $"model == 'm{i}'"))),
            E("unterminated string", "model == 'x"),
            E("semicolon", "true; System.Environment.Exit(1)"),
            E("string interpolation", "$\"{model}\" == 'x'"),
            E("assignment", "model = 'x'"),
            E("null", "model == null"),
        };
        list.Add(new("rule file: deep nesting", Target.RuleFile, Encoding.UTF8.GetBytes("rules: " + new string('[', 5_000) + new string(']', 5_000) + "\n")));
        list.Add(new("rule file: billion laughs", Target.RuleFile, Encoding.UTF8.GetBytes(laughs + "rules: []\n")));
        list.Add(new("rule file: a rule as a list", Target.RuleFile, Encoding.UTF8.GetBytes("rules:\n  - - id: x\n")));
        return list;
    }
}
