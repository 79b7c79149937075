using System.Globalization;
using LicenseRisk.Presentation.Svg;

namespace LicenseRisk.Presentation.Report;

/// <summary>
/// The report's charts as inline SVG, written straight to the page (<see cref="SvgChart"/>): a
/// thousand vendors' charts cost about as much as writing their tables. Each mark carries a
/// tooltip with its numbers.
/// </summary>
public static class Charts
{
    private const string SteelBlue = "#4682B4";
    private const string DarkBlue = "#00008B";
    private const string FireBrick = "#B22222";
    private const string SeaGreen = "#2E8B57";

    /// <summary>Probability per vendor (a dot), with its 90% interval as a vertical line.</summary>
    public static void Probabilities(TextWriter w, WeeklyReport report, string id)
    {
        var vendors = report.Vendors;
        var spec = new ChartSpec(720, 360, "Probability and 90% interval per vendor", Axis.Categories([.. vendors.Select(v => v.Score.Id)]), new Axis(0, 1))
        {
            YLabel = "probability",
        };
        Figure(w, id, spec, chart =>
        {
            if (vendors.Count > 0)
            {
                chart.BeginPath(new Style(Stroke: SteelBlue, StrokeWidth: 3, StrokeOpacity: 0.6));
                for (var i = 0; i < vendors.Count; i++)
                {
                    chart.MoveTo(i, vendors[i].Score.Low).LineTo(i, vendors[i].Score.High);
                }

                chart.EndPath();
            }

            for (var i = 0; i < vendors.Count; i++)
            {
                var s = vendors[i].Score;
                chart.Marker(i, s.Probability, 4.5, DarkBlue, $"{s.Id}: {Interval(s.Probability, s.Low, s.High)}");
            }
        });
    }

    /// <summary>A vendor's probability over the stored runs (dots joined by a line), with the interval as a shaded band.</summary>
    public static void Trend(TextWriter w, VendorEntry v, string id)
    {
        var trend = v.Trend;
        var spec = new ChartSpec(560, 260, $"{v.Score.Id}: probability per run", Axis.Categories([.. trend.Select(t => t.IsoWeek)]), new Axis(0, 1));
        Figure(w, id, spec, chart =>
        {
            if (trend.Count > 1)
            {
                chart.BeginPath(new Style(Fill: SteelBlue, FillOpacity: 0.2)).MoveTo(0, trend[0].Low);
                for (var i = 1; i < trend.Count; i++)
                {
                    chart.LineTo(i, trend[i].Low);
                }

                for (var i = trend.Count - 1; i >= 0; i--)
                {
                    chart.LineTo(i, trend[i].High);
                }

                chart.ClosePath().EndPath();
                chart.BeginPath(new Style(Stroke: DarkBlue)).MoveTo(0, trend[0].Probability);
                for (var i = 1; i < trend.Count; i++)
                {
                    chart.LineTo(i, trend[i].Probability);
                }

                chart.EndPath();
            }

            for (var i = 0; i < trend.Count; i++)
            {
                var t = trend[i];
                chart.Marker(i, t.Probability, 3.5, DarkBlue, $"{t.IsoWeek}: {Interval(t.Probability, t.Low, t.High)}");
            }
        });
    }

    /// <summary>A vendor's counted contributions (log-odds), one horizontal bar per rule, the first at the top.</summary>
    public static void Contributions(TextWriter w, VendorEntry v, string id)
    {
        var cs = v.Score.Contributions;
        var n = cs.Count;
        var rules = new Axis(-0.6, Math.Max(n - 0.4, 0.6), [.. cs.Select((c, i) => new Tick(n - 1 - i, c.Rule))]);
        var max = n == 0 ? 1 : Math.Max(0.1, cs.Max(c => Math.Abs(c.Value))) * 1.1;
        var spec = new ChartSpec(720, Math.Max(200, 60 + (28 * n)), $"{v.Score.Id}: contributions (log-odds)", new Axis(-max, max), rules);
        Figure(w, id, spec, chart =>
        {
            for (var i = 0; i < n; i++)
            {
                var c = cs[i];
                chart.Rect(0, n - 1 - i - 0.4, c.Value, n - 1 - i + 0.4, c.Value >= 0 ? FireBrick : SeaGreen, $"{c.Rule}: {Numbers.Signed(c.Value)}");
            }
        });
    }

    /// <summary>Wraps a chart in <c>&lt;figure class="chart" id="..."&gt;</c> for inlining in the page.</summary>
    private static void Figure(TextWriter w, string id, ChartSpec spec, Action<SvgChart> draw)
    {
        var figure = new SvgWriter(w);
        figure.Start("figure").Attr("class", "chart").Attr("id", id).Open();
        var chart = SvgChart.Begin(w, spec);
        draw(chart);
        chart.End();
        figure.End("figure");
    }

    private static string Interval(double p, double low, double high) => string.Create(CultureInfo.InvariantCulture,
        $"{Numbers.Probability(p)} (90% interval {Numbers.Probability(low)} to {Numbers.Probability(high)})");
}
