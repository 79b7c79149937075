using LicenseRisk.Backtesting;
using ScottPlot;

namespace LicenseRisk.Presentation.Backtest;

/// <summary>The backtest's plots: a reliability diagram beside forecast-versus-outcome, one image (PNG, JPEG or SVG).</summary>
public static class BacktestCharts
{
    private static readonly object Gate = new();

    /// <summary>The file extensions <see cref="Write"/> accepts, each naming the image format it writes.</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".png", ".svg", ".jpg", ".jpeg"];

    /// <summary>Whether <see cref="Write"/> knows the image format <paramref name="path"/>'s extension names.</summary>
    public static bool Supports(string path) => Extensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase);

    /// <summary>Writes the plot in the format its extension names (see <see cref="Extensions"/>).</summary>
    public static void Write(BacktestReport report, string path)
    {
        if (!Supports(path))
        {
            throw new ArgumentException($"no image format for the extension of '{path}'", nameof(path));
        }

        if (path.EndsWith(".svg", StringComparison.OrdinalIgnoreCase))
        {
            AtomicFile.WriteText(path, Svg(report));
            return;
        }

        var multi = Plots(report);
        lock (Gate)
        {
            var format = path.EndsWith(".png", StringComparison.OrdinalIgnoreCase) ? ImageFormat.Png : ImageFormat.Jpeg;
            var image = multi.Render(1200, 520).GetImageBytes(format, 100);
            AtomicFile.Write(path, s => s.Write(image));
        }
    }

    /// <summary>The two plots side by side as one SVG document (what <see cref="Write"/> writes to a .svg file; the web's /quality page shows it).</summary>
    public static string Svg(BacktestReport report)
    {
        var multi = Plots(report);
        static string Inner(Plot plot, int x)
        {
            var xml = plot.GetSvgXml(600, 520);
            var start = xml.IndexOf("<svg", StringComparison.Ordinal);
            return "<svg x=\"" + x.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\"" + xml[(start + 4)..];
        }

        lock (Gate)
        {
            return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1200\" height=\"520\">"
                + Inner(multi.GetPlot(0), 0) + Inner(multi.GetPlot(1), 600) + "</svg>\n";
        }
    }

    private static Multiplot Plots(BacktestReport report)
    {
        var multi = new Multiplot();
        multi.AddPlots(2);
        Reliability(multi.GetPlot(0), report);
        Outcomes(multi.GetPlot(1), report);
        multi.Layout = new ScottPlot.MultiplotLayouts.Columns();
        return multi;
    }

    private static void Reliability(Plot plot, BacktestReport report)
    {
        var diagonal = plot.Add.Line(0, 0, 1, 1);
        diagonal.Color = Colors.Gray;
        diagonal.LinePattern = LinePattern.Dashed;
        var bins = report.Reliability.Where(b => b.Cases > 0).ToList();
        if (bins.Count > 0)
        {
            double[] xs = [.. bins.Select(b => b.MeanPredicted)];
            double[] ys = [.. bins.Select(b => b.Observed)];
            var points = plot.Add.Scatter(xs, ys);
            points.Color = Colors.DarkBlue;
            points.MarkerSize = 10;
            foreach (var b in bins)
            {
                var label = plot.Add.Text($"n={b.Cases}", b.MeanPredicted, b.Observed);
                label.LabelFontSize = 11;
                label.OffsetX = 6;
            }
        }

        plot.Axes.SetLimits(0, 1, 0, 1);
        plot.Title("Reliability: mean forecast vs observed frequency");
        plot.XLabel("mean forecast in bin");
        plot.YLabel("observed frequency");
    }

    private static void Outcomes(Plot plot, BacktestReport report)
    {
        var ordered = report.Results.OrderBy(r => r.Probability).ThenBy(r => r.Score.Id, StringComparer.Ordinal).ToList();
        for (var i = 0; i < ordered.Count; i++)
        {
            var r = ordered[i];
            var marker = plot.Add.Marker(i, r.Probability);
            marker.Color = r.WentApiOnly ? Colors.FireBrick : Colors.SeaGreen;
            marker.Size = 10;
            marker.Shape = r.WentApiOnly ? MarkerShape.FilledSquare : MarkerShape.FilledCircle;
        }

        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, ordered.Count).Select(i => (double)i)], [.. ordered.Select(r => r.Score.Id)]);
        plot.Axes.Bottom.TickLabelStyle.Rotation = 45;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.Axes.SetLimits(-0.5, Math.Max(ordered.Count - 0.5, 0.5), 0, 1);
        plot.Title("Forecast per case (red squares went API-only)");
        plot.YLabel("forecast probability");
    }
}
