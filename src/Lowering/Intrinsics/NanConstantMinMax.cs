using System.Linq.Expressions;
using System.Reflection;
using Dsl.Lowering.Analyses;
using Dsl.Lowering.Ir;

namespace Dsl.Lowering.Intrinsics;

/// <summary>
/// <c>Math.Max</c>, <c>Min</c>, <c>MaxMagnitude</c>, <c>MinMagnitude</c> (and their <c>MathF</c>, <c>double</c> and
/// <c>float</c> forms) with an argument the JIT may see as a NaN constant and another argument that may throw. The
/// .NET 10 JIT folds such a call to the NaN and drops the other argument, exceptions included
/// (dotnet/runtime#133718, open): <c>Math.Max(double.NaN, a[i])</c> with <c>i</c> out of range returns NaN in an
/// optimized delegate and throws in a debug one. The JIT first folds NaN-propagating arithmetic
/// (<c>double.NaN / x</c>, <c>NaN + x</c>, a conversion of NaN, an inner Max of NaN) and constant arithmetic
/// (<c>∞ − ∞</c>) into a NaN constant, depending on the tier. The language says the call throws, and a kernel
/// would; the delegate the row-by-row path runs may not. Since the two cannot be made to agree, the call is refused
/// (<c>jit-nan-minmax</c>) and the function runs row by row. "May look like a NaN constant" is judged
/// conservatively (<see cref="MayFoldToNaN"/>). The
/// <c>*Number</c> forms and <c>Clamp</c> are not folded that way and lower as usual, as does any of these calls
/// whose other argument cannot throw (nothing is dropped then).
/// </summary>
internal static class NanConstantMinMax
{
    private static readonly HashSet<string> s_foldedByTheJit =
        [nameof(Math.Max), nameof(Math.Min), nameof(Math.MaxMagnitude), nameof(Math.MinMagnitude)];

    public static IntrinsicCall TryLower(MethodBase method, Expression? instance, IReadOnlyList<Expression> arguments)
    {
        var type = method.DeclaringType!;
        if (type != typeof(Math) && type != typeof(MathF) && type != typeof(double) && type != typeof(float)) return IntrinsicCall.NotIntrinsic;
        if (!s_foldedByTheJit.Contains(method.Name) || arguments.Count != 2) return IntrinsicCall.NotIntrinsic;
        var (first, second) = (arguments[0], arguments[1]);
        var dropsAThrow = MayFoldToNaN(first) && ThrowAnalysis.SubtreeCanThrow(second)
            || MayFoldToNaN(second) && ThrowAnalysis.SubtreeCanThrow(first);
        return dropsAThrow
            ? IntrinsicCall.Refused("jit-nan-minmax",
                $"{ExactCall.Describe(method)} with a NaN constant argument: the .NET JIT folds it to NaN and drops the other argument's exception (dotnet/runtime#133718), so the delegate and a kernel would disagree.")
            : IntrinsicCall.NotIntrinsic;
    }

    /// <summary>
    /// Whether the JIT might see <paramref name="value"/> as a NaN constant: a NaN constant; floating arithmetic,
    /// a conversion or negation, or a Math call with such an operand (the JIT propagates NaN through them, dropping
    /// the other operand when it has no side effects — judged conservatively here: always); or an expression that reads no
    /// parameter and evaluates to NaN or throws (constant arithmetic such as ∞ − ∞ is folded).
    /// </summary>
    private static bool MayFoldToNaN(Expression value) => new NaNFolding().MayFold(value);

    private sealed class NaNFolding
    {
        private readonly Dictionary<Expression, bool> _known = new(ReferenceEqualityComparer.Instance);

        public bool MayFold(Expression value)
        {
            if (_known.TryGetValue(value, out var known)) return known;
            var answer = value switch
            {
                ConstantExpression { Value: double d } => double.IsNaN(d),
                ConstantExpression { Value: float f } => float.IsNaN(f),
                ConstantExpression => false,
                BinaryExpression { NodeType: ExpressionType.Add or ExpressionType.Subtract or ExpressionType.Multiply or ExpressionType.Divide or ExpressionType.Modulo } arithmetic
                    when IsFloating(arithmetic.Type) => MayFold(arithmetic.Left) || MayFold(arithmetic.Right) || ClosedAndNaN(arithmetic),
                UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked or ExpressionType.Negate or ExpressionType.UnaryPlus } unary
                    when IsFloating(unary.Operand.Type) => MayFold(unary.Operand),
                MethodCallExpression call when call.Method.DeclaringType == typeof(Math) || call.Method.DeclaringType == typeof(MathF)
                    || call.Method.DeclaringType == typeof(double) || call.Method.DeclaringType == typeof(float) => call.Arguments.Any(MayFold) || ClosedAndNaN(call),
                _ => ClosedAndNaN(value),
            };
            _known[value] = answer;
            return answer;
        }

        private static bool IsFloating(Type type) => type == typeof(double) || type == typeof(float);

        /// <summary>An expression that reads no parameter and whose value is NaN (or that throws: it is not judged).</summary>
        private static bool ClosedAndNaN(Expression value)
        {
            if (!IsFloating(value.Type) || ReadsParameter(value)) return false;
            return !ConstantEvaluator.TryEvaluate(value, out var result) || result is double d && double.IsNaN(d) || result is float f && float.IsNaN(f);
        }

        private static bool ReadsParameter(Expression value)
        {
            var scan = new ParameterScan();
            scan.Visit(value);
            return scan.Found;
        }
    }

    private sealed class ParameterScan : ExpressionVisitor
    {
        private readonly HashSet<Expression> _seen = new(ReferenceEqualityComparer.Instance);

        public bool Found { get; private set; }

        // Each shared node once: the IR is a DAG.
        public override Expression? Visit(Expression? node) => node is null || Found || !_seen.Add(node) ? node : base.Visit(node);

        protected override Expression VisitParameter(ParameterExpression node)
        {
            Found = true;
            return node;
        }
    }
}
