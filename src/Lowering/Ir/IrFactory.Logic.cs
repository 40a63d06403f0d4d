using Dsl.Lowering.Analyses;
using System.Linq.Expressions;

namespace Dsl.Lowering.Ir;

internal sealed partial class IrFactory
{
    /// <summary>
    /// Logical negation. <c>!!x</c> is <c>x</c>; a negated integer comparison becomes the opposite comparison
    /// (not for floating operands, where <c>!(a &lt; b)</c> is true for NaN but <c>a &gt;= b</c> is not).
    /// </summary>
    public Expression Not(Expression operand)
    {
        if (operand.Type != typeof(bool)) return Fold(Intern(Expression.Not(operand)));
        switch (operand)
        {
            case ConstantExpression { Value: bool b }:
                return Constant(!b, typeof(bool));
            case UnaryExpression { NodeType: ExpressionType.Not } inner when inner.Operand.Type == typeof(bool):
                return inner.Operand;
            case BinaryExpression { Method: null } comparison when IsIntegral(comparison.Left.Type) && Opposite(comparison.NodeType) is { } opposite:
                return Compare(opposite, comparison.Left, comparison.Right);
        }

        return Intern(Expression.Not(operand));
    }

    /// <summary>Short-circuit and: <paramref name="right"/> is evaluated only when <paramref name="left"/> is true.</summary>
    public Expression AndAlso(Expression left, Expression right) => (left, right) switch
    {
        (ConstantExpression { Value: true }, _) => right,
        (ConstantExpression { Value: false }, _) => left,
        (_, ConstantExpression { Value: true }) => left,
        _ when left == right => left,
        _ => Intern(Expression.AndAlso(left, right)),
    };

    /// <summary>Short-circuit or: <paramref name="right"/> is evaluated only when <paramref name="left"/> is false.</summary>
    public Expression OrElse(Expression left, Expression right) => (left, right) switch
    {
        (ConstantExpression { Value: false }, _) => right,
        (ConstantExpression { Value: true }, _) => left,
        (_, ConstantExpression { Value: false }) => left,
        _ when left == right => left,
        _ => Intern(Expression.OrElse(left, right)),
    };

    /// <summary>
    /// <c>test ? ifTrue : ifFalse</c>, evaluating only the arm taken. A constant test picks its arm; equal arms
    /// need no test when the test cannot throw; boolean arms with a constant become <c>&amp;&amp;</c>/<c>||</c>; pushes a shared outer
    /// test into nested conditionals (<c>c ? (c ? a : b) : d</c> is <c>c ? a : d</c>).
    /// </summary>
    public Expression Condition(Expression test, Expression ifTrue, Expression ifFalse)
    {
        if (ifTrue.Type != ifFalse.Type) throw new ArgumentException($"conditional arms differ: {ifTrue.Type} and {ifFalse.Type}");
        if (test is ConstantExpression { Value: bool b }) return b ? ifTrue : ifFalse;
        // Equal arms need no test, unless evaluating the test may throw: the function would have thrown there
        // (fuzz seed 42: checked((long)v0 - -1L) < 0 with v0 = +Infinity guarding v0 *= v0, which leaves v0 unchanged).
        if (ifTrue == ifFalse && !ThrowAnalysis.SubtreeCanThrow(test)) return ifTrue;
        if (test is UnaryExpression { NodeType: ExpressionType.Not } negated && negated.Operand.Type == typeof(bool))
            return Condition(negated.Operand, ifFalse, ifTrue);
        if (ifTrue is ConditionalExpression t && t.Test == test) return Condition(test, t.IfTrue, ifFalse);
        if (ifFalse is ConditionalExpression f && f.Test == test) return Condition(test, ifTrue, f.IfFalse);
        if (ifTrue.Type == typeof(bool))
        {
            switch (ifTrue, ifFalse)
            {
                case (ConstantExpression { Value: true }, _): return OrElse(test, ifFalse);
                case (ConstantExpression { Value: false }, _): return AndAlso(Not(test), ifFalse);
                case (_, ConstantExpression { Value: false }): return AndAlso(test, ifTrue);
                case (_, ConstantExpression { Value: true }): return OrElse(Not(test), ifTrue);
            }
        }

        return Intern(Expression.Condition(test, ifTrue, ifFalse, ifTrue.Type));
    }

    /// <summary>
    /// A comparison (<see cref="ExpressionType.Equal"/> ... <see cref="ExpressionType.GreaterThanOrEqual"/>)
    /// with C# semantics: ordered for floating operands, reference equality for objects other than strings.
    /// </summary>
    public Expression Compare(ExpressionType kind, Expression left, Expression right)
    {
        if (left is ConstantExpression && right is not ConstantExpression && Swapped(kind) is { } swapped)
            (kind, left, right) = (swapped, right, left);
        if (kind is ExpressionType.Equal or ExpressionType.NotEqual && left.Type == typeof(bool) && right is ConstantExpression { Value: bool literal })
            return literal == (kind == ExpressionType.Equal) ? left : Not(left);
        if (kind == ExpressionType.NotEqual && !left.Type.IsValueType && right is ConstantExpression { Value: null })
            return Not(Compare(ExpressionType.Equal, left, Constant(null, left.Type)));
        var node = kind switch
        {
            ExpressionType.Equal when !left.Type.IsValueType || !right.Type.IsValueType => Expression.ReferenceEqual(left, right),
            ExpressionType.NotEqual when !left.Type.IsValueType || !right.Type.IsValueType => Expression.ReferenceNotEqual(left, right),
            _ => Expression.MakeBinary(kind, left, right),
        };
        return Fold(Intern(node));
    }

    private static ExpressionType? Swapped(ExpressionType kind) => kind switch
    {
        ExpressionType.Equal or ExpressionType.NotEqual => kind,
        ExpressionType.LessThan => ExpressionType.GreaterThan,
        ExpressionType.LessThanOrEqual => ExpressionType.GreaterThanOrEqual,
        ExpressionType.GreaterThan => ExpressionType.LessThan,
        ExpressionType.GreaterThanOrEqual => ExpressionType.LessThanOrEqual,
        _ => null,
    };

    private static ExpressionType? Opposite(ExpressionType kind) => kind switch
    {
        ExpressionType.Equal => ExpressionType.NotEqual,
        ExpressionType.NotEqual => ExpressionType.Equal,
        ExpressionType.LessThan => ExpressionType.GreaterThanOrEqual,
        ExpressionType.LessThanOrEqual => ExpressionType.GreaterThan,
        ExpressionType.GreaterThan => ExpressionType.LessThanOrEqual,
        ExpressionType.GreaterThanOrEqual => ExpressionType.LessThan,
        _ => null,
    };

    public static bool IsIntegral(Type type) =>
        type == typeof(int) || type == typeof(long) || type == typeof(uint) || type == typeof(ulong) || type == typeof(short)
        || type == typeof(ushort) || type == typeof(byte) || type == typeof(sbyte) || type == typeof(char) || type == typeof(bool);

    public static bool IsFloating(Type type) => type == typeof(double) || type == typeof(float);
}
