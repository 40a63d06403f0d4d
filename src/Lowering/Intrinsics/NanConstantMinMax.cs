using System.Linq.Expressions;
using System.Reflection;
using Dsl.Lowering.Analyses;

namespace Dsl.Lowering.Intrinsics;

/// <summary>
/// <c>Math.Max</c>, <c>Min</c>, <c>MaxMagnitude</c>, <c>MinMagnitude</c> (and their <c>MathF</c>, <c>double</c> and
/// <c>float</c> forms) with a NaN constant argument and another argument that may throw. The .NET 10 JIT folds such
/// a call to the NaN and drops the other argument, exceptions included (dotnet/runtime#133718, open; seen on this
/// x64 machine at every optimized tier): <c>Math.Max(double.NaN, a[i])</c> with <c>i</c> out of range returns NaN in
/// an optimized delegate and throws in a debug one. The language says it throws, and the kernel would; the delegate
/// the row-by-row path runs does not. Since the two cannot be made to agree exactly, the call is refused
/// (<c>jit-nan-minmax</c>) and the function runs row by row. The <c>*Number</c> forms and <c>Clamp</c> are not folded
/// that way and lower as usual, as does any of these calls whose other arguments cannot throw (the answer is NaN on
/// every path).
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
        var dropsAThrow = IsNaNConstant(first) && ThrowAnalysis.SubtreeCanThrow(second)
            || IsNaNConstant(second) && ThrowAnalysis.SubtreeCanThrow(first);
        return dropsAThrow
            ? IntrinsicCall.Refused("jit-nan-minmax",
                $"{ExactCall.Describe(method)} with a NaN constant argument: the .NET JIT folds it to NaN and drops the other argument's exception (dotnet/runtime#133718), so the delegate and a kernel would disagree.")
            : IntrinsicCall.NotIntrinsic;
    }

    // A NaN constant of our IR: the lowering folds more than the JIT does, so this is a superset of what the JIT sees.
    private static bool IsNaNConstant(Expression value) =>
        value is ConstantExpression { Value: double d } && double.IsNaN(d) || value is ConstantExpression { Value: float f } && float.IsNaN(f);
}
