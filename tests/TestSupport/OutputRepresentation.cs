using System.Runtime.CompilerServices;
using System.Text;
using Apache.Arrow.Types;
using Dsl.ArrowExtensions;

namespace Dsl.TestSupport;

/// <summary>
/// What a function's result becomes once written to its Arrow output column, for references that call the
/// delegate directly (the runtime's compiled and row-by-row paths both write through the output column, so both
/// differ from the delegate in exactly these ways; docs/architecture.md, "Result types"):
/// <list type="bullet">
/// <item>utf8 holds UTF-8, which cannot encode a lone UTF-16 surrogate: <c>"🙂".Substring(0, 1)</c> is written as
/// U+FFFD (UTF-8 encoding's replacement character), as utf8 inputs holding invalid UTF-8 are read;</item>
/// <item>DateTime and TimeSpan results are written as timestamp[ns] and duration[ns], which hold ±292 years
/// around 1970 only: any other value (<c>default(DateTime)</c> included) fails the row with
/// <see cref="OverflowException"/>;</item>
/// <item>decimal results are written as decimal128(38, 28) and read back at the largest scale ≤ 28 whose digits fit
/// 96 bits (1.5m as 1.5000000000000000000000000000m); a value of 10^10 or more fails the row with the
/// <see cref="OverflowException"/> of <see cref="DecimalConversions.ToUnscaled"/> (modelled independently by
/// <see cref="Columns.DecimalColumnValues.StoredAs"/>).</item>
/// </list>
/// A tuple result is a struct, read back as the values of its fields (an <c>object?[]</c>), each as above.
/// Found by the fuzzer (2026-11-21) and kept as its regression tests; shared by the fuzzer and the corpus tests.
/// </summary>
public static class OutputRepresentation
{
    /// <summary>
    /// <paramref name="value"/> as read back from its output column (a tuple element by element); throws the
    /// <see cref="OverflowException"/> writing it throws where the column cannot hold it.
    /// </summary>
    public static object? Of(object? value) => value switch
    {
        string s => Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(s)),
        ITuple tuple when value.GetType().IsValueType => Enumerable.Range(0, tuple.Length).Select(k => Of(tuple[k])).ToArray(),
        DateTime d => Stored(d, TemporalConversions.TimestampFromDateTime),
        TimeSpan t => Stored(t, TemporalConversions.DurationFromTimeSpan),
        decimal m => StoredDecimal(m),
        _ => value,
    };

    /// <summary>The value, once the writer's conversion to nanoseconds (which throws the OverflowException compared) accepts it.</summary>
    private static T Stored<T>(T value, Func<T, TimeUnit, long> toNanoseconds)
    {
        _ = toNanoseconds(value, TimeUnit.Nanosecond);
        return value;
    }

    private static decimal StoredDecimal(decimal value)
    {
        const int precision = 38, scale = 28;
        if (Columns.DecimalColumnValues.StoredAs(value, precision, scale) is { } stored) return stored;
        DecimalConversions.ToUnscaled(value, precision, scale); // throws the row's OverflowException, message included
        throw new InvalidOperationException($"{value} does not fit decimal128(38, 28), but the library's conversion did not throw");
    }
}
