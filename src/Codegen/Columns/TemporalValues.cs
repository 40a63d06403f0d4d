using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using Apache.Arrow.Types;
using Dsl.ArrowExtensions;

namespace Dsl.Codegen.Columns;

/// <summary>
/// Expression builders that convert between stored Arrow temporal integers and the CLR values features see,
/// through <see cref="TemporalConversions"/>, the conversions the Arrow arrays and builders use: kernels, the
/// row-by-row executor and the Arrow object model convert (and fail) identically. Timestamps are UTC;
/// nanoseconds round toward negative infinity; a value outside the CLR (or, for results, the 64-bit nanosecond)
/// range throws <see cref="OverflowException"/> naming the value, so the row fails with that error on every path.
/// </summary>
internal static class TemporalValues
{
    /// <summary>The CLR value of a stored temporal integer of a column laid out as <paramref name="layout"/>.</summary>
    public static Expression Read(ColumnLayout layout, Expression stored) => layout.Temporal switch
    {
        TemporalMeaning.Timestamp => Expression.Call(typeof(TemporalConversions), nameof(TemporalConversions.DateTimeFromTimestamp), null, stored, Unit(layout)),
        TemporalMeaning.Duration => Expression.Call(typeof(TemporalConversions), nameof(TemporalConversions.TimeSpanFromDuration), null, stored, Unit(layout)),
        TemporalMeaning.Date32 => Expression.Call(typeof(TemporalConversions), nameof(TemporalConversions.DateFromDays), null, stored),
        _ => stored,
    };

    /// <summary>
    /// The stored integer of a result (timestamps and durations are written in nanoseconds, dates in days).
    /// </summary>
    public static Expression Store(ColumnLayout layout, Expression value) => layout.Temporal switch
    {
        TemporalMeaning.Timestamp => Expression.Call(typeof(TemporalConversions), nameof(TemporalConversions.TimestampFromDateTime), null, value, Expression.Constant(TimeUnit.Nanosecond)),
        TemporalMeaning.Duration => Expression.Call(typeof(TemporalConversions), nameof(TemporalConversions.DurationFromTimeSpan), null, value, Expression.Constant(TimeUnit.Nanosecond)),
        TemporalMeaning.Date32 => Expression.Call(typeof(TemporalConversions), nameof(TemporalConversions.DaysFromDate), null, value),
        _ => value,
    };

    /// <summary>
    /// A stored count as 100 ns ticks, as <see cref="TemporalConversions"/> reads it (nanoseconds floor; other
    /// units multiply, overflowing with <see cref="OverflowException"/>): for vector lanes, whose out-of-range
    /// lanes re-read through <see cref="Read"/> for the error.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long ToTicks(long value, long ticksPerUnit) =>
        ticksPerUnit == ColumnLayout.NanosecondUnit
            ? (value >= 0 ? value / 100 : -((-(value + 1)) / 100) - 1)
            : checked(value * ticksPerUnit);

    /// <summary>The Arrow unit of a timestamp or duration layout.</summary>
    public static TimeUnit UnitOf(ColumnLayout layout) => layout.TicksPerUnit switch
    {
        TimeSpan.TicksPerSecond => TimeUnit.Second,
        TimeSpan.TicksPerMillisecond => TimeUnit.Millisecond,
        TimeSpan.TicksPerMicrosecond => TimeUnit.Microsecond,
        ColumnLayout.NanosecondUnit => TimeUnit.Nanosecond,
        _ => throw new ArgumentException($"{layout} has no Arrow time unit ({layout.TicksPerUnit} ticks per unit).", nameof(layout)),
    };

    private static ConstantExpression Unit(ColumnLayout layout) => Expression.Constant(UnitOf(layout));
}
