using System.Linq.Expressions;
using System.Reflection;

namespace Dsl.Lowering.Intrinsics;

/// <summary>
/// Static helpers of the numeric primitives, <see cref="decimal"/>, <see cref="char"/> and <see cref="bool"/>
/// (<c>double.IsNaN</c>, <c>double.IsInfinity</c>, <c>int.Max</c>, <c>char.IsDigit</c>, decimal operators ...), and
/// their <c>CompareTo</c>/<c>Equals</c>. All stay the same call, except <c>IsNaN(x)</c>, which becomes <c>x != x</c>
/// (identical for every IEEE value, and vectorizable). <c>char.ToUpper(c)</c>/<c>ToLower(c)</c> use the current
/// culture and are refused; the invariant versions are kept.
/// </summary>
internal static class NumericIntrinsics
{
    private static readonly HashSet<Type> s_types =
    [
        typeof(sbyte), typeof(byte), typeof(short), typeof(ushort), typeof(int), typeof(uint), typeof(long), typeof(ulong),
        typeof(float), typeof(double), typeof(decimal), typeof(char), typeof(bool),
    ];

    public static IntrinsicCall TryLower(MethodBase method, Expression? instance, IReadOnlyList<Expression> arguments)
    {
        var type = method.DeclaringType!;
        if (!s_types.Contains(type)) return IntrinsicCall.NotIntrinsic;
        if (method.Name == nameof(double.IsNaN) && arguments.Count == 1 && (type == typeof(double) || type == typeof(float)))
        {
            var value = ExactCall.Coerce(arguments[0], type);
            return value is null ? IntrinsicCall.NotIntrinsic : IntrinsicCall.Lowered(Expression.NotEqual(value, value));
        }

        if (type == typeof(char) && method.Name is nameof(char.ToUpper) or nameof(char.ToLower))
        {
            return arguments.Count == 1
                ? IntrinsicCall.Refused("culture", $"{ExactCall.Describe(method)} uses the current culture; use {method.Name}Invariant.")
                : FormattingIntrinsics.WithInvariantProvider(method, instance, arguments, $"{ExactCall.Describe(method)} needs CultureInfo.InvariantCulture to be exact.");
        }

        if (method.IsStatic || method is ConstructorInfo) return ExactCall.Lower(method, instance, arguments);
        var sameType = method.GetParameters() is [{ } only] && only.ParameterType == type;
        return method.Name is nameof(IComparable.CompareTo) or nameof(Equals) && sameType
            ? ExactCall.Lower(method, instance, arguments)
            : IntrinsicCall.NotIntrinsic;
    }
}
