using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using LicenseRisk.Collection;
using LicenseRisk.Model;
using LicenseRisk.Tests.Cli;
using LicenseRisk.Tests.Hosting;
using LicenseRisk.Tests.Web;
using LicenseRisk.Yaml;

namespace LicenseRisk.Tests.Collection;

/// <summary>
/// Review (the CLI's and the web's) and collect change a dossier and its inbox under the dossier's
/// lock (<c>.NAME.yaml.lock</c>): several real processes deciding on one inbox at the same moment
/// all land, and a lock held too long is a located LR147 with nothing changed.
/// </summary>
public sealed class DossierLockTests : IDisposable
{
    private const string Token = "a token for the lock test";

    private static readonly SignalCatalog Catalog = LicenseRisk.Rules.PackCompiler.Load(Repo.Path("rules"), new Limits(), new DiagnosticBag())!.Catalog;

    private readonly TempDir _dir = new();

    public DossierLockTests()
    {
        Directory.CreateDirectory(_dir["vendors"]);
        foreach (var f in Directory.GetFiles(Repo.Path("samples/vendors"), "*.yaml"))
        {
            File.Copy(f, Path.Combine(_dir["vendors"], Path.GetFileName(f)));
        }
    }

    private string Meta => Path.Combine(_dir["vendors"], "meta.yaml");

    public void Dispose() => _dir.Dispose();

    /// <summary>Puts <paramref name="n"/> pending candidates in meta's inbox.</summary>
    private List<Candidate> Pending(int n)
    {
        var candidates = Enumerable.Range(1, n).Select(i => ReviewWebTests.ApiOnly($"Llama-Closed-{i}")).ToList();
        var inbox = Inbox.Load(Meta, new DiagnosticBag())!;
        inbox.Merge(candidates, new HashSet<string>());
        inbox.Save();
        return candidates;
    }

    /// <summary>
    /// The contention tests start seven processes on two shared cores: each waits up to 120 s for
    /// the others (LICENSERISK_LOCK_WAIT), not the default 10 s a loaded CI machine can exceed.
    /// </summary>
    private static readonly Dictionary<string, string> PatientLock = new() { [DossierLock.WaitVariable] = "120" };

    private static Process Review(string dossier, string id, out Task<string> stderr) =>
        CliProcess.Start(["review", dossier, "--accept", id, "--reason", $"seen {id}"], out _, out stderr, environment: PatientLock);

    /// <summary>Every candidate is accepted in the inbox and in the dossier once, and the dossier still reads.</summary>
    private void AllLanded(IEnumerable<Candidate> accepted)
    {
        var diags = new DiagnosticBag();
        var dossier = DossierReader.ReadFile(Meta, Catalog, new Limits(), diags);
        dossier.ShouldNotBeNull(string.Join("\n", diags.Items));
        var inbox = Inbox.Load(Meta, new DiagnosticBag())!;
        foreach (var c in accepted)
        {
            inbox.Find(c.Id)!.Status.ShouldBe(CandidateStatus.Accepted, $"{c.Id} in the inbox");
            dossier.Signals.Count(s => s.Provenance?.Candidate == c.Id).ShouldBe(1, $"{c.Id} in the dossier");
        }
    }

    [Fact]
    public async Task ReviewProcesses_AcceptingDifferentCandidatesOfOneInboxAtOnce_AllLand_WhileCollectWritesTheInbox()
    {
        var candidates = Pending(6);
        using var server = new FixtureServer();
        CollectCommandTests.ServeMeta(server);

        // Six reviews and a collect of the same dossier, all started at the same moment.
        var reviews = candidates.Select(c => (Process: Review(Meta, c.Id, out var stderr), Stderr: stderr)).ToList();
        using var collect = CliProcess.Start(["collect", Meta, "--hub-url", server.Url, "--openrouter-url", server.Url, "--github-url", server.Url, "--cache", _dir["cache"], "--timeout", "10"], out _, out var collectErr, environment: PatientLock);
        foreach (var (p, stderr) in reviews)
        {
            await p.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(240));
            p.ExitCode.ShouldBe(0, await stderr);
            p.Dispose();
        }

