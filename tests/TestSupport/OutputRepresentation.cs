using System.Text;
using Dsl.Arrow;
using Dsl.Arrow.Types;

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
/// <see cref="OverflowException"/>.</item>
/// </list>
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
        DateTime d => Stored(d, TemporalConversions.TimestampFromDateTime),
        TimeSpan t => Stored(t, TemporalConversions.DurationFromTimeSpan),
        _ => value,
    };

    /// <summary>The value, once the writer's conversion to nanoseconds (which throws the OverflowException compared) accepts it.</summary>
    private static T Stored<T>(T value, Func<T, TimeUnit, long> toNanoseconds)
    {
        _ = toNanoseconds(value, TimeUnit.Nanosecond);
        return value;
    }
}
