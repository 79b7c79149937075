namespace LicenseRisk.Model;

/// <summary>A place in an input file; lines and columns count from 1.</summary>
public readonly record struct SourceSpan(string File, int Line, int Column)
{
    public static SourceSpan None(string file) => new(file, 0, 0);

    public SourceSpan Offset(int columns) => this with { Column = Column + columns };

    public override string ToString() => Line > 0 ? $"{File}:{Line}:{Column}" : File;
}

public enum Severity
{
    Warning,
    Error,
}

/// <summary>One kind of problem: an entry of <see cref="DiagnosticCodes"/>.</summary>
public sealed record DiagnosticDescriptor(string Code, Severity Severity, string Title, string Help)
{
    /// <summary>The severity word and the code, as printed before the message.</summary>
    public string Label => $"{(Severity == Severity.Error ? "error" : "warning")} {Code}";
}

/// <summary>One problem with an input, printed as <c>path:line:column: error LRnnn: message</c>.</summary>
public sealed record Diagnostic(SourceSpan Span, DiagnosticDescriptor Descriptor, string Message)
{
    public string Code => Descriptor.Code;

    public Severity Severity => Descriptor.Severity;

    public bool IsError => Severity == Severity.Error;

    public override string ToString() => $"{Span}: {Descriptor.Label}: {Message}";
}

/// <summary>Collects diagnostics so every problem is reported at once.</summary>
public sealed class DiagnosticBag
{
    private readonly List<Diagnostic> _items = [];

    public IReadOnlyList<Diagnostic> Items => _items;

    public bool HasErrors { get; private set; }

    /// <summary>Adds a problem; its code and severity come from the descriptor.</summary>
    public void Report(SourceSpan span, DiagnosticDescriptor descriptor, string message) => Add(new Diagnostic(span, descriptor, message));

    public void Add(Diagnostic diagnostic)
    {
        _items.Add(diagnostic);
        HasErrors |= diagnostic.IsError;
    }

    public void AddRange(IEnumerable<Diagnostic> diagnostics)
    {
        foreach (var d in diagnostics)
        {
            Add(d);
        }
    }

    /// <summary>Diagnostics in file, line, column order (stable for equal places).</summary>
    public IReadOnlyList<Diagnostic> Sorted() => _items.Count == 0
        ? [] // the usual case; skips JIT-compiling the sort over tuples at start-up
        : [.. _items.Select((d, i) => (d, i))
            .OrderBy(x => x.d.Span.File, StringComparer.Ordinal)
            .ThenBy(x => x.d.Span.Line)
            .ThenBy(x => x.d.Span.Column)
            .ThenBy(x => x.i)
            .Select(x => x.d)];
}

/// <summary>Thrown when inputs are invalid; carries every diagnostic found.</summary>
public sealed class InputException(IReadOnlyList<Diagnostic> diagnostics)
    : Exception(diagnostics.Count > 0 ? diagnostics[0].ToString() : "invalid input")
{
    public IReadOnlyList<Diagnostic> Diagnostics { get; } = diagnostics;
}
