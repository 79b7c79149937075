using LicenseRisk.Collection;
using LicenseRisk.Model;
using LicenseRisk.Tests.Hosting;
using LicenseRisk.Yaml;

namespace LicenseRisk.Tests.Collection;

/// <summary>The Collection library's review API, as the CLI and the web page call it.</summary>
public sealed class ReviewTests : IDisposable
{
    private static readonly DateOnly Today = new(2026, 12, 5);
    private static readonly SignalCatalog Catalog = LicenseRisk.Rules.PackCompiler.Load(Repo.Path("rules"), new Limits(), new DiagnosticBag())!.Catalog;
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Candidate Release(string model) => new(
        Candidate.MakeId("huggingface", model),
        "huggingface",
        "http://127.0.0.1:1/api/models?author=x",
        "2026-12-05T10:00:00Z",
        new string('a', 64),
        "test",
        new ProposedSignal("release", new DateOnly(2026, 11, 30), [new("model", model), new("weights", "open"), new("params_b", "7")], "https://huggingface.co/x/" + model, 0.9, null),
        []);

    private string Write(string name, string text, params Candidate[] candidates)
    {
        var path = _dir[name];
        File.WriteAllText(path, text);
        var diags = new DiagnosticBag();
        var inbox = Inbox.Load(path, diags)!;
        inbox.Merge(candidates, new HashSet<string>());
        inbox.Save();
        return path;
    }

    [Theory]
    [InlineData("comments", "vendor: {id: x, name: X}\n# the signals\nsignals:\n  # first\n  - kind: statement   # typed by hand\n    date: 2026-01-02\n    stance: neutral\n    source: a\n# trailing comment about nothing\n", "  - kind: statement   # typed by hand\n    date: 2026-01-02\n    stance: neutral\n    source: a\n  - kind: release\n    date: 2026-11-30\n")]
    [InlineData("empty-flow", "vendor: {id: x, name: X}\nsignals: []\ncase: {as_of: 2026-12-01, went_api_only: false}\n", "signals:\n- kind: release\n  date: 2026-11-30\n")]
    [InlineData("empty", "vendor: {id: x, name: X}\nsignals:\n", "signals:\n- kind: release\n  date: 2026-11-30\n")]
    [InlineData("crlf", "vendor: {id: x, name: X}\r\nsignals:\r\n- kind: statement\r\n  date: 2026-01-02\r\n  stance: neutral\r\n  source: a\r\n", "  source: a\r\n- kind: release\r\n  date: 2026-11-30\r\n")]
    public void Accept_appends_at_the_end_of_the_signals_list_keeping_everything_else(string name, string text, string expected)
    {
        var candidate = Release("Model-7B");
        var path = Write(name + ".yaml", text, candidate);
        var diags = new DiagnosticBag();
        var accepted = Review.Accept(path, candidate.Id, "seen on the Hub", [], Catalog, new Limits(), Today, diags);
        accepted.ShouldNotBeNull(string.Join("\n", diags.Items.Select(d => d.ToString())));
        var after = File.ReadAllText(path);
        after.ShouldContain(expected);
        foreach (var line in text.Split('\n').Where(l => l.Contains('#', StringComparison.Ordinal)))
        {
            after.ShouldContain(line);
        }

        var reread = DossierReader.ReadFile(path, Catalog, new Limits(), new DiagnosticBag())!;
        var signal = reread.Signals[^1];
        signal.Id.ShouldBe(candidate.Id);
        signal.Provenance!.Candidate.ShouldBe(candidate.Id);
        signal.Provenance.Reviewed.ShouldBe(Today);
        signal.Provenance.Reason.ShouldBe("seen on the Hub");
        Inbox.Load(path, new DiagnosticBag())!.Pending.ShouldBeEmpty();
    }

    [Fact]
    public void Accept_that_would_break_the_dossier_writes_nothing()
    {
        var candidate = Release("Model-7B");
        var path = Write("bad.yaml", "vendor: {id: x, name: X}\nsignals:\n- kind: statement\n  date: 2026-01-02\n  stance: neutral\n  source: a\n", candidate);
        var before = File.ReadAllText(path);
        var inboxBefore = File.ReadAllText(Inbox.PathFor(path));
        var diags = new DiagnosticBag();
        Review.Accept(path, candidate.Id, "r", [new("params_b", "seven")], Catalog, new Limits(), Today, diags).ShouldBeNull();
        diags.Items.ShouldContain(d => d.Descriptor == DiagnosticCodes.AcceptWouldBreakDossier && d.Message.Contains("'params_b' must be a number", StringComparison.Ordinal));
        File.ReadAllText(path).ShouldBe(before);
        File.ReadAllText(Inbox.PathFor(path)).ShouldBe(inboxBefore);
    }

    [Fact]
    public void A_candidate_already_in_the_dossier_is_not_proposed_again_and_a_broken_inbox_is_reported()
    {
        var candidate = Release("Model-7B");
        var path = Write("d.yaml", "vendor: {id: x, name: X}\nsignals: []\n");
        var inbox = Inbox.Load(path, new DiagnosticBag())!;
        inbox.Merge([candidate], new HashSet<string> { candidate.Id }).ShouldBeEmpty();
        inbox.Merge([candidate, candidate], new HashSet<string>()).Count.ShouldBe(1);

        File.WriteAllText(Inbox.PathFor(path), "{\"candidates\": 3");
        var diags = new DiagnosticBag();
        Inbox.Load(path, diags).ShouldBeNull();
        diags.Items.Single().Descriptor.ShouldBe(DiagnosticCodes.BadInbox);
    }
}
