using System.Globalization;
using System.Linq.Expressions;
using Dsl.Features;

namespace Dsl.Expressions;

/// <summary>
/// Recursive-descent parser of the string-expression language, typing as it goes (one pass: each
/// production returns a typed <see cref="Expression"/>). Precedence, lowest first: <c>?:</c>, <c>??</c>,
/// <c>||</c>, <c>&amp;&amp;</c>, equality, relational, additive, multiplicative, unary, primary — as in C#.
/// </summary>
/// <remarks>
/// Invariant: the only nodes produced are parameters (features), constants, operators, conversions,
/// conditionals and calls to methods declared on <see cref="F"/>. Every failure is an
/// <see cref="ExpressionParseException"/>: nesting is bounded so garbage cannot exhaust the stack, and
/// errors from <see cref="Expression"/> factories are caught where an operator is bound.
/// </remarks>
internal sealed partial class ExpressionParser
{
    private const int MaxNesting = 100;

    private static readonly HashSet<string> ForbiddenKeywords = new(StringComparer.Ordinal)
    {
        "new", "typeof", "default", "this", "base", "is", "as", "sizeof", "nameof", "checked", "unchecked",
        "stackalloc", "await", "throw", "switch", "with", "delegate", "ref", "out", "in", "var",
    };

    private readonly string _text;
    private readonly List<Token> _tokens;
    private readonly IReadOnlyDictionary<string, Type> _schema;
    private readonly List<ParameterExpression> _parameters = [];
    private int _index;
    private int _nesting;

    private ExpressionParser(string text, IReadOnlyDictionary<string, Type> schema)
    {
        _text = text;
        _schema = schema;
        _tokens = ExpressionLexer.Tokenize(text);
    }

    public static LambdaExpression Parse(string text, IReadOnlyDictionary<string, Type> schema)
    {
        var parser = new ExpressionParser(text, schema);
        if (parser.Current.Kind == TokenKind.End) throw parser.Error("The expression is empty", parser.Current);
        var body = parser.ParseExpression();
        if (parser.Current.Kind != TokenKind.End)
            throw parser.Error($"Unexpected '{parser.Current.Text}' after the end of the expression", parser.Current);
        if (ImplicitConversions.IsNullLiteral(body)) throw parser.Error("The expression 'null' has no type", parser._tokens[0]);
        return Expression.Lambda(body, parser._parameters);
    }

    private Token Current => _tokens[_index];

    private Token Advance() => _tokens[_index++];

    private Token Expect(TokenKind kind, string what)
    {
        if (Current.Kind != kind)
            throw Error(Current.Kind == TokenKind.End ? $"Expected {what} but the expression ended" : $"Expected {what} but found '{Current.Text}'", Current);
        return Advance();
    }

    private ExpressionParseException Error(string problem, Token at) => new(problem, _text, at.Position);

    private Expression ParseExpression() => Nested(ParseConditional);

    /// <summary>Runs one recursive production, bounding the depth so that garbage cannot exhaust the stack.</summary>
    private Expression Nested(Func<Expression> parse)
    {
        if (++_nesting > MaxNesting) throw Error($"The expression nests deeper than {MaxNesting} levels", Current);
        try
        {
            return parse();
        }
        finally
        {
            _nesting--;
        }
    }

    private Expression ParseConditional()
    {
        var condition = ParseCoalesce();
        if (Current.Kind != TokenKind.Question) return condition;
        var question = Advance();
        var whenTrue = ParseExpression();
        Expect(TokenKind.Colon, "':' of the conditional operator");
        var whenFalse = ParseExpression();
        return BindConditional(question, condition, whenTrue, whenFalse);
    }

    private Expression ParseCoalesce()
    {
        var left = ParseBinary(0);
        if (Current.Kind != TokenKind.QuestionQuestion) return left;
        var op = Advance();
        var right = Nested(ParseCoalesce);
        return BindCoalesce(op, left, right);
    }

    /// <summary>The binary levels from <c>||</c> (0) to multiplicative (5); all left-associative.</summary>
    private static readonly TokenKind[][] BinaryLevels =
    [
        [TokenKind.BarBar],
        [TokenKind.AmpersandAmpersand],
        [TokenKind.EqualEqual, TokenKind.BangEqual],
        [TokenKind.Less, TokenKind.LessEqual, TokenKind.Greater, TokenKind.GreaterEqual],
        [TokenKind.Plus, TokenKind.Minus],
        [TokenKind.Star, TokenKind.Slash, TokenKind.Percent],
    ];

