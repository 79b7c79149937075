using System.Text;
using LicenseRisk.Presentation;
using LicenseRisk.Tests.Hosting;

namespace LicenseRisk.Tests.Report;

/// <summary>Report files streamed through <see cref="AtomicFile.WriteText(string, Action{TextWriter})"/>: whole or not at all.</summary>
public sealed class AtomicTextTests
{
    [Fact]
    public void WriteText_Streamed_IsUtf8WithoutBom_AndWhole()
    {
        using var dir = new TempDir();
        var path = dir["report.md"];
        var line = "| Évry SAS (`evry`) | 0.42 | → |\n";

        AtomicFile.WriteText(path, w =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                w.Write(line);
            }
        });

        var bytes = File.ReadAllBytes(path);
        bytes.Take(3).ShouldNotBe(new byte[] { 0xEF, 0xBB, 0xBF });
        Encoding.UTF8.GetString(bytes).ShouldBe(string.Concat(Enumerable.Repeat(line, 10_000)));
    }

    [Fact]
    public void WriteText_WriterFailsHalfWay_LeavesTheOldFileAndNoTemporaryFile()
    {
        using var dir = new TempDir();
        var path = dir["report.html"];
        File.WriteAllText(path, "last week's report");

        Should.Throw<InvalidOperationException>(() => AtomicFile.WriteText(path, w =>
        {
            w.Write(new string('x', 1 << 20));
            throw new InvalidOperationException("vendor 500 failed");
        }));

        File.ReadAllText(path).ShouldBe("last week's report");
        Directory.GetFiles(Path.GetDirectoryName(path)!).ShouldBe([path]);
    }
}
