using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using LicenseRisk.Hosting.History;
using LicenseRisk.Hosting.Reports;
using LicenseRisk.Tests.Cli;

namespace LicenseRisk.Tests.Hosting;

/// <summary><c>licenserisk report</c>: the three files, the change since the previous run, the history.</summary>
public sealed class ReportCommandTests
{
    private static readonly string Samples = Repo.Path("samples/vendors");

    private static JsonElement Vendor(JsonDocument doc, string id) =>
        doc.RootElement.GetProperty("vendors").EnumerateArray().Single(v => v.GetProperty("id").GetString() == id);

    [Fact]
    public void Report_TwoAsOfDates_SecondRunShowsTheChangeAndTheNewSignals()
    {
        using var dir = new TempDir();
        var first = CliProcess.InProcess("report", "--vendors", Samples, "--out", dir.Path, "--as-of", "2026-02-20");
        first.ExitCode.ShouldBe(0, first.Stderr);
        first.Stdout.ShouldContain("report.html");
        using var before = JsonDocument.Parse(dir.Read("report.json"));
        before.RootElement.GetProperty("schema").GetString().ShouldBe("licenserisk.report/1");
        before.RootElement.GetProperty("previous_run").ValueKind.ShouldBe(JsonValueKind.Null);
        dir.Read("report.md").ShouldContain("No earlier run is stored: this is the first report.");

        var second = CliProcess.InProcess("report", "--vendors", Samples, "--out", dir.Path, "--as-of", "2026-03-05");
        second.ExitCode.ShouldBe(0, second.Stderr);
        using var after = JsonDocument.Parse(dir.Read("report.json"));
        var root = after.RootElement;
        root.GetProperty("as_of").GetString().ShouldBe("2026-03-05");
        root.GetProperty("iso_week").GetString().ShouldBe("2026-W10");
        root.GetProperty("previous_run").GetProperty("as_of").GetString().ShouldBe("2026-02-20");
        root.GetProperty("pack").GetProperty("sha256").GetString()!.Length.ShouldBe(64);

        var qwenBefore = Vendor(before, "qwen");
        var qwen = Vendor(after, "qwen");
        var change = qwen.GetProperty("change");
        change.GetProperty("previous_probability").GetDouble().ShouldBe(qwenBefore.GetProperty("probability").GetDouble());
        change.GetProperty("delta").GetDouble().ShouldBe(qwen.GetProperty("probability").GetDouble() - qwenBefore.GetProperty("probability").GetDouble(), 0.0002);
        change.GetProperty("delta").GetDouble().ShouldBeGreaterThan(0.1);
        change.GetProperty("band_changed").GetBoolean().ShouldBeTrue();
        qwen.GetProperty("new_signals").EnumerateArray().Select(s => s.GetProperty("signal").GetString()).ShouldContain("lin-departure");
        qwen.GetProperty("trend").GetArrayLength().ShouldBe(2);

        var md = dir.Read("report.md");
        md.ShouldContain("Changes are since the run of 2026-02-20 (2026-W08).");
        md.ShouldContain($"| Alibaba Qwen (`qwen`) | 0.63 | 0.35 to 0.84 | high (was {qwenBefore.GetProperty("band").GetString()}) | +");
        md.ShouldContain("### Signals added since the last run");
        md.ShouldContain("`lin-departure`");
        md.ShouldContain("`lead-departs-after-open-release` (+0.50)");

        var html = dir.Read("report.html");
        html.ShouldContain("<svg");
        html.ShouldContain("id=\"chart-probabilities\"");
        html.ShouldContain("id=\"chart-trend-qwen\"");
        html.ShouldContain("id=\"chart-contrib-qwen\"");
        ExternalRefs(html).ShouldBeEmpty("no external requests");
    }

    /// <summary>Attributes and CSS that would make the browser fetch something (xmlns names are not fetched).</summary>
    private static List<string> ExternalRefs(string html) =>
        [.. System.Text.RegularExpressions.Regex.Matches(html, @"(src|href)\s*=\s*""?(https?:|//)|url\((https?:|//)|@import|<script|<link").Select(m => m.Value)];