    private Expression ParseBinary(int level)
    {
        if (level == BinaryLevels.Length) return ParseUnary();
        var left = ParseBinary(level + 1);
        while (BinaryLevels[level].Contains(Current.Kind))
        {
            var op = Advance();
            var right = ParseBinary(level + 1);
            left = BindBinary(op, left, right);
        }
        return left;
    }

    private Expression ParseUnary()
    {
        if (Current.Kind is not (TokenKind.Bang or TokenKind.Minus or TokenKind.Plus)) return ParsePrimary();
        var op = Advance();
        if (op.Kind == TokenKind.Minus && Current.Kind == TokenKind.Integer)
        {
            // -2147483648 is an int and -9223372036854775808L a long, as in C#: negate the literal itself.
            return ParseInteger(Advance(), negative: true);
        }
        return BindUnary(op, Nested(ParseUnary));
    }

    private Expression ParsePrimary()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.Integer:
                Advance();
                return ParseInteger(token, negative: false);
            case TokenKind.Real:
                Advance();
                return ParseReal(token);
            case TokenKind.String:
                Advance();
                return Expression.Constant(token.Text, typeof(string));
            case TokenKind.OpenParen:
                Advance();
                var inner = ParseExpression();
                Expect(TokenKind.CloseParen, "')'");
                return inner;
            case TokenKind.Identifier:
                return ParseIdentifier();
            case TokenKind.End:
                throw Error("Expected a value but the expression ended", token);
            default:
                throw Error($"Expected a value but found '{token.Text}'", token);
        }
    }

    private Expression ParseIdentifier()
    {
        var token = Advance();
        switch (token.Text)
        {
            case "true": return Expression.Constant(true);
            case "false": return Expression.Constant(false);
            case "null": return Expression.Constant(null, ImplicitConversions.NullLiteralType);
        }
        if (token.Text == "F" && Current.Kind == TokenKind.Dot) return ParseCall(token);
        if (ForbiddenKeywords.Contains(token.Text))
            throw Error($"'{token.Text}' is not allowed: expressions use only features, literals, operators and F.* functions", token);

        var name = FeatureNames.Find(token.Text, _schema.Keys, out var ambiguous);
        if (name is null)
        {
            if (ambiguous.Count > 0)
                throw Error($"'{token.Text}' is ambiguous: it matches features {string.Join(", ", ambiguous.Select(a => $"'{a}'"))}", token);
            var suggestion = FeatureNames.Suggest(token.Text, _schema.Keys);
            throw Error($"Unknown feature '{token.Text}'" + (suggestion is null ? "" : $" (did you mean '{suggestion}'?)"), token);
        }
        if (Current.Kind == TokenKind.Dot)
            throw Error($"Member access is only allowed on F, the function catalogue (write F.Function({token.Text}))", Current);
        if (Current.Kind == TokenKind.OpenParen)
            throw Error($"'{token.Text}' is a feature, not a function; functions are called as F.Name(...)", Current);

        var parameter = _parameters.FirstOrDefault(p => p.Name == name);
        if (parameter is null)
        {
            parameter = Expression.Parameter(_schema[name], name);
            _parameters.Add(parameter);
        }
        return parameter;
    }

    private Expression ParseInteger(Token token, bool negative)
    {
        var text = token.Text;
        var isLong = text.EndsWith('L') || text.EndsWith('l');
        var digits = isLong ? text[..^1] : text;
        if (!ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var magnitude))
            throw Error("Integer literal is too large", token);
        if (negative)
        {
            if (!isLong && magnitude <= 2147483648UL) return Expression.Constant(magnitude == 2147483648UL ? int.MinValue : -(int)magnitude);
            if (magnitude <= 9223372036854775808UL) return Expression.Constant(magnitude == 9223372036854775808UL ? long.MinValue : -(long)magnitude);
            throw Error("Integer literal is too large", token);
        }
        if (!isLong && magnitude <= int.MaxValue) return Expression.Constant((int)magnitude);
        if (magnitude <= long.MaxValue) return Expression.Constant((long)magnitude);
        throw Error("Integer literal is too large", token);
    }

    private Expression ParseReal(Token token)
    {
        var text = token.Text;
        var isFloat = text.EndsWith('f') || text.EndsWith('F');
        var digits = text.EndsWith('d') || text.EndsWith('D') || isFloat ? text[..^1] : text;
        if (isFloat)
        {
            var single = float.Parse(digits, NumberStyles.Float, CultureInfo.InvariantCulture);
            if (float.IsInfinity(single)) throw Error("Number literal is outside the range of float", token);
            return Expression.Constant(single);
        }
        var value = double.Parse(digits, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (double.IsInfinity(value)) throw Error("Number literal is outside the range of double", token);
        return Expression.Constant(value);
    }
}
