using System.Globalization;

namespace LicenseRisk.Presentation.Svg;

/// <summary>A labelled position on an axis, in data units.</summary>
public readonly record struct Tick(double Value, string Label);

/// <summary>
/// An axis: the data range it shows and its labelled ticks (each also a grid line). Without
/// ticks (null), the chart chooses round-numbered ones for the room it has (<see cref="Numeric"/>).
/// </summary>
public sealed record Axis(double Min, double Max, IReadOnlyList<Tick>? Ticks = null)
{
    /// <summary>One category per label at 0, 1, 2, ..., with half a step of room at each end.</summary>
    public static Axis Categories(IReadOnlyList<string> labels) =>
        new(-0.5, Math.Max(labels.Count - 0.5, 0.5), [.. labels.Select((label, i) => new Tick(i, label))]);

    /// <summary>
    /// Round-numbered ticks (steps of 1, 2 or 5 times a power of ten) over [min, max], at most
    /// about <paramref name="maxTicks"/> of them, labelled in the invariant culture ("0", "0.2", "-1.5").
    /// </summary>
    public static Axis Numeric(double min, double max, int maxTicks)
    {
        maxTicks = Math.Max(2, maxTicks);
        if (!(max > min) || !double.IsFinite(min) || !double.IsFinite(max))
        {
            throw new ArgumentOutOfRangeException(nameof(max), max, "an axis needs finite limits with max > min");
        }

        var raw = (max - min) / Math.Max(1, maxTicks - 1);
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var normal = raw / magnitude;
        var step = (normal <= 1 ? 1 : normal <= 2 ? 2 : normal <= 5 ? 5 : 10) * magnitude;
        var decimals = Math.Clamp(-(int)Math.Floor(Math.Log10(step) + 1e-9), 0, 15);
        var ticks = new List<Tick>();
        for (var k = Math.Ceiling((min / step) - 1e-9); k <= Math.Floor((max / step) + 1e-9); k++)
        {
            var value = Math.Round(k * step, decimals) + 0.0;
            ticks.Add(new Tick(value, value.ToString("0.###############", CultureInfo.InvariantCulture)));
        }

        return new Axis(min, max, ticks);
    }
}

/// <summary>How a mark is drawn: stroke (null: none), fill (null: none) and their opacities.</summary>
public readonly record struct Style(string? Stroke = null, double StrokeWidth = 1, double StrokeOpacity = 1, string? Fill = null, double FillOpacity = 1);

/// <summary>What a chart shows around its data: size in pixels, title, axes and axis labels.</summary>
public sealed record ChartSpec(int Width, int Height, string Title, Axis X, Axis Y)
{
    public string? XLabel { get; init; }

    public string? YLabel { get; init; }
}

/// <summary>
/// A two-axis chart written as SVG while it is drawn: <see cref="Begin"/> writes the background
/// and grid, the mark methods write data marks (in data units, mapped to pixels), and
/// <see cref="End"/> writes the frame, ticks, tick labels, axis labels and title over them.
/// Text widths are estimated (no font is measured), so margins fit the labels without a renderer.
/// </summary>
public sealed class SvgChart
{
    public const double FontSize = 12;
    public const double TitleSize = 16;
    public const double AxisLabelSize = 14;
    private const double CharWidth = 0.6 * FontSize;
    private const double TickLength = 4;

    /// <summary>The least room between round-numbered ticks: rows on a vertical axis, columns on a horizontal one.</summary>
    private const double RowSpacing = 28;
    private const double ColumnSpacing = 45;

    private readonly SvgWriter _svg;
    private readonly ChartSpec _spec;
    private bool _ended;

    private SvgChart(TextWriter writer, ChartSpec spec)
    {
        _svg = new SvgWriter(writer);
        _spec = spec;
        Top = spec.Title.Length > 0 ? 40 : 12;
        Bottom = spec.Height - (TickLength + 4 + FontSize + 8) - (spec.XLabel is null ? 0 : AxisLabelSize + 8);
        Y = WithTicks(spec.Y, Bottom - Top, RowSpacing);
        var yLabels = Y.Ticks!.Count == 0 ? 0 : Y.Ticks.Max(t => TextWidth(t.Label));
        Left = 10 + (spec.YLabel is null ? 0 : AxisLabelSize + 8) + yLabels + TickLength + 4;
        Right = spec.Width - 20;
        if (Right - Left < 10 || Bottom - Top < 10)
        {
            throw new ArgumentException($"a {spec.Width}x{spec.Height} chart leaves no room for its data", nameof(spec));
        }

        X = WithTicks(spec.X, Right - Left, ColumnSpacing);
    }