    [Fact]
    public void Report_SameIsoWeekTwice_ReplacesThatWeeksRun_AndWritesIdenticalFiles()
    {
        using var dir = new TempDir();
        CliProcess.InProcess("report", "--vendors", Samples, "--out", dir.Path, "--as-of", "2026-02-20").ExitCode.ShouldBe(0);
        CliProcess.InProcess("report", "--vendors", Samples, "--out", dir.Path, "--as-of", "2026-03-04").ExitCode.ShouldBe(0);
        var files = new[] { "report.md", "report.html", "report.json" };
        var firstText = files.Select(f => File.ReadAllText(dir[f])).ToList();

        var again = CliProcess.InProcess("report", "--vendors", Samples, "--out", dir.Path, "--as-of", "2026-03-04");
        again.ExitCode.ShouldBe(0, again.Stderr);
        for (var i = 0; i < files.Length; i++)
        {
            var now = File.ReadAllText(dir[files[i]]);
            (now == firstText[i]).ShouldBeTrue($"{files[i]} differs after re-running the same as-of day");
        }

        CliProcess.InProcess("report", "--vendors", Samples, "--out", dir.Path, "--as-of", "2026-03-05").ExitCode.ShouldBe(0);
        using (var history = HistoryStore.Open(dir["history.db"]))
        {
            history.RunCount().ShouldBe(2);
            history.SchemaVersion.ShouldBe(1);
            history.Trends(new DateOnly(2026, 3, 5))["qwen"].Select(t => t.AsOf.ToString("yyyy-MM-dd", null)).ShouldBe(["2026-02-20", "2026-03-05"]);
        }

        using var doc = JsonDocument.Parse(dir.Read("report.json"));
        Vendor(doc, "qwen").GetProperty("trend").GetArrayLength().ShouldBe(2);
        doc.RootElement.GetProperty("previous_run").GetProperty("iso_week").GetString().ShouldBe("2026-W08");
        Directory.GetFiles(dir.Path, "*.tmp").ShouldBeEmpty();
    }

    [Fact]
    public void Report_InputText_IsEscaped_AndDataQualityIsWarned()
    {
        using var pack = new TestPack("""
            rules:
              - id: closed-release
                title: A closed release
                weight: 0.7
                decay: false
                when:
                  - signal: release
                    as: r
                    where: weights == 'api_only'
                because: "{r.model} shipped API-only"
            """);
        pack.Write("vendors/evil.yaml", """
            vendor: { id: evil, name: "Evil <script>alert(1)</script> & Co" }
            signals:
              - kind: release
                date: 2025-01-10
                model: "<img src=x onerror=alert(2)>"
                weights: api_only
                note: "a | pipe and <b>bold</b>"
            """);
        using var dir = new TempDir();
        var r = CliProcess.InProcess("report", "--vendors", Path.Combine(pack.Dir, "vendors"), "--rules", pack.Dir, "--out", dir.Path, "--as-of", "2026-03-05", "--quiet");
        r.ExitCode.ShouldBe(0, r.Stderr);
        var html = dir.Read("report.html");
        html.ShouldNotContain("<script>");
        html.ShouldNotContain("<img");
        html.ShouldContain("Evil &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co");
        html.ShouldContain("&lt;img src=x onerror=alert(2)&gt; shipped API-only");
        var md = dir.Read("report.md");
        md.ShouldContain("stale dossier: the newest signal is from 2025-01-10, 419 days before 2026-03-05 (more than 180)");
        md.ShouldContain("1 signal has no source:");
        md.ShouldNotContain("<script>");
        using var doc = JsonDocument.Parse(dir.Read("report.json"));
        var warnings = Vendor(doc, "evil").GetProperty("data_warnings").EnumerateArray().Select(w => w.GetString()!).ToList();
        warnings.Count.ShouldBe(3);
        warnings.ShouldContain(w => w.StartsWith("thin evidence: only", StringComparison.Ordinal));
        Vendor(doc, "evil").GetProperty("thin_evidence").GetBoolean().ShouldBeTrue();
    }

