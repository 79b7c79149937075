using System.Diagnostics;
using LicenseRisk.Tests.Cli;

namespace LicenseRisk.Tests.Hosting;

/// <summary>report.html opened in headless Chromium: the DOM it builds holds the SVG charts.</summary>
public sealed class HtmlInChromiumTests
{
    public const string Chromium = "/usr/bin/chromium";

    [ChromiumFact]
    public void ReportHtml_InHeadlessChromium_RendersEveryChart()
    {
        if (!File.Exists(Chromium))
        {
            Assert.Fail($"{Chromium} is missing and CI=true; .ci/run installs it with 'apt-get install -y chromium'");
        }

        using var dir = new TempDir();
        var r = CliProcess.InProcess("report", "--vendors", Repo.Path("samples/vendors"), "--out", dir.Path, "--as-of", "2026-03-05", "--quiet");
        r.ExitCode.ShouldBe(0, r.Stderr);

        var psi = new ProcessStartInfo(Chromium) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", $"--user-data-dir={dir["chromium-profile"]}", "--dump-dom",
            new Uri(dir["report.html"]).AbsoluteUri,
        })
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(120_000))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail("chromium did not finish in 120 s");
        }

        var dom = stdout.Result;
        p.ExitCode.ShouldBe(0, stderr.Result);
        dom.ShouldContain("<figure class=\"chart\" id=\"chart-probabilities\"><svg");
        foreach (var vendor in new[] { "allenai", "deepseek", "meta", "mistral", "qwen", "silo-ai" })
        {
            dom.ShouldContain($"<figure class=\"chart\" id=\"chart-trend-{vendor}\"><svg");
            dom.ShouldContain($"<figure class=\"chart\" id=\"chart-contrib-{vendor}\"><svg");
        }

        System.Text.RegularExpressions.Regex.Count(dom, "<svg[ >]").ShouldBe(13);
        dom.ShouldContain("<path");
        dom.ShouldContain("Probability and 90% interval per vendor");
    }
}

/// <summary>A fact skipped when Chromium is missing, except under CI=true, where the test fails instead.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (!File.Exists(HtmlInChromiumTests.Chromium)
            && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip = $"{HtmlInChromiumTests.Chromium} is not installed (apt-get install -y chromium); under CI=true this test fails instead";
        }
    }
}
