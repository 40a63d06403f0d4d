using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;

namespace Dsl.Lowering.Intrinsics;

/// <summary>
/// <see cref="string"/> members. Ordinal and culture-free members stay the same call (instance calls on a null
/// string throw <see cref="NullReferenceException"/> in the IR as in the delegate); <c>string.Equals(a, b)</c> and
/// <c>==</c> become <see cref="ExpressionType.Equal"/> over <c>op_Equality</c> (ordinal, null-safe).
/// </summary>
/// <remarks>
/// Culture: <c>StartsWith(string)</c>, <c>EndsWith(string)</c>, <c>IndexOf(string)</c>, <c>LastIndexOf(string)</c>,
/// <c>Compare</c>, <c>CompareTo</c>, <c>ToLower()</c>, <c>ToUpper()</c> compare or case with the current culture
/// (e.g. an ignorable soft hyphen makes <c>"\u00ADabc".StartsWith("abc")</c> true), so they are refused. With a
/// constant <see cref="StringComparison"/> other than <c>CurrentCulture*</c>, or a constant invariant culture, they are
/// exact. <c>Contains</c>, <c>Replace</c>, <c>Split</c> and the <c>char</c> overloads are ordinal and kept.
/// </remarks>
internal static class StringIntrinsics
{
    private static readonly HashSet<string> s_ordinal =
    [
        "get_Length", "get_Chars", "Substring", "Remove", "Insert", "PadLeft", "PadRight", "Trim", "TrimStart", "TrimEnd",
        "ToLowerInvariant", "ToUpperInvariant", "IsNullOrEmpty", "IsNullOrWhiteSpace", "Split", "CompareOrdinal",
        "op_Equality", "op_Inequality", "Contains", "Replace", "Equals", "StartsWith", "EndsWith", "IndexOf", "LastIndexOf",
        "IndexOfAny", "LastIndexOfAny", "Compare", "CompareTo", "ToLower", "ToUpper", "Concat", "Join", "ToCharArray",
    ];

    /// <summary>Members whose overloads without a comparison or culture argument are culture-sensitive when given a string.</summary>
    private static readonly HashSet<string> s_cultureWithString = ["StartsWith", "EndsWith", "IndexOf", "LastIndexOf"];

    public static IntrinsicCall TryLower(MethodBase method, Expression? instance, IReadOnlyList<Expression> arguments)
    {
        if (method.DeclaringType != typeof(string) || !s_ordinal.Contains(method.Name)) return IntrinsicCall.NotIntrinsic;
        var parameters = method.GetParameters();
        var what = ExactCall.Describe(method);

        var comparison = Array.FindIndex(parameters, p => p.ParameterType == typeof(StringComparison));
        if (comparison >= 0) return WithComparison(method, instance, arguments, comparison, what);
        if (parameters.Any(p => p.ParameterType == typeof(CultureInfo)))
            return FormattingIntrinsics.WithInvariantProvider(method, instance, arguments, $"{what} needs CultureInfo.InvariantCulture to be exact.");

        switch (method.Name)
        {
            case "Compare" or "CompareTo" or "ToLower" or "ToUpper":
                return IntrinsicCall.Refused("culture", $"{what} uses the current culture; use an ordinal or invariant overload.");
            case var name when s_cultureWithString.Contains(name) && parameters[0].ParameterType == typeof(string):
                return IntrinsicCall.Refused("culture", $"{what} compares with the current culture; pass StringComparison.Ordinal.");
            case "Concat" or "Join" when method.IsGenericMethod:
                return IntrinsicCall.Refused("culture", $"{what} formats its elements with ToString(), which may use the current culture.");
            case "Equals" when method.IsStatic && parameters.Length == 2:
                return EqualsOperator(arguments);
            case "Concat" or "Join" when parameters.Any(p => p.ParameterType == typeof(object) || p.ParameterType == typeof(object[])):
                return ConcatOfObjects(method, instance, arguments, parameters, what);
        }

        return ExactCall.Lower(method, instance, arguments);
    }

    private static IntrinsicCall WithComparison(MethodBase method, Expression? instance, IReadOnlyList<Expression> arguments, int index, string what)
    {
        if (index >= arguments.Count || !ExactCall.TryGetConstant<StringComparison>(arguments[index], out var comparison))
            return IntrinsicCall.Refused("culture", $"{what}: the StringComparison is not a constant, so the culture it uses is unknown.");
        return comparison is StringComparison.CurrentCulture or StringComparison.CurrentCultureIgnoreCase
            ? IntrinsicCall.Refused("culture", $"{what} with StringComparison.{comparison} depends on the current culture.")
            : ExactCall.Lower(method, instance, arguments);
    }

    private static IntrinsicCall EqualsOperator(IReadOnlyList<Expression> arguments)
    {
        var left = ExactCall.Coerce(arguments[0], typeof(string));
        var right = ExactCall.Coerce(arguments[1], typeof(string));
        if (left is null || right is null) return IntrinsicCall.NotIntrinsic;
        return IntrinsicCall.Lowered(Expression.Equal(left, right, liftToNull: false, typeof(string).GetMethod("op_Equality")));
    }

    // string.Concat(object, ...) calls ToString() on each argument, which formats numbers with the current
    // culture; only arguments that are strings already are exact.
    private static IntrinsicCall ConcatOfObjects(MethodBase method, Expression? instance, IReadOnlyList<Expression> arguments, ParameterInfo[] parameters, string what)
    {
        for (var i = 0; i < arguments.Count; i++)
        {
            if (parameters[i].ParameterType != typeof(object)) continue;
            var argument = arguments[i];
            while (argument is UnaryExpression { NodeType: ExpressionType.Convert } convert) argument = convert.Operand;
            if (argument.Type != typeof(string) && argument is not ConstantExpression { Value: null })
                return IntrinsicCall.Refused("culture", $"{what} formats a {argument.Type.Name} with ToString(), which may use the current culture.");
        }

        return parameters.Any(p => p.ParameterType == typeof(object[]))
            ? IntrinsicCall.Refused("culture", $"{what} formats an object array with ToString(), which may use the current culture.")
            : ExactCall.Lower(method, instance, arguments);
    }
}
