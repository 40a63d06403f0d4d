using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;

namespace Dsl.Lowering.Intrinsics;

/// <summary>
/// Formatting and parsing (<c>ToString</c>, <c>Parse</c>, <c>string.Format</c>, <c>Convert.ToString</c>): without an
/// explicit provider they use the current thread's culture, which may differ between the thread that plans and the
/// threads that run kernels, so they are refused; with a constant invariant provider they are exact.
/// </summary>
internal static class FormattingIntrinsics
{
    private static readonly HashSet<string> s_formatting = ["ToString", "Parse", "TryParse", "ParseExact", "TryParseExact", "Format"];

    private static readonly HashSet<Type> s_formattable =
    [
        typeof(sbyte), typeof(byte), typeof(short), typeof(ushort), typeof(int), typeof(uint), typeof(long), typeof(ulong),
        typeof(float), typeof(double), typeof(decimal), typeof(Half), typeof(DateTime), typeof(TimeSpan), typeof(DateOnly),
        typeof(TimeOnly), typeof(DateTimeOffset), typeof(string), typeof(Convert), typeof(bool), typeof(char),
    ];

    public static IntrinsicCall TryLower(MethodBase method, Expression? instance, IReadOnlyList<Expression> arguments)
    {
        var type = method.DeclaringType!;
        var what = ExactCall.Describe(method);
        if (type == typeof(CultureInfo) || type == typeof(NumberFormatInfo) || type == typeof(DateTimeFormatInfo))
            return method.Name switch
            {
                "get_InvariantCulture" => IntrinsicCall.Lowered(Expression.Constant(CultureInfo.InvariantCulture, typeof(CultureInfo))),
                "get_InvariantInfo" when type == typeof(NumberFormatInfo) => IntrinsicCall.Lowered(Expression.Constant(NumberFormatInfo.InvariantInfo, typeof(NumberFormatInfo))),
                "get_InvariantInfo" => IntrinsicCall.Lowered(Expression.Constant(DateTimeFormatInfo.InvariantInfo, typeof(DateTimeFormatInfo))),
                _ => IntrinsicCall.Refused("culture", $"{what} depends on the current culture."),
            };

        var isFormatting = s_formatting.Contains(method.Name) || (type == typeof(Convert) && method.Name == nameof(Convert.ToString));
        if (!isFormatting || !s_formattable.Contains(type)) return IntrinsicCall.NotIntrinsic;
        // bool and char format and parse the same in every culture; string.ToString() is the string itself.
        var cultureFree = (type == typeof(bool) || type == typeof(char) || (type == typeof(string) && method.Name == nameof(ToString)))
            && method.Name is nameof(ToString) or "Parse"
            && !method.GetParameters().Any(p => typeof(IFormatProvider).IsAssignableFrom(p.ParameterType));
        if (cultureFree) return ExactCall.Lower(method, instance, arguments);
        return WithInvariantProvider(method, instance, arguments, $"{what} formats or parses with the current culture; pass CultureInfo.InvariantCulture.");
    }

    /// <summary>
    /// Lowers the call when it has an <see cref="IFormatProvider"/> parameter whose argument is a constant
    /// invariant provider; otherwise refuses with construct <c>culture</c> and <paramref name="refusal"/>.
    /// </summary>
    public static IntrinsicCall WithInvariantProvider(MethodBase method, Expression? instance, IReadOnlyList<Expression> arguments, string refusal)
    {
        var parameters = method.GetParameters();
        for (var i = 0; i < parameters.Length && i < arguments.Count; i++)
        {
            if (!typeof(IFormatProvider).IsAssignableFrom(parameters[i].ParameterType)) continue;
            return IsInvariant(arguments[i]) ? ExactCall.Lower(method, instance, arguments) : IntrinsicCall.Refused("culture", refusal);
        }

        return IntrinsicCall.Refused("culture", refusal);
    }

    /// <summary>True when <paramref name="provider"/> is a constant invariant culture or format info.</summary>
    public static bool IsInvariant(Expression provider) =>
        ExactCall.TryGetConstant<IFormatProvider>(provider, out var value)
        && (ReferenceEquals(value, CultureInfo.InvariantCulture) || ReferenceEquals(value, NumberFormatInfo.InvariantInfo)
            || ReferenceEquals(value, DateTimeFormatInfo.InvariantInfo));
}
