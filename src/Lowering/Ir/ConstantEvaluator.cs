using System.Linq.Expressions;
using System.Reflection;

namespace Dsl.Lowering.Ir;

/// <summary>
/// Evaluates a node whose operands are all constants by running it through the LINQ interpreter: the
/// same C# operators the delegate runs, so floating rounding, wrap-around and conversions come out
/// bit-identical. A node that would throw is never folded (the caller keeps it so it throws at run time).
/// </summary>
internal static class ConstantEvaluator
{
    private static readonly HashSet<Type> FoldableTypes =
    [
        typeof(bool), typeof(sbyte), typeof(byte), typeof(short), typeof(ushort), typeof(char), typeof(int), typeof(uint),
        typeof(long), typeof(ulong), typeof(float), typeof(double), typeof(string),
    ];

    /// <summary>Methods that are pure and deterministic and so may run at plan time on constants.</summary>
    private static readonly HashSet<Type> PureStaticTypes = [typeof(Math), typeof(MathF)];

    public static bool IsFoldableType(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        return FoldableTypes.Contains(underlying) || underlying.IsEnum;
    }

    /// <summary>True when <paramref name="node"/>'s operator may be run at plan time on constant operands.</summary>
    public static bool IsFoldableOperator(Expression node) => node switch
    {
        BinaryExpression b => b.NodeType is not (ExpressionType.Assign or ExpressionType.Coalesce or ExpressionType.AndAlso or ExpressionType.OrElse)
            && b.Method is null && IsFoldableType(b.Left.Type) && IsFoldableType(b.Right.Type) && IsFoldableType(b.Type),
        UnaryExpression u => u.NodeType is ExpressionType.Convert or ExpressionType.ConvertChecked or ExpressionType.Negate
            or ExpressionType.NegateChecked or ExpressionType.Not or ExpressionType.OnesComplement or ExpressionType.UnaryPlus
            && u.Method is null && IsFoldableType(u.Operand.Type) && IsFoldableType(u.Type),
        MethodCallExpression { Object: null } call => call.Method.DeclaringType is { } t && PureStaticTypes.Contains(t)
            && IsFoldableType(call.Type) && call.Method.GetParameters().All(p => IsFoldableType(p.ParameterType)),
        _ => false,
    };

    /// <summary>
    /// Evaluates <paramref name="node"/> (an operator over constants, or any expression that reads no parameter);
    /// false when it throws (then it must stay in the IR).
    /// </summary>
    public static bool TryEvaluate(Expression node, out object? value)
    {
        value = null;
        try
        {
            if (node is MethodCallExpression { Object: null } call && call.Arguments.All(a => a is ConstantExpression))
            {
                var arguments = call.Arguments.Select(a => ((ConstantExpression)a).Value).ToArray();
                value = call.Method.Invoke(null, arguments);
                return true;
            }

            var body = Expression.Convert(node, typeof(object));
            value = Expression.Lambda<Func<object?>>(body).Compile(preferInterpretation: true)();
            return true;
        }
        catch (Exception)
        {
            // Whatever it throws (overflow, an empty aggregate, an index out of range, a variable that is not a
            // constant after all), the node must stay and throw, or be computed, at run time.
            return false;
        }
    }
}