    /// <summary>The horizontal axis as drawn (its ticks chosen).</summary>
    public Axis X { get; }

    /// <summary>The vertical axis as drawn (its ticks chosen).</summary>
    public Axis Y { get; }

    /// <summary>The data area's left edge in pixels.</summary>
    public double Left { get; }

    /// <summary>The data area's right edge in pixels.</summary>
    public double Right { get; }

    /// <summary>The data area's top edge in pixels.</summary>
    public double Top { get; }

    /// <summary>The data area's bottom edge in pixels.</summary>
    public double Bottom { get; }

    /// <summary>Starts a chart: the &lt;svg&gt; element, white background and grid lines at every tick.</summary>
    public static SvgChart Begin(TextWriter writer, ChartSpec spec)
    {
        var chart = new SvgChart(writer, spec);
        chart.WriteStart();
        return chart;
    }

    /// <summary>The pixel column of a data x.</summary>
    public double PixelX(double x) => Left + ((x - X.Min) / (X.Max - X.Min) * (Right - Left));

    /// <summary>The pixel row of a data y (up is larger y).</summary>
    public double PixelY(double y) => Bottom - ((y - Y.Min) / (Y.Max - Y.Min) * (Bottom - Top));

    /// <summary>Starts a path in the given style; add points with <see cref="MoveTo"/> and <see cref="LineTo"/>, then <see cref="EndPath"/>.</summary>
    public SvgChart BeginPath(Style style)
    {
        _svg.Start("path");
        WriteStyle(style);
        _svg.BeginPath();
        return this;
    }

    public SvgChart MoveTo(double x, double y)
    {
        _svg.MoveTo(PixelX(x), PixelY(y));
        return this;
    }

    public SvgChart LineTo(double x, double y)
    {
        _svg.LineTo(PixelX(x), PixelY(y));
        return this;
    }

    /// <summary>Closes the current outline (for a filled area).</summary>
    public SvgChart ClosePath()
    {
        _svg.ClosePath();
        return this;
    }

    public void EndPath() => _svg.EndPath().Close();

    /// <summary>A filled circle of <paramref name="radius"/> pixels at a data point, with an optional tooltip.</summary>
    public void Marker(double x, double y, double radius, string fill, string? tooltip = null)
    {
        _svg.Start("circle").Attr("cx", PixelX(x)).Attr("cy", PixelY(y)).Attr("r", radius).Attr("fill", fill);
        CloseWithTooltip("circle", tooltip);
    }

    /// <summary>A filled rectangle between two data corners, with an optional tooltip.</summary>
    public void Rect(double x1, double y1, double x2, double y2, string fill, string? tooltip = null)
    {
        double l = PixelX(Math.Min(x1, x2)), r = PixelX(Math.Max(x1, x2));
        double t = PixelY(Math.Max(y1, y2)), b = PixelY(Math.Min(y1, y2));
        _svg.Start("rect").Attr("x", l).Attr("y", t).Attr("width", r - l).Attr("height", b - t).Attr("fill", fill);
        CloseWithTooltip("rect", tooltip);
    }

