namespace Dsl.Expressions;

/// <summary>The kinds of lexical tokens of the string-expression language.</summary>
internal enum TokenKind
{
    End,
    Identifier,
    Integer,
    Real,
    String,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    Bang,
    EqualEqual,
    BangEqual,
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
    AmpersandAmpersand,
    BarBar,
    QuestionQuestion,
    Question,
    Colon,
    OpenParen,
    CloseParen,
    Comma,
    Dot,
}

/// <summary>
/// One token: its kind, its source text (for literals, the literal's text without quotes but with
/// escapes resolved), and the 0-based index where it starts.
/// </summary>
internal readonly record struct Token(TokenKind Kind, string Text, int Position);
