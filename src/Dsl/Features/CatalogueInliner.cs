using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using Dsl.Lowering;

namespace Dsl.Features;

/// <summary>
/// Replaces calls to the catalogue <see cref="F"/> inside expression-tree features (<c>_</c> expressions and
/// string expressions) by the IR the CIL front end lowers each catalogue method to, so such features can
/// compile: the expression front end lowers only intrinsics, while the CIL front end reads F's IL. Statistics marked
/// <see cref="AggregateIntrinsicAttribute"/> are left as calls, which lowering turns into aggregates.
/// </summary>
/// <remarks>
/// Invariant: the rewritten tree computes the same value, or throws the same exception type, as the
/// original on every input. A call is a method call, so all its arguments are evaluated before its body;
/// substituting arguments into the body could skip one (<c>F.IfThenElse(c, a / b, 0)</c>). A call is
/// therefore inlined only when every argument is pure and cannot throw (parameters, constants, widening
/// conversions, floating-point arithmetic, comparisons, logic), where evaluating it zero, one or several
/// times is the same; otherwise the call stays and the feature falls back with lowering's reason.
/// </remarks>
internal sealed class CatalogueInliner : Lowering.Ir.MemoizingVisitor
{
    private static readonly ConcurrentDictionary<MethodInfo, LambdaExpression?> Lowered = new();

    public static LambdaExpression Inline(LambdaExpression function)
    {
        var body = new CatalogueInliner().Visit(function.Body);
        return body == function.Body ? function : Expression.Lambda(body, function.Parameters);
    }

    protected override Expression VisitMethodCall(MethodCallExpression node)
    {
        var visited = (MethodCallExpression)base.VisitMethodCall(node);
        if (visited.Method.DeclaringType != typeof(F) || !visited.Arguments.All(CannotThrow)) return visited;
        // Statistics stay calls: lowering makes them aggregates over the related rows (their reduction calls them).
        if (visited.Method.IsDefined(typeof(AggregateIntrinsicAttribute), false)) return visited;
        var ir = Lowered.GetOrAdd(visited.Method, method => Lowerer.Lower(method, null) is { Succeeded: true } result ? result.Ir : null);
        if (ir is null) return visited;
        return Lowering.Intrinsics.ParameterSubstitution.Replace(ir.Body, ir.Parameters, visited.Arguments);
    }

    /// <summary>True for expressions that are pure and never throw, so evaluating them eagerly or lazily is the same.</summary>
    private static bool CannotThrow(Expression e) => e switch
    {
        ParameterExpression or ConstantExpression => true,
        UnaryExpression { NodeType: ExpressionType.Convert, Method: null } convert => IsWidening(convert.Operand.Type, convert.Type) && CannotThrow(convert.Operand),
        UnaryExpression { NodeType: ExpressionType.Not or ExpressionType.Negate, Method: null } unary => CannotThrow(unary.Operand),
        BinaryExpression { Method: null } binary when IsFloatingOrBool(binary.Left.Type) && IsFloatingOrBool(binary.Right.Type) =>
            binary.NodeType is not (ExpressionType.Coalesce or ExpressionType.ArrayIndex) && CannotThrow(binary.Left) && CannotThrow(binary.Right),
        BinaryExpression { NodeType: ExpressionType.Add or ExpressionType.Subtract or ExpressionType.Multiply, Method: null } wrapping =>
            CannotThrow(wrapping.Left) && CannotThrow(wrapping.Right), // unchecked integer arithmetic wraps, never throws
        BinaryExpression { NodeType: ExpressionType.Divide or ExpressionType.Modulo, Method: null, Right: ConstantExpression divisor } division
            when IsIntegerDivisorThatCannotThrow(divisor.Value) => CannotThrow(division.Left), // micros / 1_000_000
        BinaryExpression { NodeType: ExpressionType.Equal or ExpressionType.NotEqual or ExpressionType.LessThan or ExpressionType.LessThanOrEqual
            or ExpressionType.GreaterThan or ExpressionType.GreaterThanOrEqual, Method: null } comparison =>
            CannotThrow(comparison.Left) && CannotThrow(comparison.Right),
        BinaryExpression { NodeType: ExpressionType.Coalesce, Conversion: null } coalesce => CannotThrow(coalesce.Left) && CannotThrow(coalesce.Right),
        ConditionalExpression conditional => CannotThrow(conditional.Test) && CannotThrow(conditional.IfTrue) && CannotThrow(conditional.IfFalse),
        _ => false,
    };

    /// <summary>
    /// An integer constant dividing without throwing whatever the dividend: not 0 (<see cref="DivideByZeroException"/>) and not
    /// -1 (<c>MinValue / -1</c> overflows).
    /// </summary>
    private static bool IsIntegerDivisorThatCannotThrow(object? divisor) => divisor switch
    {
        int i => i is not (0 or -1),
        long l => l is not (0 or -1),
        uint u => u != 0,
        ulong u => u != 0,
        _ => false,
    };

    private static bool IsFloatingOrBool(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        return underlying == typeof(double) || underlying == typeof(float) || underlying == typeof(bool);
    }

    /// <summary>Implicit numeric and nullable conversions, which never throw (unlike narrowing or unboxing).</summary>
    private static bool IsWidening(Type from, Type to) =>
        from == to || (from.IsValueType && to.IsValueType && Expressions.ImplicitConversions.Exists(from, to));
}
