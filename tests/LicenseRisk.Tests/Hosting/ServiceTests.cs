using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using LicenseRisk.Hosting.Service;
using LicenseRisk.Tests.Cli;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace LicenseRisk.Tests.Hosting;

/// <summary>The service in-process with a fake clock: scheduled reports, reload, last good pack, webhook, clean stop.</summary>
public sealed class ServiceTests
{
    /// <summary>One rule: an API-only release adds 1.5 log-odds, never decaying (the webhook tests share it).</summary>
    internal const string Rules = """
        rules:
          - id: closed-release
            title: A flagship shipped API-only
            weight: 1.5
            decay: false
            when:
              - signal: release
                as: r
                where: weights == 'api_only'
            because: "{r.model} shipped API-only"
        """;

    private const string Dossier = """
        vendor: { id: acme, name: Acme AI }
        signals:
          - kind: release
            date: 2026-01-10
            model: Acme 1
            weights: open
            source: https://example.org/acme-1
          - kind: release
            date: 2026-03-02
            model: Acme 2
            weights: api_only
            source: https://example.org/acme-2
        """;

    private static async Task Until(Func<bool> done, Action step, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!done())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting for: {what}");
            }

            step();
            await Task.Delay(20);
        }
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static (string Name, string Version, string Sha) Pack(string reportJson)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(reportJson));
        var p = doc.RootElement.GetProperty("pack");
        return (p.GetProperty("name").GetString()!, p.GetProperty("version").GetString()!, p.GetProperty("sha256").GetString()!);
    }

    private static IHost Start(TestPack pack, TempDir output, FakeTimeProvider clock, TestLogs logs, Dictionary<string, string?> extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["LicenseRisk:Vendors"] = Path.Combine(pack.Dir, "vendors"),
            ["LicenseRisk:Rules"] = pack.Dir,
            ["LicenseRisk:Out"] = output.Path,
            ["LicenseRisk:ReloadDebounceSeconds"] = "0.2",
        };
        foreach (var (k, v) in extra)
        {
            settings[k] = v;
        }

        return ServiceHost.Build([], settings, configure: services =>
        {
            services.AddSingleton<TimeProvider>(clock);
            services.AddLogging(l => l.AddProvider(logs));
        });
    }

    [Fact]
    public async Task Serve_ShortSchedule_WritesReports_ReloadsAChangedPack_KeepsTheLastGoodOne_AndStopsCleanly()
    {
        using var pack = new TestPack(Rules);
        pack.Write("vendors/acme.yaml", Dossier);
        using var output = new TempDir();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 5, 5, 59, 30, TimeSpan.Zero));
        using var logs = new TestLogs();
        using var host = Start(pack, output, clock, logs, new() { ["LicenseRisk:Schedule"] = "* * * * *" });
        await host.StartAsync();
        var status = host.Services.GetRequiredService<ServiceStatus>();
        var state = host.Services.GetRequiredService<InputState>();
        var report = output["report.json"];

        await Until(() => status.Completed >= 1, () => clock.Advance(TimeSpan.FromSeconds(10)), "the first scheduled report");
        var first = Pack(report);
        first.Version.ShouldBe("0.0.1");
        status.Last!.AsOf.ShouldBe(new DateOnly(2026, 3, 5));
        File.Exists(output["report.html"]).ShouldBeTrue();
        File.Exists(output["report.md"]).ShouldBeTrue();
        File.ReadAllText(output["report.md"]).ShouldContain($"Rule pack `test` 0.0.1, sha256 `{first.Sha}`");

        // A valid change to the pack is picked up and used by the next run.
        File.WriteAllText(Path.Combine(pack.Dir, "pack.yaml"), File.ReadAllText(Path.Combine(pack.Dir, "pack.yaml")).Replace("0.0.1", "0.0.2", StringComparison.Ordinal));
        await Until(() => state.Reloads >= 1, () => clock.Advance(TimeSpan.FromMilliseconds(100)), "the reload of the changed pack");
        var runs = status.Completed;
        await Until(() => status.Completed > runs, () => clock.Advance(TimeSpan.FromSeconds(10)), "a report with the new pack");
        var second = Pack(report);
        second.Version.ShouldBe("0.0.2");
        second.Sha.ShouldNotBe(first.Sha);

        // A broken change is logged with its location and the last good pack stays in use.
        File.WriteAllText(pack.RulesFile, Rules.Replace("weights == 'api_only'", "weights == 'closed'", StringComparison.Ordinal));
        await Until(() => state.Rejected >= 1, () => clock.Advance(TimeSpan.FromMilliseconds(100)), "the rejected reload");
        logs.Messages.ShouldContain(m => m.StartsWith(pack.RulesFile + ":", StringComparison.Ordinal) && m.Contains("error LR", StringComparison.Ordinal) && m.Contains("'closed'", StringComparison.Ordinal));
        logs.Messages.ShouldContain(m => m.Contains($"still using pack test 0.0.2 (sha256 {second.Sha})", StringComparison.Ordinal));
        runs = status.Completed;
        await Until(() => status.Completed > runs, () => clock.Advance(TimeSpan.FromSeconds(10)), "a report after the broken change");
        Pack(report).ShouldBe(second);

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await host.StopAsync(stop.Token);
        logs.Messages.ShouldContain("Service stopping");
        logs.Messages.ShouldNotContain(m => m.Contains("failed", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Serve_RejectedReload_ReportsSayTheInputsAreStale_WithThePacksAndTheDossiersErrors_UntilAReloadSucceeds()
    {
        using var pack = new TestPack(Rules);
        pack.Write("vendors/acme.yaml", Dossier);
        using var output = new TempDir();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 5, 5, 59, 30, TimeSpan.Zero));
        using var logs = new TestLogs();
        using var host = Start(pack, output, clock, logs, new() { ["LicenseRisk:Schedule"] = "* * * * *" });
        await host.StartAsync();
        var status = host.Services.GetRequiredService<ServiceStatus>();
        var state = host.Services.GetRequiredService<InputState>();
        await Until(() => status.Completed >= 1, () => clock.Advance(TimeSpan.FromSeconds(10)), "the first scheduled report");
        output.Read("report.md").ShouldNotContain("Stale inputs");

        // One reload breaks the pack (signals.yaml) and adds a dossier with an error of its own:
        // the dossier is checked against the last good pack's signal kinds, and both errors count.
        var signals = pack.Write("signals.yaml", TestPack.Signals.Replace("kinds:", "kinds: [", StringComparison.Ordinal));
        var bad = pack.Write("vendors/bad.yaml", Dossier.Replace("id: acme", "id: bad", StringComparison.Ordinal).Replace("weights: open", "weights: closed", StringComparison.Ordinal));
        await Until(() => state.Rejected >= 1, () => clock.Advance(TimeSpan.FromMilliseconds(100)), "the rejected reload");
        logs.Messages.ShouldContain(m => m.StartsWith(signals + ":", StringComparison.Ordinal) && m.Contains("error LR", StringComparison.Ordinal));
        logs.Messages.ShouldContain(m => m.StartsWith(bad + ":", StringComparison.Ordinal) && m.Contains("'closed'", StringComparison.Ordinal));
        var runs = status.Completed;
        await Until(() => status.Completed > runs, () => clock.Advance(TimeSpan.FromSeconds(10)), "a report after the rejected reload");

        using (var json = JsonDocument.Parse(output.Read("report.json")))
        {
            var stale = json.RootElement.GetProperty("stale_inputs");
            var reload = stale.GetProperty("rejected_reload").GetInt32();
            reload.ShouldBeGreaterThanOrEqualTo(1);
            stale.GetProperty("error_count").GetInt32().ShouldBe(2);
            var errors = stale.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!).ToList();
            errors.ShouldContain(e => e.StartsWith(signals + ":", StringComparison.Ordinal) && e.Contains(": error LR", StringComparison.Ordinal));
            errors.ShouldContain(e => e.StartsWith(bad + ":", StringComparison.Ordinal) && e.Contains("'closed'", StringComparison.Ordinal));
            stale.GetProperty("last_good_loaded_at").GetString().ShouldBe("2026-03-05T05:59:30Z");
            var at = stale.GetProperty("rejected_at").GetString()!;
            json.RootElement.GetProperty("vendors").GetArrayLength().ShouldBe(1); // the last good dossiers

            var notice = $"reload {reload} at {at} was rejected with 2 errors, so this report uses the last good rule pack and dossiers, loaded at 2026-03-05T05:59:30Z. Reports say so until a reload succeeds.";
            var md = output.Read("report.md");
            md.ShouldContain("> **Stale inputs:** " + notice);
            md.ShouldContain("\n>\n> - " + signals + ":");
            md.ShouldContain("> - " + bad + ":");
            var html = output.Read("report.html");
            html.ShouldContain("<p><strong>Stale inputs:</strong> " + notice + "</p>");
            html.ShouldContain("<li>" + System.Net.WebUtility.HtmlEncode(errors[1]) + "</li>");
        }

        // Fixed: the next reload succeeds and reports no longer say the inputs are stale.
        File.WriteAllText(signals, TestPack.Signals);
        File.Delete(bad);
        await Until(() => state.Reloads >= 1, () => clock.Advance(TimeSpan.FromMilliseconds(100)), "the successful reload");
        runs = status.Completed;
        await Until(() => status.Completed > runs, () => clock.Advance(TimeSpan.FromSeconds(10)), "a report after the fix");
        output.Read("report.md").ShouldNotContain("Stale inputs");
        output.Read("report.html").ShouldNotContain("stale-inputs");
        using (var json = JsonDocument.Parse(output.Read("report.json")))
        {
            json.RootElement.TryGetProperty("stale_inputs", out _).ShouldBeFalse();
        }

        await host.StopAsync();
    }

    [Fact]
    public async Task Serve_BandChange_PostsTheWebhook_RetryingAfterAFailure()
    {
        using var listener = new WebhookReceiver(new(HttpStatusCode.ServiceUnavailable), new(HttpStatusCode.OK));
        using var pack = new TestPack(Rules);
        pack.Write("vendors/acme.yaml", Dossier);
        using var output = new TempDir();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 5, 0, 0, TimeSpan.Zero)); // Sunday, 2026-W09
        using var logs = new TestLogs();
        using var host = Start(pack, output, clock, logs, new()
        {
            ["LicenseRisk:Schedule"] = "0 6 * * *",
            ["LicenseRisk:Webhook:Url"] = listener.Url,
            ["LicenseRisk:Webhook:InitialBackoffSeconds"] = "30",
            ["LicenseRisk:Webhook:TimeoutSeconds"] = "600",
        });
        await host.StartAsync();
        var status = host.Services.GetRequiredService<ServiceStatus>();

        await Until(() => status.Completed >= 1, () => clock.Advance(TimeSpan.FromMinutes(10)), "the W09 report");
        listener.Bodies.ShouldBeEmpty(); // nothing to compare with yet

        // The attempts' timeout runs on the same fake clock: the clock stops at the W10 run's time, so
        // the first attempt fails by its 503 and never by a jump of the clock while it is in flight.
        var w10 = new DateTimeOffset(2026, 3, 2, 6, 0, 0, TimeSpan.Zero);
        await Until(() => status.Completed >= 2, () => clock.SetUtcNow(Min(clock.GetUtcNow() + TimeSpan.FromMinutes(30), w10)), "the W10 report");
        await Until(() => listener.Bodies.Count >= 2, () => clock.Advance(TimeSpan.FromSeconds(1)), "the webhook, retried");

        using var doc = JsonDocument.Parse(listener.Bodies[^1]);
        var text = doc.RootElement.GetProperty("text").GetString()!;
        text.ShouldStartWith("LicenseRisk 2026-W10 (as of 2026-03-02): 1 vendor moved");
        text.ShouldContain("Acme AI (acme): 0.20 → ");
        text.ShouldContain("band low → ");
        doc.RootElement.GetProperty("vendors")[0].GetProperty("previous_band").GetString().ShouldBe("low");
        logs.Messages.ShouldContain(m => m.Contains("Webhook attempt 1 of 4 failed: HTTP 503", StringComparison.Ordinal));
        await Until(() => logs.Messages.Any(m => m.StartsWith("Webhook delivered", StringComparison.Ordinal)), () => { }, "the delivery log");
        await host.StopAsync();
    }

    [Fact]
    public void Serve_InvalidOptions_ListsEveryProblem_AndExits2()
    {
        using var dir = new TempDir();
        var r = CliProcess.InProcess("serve", "--vendors", dir["missing"], "--schedule", "every monday",
            "--LicenseRisk:Webhook:Url=ftp://example.org/hook", "--LicenseRisk:Webhook:ProbabilityChange=2");
        r.ExitCode.ShouldBe(2, r.Stderr);
        r.Stderr.ShouldContain($"error LR911: LicenseRisk:Vendors: no such folder '{dir["missing"]}'");
        r.Stderr.ShouldContain("error LR911: LicenseRisk:Out is required");
        r.Stderr.ShouldContain("error LR911: LicenseRisk:Schedule: 'every monday' is not a cron expression");
        r.Stderr.ShouldContain("error LR911: LicenseRisk:Webhook:Url: 'ftp://example.org/hook' is not an absolute http(s) URL");
        r.Stderr.ShouldContain("error LR911: LicenseRisk:Webhook:ProbabilityChange: must be above 0 and below 1, not 2");
        r.Stderr.ShouldContain("5 errors");
        r.Stderr.ShouldNotContain("   at ");
    }

    [Fact]
    public void Serve_BrokenPackAtStart_PrintsLocatedErrors_AndExits2()
    {
        using var pack = new TestPack(Rules.Replace("weights == 'api_only'", "weights == 'closed'", StringComparison.Ordinal));
        pack.Write("vendors/acme.yaml", Dossier);
        using var output = new TempDir();
        var r = CliProcess.InProcess("serve", "--vendors", Path.Combine(pack.Dir, "vendors"), "--rules", pack.Dir, "--out", output.Path);
        r.ExitCode.ShouldBe(2, r.Stderr);
        r.Stderr.ShouldContain(pack.RulesFile + ":");
        r.Stderr.ShouldContain("'closed'");
    }

    [Fact]
    public void Serve_BrokenDossierAtStart_PrintsEachErrorOnce_Located()
    {
        using var dir = new TempDir();
        var vendors = dir["vendors"];
        Directory.CreateDirectory(vendors);
        File.WriteAllText(Path.Combine(vendors, "x.yaml"), "vendor: {id: x, name: X}\nsignals:\n  - kind: relase\n    date: 2026-01-10\n");
        var r = CliProcess.Run("serve", "--vendors", vendors, "--out", dir["out"], "--urls", "http://127.0.0.1:0");
        r.ExitCode.ShouldBe(2, r.Stderr);
        var located = $"{Path.Combine(vendors, "x.yaml")}:3:11: error LR020: unknown signal kind 'relase'; did you mean 'release'?";
        r.Stderr.ShouldBe($"{located}\n1 error\n", StringCompareShould.IgnoreLineEndings);
        r.Stdout.ShouldNotContain("relase");
        r.Stdout.ShouldNotContain("fail:");
    }
}

/// <summary>Collects formatted log messages.</summary>
public sealed class TestLogs : ILoggerProvider
{
    public ConcurrentQueue<string> Queue { get; } = new();

    public IReadOnlyList<string> Messages => [.. Queue];

    public ILogger CreateLogger(string categoryName) => new Logger(Queue);

    public void Dispose()
    {
    }

    private sealed class Logger(ConcurrentQueue<string> queue) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                queue.Enqueue(formatter(state, exception));
            }
        }
    }
}
