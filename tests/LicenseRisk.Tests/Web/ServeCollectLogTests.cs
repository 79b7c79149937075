using LicenseRisk.Tests.Cli;
using LicenseRisk.Tests.Hosting;

namespace LicenseRisk.Tests.Web;

/// <summary>
/// What an operator reads in the log of the real <c>licenserisk serve</c> when a source the
/// dossiers name cannot be reached: one warning per source, from the collector, and no retry
/// library's error entries or stack traces.
/// </summary>
public sealed class ServeCollectLogTests
{
    [Fact]
    public async Task Serve_SourceUnreachable_LogsOneWarningPerSource_WithoutStackTraces()
    {
        using var dir = new TempDir();
        var vendors = dir["vendors"];
        Directory.CreateDirectory(vendors);
        File.Copy(Repo.Path("samples/vendors/silo-ai.yaml"), Path.Combine(vendors, "silo-ai.yaml"));

        // Port 1 on loopback: nothing listens, so every attempt is refused at once.
        await using var serve = await ServeProcess.Start(
            ["--vendors", vendors, "--out", dir["out"], "--run-at-start",
             "--LicenseRisk:Collect:HubUrl=http://127.0.0.1:1", "--LicenseRisk:Collect:MaxRetries=1"]);

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!serve.Output.Contains("Collected: 0 new candidates, 1 failure", StringComparison.Ordinal))
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, $"the collect did not finish:\n{serve.Output}");
            await Task.Delay(100);
        }

        serve.Stop().ShouldBe(0, serve.Output);
        var log = serve.Output;
        log.ShouldContain("Collect: huggingface for 'silo-ai' failed: http://127.0.0.1:1/");
        log.ShouldNotContain("Polly");
        log.ShouldNotContain("fail:");
        log.ShouldNotContain("   at ");
        log.ShouldNotContain("HttpRequestException");
    }
}
