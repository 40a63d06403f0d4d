using System.Linq.Expressions;
using System.Reflection;

namespace Dsl.Lowering.Tests.Support;

/// <summary>
/// Compiles a lowered IR as a plain scalar function and compares it with the original delegate on every
/// combination of edge values of the parameter types (NaN, ±0, ±Infinity, extremes, null, zero divisors,
/// empty and non-ASCII strings): same value bit for bit, or the same exception type.
/// </summary>
internal static class ScalarDifferential
{
    private const int MaxRows = 4000;

    public static void AssertEquivalent(Delegate original, LambdaExpression ir)
    {
        var compiled = Dsl.Lowering.Ir.ScalarCompiler.Compile(ir);
        var types = original.GetType().GetMethod("Invoke")!.GetParameters().Select(p => p.ParameterType).ToArray();
        var rows = 0;
        foreach (var row in Rows(types))
        {
            if (++rows > MaxRows) break;
            var expected = Run(original, row);
            var actual = Run(compiled, row);
            if (!Same(expected, actual))
                Assert.Fail($"row ({string.Join(", ", row.Select(Describe))}): delegate gave {Describe(expected)}, IR gave {Describe(actual)}");
        }
    }

    public static IEnumerable<object?[]> Rows(Type[] types)
    {
        var choices = types.Select(EdgeValues).ToArray();
        var total = choices.Aggregate(1L, (product, c) => product * c.Length);
        if (total <= MaxRows)
        {
            foreach (var row in Product(choices, 0)) yield return row;
            yield break;
        }

        var random = new Random(20261121);
        for (var i = 0; i < MaxRows; i++) yield return choices.Select(c => c[random.Next(c.Length)]).ToArray();
    }

    private static IEnumerable<object?[]> Product(object?[][] choices, int index)
    {
        if (index == choices.Length)
        {
            yield return [];
            yield break;
        }

        foreach (var rest in Product(choices, index + 1))
            foreach (var value in choices[index])
                yield return rest.Prepend(value).ToArray();
    }

    public static object?[] EdgeValues(Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying) return EdgeValues(underlying).Append(null).ToArray();
        if (type.IsEnum) return Enum.GetValues(type).Cast<object?>().Append(Enum.ToObject(type, 99)).ToArray();
        if (type.IsArray)
        {
            var element = type.GetElementType()!;
            var values = EdgeValues(element).Where(v => v is not null).Take(4).ToArray();
            Array Make(int count)
            {
                var array = Array.CreateInstance(element, count);
                for (var i = 0; i < count; i++) array.SetValue(values[i % values.Length], i);
                return array;
            }

            return [null, Make(0), Make(1), Make(3), Make(4)];
        }

        return Type.GetTypeCode(type) switch
        {
            TypeCode.Boolean => [false, true],
            TypeCode.Double => [0.0, -0.0, 1.0, -1.5, 2.5, double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.MaxValue, double.MinValue, double.Epsilon, 1e-300, 3.0],
            TypeCode.Single => [0f, -0f, 1f, -1.5f, 2.5f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.MaxValue, float.MinValue],
            TypeCode.Int32 => [0, 1, -1, 2, 7, -7, 10, int.MaxValue, int.MinValue, 100],
            TypeCode.Int64 => [0L, 1L, -1L, 7L, long.MaxValue, long.MinValue, 1L << 40],
            TypeCode.UInt32 => [0u, 1u, 7u, uint.MaxValue, 1u << 31],
            TypeCode.UInt64 => [0ul, 1ul, ulong.MaxValue, 1ul << 63],
            TypeCode.Int16 => [(short)0, (short)1, (short)-1, short.MaxValue, short.MinValue],
            TypeCode.UInt16 => [(ushort)0, (ushort)1, ushort.MaxValue],
            TypeCode.Byte => [(byte)0, (byte)1, (byte)200, byte.MaxValue],
            TypeCode.SByte => [(sbyte)0, (sbyte)1, (sbyte)-1, sbyte.MaxValue, sbyte.MinValue],
            TypeCode.Char => ['a', 'Z', '0', ' ', 'é', '\0'],
            TypeCode.String => [null, "", "a", "abc", "Hello, World", "héllo wörld", "  padded  ", "ÅÉ"],
            TypeCode.DateTime => [new DateTime(2024, 2, 29, 12, 0, 0, DateTimeKind.Utc), DateTime.MinValue, DateTime.MaxValue, new DateTime(1970, 1, 1)],
            _ when type == typeof(TimeSpan) => [TimeSpan.Zero, TimeSpan.FromHours(1.5), TimeSpan.MinValue, TimeSpan.MaxValue, TimeSpan.FromTicks(-1)],
            _ => throw new NotSupportedException($"no edge values for {type}"),
        };
    }

    private static object Run(Delegate function, object?[] row)
    {
        try
        {
            return new Returned(function.DynamicInvoke(row));
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            return e.InnerException.GetType();
        }
    }

    private sealed record Returned(object? Value);

    private static bool Same(object expected, object actual) => (expected, actual) switch
    {
        (Type a, Type b) => a == b,
        (Returned a, Returned b) => SameValue(a.Value, b.Value),
        _ => false,
    };

    private static bool SameValue(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (double x, double y) => BitConverter.DoubleToInt64Bits(x) == BitConverter.DoubleToInt64Bits(y),
        (float x, float y) => BitConverter.SingleToInt32Bits(x) == BitConverter.SingleToInt32Bits(y),
        (null, _) or (_, null) => false,
        _ => a.GetType() == b.GetType() && a.Equals(b),
    };

    private static string Describe(object? value) => value switch
    {
        null => "null",
        Returned r => $"value {Describe(r.Value)}",
        Type t => $"exception {t.Name}",
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture) + (BitConverter.DoubleToInt64Bits(d) == long.MinValue ? " (-0)" : ""),
        string s => $"\"{s}\"",
        Array a => $"[{string.Join(", ", a.Cast<object?>().Select(Describe))}]",
        _ => value.ToString() ?? "?",
    };
}
