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

    private sealed class LastLine : ILogger
    {
        public string? Text { get; private set; }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Text = formatter(state, exception);
    }
}