        await collect.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(240));
        collect.ExitCode.ShouldBe(0, await collectErr);

        AllLanded(candidates);

        // collect's own proposals (the Hub's Llama releases) are in the inbox too: nobody's write was lost.
        var inbox = Inbox.Load(Meta, new DiagnosticBag())!;
        inbox.Candidates.Count(c => c.Collector == "huggingface").ShouldBeGreaterThan(0);
        File.Exists(DossierLock.PathFor(Meta)).ShouldBeTrue();
        Path.GetFileName(DossierLock.PathFor(Meta)).ShouldBe(".meta.yaml.lock");
    }

    [Fact]
    public async Task WebAndCliReview_OfOneInboxAtOnce_AllLand()
    {
        var candidates = Pending(6);
        await using var serve = await ServeProcess.Start(
            ["--vendors", _dir["vendors"], "--out", _dir["out"], "--LicenseRisk:Collect:Enabled=false"],
            new Dictionary<string, string> { ["LICENSERISK__WEB__TOKEN"] = Token, [DossierLock.WaitVariable] = "120" });

        // Three through the web API, three through the CLI, at the same moment.
        var web = candidates.Take(3).Select(async c =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/review/{c.Id}/accept")
            {
                Content = new StringContent($$"""{"reason": "seen {{c.Id}} on the web"}""", Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            var r = await serve.Client.SendAsync(request);
            r.StatusCode.ShouldBe(HttpStatusCode.OK, await r.Content.ReadAsStringAsync());
        }).ToList();
        var cli = candidates.Skip(3).Select(c => (Process: Review(Meta, c.Id, out var stderr), Stderr: stderr)).ToList();
        await Task.WhenAll(web);
        foreach (var (p, stderr) in cli)
        {
            await p.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(240));
            p.ExitCode.ShouldBe(0, await stderr);
            p.Dispose();
        }

        AllLanded(candidates);
        serve.Stop().ShouldBe(0, serve.Output);
    }

    [Fact]
    public void Review_WhileAnotherProcessHoldsTheLockTooLong_IsLR147_AndChangesNothing()
    {
        var candidate = Pending(1)[0];
        var dossierBefore = File.ReadAllText(Meta);
        var inboxBefore = File.ReadAllText(Inbox.PathFor(Meta));

        using (var held = DossierLock.Acquire(Meta, new DiagnosticBag()))
        {
            held.ShouldNotBeNull();

            // In this process too, a second holder waits and then gives up (a short wait here).
            var diags = new DiagnosticBag();
            DossierLock.Acquire(Meta, diags, TimeSpan.FromMilliseconds(200)).ShouldBeNull();
            diags.Items.Single().Code.ShouldBe("LR147");

            var r = CliProcess.Run("review", Meta, "--accept", candidate.Id, "--reason", "r");
            r.ExitCode.ShouldBe(2, r.Stdout);
            r.Stderr.ShouldContain($"{DossierLock.PathFor(Meta)}: error LR147: another licenserisk process held this dossier's lock for 10 s");
            r.Stderr.ShouldNotContain("   at ");
        }

        File.ReadAllText(Meta).ShouldBe(dossierBefore);
        File.ReadAllText(Inbox.PathFor(Meta)).ShouldBe(inboxBefore);

        // Released: the same command goes through.
        var ok = CliProcess.Run("review", Meta, "--accept", candidate.Id, "--reason", "r");
        ok.ExitCode.ShouldBe(0, ok.Stderr);
        AllLanded([candidate]);
    }

    [Fact]
    public void Review_WithAShortLockWait_GivesUpAfterThatWait()
    {
        var candidate = Pending(1)[0];
        using (var held = DossierLock.Acquire(Meta, new DiagnosticBag()))
        {
            held.ShouldNotBeNull();
            var r = CliProcess.RunWith(new Dictionary<string, string> { [DossierLock.WaitVariable] = "1" }, "review", Meta, "--accept", candidate.Id, "--reason", "r");
            r.ExitCode.ShouldBe(2, r.Stdout);
            r.Stderr.ShouldContain($"{DossierLock.PathFor(Meta)}: error LR147: another licenserisk process held this dossier's lock for 1 s");
            r.Stderr.ShouldContain(DossierLock.WaitVariable);
        }
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("3601")]
    [InlineData("1.5")]
    public void BadLockWaitVariable_IsLR914_ForEveryCommand(string value)
    {
        var r = CliProcess.RunWith(new Dictionary<string, string> { [DossierLock.WaitVariable] = value }, "score", Repo.Path("samples/vendors/meta.yaml"));
        r.ExitCode.ShouldBe(2, r.Stdout);
        r.Stderr.ShouldContain($"licenserisk: error LR914: LICENSERISK_LOCK_WAIT: must be a whole number of seconds from 0 to 3600, not '{value}'");
        r.Stderr.ShouldNotContain("   at ");
        r.Stdout.ShouldBeEmpty();
    }
}