    /// <summary>Writes the frame, ticks, labels and title, and closes the &lt;svg&gt; element.</summary>
    public void End()
    {
        if (_ended)
        {
            throw new InvalidOperationException("the chart has ended");
        }

        _ended = true;
        var frame = new Style(Stroke: "black");
        _svg.Start("path");
        WriteStyle(frame);
        _svg.BeginPath()
            .MoveTo(Left, Top).LineTo(Right, Top).LineTo(Right, Bottom).LineTo(Left, Bottom).ClosePath();
        foreach (var t in X.Ticks!)
        {
            _svg.MoveTo(PixelX(t.Value), Bottom).LineTo(PixelX(t.Value), Bottom + TickLength);
        }

        foreach (var t in Y.Ticks!)
        {
            _svg.MoveTo(Left, PixelY(t.Value)).LineTo(Left - TickLength, PixelY(t.Value));
        }

        _svg.EndPath().Close();

        _svg.Start("g").Attr("text-anchor", "middle").Open();
        var labelY = Bottom + TickLength + 4 + (FontSize * 0.8);
        foreach (var t in X.Ticks!)
        {
            Label(PixelX(t.Value), labelY, t.Label);
        }

        _svg.End("g");
        _svg.Start("g").Attr("text-anchor", "end").Open();
        foreach (var t in Y.Ticks!)
        {
            Label(Left - TickLength - 4, PixelY(t.Value) + (FontSize * 0.35), t.Label);
        }

        _svg.End("g");
        var middleX = (Left + Right) / 2;
        if (_spec.XLabel is { } xLabel)
        {
            _svg.Start("text").Attr("x", middleX).Attr("y", _spec.Height - 8).Attr("text-anchor", "middle").Attr("font-size", AxisLabelSize).Attr("font-weight", "600")
                .Open().Text(xLabel).End("text");
        }

        if (_spec.YLabel is { } yLabel)
        {
            var middleY = (Top + Bottom) / 2;
            _svg.Start("text").Attr("x", 10 + AxisLabelSize).Attr("y", middleY).Attr("text-anchor", "middle").Attr("font-size", AxisLabelSize).Attr("font-weight", "600")
                .Attr("transform", string.Create(CultureInfo.InvariantCulture, $"rotate(-90 {SvgWriter.Format(10 + AxisLabelSize)} {SvgWriter.Format(middleY)})"))
                .Open().Text(yLabel).End("text");
        }

        if (_spec.Title.Length > 0)
        {
            _svg.Start("text").Attr("x", middleX).Attr("y", Top - 14).Attr("text-anchor", "middle").Attr("font-size", TitleSize).Attr("font-weight", "600")
                .Open().Text(_spec.Title).End("text");
        }

        _svg.End("svg");
    }

    private static Axis WithTicks(Axis axis, double pixels, double spacing) =>
        axis.Ticks is null ? Axis.Numeric(axis.Min, axis.Max, (int)(pixels / spacing) + 1) : axis;

    /// <summary>An estimate of a label's width in pixels at <see cref="FontSize"/>.</summary>
    public static double TextWidth(string text) => text.Length * CharWidth;

    private void WriteStart()
    {
        _svg.Start("svg").Attr("xmlns", "http://www.w3.org/2000/svg")
            .Attr("width", _spec.Width).Attr("height", _spec.Height)
            .Attr("viewBox", string.Create(CultureInfo.InvariantCulture, $"0 0 {_spec.Width} {_spec.Height}"))
            .Attr("font-family", "sans-serif").Attr("font-size", FontSize)
            .Attr("role", "img").Attr("aria-label", _spec.Title).Open();
        _svg.NewLine();
        _svg.Start("rect").Attr("width", _spec.Width).Attr("height", _spec.Height).Attr("fill", "white").Close();
        if (X.Ticks!.Count + Y.Ticks!.Count == 0)
        {
            return;
        }

        _svg.Start("path");
        WriteStyle(new Style(Stroke: "black", StrokeOpacity: 0.1));
        _svg.BeginPath();
        foreach (var t in X.Ticks!)
        {
            _svg.MoveTo(PixelX(t.Value), Bottom).LineTo(PixelX(t.Value), Top);
        }

        foreach (var t in Y.Ticks!)
        {
            _svg.MoveTo(Left, PixelY(t.Value)).LineTo(Right, PixelY(t.Value));
        }

        _svg.EndPath().Close();
    }

    /// <summary>Closes a mark's element, with a &lt;title&gt; child (shown on hover) when there is a tooltip.</summary>
    private void CloseWithTooltip(string element, string? tooltip)
    {
        if (tooltip is null)
        {
            _svg.Close();
            return;
        }

        _svg.Open().TextElement("title", tooltip);
        _svg.End(element);
    }

    private void Label(double x, double y, string text) =>
        _svg.Start("text").Attr("x", x).Attr("y", y).Open().Text(text).End("text");

    private void WriteStyle(Style s)
    {
        _svg.Attr("fill", s.Fill ?? "none");
        if (s.Fill is not null && s.FillOpacity < 1)
        {
            _svg.Attr("fill-opacity", s.FillOpacity);
        }

        if (s.Stroke is null)
        {
            return;
        }

        _svg.Attr("stroke", s.Stroke);
        if (s.StrokeWidth != 1)
        {
            _svg.Attr("stroke-width", s.StrokeWidth);
        }

        if (s.StrokeOpacity < 1)
        {
            _svg.Attr("stroke-opacity", s.StrokeOpacity);
        }
    }
}
