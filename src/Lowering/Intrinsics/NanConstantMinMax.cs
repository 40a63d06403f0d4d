using System.Linq.Expressions;
using System.Reflection;
using Dsl.Lowering.Analyses;

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
/// conservatively: an argument holding a NaN constant anywhere, or reading no parameter at all. The
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

    /// <summary>Whether the JIT might fold <paramref name="value"/> to a NaN constant: it holds one, or it reads no parameter.</summary>
    private static bool MayFoldToNaN(Expression value)
    {
        var scan = new ConstantScan();
        scan.Visit(value);
        return scan.HoldsNaN || !scan.ReadsParameter;
    }

    private sealed class ConstantScan : ExpressionVisitor
    {
        private readonly HashSet<Expression> _seen = new(ReferenceEqualityComparer.Instance);

        public bool HoldsNaN { get; private set; }

        public bool ReadsParameter { get; private set; }

        // Each shared node once: the IR is a DAG.
        public override Expression? Visit(Expression? node) => node is null || !_seen.Add(node) ? node : base.Visit(node);

        protected override Expression VisitConstant(ConstantExpression node)
        {
            HoldsNaN |= node.Value is double d && double.IsNaN(d) || node.Value is float f && float.IsNaN(f);
            return node;
        }

        protected override Expression VisitParameter(ParameterExpression node)
        {
            ReadsParameter = true;
            return node;
        }
    }
}
