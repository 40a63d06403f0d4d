using System.Linq.Expressions;
using System.Runtime.CompilerServices;

namespace Dsl.Lowering.Ir;

/// <summary>
/// Structural equality of one expression node whose children are already hash-consed: two nodes are equal
/// when they have the same kind, type, members and constant values and their children are the same
/// objects. Floating constants compare by bits, so <c>0.0</c> and <c>-0.0</c> stay distinct and NaN equals
/// NaN. Node kinds it does not know compare by reference (never merged).
/// </summary>
internal sealed class ShallowNodeComparer : IEqualityComparer<Expression>
{
    public static ShallowNodeComparer Instance { get; } = new();

    public bool Equals(Expression? x, Expression? y)
    {
        if (ReferenceEquals(x, y)) return true;
        if (x is null || y is null || x.NodeType != y.NodeType || x.Type != y.Type) return false;
        return (x, y) switch
        {
            (ConstantExpression a, ConstantExpression b) => ConstantEquals(a.Value, b.Value),
            (UnaryExpression a, UnaryExpression b) => a.Operand == b.Operand && a.Method == b.Method,
            (BinaryExpression a, BinaryExpression b) => a.Left == b.Left && a.Right == b.Right && a.Method == b.Method
                && a.IsLiftedToNull == b.IsLiftedToNull && a.Conversion == b.Conversion,
            (ConditionalExpression a, ConditionalExpression b) => a.Test == b.Test && a.IfTrue == b.IfTrue && a.IfFalse == b.IfFalse,
            (MemberExpression a, MemberExpression b) => a.Member == b.Member && a.Expression == b.Expression,
            (MethodCallExpression a, MethodCallExpression b) => a.Method == b.Method && a.Object == b.Object && SameItems(a.Arguments, b.Arguments),
            (NewExpression a, NewExpression b) => a.Constructor == b.Constructor && SameItems(a.Arguments, b.Arguments),
            (DefaultExpression, DefaultExpression) => true,
            (TypeBinaryExpression a, TypeBinaryExpression b) => a.Expression == b.Expression && a.TypeOperand == b.TypeOperand,
            _ => false,
        };
    }

    public int GetHashCode(Expression node)
    {
        var hash = new HashCode();
        hash.Add(node.NodeType);
        hash.Add(node.Type);
        switch (node)
        {
            case ConstantExpression c:
                hash.Add(ConstantHash(c.Value));
                break;
            case UnaryExpression u:
                hash.Add(Identity(u.Operand));
                break;
            case BinaryExpression b:
                hash.Add(Identity(b.Left));
                hash.Add(Identity(b.Right));
                break;
            case ConditionalExpression c:
                hash.Add(Identity(c.Test));
                hash.Add(Identity(c.IfTrue));
                hash.Add(Identity(c.IfFalse));
                break;
            case MemberExpression m:
                hash.Add(m.Member);
                hash.Add(Identity(m.Expression));
                break;
            case MethodCallExpression m:
                hash.Add(m.Method);
                hash.Add(Identity(m.Object));
                foreach (var argument in m.Arguments) hash.Add(Identity(argument));
                break;
            case NewExpression n:
                hash.Add(n.Constructor);
                foreach (var argument in n.Arguments) hash.Add(Identity(argument));
                break;
            case DefaultExpression:
                break;
            default:
                hash.Add(Identity(node));
                break;
        }

        return hash.ToHashCode();
    }

    private static int Identity(object? node) => node is null ? 0 : RuntimeHelpers.GetHashCode(node);

    private static bool SameItems(IReadOnlyList<Expression> a, IReadOnlyList<Expression> b)
    {
        if (a.Count != b.Count) return false;
        for (var i = 0; i < a.Count; i++)
            if (a[i] != b[i]) return false;
        return true;
    }

    private static bool ConstantEquals(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (double x, double y) => BitConverter.DoubleToInt64Bits(x) == BitConverter.DoubleToInt64Bits(y),
        (float x, float y) => BitConverter.SingleToInt32Bits(x) == BitConverter.SingleToInt32Bits(y),
        (string x, string y) => string.Equals(x, y, StringComparison.Ordinal),
        (null, _) or (_, null) => false,
        _ when a.GetType().IsValueType && a.GetType() == b.GetType() => a.Equals(b),
        _ => ReferenceEquals(a, b),
    };

    private static int ConstantHash(object? value) => value switch
    {
        null => 0,
        double d => BitConverter.DoubleToInt64Bits(d).GetHashCode(),
        float f => BitConverter.SingleToInt32Bits(f),
        string s => StringComparer.Ordinal.GetHashCode(s),
        _ when value.GetType().IsValueType => value.GetHashCode(),
        _ => RuntimeHelpers.GetHashCode(value),
    };
}
