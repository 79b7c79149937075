using LicenseRisk.Hosting.Reports;
using Spectre.Console;

namespace LicenseRisk.Cli.Commands;

/// <summary>A progress bar on an interactive terminal only; nothing at all in pipes, files and tests.</summary>
public static class Progress
{
    public static bool Interactive(TextWriter stderr) =>
        ReferenceEquals(stderr, Console.Error)
        && !Console.IsErrorRedirected
        && !Console.IsOutputRedirected
        && Environment.GetEnvironmentVariable("CI") is null
        && !string.Equals(Environment.GetEnvironmentVariable("TERM"), "dumb", StringComparison.Ordinal);

    public static T Run<T>(TextWriter stderr, Func<IProgress<ReportProgress>?, T> work)
    {
        if (!Interactive(stderr))
        {
            return work(null);
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return console.Progress()
            .AutoClear(true)
            .HideCompleted(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("scoring");
                var progress = new SyncProgress(p =>
                {
                    task.Description = p.Stage;
                    task.MaxValue = Math.Max(1, p.Total);
                    task.Value = p.Done;
                });
                var result = work(progress);
                task.Value = task.MaxValue;
                return result;
            });
    }

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; would post to the thread pool and arrive late).</summary>
    private sealed class SyncProgress(Action<ReportProgress> report) : IProgress<ReportProgress>
    {
        private readonly Lock _gate = new();

        public void Report(ReportProgress value)
        {
            lock (_gate)
            {
                report(value);
            }
        }
    }
}
