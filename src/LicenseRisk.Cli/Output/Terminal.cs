using LicenseRisk.Presentation.Score;

namespace LicenseRisk.Cli.Output;

/// <summary>How wide the text for people may be.</summary>
public static class Terminal
{
    /// <summary>
    /// The terminal's width when <paramref name="stdout"/> is the console and a terminal (from 40 to
    /// 120 columns: longer lines are hard to read); otherwise (a pipe, a file, a test's writer) 80,
    /// so redirected output is the same on every machine.
    /// </summary>
    public static int Width(TextWriter stdout)
    {
        if (!ReferenceEquals(stdout, Console.Out) || Console.IsOutputRedirected)
        {
            return TableScoreWriter.DefaultWidth;
        }

        try
        {
            var columns = Console.WindowWidth;
            return columns > 0 ? Math.Clamp(columns, 40, 120) : TableScoreWriter.DefaultWidth;
        }
        catch (Exception ex) when (ex is IOException or PlatformNotSupportedException or InvalidOperationException)
        {
            return TableScoreWriter.DefaultWidth;
        }
    }
}
