using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;

namespace Dsl.Lowering.Intrinsics;

/// <summary>
/// <see cref="DateTime"/>, <see cref="TimeSpan"/>, <see cref="DateOnly"/> and <see cref="TimeOnly"/>: operators
/// (<c>+</c>, <c>-</c>, comparisons), properties and arithmetic (<c>AddDays</c> ...) stay the same methods, so
/// range errors (<see cref="ArgumentOutOfRangeException"/> past year 9999, <see cref="OverflowException"/> for
/// <c>TimeSpan</c>) and <c>AddDays</c>' rounding to the millisecond are the BCL's own. The clock and time-zone
/// members are refused by <see cref="ForbiddenCalls"/>, formatting by <see cref="FormattingIntrinsics"/>; the
/// culture-formatted <c>To*String</c> helpers here.
/// </summary>
internal static class TemporalIntrinsics
{
    private static readonly HashSet<Type> s_types = [typeof(DateTime), typeof(TimeSpan), typeof(DateOnly), typeof(TimeOnly)];

    private static readonly HashSet<string> s_cultureFormatted =
        ["ToLongDateString", "ToShortDateString", "ToLongTimeString", "ToShortTimeString", "GetDateTimeFormats"];

    public static IntrinsicCall TryLower(MethodBase method, Expression? instance, IReadOnlyList<Expression> arguments)
    {
        if (!s_types.Contains(method.DeclaringType!)) return IntrinsicCall.NotIntrinsic;
        if (s_cultureFormatted.Contains(method.Name))
            return IntrinsicCall.Refused("culture", $"{ExactCall.Describe(method)} formats with the current culture.");
        if (method.Name is nameof(GetType) or nameof(GetHashCode) or "Deconstruct" or "TryFormat"
            || method.GetParameters().Any(p => p.ParameterType == typeof(Calendar) || typeof(IFormatProvider).IsAssignableFrom(p.ParameterType)))
            return IntrinsicCall.NotIntrinsic;
        return ExactCall.Lower(method, instance, arguments);
    }
}
