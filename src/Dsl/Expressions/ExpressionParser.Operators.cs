using System.Linq.Expressions;
using static Dsl.Expressions.ImplicitConversions;

namespace Dsl.Expressions;

internal sealed partial class ExpressionParser
{
    private static readonly System.Reflection.MethodInfo StringConcat =
        typeof(string).GetMethod(nameof(string.Concat), [typeof(string), typeof(string)])!;

    private Expression BindBinary(Token op, Expression left, Expression right)
    {
        switch (op.Kind)
        {
            case TokenKind.AmpersandAmpersand:
            case TokenKind.BarBar:
                if (left.Type != typeof(bool) || right.Type != typeof(bool)) throw OperatorError(op, left, right);
                return op.Kind == TokenKind.AmpersandAmpersand ? Expression.AndAlso(left, right) : Expression.OrElse(left, right);
            case TokenKind.EqualEqual:
            case TokenKind.BangEqual:
                return BindEquality(op, left, right);
            case TokenKind.Plus when left.Type == typeof(string) || right.Type == typeof(string):
                if (!Exists(left.Type, typeof(string)) || !Exists(right.Type, typeof(string))) throw OperatorError(op, left, right);
                return Expression.Call(StringConcat, Apply(left, typeof(string)), Apply(right, typeof(string)));
        }

        var kind = op.Kind switch
        {
            TokenKind.Plus => ExpressionType.Add,
            TokenKind.Minus => ExpressionType.Subtract,
            TokenKind.Star => ExpressionType.Multiply,
            TokenKind.Slash => ExpressionType.Divide,
            TokenKind.Percent => ExpressionType.Modulo,
            TokenKind.Less => ExpressionType.LessThan,
            TokenKind.LessEqual => ExpressionType.LessThanOrEqual,
            TokenKind.Greater => ExpressionType.GreaterThan,
            TokenKind.GreaterEqual => ExpressionType.GreaterThanOrEqual,
            _ => throw Error($"Unexpected operator '{op.Text}'", op),
        };
        if (IsNullLiteral(left) || IsNullLiteral(right)) throw OperatorError(op, left, right);
        if (NumericPromotion(left.Type, right.Type) is { } promoted)
            return Expression.MakeBinary(kind, Apply(left, promoted), Apply(right, promoted));
        if (IsNumeric(Underlying(left.Type)) && IsNumeric(Underlying(right.Type))) throw OperatorError(op, left, right);
        // Operators the BCL defines on its value types (DateTime - DateTime, DateTime + TimeSpan, DateOnly < DateOnly).
        return BindBclOperator(op, kind, left, right);
    }

    private Expression BindEquality(Token op, Expression left, Expression right)
    {
        var kind = op.Kind == TokenKind.EqualEqual ? ExpressionType.Equal : ExpressionType.NotEqual;
        if (IsNullLiteral(left) && IsNullLiteral(right)) return Expression.Constant(kind == ExpressionType.Equal);
        if (IsNullLiteral(left) || IsNullLiteral(right))
        {
            var value = IsNullLiteral(left) ? right : left;
            var type = MakeNullable(value.Type);
            return Expression.MakeBinary(kind, Apply(value, type), Expression.Constant(null, type));
        }
        if (NumericPromotion(left.Type, right.Type) is { } promoted)
            return Expression.MakeBinary(kind, Apply(left, promoted), Apply(right, promoted));
        if (IsNumeric(Underlying(left.Type)) && IsNumeric(Underlying(right.Type))) throw OperatorError(op, left, right);
        if (Underlying(left.Type) == Underlying(right.Type) && CommonType(left.Type, right.Type) is { } common)
        {
            if (common == typeof(bool) || common == typeof(bool?) || common == typeof(string))
                return Expression.MakeBinary(kind, Apply(left, common), Apply(right, common));
        }
        return BindBclOperator(op, kind, left, right);
    }

    private Expression BindBclOperator(Token op, ExpressionType kind, Expression left, Expression right)
    {
        if (!left.Type.IsValueType || !right.Type.IsValueType || left.Type.Namespace != "System" || right.Type.Namespace != "System"
            || Underlying(left.Type).Namespace != "System" || Underlying(right.Type).Namespace != "System")
            throw OperatorError(op, left, right);
        try
        {
            var lifted = IsNullableValue(left.Type) || IsNullableValue(right.Type);
            var l = lifted ? Apply(left, MakeNullable(left.Type)) : left;
            var r = lifted ? Apply(right, MakeNullable(right.Type)) : right;
            return Expression.MakeBinary(kind, l, r);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            throw OperatorError(op, left, right);
        }
    }

    private Expression BindUnary(Token op, Expression operand)
    {
        if (op.Kind == TokenKind.Bang)
        {
            if (operand.Type != typeof(bool) && operand.Type != typeof(bool?))
                throw Error($"Operator '!' cannot be applied to an operand of type '{Describe(operand.Type)}'", op);
            return Expression.Not(operand);
        }
        var promoted = UnaryPromotion(operand.Type, negate: op.Kind == TokenKind.Minus);
        if (promoted is null)
            throw Error($"Operator '{op.Text}' cannot be applied to an operand of type '{Describe(operand.Type)}'", op);
        var converted = Apply(operand, promoted);
        return op.Kind == TokenKind.Minus ? Expression.Negate(converted) : converted;
    }

    private Expression BindCoalesce(Token op, Expression left, Expression right)
    {
        if (IsNullLiteral(left) || !CanBeNull(left.Type))
            throw Error($"The left side of '??' must be nullable, but it is '{Describe(left.Type)}'", op);
        if (IsNullableValue(left.Type))
        {
            var underlying = Underlying(left.Type);
            if (Exists(right.Type, underlying)) return Expression.Coalesce(left, Apply(right, underlying));
            if (Exists(right.Type, left.Type)) return Expression.Coalesce(left, Apply(right, left.Type));
            if (!IsNullLiteral(right) && Exists(underlying, right.Type))
                return Expression.Coalesce(Apply(left, MakeNullable(right.Type)), right);
        }
        else if (Exists(right.Type, left.Type))
        {
            return Expression.Coalesce(left, Apply(right, left.Type));
        }
        throw OperatorError(op, left, right);
    }

    private Expression BindConditional(Token question, Expression condition, Expression whenTrue, Expression whenFalse)
    {
        if (condition.Type != typeof(bool))
            throw Error($"The condition of '?:' must be bool, but it is '{Describe(condition.Type)}'", question);
        var type = CommonType(whenTrue.Type, whenFalse.Type)
            ?? throw Error($"The branches of '?:' have no common type: '{Describe(whenTrue.Type)}' and '{Describe(whenFalse.Type)}'", question);
        return Expression.Condition(condition, Apply(whenTrue, type), Apply(whenFalse, type), type);
    }

    private ExpressionParseException OperatorError(Token op, Expression left, Expression right) =>
        Error($"Operator '{op.Text}' cannot be applied to operands of type '{Describe(left.Type)}' and '{Describe(right.Type)}'", op);
}
