using System.Globalization;
using System.Text.RegularExpressions;
using ScottPlot;

namespace LicenseRisk.Presentation.Report;

/// <summary>
/// The report's charts as inline SVG (ScottPlot, headless). Labels are vendor and rule ids
/// (plain ASCII by the input format) and week names, so no free text from input files reaches the SVG.
/// </summary>
public static partial class Charts
{
    private static readonly object Gate = new();

    /// <summary>Probability per vendor, with its 90% interval as a vertical line.</summary>
    public static string Probabilities(WeeklyReport report, string id)
    {
        var plot = new Plot();
        var labels = new List<string>();
        for (var i = 0; i < report.Vendors.Count; i++)
        {
            var s = report.Vendors[i].Score;
            var line = plot.Add.Line(i, s.Low, i, s.High);
            line.LineWidth = 3;
            line.Color = Colors.SteelBlue.WithAlpha(.6);
            var m = plot.Add.Marker(i, s.Probability);
            m.Color = Colors.DarkBlue;
            m.Size = 9;
            labels.Add(s.Id);
        }

        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, labels.Count).Select(i => (double)i)], [.. labels]);
        plot.Axes.SetLimits(-0.5, Math.Max(labels.Count - 0.5, 0.5), 0, 1);
        plot.Title("Probability and 90% interval per vendor");
        plot.YLabel("probability");
        return Svg(plot, 720, 360, id);
    }

    /// <summary>A vendor's probability over the stored runs, with the interval as a shaded band.</summary>
    public static string Trend(VendorEntry v, string id)
    {
        var plot = new Plot();
        var xs = Enumerable.Range(0, v.Trend.Count).Select(i => (double)i).ToArray();
        if (v.Trend.Count > 1)
        {
            var fill = plot.Add.FillY(xs, [.. v.Trend.Select(t => t.Low)], [.. v.Trend.Select(t => t.High)]);
            fill.FillColor = Colors.SteelBlue.WithAlpha(.2);
        }

        var line = plot.Add.Scatter(xs, [.. v.Trend.Select(t => t.Probability)]);
        line.Color = Colors.DarkBlue;
        line.MarkerSize = 7;
        plot.Axes.Bottom.SetTicks(xs, [.. v.Trend.Select(t => t.IsoWeek)]);
        plot.Axes.SetLimits(-0.5, Math.Max(v.Trend.Count - 0.5, 0.5), 0, 1);
        plot.Title($"{v.Score.Id}: probability per run");
        return Svg(plot, 560, 260, id);
    }

    /// <summary>A vendor's counted contributions (log-odds), one horizontal bar per rule.</summary>
    public static string Contributions(VendorEntry v, string id)
    {
        var plot = new Plot();
        var cs = v.Score.Contributions;
        var bars = cs.Select((c, i) => new Bar
        {
            Position = cs.Count - 1 - i,
            Value = c.Value,
            FillColor = c.Value >= 0 ? Colors.FireBrick : Colors.SeaGreen,
        }).ToList();
        if (bars.Count > 0)
        {
            var bp = plot.Add.Bars(bars);
            bp.Horizontal = true;
        }

        plot.Axes.Left.SetTicks([.. cs.Select((_, i) => (double)(cs.Count - 1 - i))], [.. cs.Select(c => c.Rule)]);
        var max = cs.Count == 0 ? 1 : Math.Max(0.1, cs.Max(c => Math.Abs(c.Value))) * 1.1;
        plot.Axes.SetLimits(-max, max, -0.6, Math.Max(cs.Count - 0.4, 0.6));
        plot.Title($"{v.Score.Id}: contributions (log-odds)");
        return Svg(plot, 720, Math.Max(200, 60 + (28 * cs.Count)), id);
    }

    /// <summary>Renders to SVG for inlining: no XML declaration, ids made unique within the page.</summary>
    private static string Svg(Plot plot, int width, int height, string id)
    {
        string xml;
        lock (Gate)
        {
            xml = plot.GetSvgXml(width, height);
        }

        var start = xml.IndexOf("<svg", StringComparison.Ordinal);
        xml = start > 0 ? xml[start..] : xml;

        // Skia numbers clip paths from a process-wide counter: renumber them per chart so the
        // output depends only on the chart, and prefix them so charts on one page do not collide.
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in IdAttribute().Matches(xml))
        {
            ids.TryAdd(m.Groups[1].Value, string.Create(CultureInfo.InvariantCulture, $"{id}-{ids.Count}"));
        }

        xml = IdReference().Replace(xml, m => ids.TryGetValue(m.Groups[2].Value, out var mapped)
            ? m.Groups[1].Value + mapped + m.Groups[3].Value
            : m.Value);
        return string.Create(CultureInfo.InvariantCulture, $"<figure class=\"chart\" id=\"{id}\">{xml.Trim()}</figure>");
    }

    [GeneratedRegex("\\bid=\"([^\"]+)\"")]
    private static partial Regex IdAttribute();

    [GeneratedRegex("(\\bid=\"|url\\(#|href=\"#)([^\")]+)(\"|\\))")]
    private static partial Regex IdReference();
}
