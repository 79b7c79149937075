using System.Globalization;
using System.Xml.Linq;
using LicenseRisk.Model;
using LicenseRisk.Presentation.Report;
using LicenseRisk.Presentation.Svg;
using LicenseRisk.Tests.Hosting;

namespace LicenseRisk.Tests.Report;

/// <summary>
/// The report's charts read back as a viewer sees them: each point sits where the axes' labelled
/// ticks say its value is, the labels are the vendors, weeks and rules in order, and the page's
/// SVG is well-formed whatever the text.
/// </summary>
public sealed class ChartTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void Probabilities_PutEachVendorsDotAndIntervalAtItsNumbersOverItsLabel()
    {
        var report = Report(Vendor("alpha", 0.12, 0.05, 0.30), Vendor("beta", 0.5, 0.41, 0.58), Vendor("gamma", 0.93, 0.8, 1));

        var svg = Chart(w => Charts.Probabilities(w, report, "chart-probabilities"));

        svg.Parent!.Attribute("id")!.Value.ShouldBe("chart-probabilities");
        Texts(svg).ShouldContain("Probability and 90% interval per vendor");
        Texts(svg).ShouldContain("probability");
        var x = XTicks(svg);
        x.Select(t => t.Label).ShouldBe(["alpha", "beta", "gamma"]);
        var y = YTicks(svg);
        y.Select(t => t.Label).ShouldBe(["0", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "1"]);
        var dots = svg.Elements(Svg + "circle").ToList();
        dots.Count.ShouldBe(3);
        double[] p = [0.12, 0.5, 0.93];
        for (var i = 0; i < 3; i++)
        {
            Num(dots[i], "cx").ShouldBe(x[i].At, 0.01);
            Num(dots[i], "cy").ShouldBe(ValueToY(y, p[i]), 0.02);
        }

        dots[1].Element(Svg + "title")!.Value.ShouldBe("beta: 0.50 (90% interval 0.41 to 0.58)");
        var intervals = Segments(svg.Elements(Svg + "path").Single(e => e.Attribute("stroke")?.Value == "#4682B4"));
        intervals.Count.ShouldBe(3);
        intervals[2].X1.ShouldBe(x[2].At, 0.01);
        intervals[2].X2.ShouldBe(x[2].At, 0.01);
        intervals[2].Y1.ShouldBe(ValueToY(y, 0.8), 0.02);
        intervals[2].Y2.ShouldBe(ValueToY(y, 1), 0.02);
    }

    [Fact]
    public void Trend_OneRun_IsADotWithoutBandOrLine()
    {
        var v = Entry(Vendor("alpha", 0.3, 0.2, 0.4), [Point("2026-11-29", 0.3, 0.2, 0.4)]);

        var svg = Chart(w => Charts.Trend(w, v, "chart-trend-alpha"));

        Texts(svg).ShouldContain("alpha: probability per run");
        XTicks(svg).Select(t => t.Label).ShouldBe(["2026-W48"]);
        YTicks(svg).Select(t => t.Label).ShouldBe(["0", "0.2", "0.4", "0.6", "0.8", "1"]);
        svg.Elements(Svg + "circle").Count().ShouldBe(1);
        svg.Elements(Svg + "path").Where(e => e.Attribute("fill")!.Value != "none").ShouldBeEmpty();
        svg.Elements(Svg + "path").Where(e => e.Attribute("stroke")?.Value == "#00008B").ShouldBeEmpty();
    }

    [Fact]
    public void Trend_SeveralRuns_JoinsTheDotsInWeekOrderOverTheIntervalBand()
    {
        var v = Entry(Vendor("alpha", 0.7, 0.6, 0.8), [Point("2026-11-15", 0.2, 0.1, 0.3), Point("2026-11-22", 0.45, 0.35, 0.55), Point("2026-11-29", 0.7, 0.6, 0.8)]);

        var svg = Chart(w => Charts.Trend(w, v, "chart-trend-alpha"));

        var x = XTicks(svg);
        x.Select(t => t.Label).ShouldBe(["2026-W46", "2026-W47", "2026-W48"]);
        var y = YTicks(svg);
        var line = Points(svg.Elements(Svg + "path").Single(e => e.Attribute("stroke")?.Value == "#00008B"));
        line.Count.ShouldBe(3);
        double[] p = [0.2, 0.45, 0.7];
        for (var i = 0; i < 3; i++)
        {
            line[i].X.ShouldBe(x[i].At, 0.01);
            line[i].Y.ShouldBe(ValueToY(y, p[i]), 0.02);
        }

        var band = svg.Elements(Svg + "path").Single(e => e.Attribute("fill")!.Value == "#4682B4");
        band.Attribute("d")!.Value.ShouldEndWith("Z");
        var outline = Points(band);
        outline.Select(q => Math.Round(q.Y, 1)).ShouldBe(new[] { 0.1, 0.35, 0.6, 0.8, 0.55, 0.3 }.Select(q => Math.Round(ValueToY(y, q), 1)));
        svg.Elements(Svg + "circle").Select(c => c.Element(Svg + "title")!.Value).Last().ShouldBe("2026-W48: 0.70 (90% interval 0.60 to 0.80)");
    }

    [Fact]
    public void Contributions_AreBarsFromZeroInRuleOrderTopDown_RedUpGreenDown()
    {
        var s = Vendor("alpha", 0.6, 0.4, 0.8) with
        {
            Contributions = [Contribution("closed-release", 0.7), Contribution("layoffs", 0.35), Contribution("open-adoption", -0.2)],
        };

        var svg = Chart(w => Charts.Contributions(w, Entry(s, []), "chart-contrib-alpha"));

        Texts(svg).ShouldContain("alpha: contributions (log-odds)");
        var rules = YTicks(svg);
        rules.Select(t => t.Label).ShouldBe(["closed-release", "layoffs", "open-adoption"], ignoreOrder: true);
        rules.OrderBy(t => t.At).Select(t => t.Label).ShouldBe(["closed-release", "layoffs", "open-adoption"], "first contribution at the top");
        var x = XTicks(svg);
        x.Select(t => t.Label).ShouldContain("0");
        x.Select(t => double.Parse(t.Label, CultureInfo.InvariantCulture)).ShouldBe(x.Select(t => -double.Parse(t.Label, CultureInfo.InvariantCulture)).Reverse(), "symmetric around 0");
        var zero = x.Single(t => t.Label == "0").At;
        var bars = svg.Elements(Svg + "rect").Where(r => r.Attribute("fill")!.Value != "white").ToList();
        bars.Select(b => b.Attribute("fill")!.Value).ShouldBe(["#B22222", "#B22222", "#2E8B57"]);
        Num(bars[0], "x").ShouldBe(zero, 0.01);
        (Num(bars[2], "x") + Num(bars[2], "width")).ShouldBe(zero, 0.01);
        (Num(bars[0], "width") / Num(bars[1], "width")).ShouldBe(2, 0.02);
        (Num(bars[1], "width") / Num(bars[2], "width")).ShouldBe(1.75, 0.02);
        for (var i = 0; i < 3; i++)
        {
            (Num(bars[i], "y") + (Num(bars[i], "height") / 2)).ShouldBe(rules.Single(t => t.Label == s.Contributions[i].Rule).At - (0.35 * SvgChart.FontSize), 0.02);
        }

        bars[2].Element(Svg + "title")!.Value.ShouldBe("open-adoption: -0.20");
    }

    [Fact]
    public void Axis_Numeric_PicksRoundStepsWithoutNegativeZero()
    {
        Axis.Numeric(0, 1, 11).Ticks!.Select(t => t.Label).ShouldBe(["0", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "1"]);
        Axis.Numeric(-0.33, 0.33, 8).Ticks!.Select(t => t.Label).ShouldBe(["-0.3", "-0.2", "-0.1", "0", "0.1", "0.2", "0.3"]);
        Axis.Numeric(-1.32, 1.32, 10).Ticks!.Select(t => t.Label).ShouldBe(["-1", "-0.5", "0", "0.5", "1"]);
        Axis.Numeric(0, 250, 6).Ticks!.Select(t => t.Label).ShouldBe(["0", "50", "100", "150", "200", "250"]);
        Should.Throw<ArgumentOutOfRangeException>(() => Axis.Numeric(1, 1, 5));
    }

    [Fact]
    public void SvgWriter_WritesInvariantNumbersWithTwoDecimals_WhateverTheCulture()
    {
        var before = CultureInfo.CurrentCulture;
        var comma = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        comma.NumberFormat.NumberDecimalSeparator = ",";
        comma.NumberFormat.NegativeSign = "\u2212";
        CultureInfo.CurrentCulture = comma;
        try
        {
            SvgWriter.Format(12.345678).ShouldBe("12.35");
            SvgWriter.Format(-3.5).ShouldBe("-3.5");
            SvgWriter.Format(-0.001).ShouldBe("0");
            SvgWriter.Format(1e-7).ShouldBe("0");
            SvgWriter.Format(123456789).ShouldBe("123456789");
            var text = new StringWriter(CultureInfo.InvariantCulture);
            new SvgWriter(text).Start("circle").Attr("cx", 0.5).Attr("r", -2.25).Close();
            text.ToString().ShouldBe("<circle cx=\"0.5\" r=\"-2.25\"/>\n");
            Should.Throw<ArgumentOutOfRangeException>(() => SvgWriter.Format(double.NaN));
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }

    [Fact]
    public void SvgWriter_EscapesTextAndAttributes_SoAnyTitleStaysWellFormed()
    {
        const string hostile = "a<b & \"c\" 'd' </svg><script>x</script>\u0001";
        var spec = new ChartSpec(400, 200, hostile, Axis.Categories([hostile, "plain"]), new Axis(0, 1)) { XLabel = hostile, YLabel = hostile };
        var text = new StringWriter(CultureInfo.InvariantCulture);
        var chart = SvgChart.Begin(text, spec);
        chart.Marker(0, 0.5, 3, "black", hostile);
        chart.End();

        var svg = XElement.Parse(text.ToString());
        svg.Descendants(Svg + "script").ShouldBeEmpty();
        svg.Attribute("aria-label")!.Value.ShouldBe("a<b & \"c\" 'd' </svg><script>x</script>\uFFFD");
        Texts(svg).Count(t => t == "a<b & \"c\" 'd' </svg><script>x</script>\uFFFD").ShouldBe(4, "title, axis labels and the tick label");
        svg.Descendants(Svg + "title").Single().Value.ShouldStartWith("a<b &");
    }

    [Fact]
    public void Charts_OfAThousandVendors_StayWellFormedAndCarryEveryPoint()
    {
        var vendors = Enumerable.Range(0, 1000).Select(i => Vendor($"v{i:D4}", i / 1000.0, i / 2000.0, Math.Min(1, i / 800.0))).ToArray();

        var svg = Chart(w => Charts.Probabilities(w, Report(vendors), "chart-probabilities"));

        svg.Elements(Svg + "circle").Count().ShouldBe(1000);
        XTicks(svg).Count.ShouldBe(1000);
        XTicks(svg)[999].Label.ShouldBe("v0999");
    }

    private static XElement Chart(Action<TextWriter> write)
    {
        var text = new StringWriter(CultureInfo.InvariantCulture);
        write(text);
        var figure = XElement.Parse(text.ToString());
        figure.Name.LocalName.ShouldBe("figure");
        figure.Attribute("class")!.Value.ShouldBe("chart");
        return figure.Element(Svg + "svg")!;
    }

    private static List<string> Texts(XElement svg) => [.. svg.Descendants(Svg + "text").Select(t => t.Value)];

    private static List<(string Label, double At)> XTicks(XElement svg) =>
        [.. svg.Elements(Svg + "g").Single(g => g.Attribute("text-anchor")?.Value == "middle").Elements(Svg + "text").Select(t => (t.Value, Num(t, "x")))];

    /// <summary>The y tick labels with the y of their baseline (a third of the font size below the tick).</summary>
    private static List<(string Label, double At)> YTicks(XElement svg) =>
        [.. svg.Elements(Svg + "g").Single(g => g.Attribute("text-anchor")?.Value == "end").Elements(Svg + "text").Select(t => (t.Value, Num(t, "y")))];

    /// <summary>The pixel row of a value on a numeric y axis, read from its "0" and "1" tick labels.</summary>
    private static double ValueToY(List<(string Label, double At)> y, double value)
    {
        var zero = y.Single(t => t.Label == "0").At;
        var one = y.Single(t => t.Label == "1").At;
        return zero - (value * (zero - one)) - (0.35 * SvgChart.FontSize);
    }

    private static double Num(XElement e, string attribute) => double.Parse(e.Attribute(attribute)!.Value, CultureInfo.InvariantCulture);

    private static List<(double X, double Y)> Points(XElement path) =>
        [.. System.Text.RegularExpressions.Regex.Matches(path.Attribute("d")!.Value, @"[ML](-?[\d.]+) (-?[\d.]+)")
            .Select(m => (double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)))];

    private static List<(double X1, double Y1, double X2, double Y2)> Segments(XElement path)
    {
        var points = Points(path);
        return [.. Enumerable.Range(0, points.Count / 2).Select(i => (points[2 * i].X, points[2 * i].Y, points[(2 * i) + 1].X, points[(2 * i) + 1].Y))];
    }

    private static readonly Lazy<VendorScore> Scored = new(() =>
    {
        using var pack = new TestPack(ServiceTests.Rules);
        return Dossiers.Score(pack.CompileOk(), "  - { kind: release, date: 2026-03-02, model: Acme 2, weights: api_only, source: https://example.org/a }");
    });

    private static VendorScore Vendor(string id, double p, double low, double high) => Scored.Value with
    {
        Dossier = Scored.Value.Dossier with { Vendor = Scored.Value.Dossier.Vendor with { Id = id, Name = id.ToUpperInvariant() } },
        Probability = p,
        Low = low,
        High = high,
        Contributions = [],
    };

    private static Contribution Contribution(string rule, double value) =>
        new(rule, rule, null, value, 0.1, 1, 1, value, "because", [], [], null);

    private static TrendPoint Point(string asOf, double p, double low, double high)
    {
        var day = DateOnly.ParseExact(asOf, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        return new TrendPoint(day, WeeklyReport.Week(day), p, low, high, "elevated");
    }

    private static VendorEntry Entry(VendorScore s, IReadOnlyList<TrendPoint> trend) => new(s, null, [], [], trend);

    private static WeeklyReport Report(params VendorScore[] scores) =>
        new(new PackInfo("test", "0.0.1"), new string('0', 64), new DateOnly(2026, 11, 29), 12, null, [.. scores.Select(s => Entry(s, []))]);
}
