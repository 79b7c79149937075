using System.Text;
using LicenseRisk.Scoring;

namespace LicenseRisk.Presentation.Score;

/// <summary>The formats <c>score</c> writes, by name, and the one place that picks a writer for a name.</summary>
public static class ScoreFormats
{
    public const string Table = "table";
    public const string Json = "json";
    public const string Markdown = "markdown";
    public const string Sarif = "sarif";
    public const string JUnit = "junit";
    public const string GitHub = "github";
    public const string CodeQuality = "codequality";

    /// <summary>Every format, the default first.</summary>
    public static readonly IReadOnlyList<string> All = [Table, Json, Markdown, Sarif, JUnit, GitHub, CodeQuality];

    /// <summary>Writes a scored report in a format (JSON without streaming: every vendor is already scored).</summary>
    /// <param name="tableWidth">The columns the table may use (the terminal's, or 80).</param>
    public static void Write(string format, Stream stream, ScoreReport report, Gate gate, int tableWidth = TableScoreWriter.DefaultWidth)
    {
        switch (format)
        {
            case Json:
                JsonScoreWriter.Write(stream, report);
                break;
            case Markdown:
                stream.Write(Encoding.UTF8.GetBytes(MarkdownScoreWriter.Render(report)));
                break;
            case Sarif:
                SarifScoreWriter.Write(stream, report, gate);
                break;
            case JUnit:
                JUnitScoreWriter.Write(stream, report, gate);
                break;
            case GitHub:
                stream.Write(Encoding.UTF8.GetBytes(GitHubScoreWriter.Render(report, gate)));
                break;
            case CodeQuality:
                CodeQualityScoreWriter.Write(stream, report, gate);
                break;
            case Table:
                stream.Write(Encoding.UTF8.GetBytes(TableScoreWriter.Render(report, tableWidth)));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "not a score format");
        }
    }
}
