using LicenseRisk.Model;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace LicenseRisk.Yaml;

/// <summary>
/// Passes a YAML parser's events through while enforcing <see cref="Limits"/>: nesting depth,
/// aliases (never to a list or mapping: the "billion laughs" shape), node count and value length.
/// A violation stops the load with a located diagnostic before the tree builder can recurse past
/// the limit (a stack overflow cannot be caught in .NET).
/// </summary>
public sealed class CheckedParser(IParser inner, string file, Limits limits) : IParser
{
    private readonly HashSet<string> _collectionAnchors = new(StringComparer.Ordinal);
    private int _depth;
    private int _aliases;
    private int _nodes;

    public ParsingEvent? Current => inner.Current;

    public bool MoveNext()
    {
        if (!inner.MoveNext())
        {
            return false;
        }

        var e = inner.Current!;
        switch (e)
        {
            case MappingStart or SequenceStart:
                if (e is NodeEvent { Anchor.IsEmpty: false } anchored)
                {
                    _collectionAnchors.Add(anchored.Anchor.Value);
                }

                _nodes++;
                if (++_depth > limits.MaxYamlDepth)
                {
                    Fail(e, DiagnosticCodes.YamlTooDeep, $"YAML nests deeper than {limits.MaxYamlDepth} levels");
                }

                break;
            case MappingEnd or SequenceEnd:
                _depth--;
                break;
            case AnchorAlias alias:
                if (_collectionAnchors.Contains(alias.Value.Value))
                {
                    Fail(e, DiagnosticCodes.AliasNotAllowed, $"alias *{alias.Value.Value} repeats a list or mapping; such aliases can expand exponentially (\"billion laughs\") and are not allowed");
                }

                if (++_aliases > limits.MaxAliases)
                {
                    Fail(e, DiagnosticCodes.AliasNotAllowed, $"more than {limits.MaxAliases} YAML aliases (*ref) in one file");
                }

                break;
            case Scalar scalar:
                _nodes++;
                if (scalar.Value.Length > limits.MaxScalarLength)
                {
                    Fail(e, DiagnosticCodes.ValueTooLong, $"a value of {scalar.Value.Length} characters; the limit is {limits.MaxScalarLength}");
                }

                break;
        }

        if (_nodes > limits.MaxNodes)
        {
            Fail(e, DiagnosticCodes.TooManyNodes, $"more than {limits.MaxNodes} YAML nodes in one file");
        }

        return true;
    }

    public void Consume() => MoveNext();

    private void Fail(ParsingEvent e, DiagnosticDescriptor descriptor, string message) =>
        throw new LimitException(new Diagnostic(
            new SourceSpan(file, (int)Math.Max(1, e.Start.Line), (int)Math.Max(1, e.Start.Column)), descriptor, message));

    /// <summary>A limit was hit; carries the located diagnostic.</summary>
    public sealed class LimitException(Diagnostic diagnostic) : Exception(diagnostic.Message)
    {
        public Diagnostic Diagnostic { get; } = diagnostic;
    }
}
