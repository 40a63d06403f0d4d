using System.Linq.Expressions;
using System.Reflection;

namespace Dsl.Lowering.Intrinsics;

/// <summary>
/// <see cref="Math"/> and <see cref="MathF"/>: every static method is a pure function of its arguments and stays
/// the same call in the IR, so NaN, ±0, midpoint rounding and the exceptions (<c>Abs(int.MinValue)</c>:
/// <see cref="OverflowException"/>; <c>Sign(NaN)</c>: <see cref="ArithmeticException"/>; <c>Clamp</c> with
/// min &gt; max: <see cref="ArgumentException"/>; <c>Round</c> with bad digits or mode:
/// <see cref="ArgumentOutOfRangeException"/>/<see cref="ArgumentException"/>) are the BCL's own. The estimate
/// functions are refused: their result is allowed to differ between machines and instruction sets.
/// </summary>
internal static class MathIntrinsics
{
    public static IntrinsicCall TryLower(MethodBase method, Expression? instance, IReadOnlyList<Expression> arguments)
    {
        var type = method.DeclaringType;
        if (type != typeof(Math) && type != typeof(MathF)) return IntrinsicCall.NotIntrinsic;
        if (method.Name.EndsWith("Estimate", StringComparison.Ordinal))
            return IntrinsicCall.Refused("platform-dependent", $"{ExactCall.Describe(method)} may give different results on different hardware.");
        return method.IsStatic ? ExactCall.Lower(method, instance, arguments) : IntrinsicCall.NotIntrinsic;
    }
}
