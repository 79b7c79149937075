namespace LicenseRisk.Rules.Syntax;

/// <summary>A part of a <c>because</c> or <c>derive</c> template: literal text or an expression in braces.</summary>
public abstract record TemplatePart;

public sealed record TextPart(string Text) : TemplatePart;

public sealed record ExprPart(Expr Expr, int Pos) : TemplatePart;

/// <summary>Splits "text {expr} text" into parts; <c>{{</c> and <c>}}</c> stand for literal braces.</summary>
public static class TemplateParser
{
    public static (IReadOnlyList<TemplatePart> Parts, SyntaxError? Error) Parse(string text)
    {
        var parts = new List<TemplatePart>();
        var literal = new System.Text.StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if ((c == '{' || c == '}') && i + 1 < text.Length && text[i + 1] == c)
            {
                literal.Append(c);
                i += 2;
                continue;
            }

            if (c == '}')
            {
                return (parts, new SyntaxError(i, "unmatched '}' (write '}}' for a literal brace)"));
            }

            if (c != '{')
            {
                literal.Append(c);
                i++;
                continue;
            }

            var close = FindClose(text, i + 1);
            if (close < 0)
            {
                return (parts, new SyntaxError(i, "'{' is not closed with '}'"));
            }

            if (literal.Length > 0)
            {
                parts.Add(new TextPart(literal.ToString()));
                literal.Clear();
            }

            var inner = text[(i + 1)..close];
            var (expr, error) = Parser.Parse(inner);
            if (error is not null)
            {
                return (parts, error with { Pos = error.Pos + i + 1 });
            }

            parts.Add(new ExprPart(Shift(expr!, i + 1), i + 1));
            i = close + 1;
        }

        if (literal.Length > 0)
        {
            parts.Add(new TextPart(literal.ToString()));
        }

        return (parts, null);
    }

    private static int FindClose(string text, int from)
    {
        char? quote = null;
        for (var j = from; j < text.Length; j++)
        {
            var c = text[j];
            if (quote is not null)
            {
                if (c == quote)
                {
                    quote = null;
                }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
            }
            else if (c == '}')
            {
                return j;
            }
        }

        return -1;
    }

    /// <summary>Moves every position by an offset so errors point into the whole template.</summary>
    private static Expr Shift(Expr e, int by) => e switch
    {
        LiteralExpr l => l with { Pos = l.Pos + by },
        ListExpr l => new ListExpr(l.Pos + by, [.. l.Items.Select(x => Shift(x, by))]),
        NameExpr n => n with { Pos = n.Pos + by },
        MemberExpr m => new MemberExpr(m.Pos + by, (NameExpr)Shift(m.Target, by), m.Member, m.MemberPos + by),
        UnaryExpr u => new UnaryExpr(u.Pos + by, u.Op, Shift(u.Operand, by)),
        BinaryExpr b => new BinaryExpr(b.Pos + by, b.Op, Shift(b.Left, by), Shift(b.Right, by)),
        InExpr n => new InExpr(n.Pos + by, Shift(n.Value, by), (ListExpr)Shift(n.List, by), n.Negated),
        BetweenExpr b => new BetweenExpr(b.Pos + by, Shift(b.Value, by), Shift(b.Low, by), Shift(b.High, by)),
        CallExpr c => new CallExpr(c.Pos + by, c.Name, [.. c.Args.Select(x => Shift(x, by))]),
        _ => e,
    };
}
