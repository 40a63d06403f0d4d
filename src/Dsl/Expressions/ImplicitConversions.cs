using System.Linq.Expressions;

namespace Dsl.Expressions;

/// <summary>
/// The C# implicit conversions the expression language applies: identity, implicit numeric widening,
/// <c>T</c> to <c>T?</c>, and the <c>null</c> literal to a nullable or reference type. No user-defined
/// conversions, no boxing: nothing that could reach arbitrary code.
/// </summary>
internal static class ImplicitConversions
{
    /// <summary>The type given to the <c>null</c> literal until context types it.</summary>
    public static readonly Type NullLiteralType = typeof(NullLiteral);

    private static readonly Dictionary<Type, Type[]> Widening = new()
    {
        [typeof(sbyte)] = [typeof(short), typeof(int), typeof(long), typeof(float), typeof(double)],
        [typeof(byte)] = [typeof(short), typeof(ushort), typeof(int), typeof(uint), typeof(long), typeof(ulong), typeof(float), typeof(double)],
        [typeof(short)] = [typeof(int), typeof(long), typeof(float), typeof(double)],
        [typeof(ushort)] = [typeof(int), typeof(uint), typeof(long), typeof(ulong), typeof(float), typeof(double)],
        [typeof(int)] = [typeof(long), typeof(float), typeof(double)],
        [typeof(uint)] = [typeof(long), typeof(ulong), typeof(float), typeof(double)],
        [typeof(long)] = [typeof(float), typeof(double)],
        [typeof(ulong)] = [typeof(float), typeof(double)],
        [typeof(float)] = [typeof(double)],
    };

    public static bool IsNullLiteral(Expression e) => e.Type == NullLiteralType;

    public static bool IsNumeric(Type t) => Widening.ContainsKey(t) || t == typeof(double);

    public static bool IsNullableValue(Type t) => Nullable.GetUnderlyingType(t) is not null;

    public static bool CanBeNull(Type t) => !t.IsValueType || IsNullableValue(t);

    public static Type Underlying(Type t) => Nullable.GetUnderlyingType(t) ?? t;

    public static Type MakeNullable(Type t) => t.IsValueType && !IsNullableValue(t) ? typeof(Nullable<>).MakeGenericType(t) : t;

    /// <summary>True when a value of <paramref name="from"/> converts implicitly to <paramref name="to"/>.</summary>
    public static bool Exists(Type from, Type to)
    {
        if (from == to) return true;
        if (from == NullLiteralType) return CanBeNull(to);
        var fromUnderlying = Underlying(from);
        var toUnderlying = Underlying(to);
        if (IsNullableValue(from) && !IsNullableValue(to)) return false;
        if (fromUnderlying == toUnderlying) return true;
        return Widening.TryGetValue(fromUnderlying, out var targets) && targets.Contains(toUnderlying);
    }

    /// <summary>The expression converted to <paramref name="to"/>; the conversion must exist.</summary>
    public static Expression Apply(Expression e, Type to)
    {
        if (e.Type == to) return e;
        if (IsNullLiteral(e)) return Expression.Constant(null, to);
        return Expression.Convert(e, to);
    }

    /// <summary>
    /// The type both operands convert to for an arithmetic or comparison operator (C# binary numeric
    /// promotion, lifted when either side is nullable), or null when there is none.
    /// </summary>
    public static Type? NumericPromotion(Type left, Type right)
    {
        var l = Underlying(left);
        var r = Underlying(right);
        if (!IsNumeric(l) || !IsNumeric(r)) return null;
        Type? promoted;
        if (l == typeof(double) || r == typeof(double)) promoted = typeof(double);
        else if (l == typeof(float) || r == typeof(float)) promoted = typeof(float);
        else if (l == typeof(ulong) || r == typeof(ulong)) promoted = IsSigned(l) || IsSigned(r) ? null : typeof(ulong);
        else if (l == typeof(long) || r == typeof(long)) promoted = typeof(long);
        else if (l == typeof(uint) || r == typeof(uint)) promoted = IsSigned(l) || IsSigned(r) ? typeof(long) : typeof(uint);
        else promoted = typeof(int);
        if (promoted is null) return null;
        return IsNullableValue(left) || IsNullableValue(right) ? MakeNullable(promoted) : promoted;
    }

    /// <summary>The C# unary numeric promotion (small integers to int, uint to long for negation).</summary>
    public static Type? UnaryPromotion(Type operand, bool negate)
    {
        var u = Underlying(operand);
        Type? promoted = u == typeof(sbyte) || u == typeof(byte) || u == typeof(short) || u == typeof(ushort) ? typeof(int)
            : u == typeof(uint) && negate ? typeof(long)
            : u == typeof(ulong) && negate ? null
            : IsNumeric(u) ? u
            : null;
        if (promoted is null) return null;
        return IsNullableValue(operand) ? MakeNullable(promoted) : promoted;
    }

    /// <summary>
    /// The type two branches (of <c>?:</c>) share: one side's type when the other converts to it, with
    /// <c>null</c> making a value type nullable; null when there is none.
    /// </summary>
    public static Type? CommonType(Type a, Type b)
    {
        if (a == b) return a == NullLiteralType ? null : a;
        if (a == NullLiteralType) return CanBeNull(b) ? b : MakeNullable(b);
        if (b == NullLiteralType) return CanBeNull(a) ? a : MakeNullable(a);
        var toB = Exists(a, b);
        var toA = Exists(b, a);
        if (toB && !toA) return b;
        if (toA && !toB) return a;
        // int and double? — neither converts to the other, but both convert to double?.
        var lifted = NumericPromotion(a, b);
        if (lifted is not null && Exists(a, lifted) && Exists(b, lifted)) return lifted;
        if (Underlying(a) == Underlying(b)) return MakeNullable(Underlying(a));
        return null;
    }

    private static bool IsSigned(Type t) => t == typeof(sbyte) || t == typeof(short) || t == typeof(int) || t == typeof(long);

    /// <summary>The C# name of a type for messages: <c>double?</c>, <c>string</c>, <c>DateTime</c>.</summary>
    public static string Describe(Type t)
    {
        if (t == NullLiteralType) return "null";
        if (Nullable.GetUnderlyingType(t) is { } inner) return Describe(inner) + "?";
        return TypeNames.CSharpName(t);
    }

    /// <summary>Marker type of the untyped <c>null</c> literal; never escapes the parser.</summary>
    private sealed class NullLiteral;
}
