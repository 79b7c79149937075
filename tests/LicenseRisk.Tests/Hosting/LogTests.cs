using LicenseRisk.Hosting.Service;
using Microsoft.Extensions.Logging;

namespace LicenseRisk.Tests.Hosting;

public sealed class LogTests
{
    [Theory]
    [InlineData(1, "Reload rejected with 1 error; still using pack core 1.0.0 (sha256 abc) and its dossiers")]
    [InlineData(2, "Reload rejected with 2 errors; still using pack core 1.0.0 (sha256 abc) and its dossiers")]
    public void ReloadRejected_CountsErrorsInTheRightNumber(int errors, string expected)
    {
        var logger = new LastLine();
        Log.ReloadRejected(logger, Plural.Of(errors, "error"), "core", "1.0.0", "abc");
        logger.Text.ShouldBe(expected);
    }

    [Theory]
    [InlineData(0, 1, "Collected: 0 new candidates, 1 failure")]
    [InlineData(1, 2, "Collected: 1 new candidate, 2 failures")]
    public void Collected_CountsCandidatesAndFailuresInTheRightNumber(int added, int failed, string expected)
    {
        var logger = new LastLine();
        Log.Collected(logger, added, failed);
        logger.Text.ShouldBe(expected);
    }

    [Fact]
    public void OtherCountedLines_UseTheSingularForOne()
    {
        var logger = new LastLine();
        Log.CollectStarted(logger, 1);
        logger.Text.ShouldBe("Collecting from the sources of 1 dossier");
        Log.InputsLoaded(logger, "core", "1.0.0", "abc", 1);
        logger.Text.ShouldBe("Loaded pack core 1.0.0 (sha256 abc) and 1 dossier");
        Log.ReportWritten(logger, "2026-W10", "2026-03-05", "out", 1, "core", "1.0.0", "abc");
        logger.Text.ShouldBe("Report 2026-W10 as of 2026-03-05 written to out: 1 vendor, pack core 1.0.0 (sha256 abc)");
        Log.WebhookSent(logger, 1, 1);
        logger.Text.ShouldBe("Webhook delivered: 1 vendor changed (attempt 1)");
        Log.WebhookGaveUp(logger, 1, "HTTP 500");
        logger.Text.ShouldBe("Webhook not delivered after 1 attempt: HTTP 500");
        Log.AutoAccepted(logger, 1, "vendors/meta.yaml", "policy.yaml");
        logger.Text.ShouldBe("Collect: 1 candidate of vendors/meta.yaml accepted automatically (policy policy.yaml, collect.auto_accept)");
        Log.AutoAccepted(logger, 4, "vendors/meta.yaml", "policy.yaml");
        logger.Text.ShouldBe("Collect: 4 candidates of vendors/meta.yaml accepted automatically (policy policy.yaml, collect.auto_accept)");
    }

    [Fact]
    public void CountedLines_KeepTheirCountsAsNumberFields()
    {
        // journald and JSON log readers query the structured fields: a count stays a number.
        var logger = new LastLine();
        Log.Collected(logger, 3, 1);
        logger.Fields["Added"].ShouldBe(3);
        logger.Fields["Failed"].ShouldBe(1);
        logger.Fields["FailureNoun"].ShouldBe("failure");
        Log.ReportWritten(logger, "2026-W10", "2026-03-05", "out", 6, "core", "1.0.0", "abc");
        logger.Fields["VendorCount"].ShouldBe(6);
    }

    private sealed class LastLine : ILogger
    {
        public string? Text { get; private set; }

        public Dictionary<string, object?> Fields { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            Text = formatter(state, exception);
            Fields.Clear();
            if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                foreach (var (key, value) in pairs)
                {
                    Fields[key] = value;
                }
            }
        }
    }
}
