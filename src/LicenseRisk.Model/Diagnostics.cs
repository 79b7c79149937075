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

/// <summary>One problem with an input, printed as <c>path:line:column: error LRnnn: message</c>.</summary>
public sealed record Diagnostic(SourceSpan Span, Severity Severity, string Code, string Message)
{
    public bool IsError => Severity == Severity.Error;

    public override string ToString() =>
        $"{Span}: {(IsError ? "error" : "warning")} {Code}: {Message}";
}

/// <summary>Collects diagnostics so every problem is reported at once.</summary>
public sealed class DiagnosticBag
{
    private readonly List<Diagnostic> _items = [];

    public IReadOnlyList<Diagnostic> Items => _items;

    public bool HasErrors { get; private set; }

    public void Error(SourceSpan span, string code, string message) => Add(new Diagnostic(span, Severity.Error, code, message));

    public void Warning(SourceSpan span, string code, string message) => Add(new Diagnostic(span, Severity.Warning, code, message));

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
