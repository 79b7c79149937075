using System.Globalization;
using System.Text;

namespace LicenseRisk.Rules.Syntax;

public enum TokenKind
{
    End,
    Number,
    String,
    Ident,
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    Dot,
    Plus,
    Minus,
    Star,
    Slash,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    LBrace,
    RBrace,
}

public readonly record struct Token(TokenKind Kind, int Pos, string Text, double Number = 0);

/// <summary>Splits expression text into tokens. Only ASCII names are accepted (no look-alike letters).</summary>
public static class Lexer
{
    public static (IReadOnlyList<Token> Tokens, SyntaxError? Error) Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c is ' ' or '\t' or '\r' or '\n')
            {
                i++;
                continue;
            }

            var start = i;
            if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.' || text[i] == '_'))
                {
                    i++;
                }

                var raw = text[start..i].Replace("_", string.Empty, StringComparison.Ordinal);
                if (!double.TryParse(raw, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n) || !double.IsFinite(n))
                {
                    return (tokens, new SyntaxError(start, $"'{text[start..i]}' is not a number"));
                }

                if (i < text.Length && (char.IsAsciiLetter(text[i]) || text[i] == '_'))
                {
                    return (tokens, new SyntaxError(i, $"unexpected '{text[i]}' after a number"));
                }

                tokens.Add(new Token(TokenKind.Number, start, text[start..i], n));
                continue;
            }

            if (char.IsAsciiLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Ident, start, text[start..i]));
                continue;
            }

            if (c is '\'' or '"')
            {
                var sb = new StringBuilder();
                i++;
                var closed = false;
                while (i < text.Length)
                {
                    if (text[i] == '\\' && i + 1 < text.Length && (text[i + 1] == c || text[i + 1] == '\\'))
                    {
                        sb.Append(text[i + 1]);
                        i += 2;
                        continue;
                    }

                    if (text[i] == c)
                    {
                        closed = true;
                        i++;
                        break;
                    }

                    sb.Append(text[i]);
                    i++;
                }

                if (!closed)
                {
                    return (tokens, new SyntaxError(start, "text is not closed with a matching quote"));
                }

                tokens.Add(new Token(TokenKind.String, start, sb.ToString()));
                continue;
            }

            TokenKind? kind = c switch
            {
                '(' => TokenKind.LParen,
                ')' => TokenKind.RParen,
                '[' => TokenKind.LBracket,
                ']' => TokenKind.RBracket,
                '{' => TokenKind.LBrace,
                '}' => TokenKind.RBrace,
                ',' => TokenKind.Comma,
                '.' => TokenKind.Dot,
                '+' => TokenKind.Plus,
                '-' => TokenKind.Minus,
                '*' => TokenKind.Star,
                '/' => TokenKind.Slash,
                _ => null,
            };
            if (kind is { } k)
            {
                tokens.Add(new Token(k, start, c.ToString()));
                i++;
                continue;
            }

            var next = i + 1 < text.Length ? text[i + 1] : '\0';
            (TokenKind Kind, int Length)? op = (c, next) switch
            {
                ('=', '=') => (TokenKind.Eq, 2),
                ('!', '=') => (TokenKind.Ne, 2),
                ('<', '=') => (TokenKind.Le, 2),
                ('>', '=') => (TokenKind.Ge, 2),
                ('<', _) => (TokenKind.Lt, 1),
                ('>', _) => (TokenKind.Gt, 1),
                _ => null,
            };
            if (op is { } o)
            {
                tokens.Add(new Token(o.Kind, start, text.Substring(i, o.Length)));
                i += o.Length;
                continue;
            }

            var hint = c switch
            {
                '=' => "; use == to compare",
                '!' => "; use 'not' or !=",
                '&' => "; use 'and'",
                '|' => "; use 'or'",
                _ when c > 127 => " (only ASCII letters are allowed in names)",
                _ => string.Empty,
            };
            var shown = c < ' ' ? $"\\u{(int)c:x4}" : c.ToString();
            return (tokens, new SyntaxError(start, $"unexpected character '{shown}'{hint}"));
        }

        tokens.Add(new Token(TokenKind.End, text.Length, string.Empty));
        return (tokens, null);
    }
}
