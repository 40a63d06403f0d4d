using System.Linq.Expressions;
using System.Reflection;

namespace Dsl.Lowering.Analyses;

/// <summary>
/// Whether evaluating one node can throw once its operands have been evaluated without throwing.
/// Invariant: conservative — true whenever the node might throw (integer division, checked arithmetic,
/// <c>Nullable.Value</c>, member access on a maybe-null reference, array access, calls not known to be
/// total, explicit throws, unknown node kinds).
/// </summary>
internal static class ThrowAnalysis
{
    private static readonly HashSet<string> TotalMathMethods =
    [
        nameof(Math.Max), nameof(Math.Min), nameof(Math.Sqrt), nameof(Math.Floor), nameof(Math.Ceiling), nameof(Math.Exp),
        nameof(Math.Log), nameof(Math.Log10), nameof(Math.Log2), nameof(Math.Pow), nameof(Math.Sin), nameof(Math.Cos),
        nameof(Math.Tan), nameof(Math.Atan), nameof(Math.Atan2), nameof(Math.Asin), nameof(Math.Acos), nameof(Math.Truncate),
        nameof(Math.Cbrt), nameof(Math.CopySign), nameof(Math.FusedMultiplyAdd),
    ];

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Expression, object> SubtreeAnswers = new();

    /// <summary>Whether evaluating <paramref name="node"/> with all its operands can throw anywhere; cached per node.</summary>
    public static bool SubtreeCanThrow(Expression node)
    {
        if (SubtreeAnswers.TryGetValue(node, out var known)) return (bool)known;
        var answer = CanThrow(node) && node is not (BlockExpression or LambdaExpression) || EffectLog.Children(node).Any(SubtreeCanThrow);
        SubtreeAnswers.AddOrUpdate(node, answer);
        return answer;
    }

    public static bool CanThrow(Expression node) => node switch
    {
        ConstantExpression or ParameterExpression or DefaultExpression or ConditionalExpression or Cil.InterpreterValue => false,
        BinaryExpression binary => BinaryCanThrow(binary),
        UnaryExpression unary => UnaryCanThrow(unary),
        MemberExpression member => MemberCanThrow(member),
        MethodCallExpression call => CallCanThrow(call),
        NewExpression @new => @new.Constructor is null || !IsTotalConstructor(@new.Constructor),
        TypeBinaryExpression => false,
        NewArrayExpression { NodeType: ExpressionType.NewArrayInit } => false,
        _ => true,
    };

    private static bool BinaryCanThrow(BinaryExpression node)
    {
        if (node.Method is not null) return !IsTotalMethod(node.Method);
        switch (node.NodeType)
        {
            case ExpressionType.AddChecked or ExpressionType.SubtractChecked or ExpressionType.MultiplyChecked:
                return true;
            case ExpressionType.Divide or ExpressionType.Modulo:
                var type = Nullable.GetUnderlyingType(node.Left.Type) ?? node.Left.Type;
                if (type == typeof(double) || type == typeof(float)) return false;
                // Division by a constant other than 0 and -1 cannot throw (-1 overflows for MinValue).
                return node.Right is not ConstantExpression { Value: { } divisor } || IsZeroOrMinusOne(divisor);
            case ExpressionType.ArrayIndex:
                return true;
            default:
                return false;
        }
    }

    private static bool IsZeroOrMinusOne(object divisor) =>
        System.Convert.ToDecimal(divisor, System.Globalization.CultureInfo.InvariantCulture) is 0m or -1m;

    private static bool UnaryCanThrow(UnaryExpression node)
    {
        if (node.Method is not null) return !IsTotalMethod(node.Method);
        return node.NodeType switch
        {
            ExpressionType.ArrayLength => node.Operand is not (ConstantExpression { Value: not null } or NewArrayExpression),
            ExpressionType.ConvertChecked or ExpressionType.NegateChecked or ExpressionType.Throw
                or ExpressionType.Unbox => true,
            // Unwrapping a nullable (T? -> T) reads Value; unboxing or downcasting a reference can fail.
            ExpressionType.Convert => Nullable.GetUnderlyingType(node.Operand.Type) is not null && Nullable.GetUnderlyingType(node.Type) is null
                || !node.Operand.Type.IsValueType && node.Type.IsValueType
                || !node.Operand.Type.IsValueType && !node.Type.IsAssignableFrom(node.Operand.Type),
            _ => false,
        };
    }

    private static bool MemberCanThrow(MemberExpression node)
    {
        if (node.Expression is null) return false;
        if (node.Member.DeclaringType is { IsGenericType: true } declaring && declaring.GetGenericTypeDefinition() == typeof(Nullable<>))
            return node.Member.Name == nameof(Nullable<int>.Value);
        if (node.Expression is ConstantExpression { Value: not null }) return false;
        return !node.Expression.Type.IsValueType;
    }

    private static bool CallCanThrow(MethodCallExpression node)
    {
        if (node.Object is not null && !node.Object.Type.IsValueType) return true;
        return !IsTotalMethod(node.Method);
    }

    private static bool IsTotalMethod(MethodInfo method)
    {
        var declaring = method.DeclaringType;
        if (declaring is { IsGenericType: true } && declaring.GetGenericTypeDefinition() == typeof(Nullable<>))
            return method.Name is nameof(Nullable<int>.GetValueOrDefault) or "get_HasValue";
        if (declaring == typeof(Math) || declaring == typeof(MathF))
            return TotalMathMethods.Contains(method.Name)
                || method.Name == nameof(Math.Abs) && method.GetParameters()[0].ParameterType is var p && (p == typeof(double) || p == typeof(float));
        if (declaring == typeof(double) || declaring == typeof(float))
            return method.Name.StartsWith("Is", StringComparison.Ordinal);
        if (declaring == typeof(string))
            return method.Name is "op_Equality" or "op_Inequality" or nameof(string.IsNullOrEmpty) or nameof(string.IsNullOrWhiteSpace)
                || method.Name == nameof(string.Concat) && method.GetParameters().All(p => p.ParameterType == typeof(string));
        return false;
    }

    private static bool IsTotalConstructor(ConstructorInfo constructor)
    {
        var type = constructor.DeclaringType!;
        return type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Nullable<>) || type.FullName!.StartsWith("System.ValueTuple", StringComparison.Ordinal));
    }
}
