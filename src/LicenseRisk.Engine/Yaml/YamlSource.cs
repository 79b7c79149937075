using System.Text;
using LicenseRisk.Model;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LicenseRisk.Yaml;

/// <summary>Loads one YAML file into a node tree; every problem becomes a located diagnostic.</summary>
public static class YamlSource
{
    public static YamlNode? LoadFile(string path, string displayPath, Limits limits, DiagnosticBag diags) =>
        LoadFile(path, displayPath, limits, diags, out _);

    /// <summary>
    /// Loads a file, reading it once, and also returns what was read: the text (for exact
    /// positions inside scalars) and the bytes (for content hashes).
    /// </summary>
    public static YamlNode? LoadFile(string path, string displayPath, Limits limits, DiagnosticBag diags, out SourceFile? source)
    {
        source = null;
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            diags.Report(SourceSpan.None(displayPath), DiagnosticCodes.FileNotFound, SourcePaths.MissingFile(path));
            return null;
        }

        if (info.Length > limits.MaxFileBytes)
        {
            diags.Report(new SourceSpan(displayPath, 1, 1), DiagnosticCodes.FileTooLarge, $"file is {info.Length} bytes; the limit is {limits.MaxFileBytes}");
            return null;
        }

        byte[] bytes;
        string text;
        try
        {
            bytes = File.ReadAllBytes(path);
            text = new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            diags.Report(new SourceSpan(displayPath, 1, 1), DiagnosticCodes.NotText, "file is not valid UTF-8");
            return null;
        }
        catch (IOException ex)
        {
            diags.Report(SourceSpan.None(displayPath), DiagnosticCodes.FileNotFound, $"cannot read file: {ex.Message}");
            return null;
        }

        text = StripBom(text);
        source = new SourceFile(text, bytes);
        return LoadText(text, displayPath, limits, diags);
    }

    private static string StripBom(string text) => text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;

    public static YamlNode? LoadText(string text, string displayPath, Limits limits, DiagnosticBag diags)
    {
        text = StripBom(text);

        var nul = text.IndexOf('\0', StringComparison.Ordinal);
        if (nul >= 0)
        {
            diags.Report(SpanAt(text, nul, displayPath), DiagnosticCodes.NotText, "file contains a NUL byte");
            return null;
        }

        var stream = new YamlStream();
        try
        {
            // One pass: the limits are checked on the event stream as the tree is built, so the
            // tree's recursive construction never sees more depth than the limit allows.
            stream.Load(new CheckedParser(new YamlDotNet.Core.Parser(new StringReader(text)), displayPath, limits));
        }
        catch (CheckedParser.LimitException ex)
        {
            diags.Add(ex.Diagnostic);
            return null;
        }
        catch (YamlException ex)
        {
            var message = (ex.InnerException?.Message ?? ex.Message).Replace('\n', ' ').Trim();
            var start = new SourceSpan(displayPath, (int)Math.Max(1, ex.Start.Line), (int)Math.Max(1, ex.Start.Column));
            if (message.Contains(" tab ", StringComparison.OrdinalIgnoreCase) && IndentingTab(text, start) is { } tab)
            {
                // YamlDotNet points at the node before the tab and says "violate indentation".
                diags.Report(SpanAt(text, tab, displayPath), DiagnosticCodes.InvalidYaml, "invalid YAML: a tab is used for indentation; YAML indents with spaces");
                return null;
            }

            diags.Report(start, DiagnosticCodes.InvalidYaml, $"invalid YAML: {StripPosition(message)}");
            return null;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet throws these for some malformed documents (an unclosed flow mapping).
            diags.Report(SpanAt(text, text.Length, displayPath), DiagnosticCodes.InvalidYaml, "invalid YAML: the document ends inside an unclosed structure (a missing '}' or ']'?)");
            return null;
        }

        if (stream.Documents.Count == 0)
        {
            diags.Report(new SourceSpan(displayPath, 1, 1), DiagnosticCodes.NotOneDocument, "file is empty");
            return null;
        }

        if (stream.Documents.Count > 1)
        {
            var second = stream.Documents[1].RootNode.Start;
            diags.Report(new SourceSpan(displayPath, (int)second.Line, (int)second.Column), DiagnosticCodes.NotOneDocument, "file holds several YAML documents; one is expected");
            return null;
        }

        return stream.Documents[0].RootNode;
    }

    private static string StripPosition(string message)
    {
        // YamlDotNet prefixes "(Line: 3, Col: 5, Idx: 20) - (Line: ...): "
        var idx = message.LastIndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line", StringComparison.Ordinal) && idx > 0 ? message[(idx + 3)..] : message;
    }

    /// <summary>The index of the first tab in a line's leading whitespace at or after a position, if any.</summary>
    private static int? IndentingTab(string text, SourceSpan from)
    {
        var lineStart = 0;
        for (var line = 1; line < from.Line && lineStart < text.Length; line++)
        {
            var next = text.IndexOf('\n', lineStart);
            lineStart = next < 0 ? text.Length : next + 1;
        }

        var inIndentation = true;
        for (var i = lineStart; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '\n':
                    inIndentation = true;
                    break;
                case '\t' when inIndentation:
                    return i;
                case ' ' or '\t' or '\r':
                    break;
                default:
                    inIndentation = false;
                    break;
            }
        }

        return null;
    }

    private static SourceSpan SpanAt(string text, int index, string file)
    {
        int line = 1, col = 1;
        for (var i = 0; i < index; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                col = 1;
            }
            else
            {
                col++;
            }
        }

        return new SourceSpan(file, line, col);
    }
}

/// <summary>A file as read: its text (without a byte-order mark) and its bytes.</summary>
public sealed record SourceFile(string Text, byte[] Bytes);
