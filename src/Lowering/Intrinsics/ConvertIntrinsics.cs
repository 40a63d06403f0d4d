using System.Linq.Expressions;
using System.Reflection;

namespace Dsl.Lowering.Intrinsics;

/// <summary>
/// <see cref="Convert"/>'s numeric conversions (<c>Convert.ToInt32(double)</c> rounds half to even and throws
/// <see cref="OverflowException"/> out of range) stay the same call. Conversions from <see cref="string"/> or
/// <see cref="object"/> parse or format with the current culture and are refused unless they are given a constant
/// invariant provider.
/// </summary>
internal static class ConvertIntrinsics
{
    public static IntrinsicCall TryLower(MethodBase method, Expression? instance, IReadOnlyList<Expression> arguments)
    {
        if (method.DeclaringType != typeof(Convert) || !method.Name.StartsWith("To", StringComparison.Ordinal) || method.Name == "ToString")
            return IntrinsicCall.NotIntrinsic;
        var parameters = method.GetParameters();
        if (parameters.Any(p => p.ParameterType == typeof(string) || p.ParameterType == typeof(object) || typeof(IFormatProvider).IsAssignableFrom(p.ParameterType)))
            return FormattingIntrinsics.WithInvariantProvider(method, instance, arguments,
                $"{ExactCall.Describe(method)} parses or converts with the current culture; pass CultureInfo.InvariantCulture.");
        return parameters.All(p => p.ParameterType.IsPrimitive || p.ParameterType == typeof(decimal) || p.ParameterType == typeof(DateTime))
            ? ExactCall.Lower(method, instance, arguments)
            : IntrinsicCall.NotIntrinsic;
    }
}
