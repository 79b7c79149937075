namespace LicenseRisk.Rules.Syntax;

/// <summary>
/// Recursive-descent parser for the rule expression language. Precedence, loosest first:
/// or, and, not, comparison (== != &lt; &lt;= &gt; &gt;= in, not in, between), + -, * /, unary -, primary.
/// Nesting is capped so hostile input cannot overflow the stack.
/// </summary>
public sealed class Parser
{
    public const int MaxDepth = 64;
    public const int MaxLength = 4096;

    private static readonly HashSet<string> Keywords = ["and", "or", "not", "in", "between", "true", "false"];

    private readonly IReadOnlyList<Token> _tokens;
    private int _index;
    private int _depth;

    private Parser(IReadOnlyList<Token> tokens) => _tokens = tokens;

    public static (Expr? Expr, SyntaxError? Error) Parse(string text)
    {
        if (text.Length > MaxLength)
        {
            return (null, new SyntaxError(0, $"expression is {text.Length} characters long; the limit is {MaxLength}"));
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, new SyntaxError(0, "expression is empty"));
        }

        var (tokens, lexError) = Lexer.Tokenize(text);
        if (lexError is not null)
        {
            return (null, lexError);
        }

        var parser = new Parser(tokens);
        try
        {
            var expr = parser.ParseOr();
            if (parser.Peek.Kind != TokenKind.End)
            {
                return (null, parser.Unexpected("the end of the expression"));
            }

            return (expr, null);
        }
        catch (ParseException ex)
        {
            return (null, ex.Error);
        }
    }

    private Token Peek => _tokens[_index];

    private Token Next() => _tokens[_index++];

    private bool IsKeyword(string word) => Peek.Kind == TokenKind.Ident && Peek.Text == word;

    private bool IsKeywordAt(int offset, string word) =>
        _index + offset < _tokens.Count && _tokens[_index + offset] is { Kind: TokenKind.Ident } t && t.Text == word;

    private Expr ParseOr()
    {
        Enter();
        var left = ParseAnd();
        while (IsKeyword("or"))
        {
            var pos = Next().Pos;
            left = new BinaryExpr(pos, BinaryOp.Or, left, ParseAnd());
        }

        _depth--;
        return left;
    }

    private Expr ParseAnd()
    {
        var left = ParseNot();
        while (IsKeyword("and"))
        {
            var pos = Next().Pos;
            left = new BinaryExpr(pos, BinaryOp.And, left, ParseNot());
        }

        return left;
    }

    private Expr ParseNot()
    {
        if (IsKeyword("not") && !IsKeywordAt(1, "in"))
        {
            var pos = Next().Pos;
            Enter();
            var operand = ParseNot();
            _depth--;
            return new UnaryExpr(pos, UnaryOp.Not, operand);
        }

        return ParseComparison();
    }

    private Expr ParseComparison()
    {
        var left = ParseAdditive();
        var t = Peek;
        BinaryOp? op = t.Kind switch
        {
            TokenKind.Eq => BinaryOp.Eq,
            TokenKind.Ne => BinaryOp.Ne,
            TokenKind.Lt => BinaryOp.Lt,
            TokenKind.Le => BinaryOp.Le,
            TokenKind.Gt => BinaryOp.Gt,
            TokenKind.Ge => BinaryOp.Ge,
            _ => null,
        };
        if (op is { } o)
        {
            Next();
            return new BinaryExpr(t.Pos, o, left, ParseAdditive());
        }

        if (IsKeyword("in") || (IsKeyword("not") && IsKeywordAt(1, "in")))
        {
            var negated = IsKeyword("not");
            if (negated)
            {
                Next();
            }

            Next();
            if (Peek.Kind != TokenKind.LBracket)
            {
                throw new ParseException(Unexpected("a list [...] after 'in'"));
            }

            return new InExpr(t.Pos, left, ParseList(), negated);
        }

        if (IsKeyword("between"))
        {
            Next();
            var low = ParseAdditive();
            if (!IsKeyword("and"))
            {
                throw new ParseException(Unexpected("'and' in 'between A and B'"));
            }

            Next();
            var high = ParseAdditive();
            return new BetweenExpr(t.Pos, left, low, high);
        }

        return left;
    }

    private Expr ParseAdditive()
    {
        var left = ParseMultiplicative();
        while (Peek.Kind is TokenKind.Plus or TokenKind.Minus)
        {
            var t = Next();
            left = new BinaryExpr(t.Pos, t.Kind == TokenKind.Plus ? BinaryOp.Add : BinaryOp.Sub, left, ParseMultiplicative());
        }

        return left;
    }

    private Expr ParseMultiplicative()
    {
        var left = ParseUnary();
        while (Peek.Kind is TokenKind.Star or TokenKind.Slash)
        {
            var t = Next();
            left = new BinaryExpr(t.Pos, t.Kind == TokenKind.Star ? BinaryOp.Mul : BinaryOp.Div, left, ParseUnary());
        }

        return left;
    }

    private Expr ParseUnary()
    {
        if (Peek.Kind == TokenKind.Minus)
        {
            var pos = Next().Pos;
            Enter();
            var operand = ParseUnary();
            _depth--;
            return operand is LiteralExpr { Kind: LiteralKind.Number, Value: double d }
                ? new LiteralExpr(pos, LiteralKind.Number, -d)
                : new UnaryExpr(pos, UnaryOp.Negate, operand);
        }

        return ParsePrimary();
    }

    private Expr ParsePrimary()
    {
        var t = Peek;
        switch (t.Kind)
        {
            case TokenKind.Number:
                Next();
                return new LiteralExpr(t.Pos, LiteralKind.Number, t.Number);
            case TokenKind.String:
                Next();
                return new LiteralExpr(t.Pos, LiteralKind.String, t.Text);
            case TokenKind.LParen:
                Next();
                Enter();
                var inner = ParseOr();
                _depth--;
                Expect(TokenKind.RParen, "')'");
                return inner;
            case TokenKind.LBracket:
                return ParseList();
            case TokenKind.Ident:
                return ParseName();
            default:
                throw new ParseException(Unexpected("a value, a name or '('"));
        }
    }

    private Expr ParseName()
    {
        var t = Next();
        switch (t.Text)
        {
            case "true":
                return new LiteralExpr(t.Pos, LiteralKind.Bool, true);
            case "false":
                return new LiteralExpr(t.Pos, LiteralKind.Bool, false);
        }

        if (Keywords.Contains(t.Text))
        {
            throw new ParseException(new SyntaxError(t.Pos, $"'{t.Text}' cannot stand here"));
        }

        if (Peek.Kind == TokenKind.LParen)
        {
            Next();
            var args = new List<Expr>();
            if (Peek.Kind != TokenKind.RParen)
            {
                Enter();
                args.Add(ParseOr());
                while (Peek.Kind == TokenKind.Comma)
                {
                    Next();
                    args.Add(ParseOr());
                }

                _depth--;
            }

            Expect(TokenKind.RParen, "')' to close the call");
            return new CallExpr(t.Pos, t.Text, args);
        }

        var name = new NameExpr(t.Pos, t.Text);
        if (Peek.Kind != TokenKind.Dot)
        {
            if (Peek.Kind == TokenKind.LBracket)
            {
                throw new ParseException(new SyntaxError(Peek.Pos, "indexing with [...] is not part of the rule language"));
            }

            return name;
        }

        Next();
        var member = Peek;
        if (member.Kind != TokenKind.Ident)
        {
            throw new ParseException(Unexpected("a field name after '.'"));
        }

        Next();
        if (Peek.Kind == TokenKind.LParen)
        {
            throw new ParseException(new SyntaxError(member.Pos, $"'{t.Text}.{member.Text}(...)': method calls are not part of the rule language; use the listed functions"));
        }

        if (Peek.Kind == TokenKind.Dot)
        {
            throw new ParseException(new SyntaxError(Peek.Pos, "only 'alias.field' is allowed; names cannot be chained"));
        }

        if (Peek.Kind == TokenKind.LBracket)
        {
            throw new ParseException(new SyntaxError(Peek.Pos, "indexing with [...] is not part of the rule language"));
        }

        return new MemberExpr(t.Pos, name, member.Text, member.Pos);
    }

    private ListExpr ParseList()
    {
        var start = Next().Pos;
        var items = new List<Expr>();
        Enter();
        if (Peek.Kind != TokenKind.RBracket)
        {
            items.Add(ParseAdditive());
            while (Peek.Kind == TokenKind.Comma)
            {
                Next();
                items.Add(ParseAdditive());
            }
        }

        _depth--;
        Expect(TokenKind.RBracket, "']' to close the list");
        return new ListExpr(start, items);
    }

    private void Expect(TokenKind kind, string what)
    {
        if (Peek.Kind != kind)
        {
            throw new ParseException(Unexpected(what));
        }

        Next();
    }

    private void Enter()
    {
        if (++_depth > MaxDepth)
        {
            throw new ParseException(new SyntaxError(Peek.Pos, $"expression nests deeper than {MaxDepth} levels"));
        }
    }

    private SyntaxError Unexpected(string expected)
    {
        var t = Peek;
        var found = t.Kind == TokenKind.End ? "the end" : $"'{t.Text}'";
        return new SyntaxError(t.Pos, $"expected {expected}, found {found}");
    }

    private sealed class ParseException(SyntaxError error) : Exception(error.Message)
    {
        public SyntaxError Error { get; } = error;
    }
}