    /// <summary>
    /// The report shows the numbers <c>score --format json</c> gives for the same vendors, in its
    /// JSON and in its charts' tooltips: however the report is made (charts drawn directly as SVG,
    /// files streamed per vendor), it cannot drift from the scores.
    /// </summary>
    [Fact]
    public void Report_NumbersAndCharts_AreTheScoresOfScoreJson_ForTheSameVendors()
    {
        using var dir = new TempDir();
        var policy = Repo.Path("samples/policies/acme.yaml");
        var score = CliProcess.InProcess("score", Samples, "--policy", policy, "--as-of", "2026-03-05", "--format", "json", "--quiet");
        score.ExitCode.ShouldBe(1, "the policy's gate trips (qwen above its 0.40), and the scores are written all the same: " + score.Stderr);
        var report = CliProcess.InProcess("report", "--vendors", Samples, "--policy", policy, "--out", dir.Path, "--as-of", "2026-03-05", "--quiet");
        report.ExitCode.ShouldBe(0, report.Stderr);

        using var scored = JsonDocument.Parse(score.Stdout);
        using var reported = JsonDocument.Parse(dir.Read("report.json"));
        var html = dir.Read("report.html");
        var vendors = scored.RootElement.GetProperty("vendors").EnumerateArray().ToList();
        vendors.Count.ShouldBe(6);
        reported.RootElement.GetProperty("vendors").GetArrayLength().ShouldBe(vendors.Count);
        vendors.SelectMany(v => v.GetProperty("waived").EnumerateArray()).ShouldNotBeEmpty("the policy waives a contribution, so waivers are compared too");
        foreach (var s in vendors)
        {
            var id = s.GetProperty("id").GetString()!;
            var r = Vendor(reported, id);
            foreach (var key in new[] { "name", "file", "probability", "interval", "band", "signals_considered", "contributions", "outweighed", "waived" })
            {
                r.GetProperty(key).GetRawText().ShouldBe(s.GetProperty(key).GetRawText(), $"{id}: {key}");
            }

            var p = s.GetProperty("probability").GetDouble();
            var interval = s.GetProperty("interval").EnumerateArray().Select(x => x.GetDouble()).ToList();
            var dot = Regex.Match(html, $@"<title>{Regex.Escape(id)}: ([\d.]+) \(90% interval ([\d.]+) to ([\d.]+)\)</title>");
            dot.Success.ShouldBeTrue($"{id}: a dot with its numbers on the probabilities chart");
            double[] shown = [.. dot.Groups.Values.Skip(1).Select(g => double.Parse(g.Value, CultureInfo.InvariantCulture))];
            shown.Zip(new[] { p, interval[0], interval[1] }).ShouldAllBe(x => Math.Abs(x.First - x.Second) <= 0.0051);

            var figure = Regex.Match(html, $@"<figure class=""chart"" id=""chart-contrib-{Regex.Escape(id)}"">(.*?)</figure>", RegexOptions.Singleline);
            figure.Success.ShouldBeTrue($"{id}: a contributions chart");
            var bars = Regex.Matches(figure.Groups[1].Value, @"<title>([^<:]+): ([+-]?[\d.]+)</title>").Select(m => (Rule: m.Groups[1].Value, Value: double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))).ToList();
            var contributions = s.GetProperty("contributions").EnumerateArray().Select(c => (Rule: c.GetProperty("rule").GetString()!, Value: c.GetProperty("contribution").GetDouble())).ToList();
            bars.Select(b => b.Rule).ShouldBe(contributions.Select(c => c.Rule), $"{id}: one bar per counted contribution, in order");
            bars.Zip(contributions).ShouldAllBe(x => Math.Abs(x.First.Value - x.Second.Value) <= 0.0051);
        }
    }

    [Fact]
    public void Report_WhileAnotherRunHoldsTheFolder_WaitsThenExits2WithAClearMessage()
    {
        using var dir = new TempDir();
        using (OutputLock.Acquire(dir.Path, TimeSpan.Zero, TimeProvider.System))
        {
            var r = CliProcess.Run("report", "--vendors", Samples, "--out", dir.Path, "--as-of", "2026-03-05");
            r.ExitCode.ShouldBe(2, r.Stdout + r.Stderr);
            r.Stderr.ShouldContain($"{dir[".licenserisk.lock"]}: error LR905: another report run is writing to this folder (waited 5 s)");
            r.Stderr.TrimEnd().ShouldEndWith("1 error"); // the count, as after every bad input
            File.Exists(dir["report.json"]).ShouldBeFalse();
        }

        CliProcess.Run("report", "--vendors", Samples, "--out", dir.Path, "--as-of", "2026-03-05").ExitCode.ShouldBe(0);
    }

    [Fact]
    public void Report_MissingVendorsFolder_Exits2()
    {
        using var dir = new TempDir();
        var r = CliProcess.InProcess("report", "--vendors", dir["nope"], "--out", dir.Path);
        r.ExitCode.ShouldBe(2);
        r.Stderr.ShouldContain("error LR906: --vendors: no such folder");
    }
}
