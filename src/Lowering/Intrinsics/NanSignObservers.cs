using System.Linq.Expressions;
using System.Reflection;

namespace Dsl.Lowering.Intrinsics;

/// <summary>
/// Calls that observe the sign bit of a NaN (<c>double.IsNegative</c>, <c>IsPositive</c>, <c>CopySign</c>'s sign
/// source, <c>BitConverter.DoubleToInt64Bits</c> …) on a value the function computed. .NET does not define which NaN an
/// operation returns: <c>0.0 / 0.0</c> computed at run time is a NaN with the sign bit set, while the JIT, folding
/// the same expression at compile time, may produce another; the delegate's own answer then depends on how it
/// was optimized. Such a call is refused (<c>nan-sign</c>) so the function runs row by row. The same call on a
/// parameter's value (data read from a column, bits unchanged) or on a constant that is not NaN is exact and
/// lowers as usual.
/// </summary>
internal static class NanSignObservers
{
    private static readonly HashSet<string> s_signReaders =
    [
        nameof(double.IsNegative), nameof(double.IsPositive), nameof(BitConverter.DoubleToInt64Bits), nameof(BitConverter.DoubleToUInt64Bits),
        nameof(BitConverter.SingleToInt32Bits), nameof(BitConverter.SingleToUInt32Bits),
    ];

    public static IntrinsicCall TryLower(MethodBase method, Expression? instance, IReadOnlyList<Expression> arguments)
    {
        var type = method.DeclaringType!;
        if (type != typeof(double) && type != typeof(float) && type != typeof(Math) && type != typeof(MathF) && type != typeof(BitConverter))
            return IntrinsicCall.NotIntrinsic;
        IEnumerable<Expression> observed = method.Name == nameof(Math.CopySign) && arguments.Count == 2 ? [arguments[1]]
            : s_signReaders.Contains(method.Name) ? arguments : [];
        return observed.Any(IsComputedFloatingPoint)
            ? IntrinsicCall.Refused("nan-sign",
                $"{ExactCall.Describe(method)} reads the sign bit of a computed value, which .NET leaves undefined when the value is NaN (the JIT may fold it differently from run-time arithmetic).")
            : IntrinsicCall.NotIntrinsic;
    }

    /// <summary>A floating-point value the function computed, as opposed to a parameter's bits or a non-NaN constant.</summary>
    private static bool IsComputedFloatingPoint(Expression value)
    {
        if (value.Type != typeof(double) && value.Type != typeof(float)) return false;
        return value switch
        {
            ParameterExpression => false,
            // A NaN constant may have been folded from arithmetic at lowering time, with its own choice of NaN.
            ConstantExpression { Value: double d } => double.IsNaN(d),
            ConstantExpression { Value: float f } => float.IsNaN(f),
            MemberExpression { Member.Name: "Value", Expression: ParameterExpression } => false,
            MethodCallExpression { Method.Name: "GetValueOrDefault", Object: ParameterExpression, Arguments.Count: 0 } => false,
            _ => true,
        };
    }
}
