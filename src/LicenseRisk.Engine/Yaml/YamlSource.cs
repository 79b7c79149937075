using System.Text;
using LicenseRisk.Model;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LicenseRisk.Yaml;

/// <summary>Loads one YAML file into a node tree; every problem becomes a located diagnostic.</summary>
public static class YamlSource
{
    public static YamlNode? LoadFile(string path, string displayPath, DiagnosticBag diags) =>
        LoadFile(path, displayPath, diags, out _);

    /// <summary>Loads a file and also returns its text (for exact positions inside scalars).</summary>
    public static YamlNode? LoadFile(string path, string displayPath, DiagnosticBag diags, out string? text)
    {
        text = null;
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            diags.Error(SourceSpan.None(displayPath), "LR001", "file not found");
            return null;
        }

        if (info.Length > Limits.Current.MaxFileBytes)
        {
            diags.Error(new SourceSpan(displayPath, 1, 1), "LR002", $"file is {info.Length} bytes; the limit is {Limits.Current.MaxFileBytes}");
            return null;
        }

        string content;
        try
        {
            content = new UTF8Encoding(false, true).GetString(File.ReadAllBytes(path));
        }
        catch (DecoderFallbackException)
        {
            diags.Error(new SourceSpan(displayPath, 1, 1), "LR003", "file is not valid UTF-8");
            return null;
        }
        catch (IOException ex)
        {
            diags.Error(SourceSpan.None(displayPath), "LR001", $"cannot read file: {ex.Message}");
            return null;
        }

        text = content.Length > 0 && content[0] == '\uFEFF' ? content[1..] : content;
        return LoadText(content, displayPath, diags);
    }

    public static YamlNode? LoadText(string text, string displayPath, DiagnosticBag diags)
    {
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        var nul = text.IndexOf('\0', StringComparison.Ordinal);
        if (nul >= 0)
        {
            diags.Error(SpanAt(text, nul, displayPath), "LR003", "file contains a NUL byte");
            return null;
        }

        var stream = new YamlStream();
        try
        {
            if (!Preflight(text, displayPath, diags))
            {
                return null;
            }

            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            var message = (ex.InnerException?.Message ?? ex.Message).Replace('\n', ' ').Trim();
            var span = new SourceSpan(displayPath, (int)Math.Max(1, ex.Start.Line), (int)Math.Max(1, ex.Start.Column));
            diags.Error(span, "LR004", $"invalid YAML: {StripPosition(message)}");
            return null;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet throws these for some malformed documents (an unclosed flow mapping).
            diags.Error(SpanAt(text, text.Length, displayPath), "LR004", "invalid YAML: the document ends inside an unclosed structure (a missing '}' or ']'?)");
            return null;
        }

        if (stream.Documents.Count == 0)
        {
            diags.Error(new SourceSpan(displayPath, 1, 1), "LR005", "file is empty");
            return null;
        }

        if (stream.Documents.Count > 1)
        {
            var second = stream.Documents[1].RootNode.Start;
            diags.Error(new SourceSpan(displayPath, (int)second.Line, (int)second.Column), "LR005", "file holds several YAML documents; one is expected");
            return null;
        }

        return stream.Documents[0].RootNode;
    }

    /// <summary>
    /// Walks the parser's events (no tree, no recursion) and rejects documents that are too deep,
    /// too large or alias-heavy before the node tree is built: building it recurses per level,
    /// and a stack overflow cannot be caught in .NET.
    /// </summary>
    private static bool Preflight(string text, string file, DiagnosticBag diags)
    {
        var limits = Limits.Current;
        var parser = new YamlDotNet.Core.Parser(new StringReader(text));
        int depth = 0, aliases = 0, nodes = 0;
        var collectionAnchors = new HashSet<string>(StringComparer.Ordinal);
        while (parser.MoveNext())
        {
            var e = parser.Current!;
            SourceSpan At() => new(file, (int)Math.Max(1, e.Start.Line), (int)Math.Max(1, e.Start.Column));
            switch (e)
            {
                case YamlDotNet.Core.Events.NodeEvent { Anchor.IsEmpty: false } anchored and (YamlDotNet.Core.Events.MappingStart or YamlDotNet.Core.Events.SequenceStart):
                    collectionAnchors.Add(anchored.Anchor.Value);
                    nodes++;
                    if (++depth > limits.MaxYamlDepth)
                    {
                        diags.Error(At(), "LR006", $"YAML nests deeper than {limits.MaxYamlDepth} levels");
                        return false;
                    }

                    break;
                case YamlDotNet.Core.Events.MappingStart or YamlDotNet.Core.Events.SequenceStart:
                    nodes++;
                    if (++depth > limits.MaxYamlDepth)
                    {
                        diags.Error(At(), "LR006", $"YAML nests deeper than {limits.MaxYamlDepth} levels");
                        return false;
                    }

                    break;
                case YamlDotNet.Core.Events.MappingEnd or YamlDotNet.Core.Events.SequenceEnd:
                    depth--;
                    break;
                case YamlDotNet.Core.Events.AnchorAlias alias:
                    if (collectionAnchors.Contains(alias.Value.Value))
                    {
                        diags.Error(At(), "LR007", $"alias *{alias.Value.Value} repeats a list or mapping; such aliases can expand exponentially (\"billion laughs\") and are not allowed");
                        return false;
                    }

                    if (++aliases > limits.MaxAliases)
                    {
                        diags.Error(At(), "LR007", $"more than {limits.MaxAliases} YAML aliases (*ref) in one file");
                        return false;
                    }

                    break;
                case YamlDotNet.Core.Events.Scalar scalar:
                    nodes++;
                    if (scalar.Value.Length > limits.MaxScalarLength)
                    {
                        diags.Error(At(), "LR008", $"a value of {scalar.Value.Length} characters; the limit is {limits.MaxScalarLength}");
                        return false;
                    }

                    break;
            }

            if (nodes > limits.MaxNodes)
            {
                diags.Error(At(), "LR009", $"more than {limits.MaxNodes} YAML nodes in one file");
                return false;
            }
        }

        return true;
    }

    private static string StripPosition(string message)
    {
        // YamlDotNet prefixes "(Line: 3, Col: 5, Idx: 20) - (Line: ...): "
        var idx = message.LastIndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line", StringComparison.Ordinal) && idx > 0 ? message[(idx + 3)..] : message;
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
