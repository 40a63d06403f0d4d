using System.Text;

namespace Dsl.Expressions;

/// <summary>
/// Splits a string expression into tokens. Every character either becomes part of a token or raises an
/// <see cref="ExpressionParseException"/> at its position; the lexer never throws anything else.
/// </summary>
internal static class ExpressionLexer
{
    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
            if (i >= text.Length)
            {
                tokens.Add(new Token(TokenKind.End, "", text.Length));
                return tokens;
            }

            var start = i;
            var c = text[i];
            if (char.IsLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_')) i++;
                tokens.Add(new Token(TokenKind.Identifier, text[start..i], start));
            }
            else if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                tokens.Add(ReadNumber(text, ref i));
            }
            else if (c == '"')
            {
                tokens.Add(ReadString(text, ref i));
            }
            else
            {
                tokens.Add(ReadOperator(text, ref i));
            }
        }
    }

    private static Token ReadNumber(string text, ref int i)
    {
        var start = i;
        var isReal = false;
        while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
        if (i + 1 < text.Length && text[i] == '.' && char.IsAsciiDigit(text[i + 1]))
        {
            isReal = true;
            i++;
            while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
        }
        if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
        {
            var exponent = i + 1;
            if (exponent < text.Length && (text[exponent] == '+' || text[exponent] == '-')) exponent++;
            if (exponent >= text.Length || !char.IsAsciiDigit(text[exponent]))
                throw new ExpressionParseException("Malformed exponent in number literal", text, i);
            isReal = true;
            i = exponent;
            while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
        }
        // Suffixes: L (long), D (double), F (float), as in C#.
        if (i < text.Length && "lLdDfF".Contains(text[i]))
        {
            if (isReal && (text[i] == 'l' || text[i] == 'L'))
                throw new ExpressionParseException("The suffix 'L' applies only to integer literals", text, i);
            i++;
            if (text[i - 1] is 'd' or 'D' or 'f' or 'F') isReal = true;
        }
        if (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
            throw new ExpressionParseException($"Unexpected character '{text[i]}' in number literal", text, i);
        return new Token(isReal ? TokenKind.Real : TokenKind.Integer, text[start..i], start);
    }

    private static Token ReadString(string text, ref int i)
    {
        var start = i;
        var value = new StringBuilder();
        i++;
        while (true)
        {
            if (i >= text.Length) throw new ExpressionParseException("Unterminated string literal", text, start);
            var c = text[i];
            if (c == '"')
            {
                i++;
                return new Token(TokenKind.String, value.ToString(), start);
            }
            if (c != '\\')
            {
                value.Append(c);
                i++;
                continue;
            }
            if (i + 1 >= text.Length) throw new ExpressionParseException("Unterminated string literal", text, start);
            var escape = text[i + 1];
            switch (escape)
            {
                case '"': value.Append('"'); break;
                case '\\': value.Append('\\'); break;
                case 'n': value.Append('\n'); break;
                case 'r': value.Append('\r'); break;
                case 't': value.Append('\t'); break;
                case '0': value.Append('\0'); break;
                case 'u':
                    if (i + 6 > text.Length || !ushort.TryParse(text.AsSpan(i + 2, 4), System.Globalization.NumberStyles.AllowHexSpecifier, null, out var code))
                        throw new ExpressionParseException("Malformed \\u escape: four hex digits expected", text, i);
                    value.Append((char)code);
                    i += 4;
                    break;
                default:
                    throw new ExpressionParseException($"Unknown escape sequence '\\{escape}'", text, i);
            }
            i += 2;
        }
    }

    private static Token ReadOperator(string text, ref int i)
    {
        var start = i;
        var c = text[i];
        var next = i + 1 < text.Length ? text[i + 1] : '\0';
        (TokenKind kind, int length) = (c, next) switch
        {
            ('=', '=') => (TokenKind.EqualEqual, 2),
            ('!', '=') => (TokenKind.BangEqual, 2),
            ('<', '=') => (TokenKind.LessEqual, 2),
            ('>', '=') => (TokenKind.GreaterEqual, 2),
            ('&', '&') => (TokenKind.AmpersandAmpersand, 2),
            ('|', '|') => (TokenKind.BarBar, 2),
            ('?', '?') => (TokenKind.QuestionQuestion, 2),
            ('+', _) => (TokenKind.Plus, 1),
            ('-', _) => (TokenKind.Minus, 1),
            ('*', _) => (TokenKind.Star, 1),
            ('/', _) => (TokenKind.Slash, 1),
            ('%', _) => (TokenKind.Percent, 1),
            ('!', _) => (TokenKind.Bang, 1),
            ('<', _) => (TokenKind.Less, 1),
            ('>', _) => (TokenKind.Greater, 1),
            ('?', _) => (TokenKind.Question, 1),
            (':', _) => (TokenKind.Colon, 1),
            ('(', _) => (TokenKind.OpenParen, 1),
            (')', _) => (TokenKind.CloseParen, 1),
            (',', _) => (TokenKind.Comma, 1),
            ('.', _) => (TokenKind.Dot, 1),
            ('=', _) => throw new ExpressionParseException("Assignment is not allowed; use '==' to compare", text, start),
            ('&', _) or ('|', _) or ('^', _) or ('~', _) => throw new ExpressionParseException($"Bitwise operator '{c}' is not supported; use '&&' or '||' for logic", text, start),
            _ => throw new ExpressionParseException($"Unexpected character '{c}'", text, start),
        };
        i += length;
        return new Token(kind, text.Substring(start, length), start);
    }
}
