using System.Text.Json;
using LicenseRisk.Tests.Cli;
using LicenseRisk.Tests.Hosting;
using Xunit.Abstractions;

namespace LicenseRisk.Tests.Collection;

/// <summary>
/// Kills the real <c>licenserisk collect</c> and <c>review --accept</c> processes (SIGKILL) at many
/// points of their runs and checks after each kill that every inbox is absent or whole (valid JSON
/// equal to the state before or after the run) and every dossier is byte-equal to before or to
/// the whole after state. No hook in the program: the kills land wherever the run happens to be.
/// </summary>
[Trait("Category", "Hostile")]
public sealed class CollectKillTests(ITestOutputHelper output) : IDisposable
{
    private const string Page1 = "/orgs/example-lab/repos?type=public&per_page=100";
    private const string Page2 = "/orgs/example-lab/repos?type=public&per_page=100&page=2";
    private const int Dossiers = 4;

    private readonly TempDir _dir = new();
    private readonly FixtureServer _server = new();

    public void Dispose()
    {
        _server.Dispose();
        _dir.Dispose();
    }

    private static string DossierText(int i) => $"""
        # vendor {i}, collected from a loopback GitHub
        vendor:
          id: example-{i}
          name: Example Lab {i}
          sources:
            github: [example-lab]
        signals:
          - kind: release
            date: 2024-01-10
            model: Lab LLM 1
            weights: open
            source: https://example.org/lab-llm-1
        """;

    private void Serve()
    {
        // Each page takes a moment, so a run spans the reads and the inbox writes of several dossiers.
        var next = new Dictionary<string, string> { ["Link"] = $"<{{base}}{Page2[1..]}>; rel=\"next\"" };
        _server.On(Page1, new Reply(200, CollectCommandTests.Fixture("gh-example-lab-page1.json"), Headers: next) { Delay = TimeSpan.FromMilliseconds(40) })
            .On(Page2, new Reply(200, CollectCommandTests.Fixture("gh-example-lab-page2.json")) { Delay = TimeSpan.FromMilliseconds(40) });
    }

    private string Folder(string name)
    {
        var folder = _dir[name];
        Directory.CreateDirectory(folder);
        for (var i = 1; i <= Dossiers; i++)
        {
            File.WriteAllText(Path.Combine(folder, $"example-{i}.yaml"), DossierText(i));
        }

        return folder;
    }

    private static string[] CollectArgs(string folder, string url) => ["collect", folder, "--github-url", url, "--no-cache", "--timeout", "5", "-q"];

    private static IReadOnlyList<string> Ids(string inbox) =>
        [.. JsonDocument.Parse(File.ReadAllText(inbox)).RootElement.GetProperty("candidates").EnumerateArray().Select(c => c.GetProperty("id").GetString()!)];

    private static void KillAfter(TimeSpan delay, string[] args)
    {
        using var p = CliProcess.Start(args, out _, out _);
        if (!p.WaitForExit(delay))
        {
            p.Kill();
        }

        p.WaitForExit();
    }

    [Fact]
    public void Collect_killed_at_any_point_leaves_every_inbox_absent_or_whole_and_no_dossier_changed()
    {
        Serve();

        // The whole after state, from a run that finishes.
        var done = Folder("done");
        var r = CliProcess.Run(CollectArgs(done, _server.Url));
        r.ExitCode.ShouldBe(0, r.Stderr);
        var after = Enumerable.Range(1, Dossiers).ToDictionary(i => i, i => Ids(Path.Combine(done, $"example-{i}.inbox.json")));
        after.Values.ShouldAllBe(ids => ids.Count == 1);

        var partial = 0;
        for (var ms = 0; ms <= 1500; ms += 60)
        {
            var folder = Folder($"kill-{ms}");
            KillAfter(TimeSpan.FromMilliseconds(ms), CollectArgs(folder, _server.Url));
            var written = 0;
            for (var i = 1; i <= Dossiers; i++)
            {
                File.ReadAllText(Path.Combine(folder, $"example-{i}.yaml")).ShouldBe(DossierText(i), "collect never writes a dossier");
                var inbox = Path.Combine(folder, $"example-{i}.inbox.json");
                if (File.Exists(inbox))
                {
                    Ids(inbox).ShouldBe(after[i], $"killed after {ms} ms: inbox {i} is the whole after state");
                    written++;
                }
            }

            Directory.GetFiles(folder).Select(Path.GetFileName).ShouldAllBe(f => f!.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".inbox.json", StringComparison.Ordinal) || f.StartsWith('.'));
            partial += written is > 0 and < Dossiers ? 1 : 0;
            output.WriteLine($"killed after {ms} ms: {written} of {Dossiers} inboxes written");
        }

        output.WriteLine($"{partial} kills landed between two dossiers' inbox writes");
    }

    [Fact]
    public void Review_accept_killed_at_any_point_leaves_the_dossier_before_or_after_and_the_inbox_whole()
    {
        Serve();
        var seed = Folder("seed");
        CliProcess.Run(CollectArgs(seed, _server.Url)).ExitCode.ShouldBe(0);
        var dossier = Path.Combine(seed, "example-1.yaml");
        var inbox = Path.Combine(seed, "example-1.inbox.json");
        var inboxBefore = File.ReadAllText(inbox);
        var before = File.ReadAllText(dossier);
        var id = Ids(inbox).Single();
        string[] Accept(string d) => ["review", d, "--accept", id, "--reason", "archived, superseded by lab-llm"];

        var full = CliProcess.Run(Accept(dossier));
        full.ExitCode.ShouldBe(0, full.Stderr);
        var afterDossier = File.ReadAllText(dossier);
        afterDossier.ShouldNotBe(before);

        var states = new Dictionary<string, int>();
        for (var ms = 0; ms <= 900; ms += 30)
        {
            File.WriteAllText(dossier, before);
            File.WriteAllText(inbox, inboxBefore);
            KillAfter(TimeSpan.FromMilliseconds(ms), Accept(dossier));
            var text = File.ReadAllText(dossier);
            (text == before || text == afterDossier).ShouldBeTrue($"killed after {ms} ms: the dossier is whole");
            var status = JsonDocument.Parse(File.ReadAllText(inbox)).RootElement.GetProperty("candidates")[0].GetProperty("status").GetString();
            (status is "pending" || (status == "accepted" && text == afterDossier)).ShouldBeTrue($"killed after {ms} ms: accepted only with the signal in the dossier");
            var state = (text == before ? "before" : "after") + "/" + status;
            states[state] = states.GetValueOrDefault(state) + 1;
            Directory.GetFiles(seed).Select(Path.GetFileName).ShouldAllBe(f => f!.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".inbox.json", StringComparison.Ordinal) || f.StartsWith('.'));

            // A kill between the two writes is repaired by accepting again.
            if (state == "after/pending")
            {
                CliProcess.Run(Accept(dossier)).ExitCode.ShouldBe(0);
                File.ReadAllText(dossier).ShouldBe(afterDossier);
            }
        }

        output.WriteLine(string.Join(", ", states.Select(kv => $"{kv.Key}: {kv.Value}")));
    }
}
