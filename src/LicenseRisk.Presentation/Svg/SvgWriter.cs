using System.Globalization;

namespace LicenseRisk.Presentation.Svg;

/// <summary>
/// Writes SVG elements straight to a <see cref="TextWriter"/>: numbers in the invariant culture
/// with at most two decimals (never "-0"), text and attribute values XML-escaped (characters XML
/// does not allow become U+FFFD). It keeps no
/// document in memory; the caller opens and closes elements in order.
/// </summary>
public sealed class SvgWriter(TextWriter w)
{
    private bool _inPath;

    /// <summary>Starts an element: <c>&lt;name</c>; attributes follow, then <see cref="Close"/> or <see cref="Open"/>.</summary>
    public SvgWriter Start(string name)
    {
        w.Write('<');
        w.Write(name);
        return this;
    }

    public SvgWriter Attr(string name, double value)
    {
        BeginAttr(name);
        Number(value);
        return EndAttr();
    }

    public SvgWriter Attr(string name, string value)
    {
        BeginAttr(name);
        Escaped(value);
        return EndAttr();
    }

    /// <summary>Ends the start tag of an element that has content: <c>&gt;</c>.</summary>
    public SvgWriter Open()
    {
        w.Write('>');
        return this;
    }

    /// <summary>Ends an element without content: <c>/&gt;</c> and a line break.</summary>
    public void Close() => w.Write("/>\n");

    /// <summary>Closes an element opened with <see cref="Open"/>.</summary>
    public void End(string name)
    {
        w.Write("</");
        w.Write(name);
        w.Write(">\n");
    }

    /// <summary>A line break between elements.</summary>
    public void NewLine() => w.Write('\n');

    /// <summary>Text content, escaped.</summary>
    public SvgWriter Text(string text)
    {
        Escaped(text);
        return this;
    }

    /// <summary>An element holding only text: <c>&lt;title&gt;text&lt;/title&gt;</c>.</summary>
    public void TextElement(string name, string text)
    {
        w.Write('<');
        w.Write(name);
        w.Write('>');
        Escaped(text);
        End(name);
    }

    /// <summary>Starts the <c>d</c> attribute of a path; follow with <see cref="MoveTo"/>/<see cref="LineTo"/>, then <see cref="EndPath"/>.</summary>
    public SvgWriter BeginPath()
    {
        w.Write(" d=\"");
        _inPath = true;
        return this;
    }

    public SvgWriter MoveTo(double x, double y) => PathCommand('M', x, y);

    public SvgWriter LineTo(double x, double y) => PathCommand('L', x, y);

    /// <summary>Closes the current sub-path (<c>Z</c>).</summary>
    public SvgWriter ClosePath()
    {
        w.Write('Z');
        return this;
    }

    public SvgWriter EndPath()
    {
        if (!_inPath)
        {
            throw new InvalidOperationException("EndPath without BeginPath");
        }

        w.Write('"');
        _inPath = false;
        return this;
    }

    /// <summary>A number as SVG wants it: invariant culture, at most two decimals, no "-0", no exponent.</summary>
    public static string Format(double value)
    {
        Span<char> buffer = stackalloc char[32];
        return new string(buffer[..Format(value, buffer)]);
    }

    private void BeginAttr(string name)
    {
        w.Write(' ');
        w.Write(name);
        w.Write("=\"");
    }

    private SvgWriter EndAttr()
    {
        w.Write('"');
        return this;
    }

    private SvgWriter PathCommand(char command, double x, double y)
    {
        if (!_inPath)
        {
            throw new InvalidOperationException("path command outside BeginPath/EndPath");
        }

        w.Write(command);
        Number(x);
        w.Write(' ');
        Number(y);
        return this;
    }

    private void Number(double value)
    {
        Span<char> buffer = stackalloc char[32];
        w.Write(buffer[..Format(value, buffer)]);
    }

    private static int Format(double value, Span<char> buffer)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "SVG coordinates must be finite");
        }

        // Adding 0.0 turns a rounded -0 into 0; "0.##" never writes an exponent.
        var rounded = Math.Round(value, 2, MidpointRounding.AwayFromZero) + 0.0;
        if (!rounded.TryFormat(buffer, out var written, "0.##", CultureInfo.InvariantCulture))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "too large for an SVG coordinate");
        }

        return written;
    }

    private void Escaped(string text)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var entity = text[i] switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                < ' ' and not ('\t' or '\n' or '\r') => "\uFFFD", // not allowed in XML 1.0
                _ => null,
            };
            if (entity is null)
            {
                continue;
            }

            w.Write(text.AsSpan(start, i - start));
            w.Write(entity);
            start = i + 1;
        }

        w.Write(text.AsSpan(start));
    }
}
