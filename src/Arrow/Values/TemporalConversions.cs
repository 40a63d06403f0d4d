using Apache.Arrow.Types;

namespace Dsl.ArrowExtensions;

/// <summary>
/// Conversions between Arrow temporal values and .NET ones, shared by the code generator's kernels and row-by-row
/// readers and by the engine, so that every path converts (and fails) the same way. Sub-tick and sub-unit parts round
/// toward negative infinity, so conversions are monotonic; values outside the .NET range throw
/// <see cref="OverflowException"/> naming the value.
/// </summary>
public static class TemporalConversions
{
    private static readonly int s_epochDayNumber = DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;

    /// <summary>The date <paramref name="days"/> days after 1970-01-01.</summary>
    /// <exception cref="OverflowException">The date is outside 0001-01-01 .. 9999-12-31.</exception>
    public static DateOnly DateFromDays(int days)
    {
        var dayNumber = (long)s_epochDayNumber + days;
        if (dayNumber < DateOnly.MinValue.DayNumber || dayNumber > DateOnly.MaxValue.DayNumber)
        {
            throw new OverflowException($"date32 value {days} (days since 1970-01-01) is outside the range of DateOnly.");
        }

        return DateOnly.FromDayNumber((int)dayNumber);
    }

    /// <summary>The number of days from 1970-01-01 to <paramref name="date"/>.</summary>
    public static int DaysFromDate(DateOnly date) => date.DayNumber - s_epochDayNumber;

    /// <summary>The UTC instant <paramref name="value"/> <paramref name="unit"/>s after the UNIX epoch.</summary>
    /// <exception cref="OverflowException">The instant is outside the range of <see cref="DateTime"/>.</exception>
    public static DateTime DateTimeFromTimestamp(long value, TimeUnit unit)
    {
        var ticks = TicksFrom(value, unit, "timestamp");
        if (ticks > DateTime.MaxValue.Ticks - DateTime.UnixEpoch.Ticks || ticks < -DateTime.UnixEpoch.Ticks)
        {
            throw new OverflowException($"timestamp value {value} ({unit}) is outside the range of DateTime.");
        }

        return new DateTime(DateTime.UnixEpoch.Ticks + ticks, DateTimeKind.Utc);
    }

    /// <summary>
    /// The count of <paramref name="unit"/>s from the UNIX epoch to <paramref name="value"/>; a local time is
    /// converted to UTC first, an unspecified one is taken as UTC.
    /// </summary>
    /// <exception cref="OverflowException">The count does not fit in 64 bits (nanoseconds beyond ~2262).</exception>
    public static long TimestampFromDateTime(DateTime value, TimeUnit unit)
    {
        var utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value;
        return CountFromTicks(utc.Ticks - DateTime.UnixEpoch.Ticks, unit, "timestamp");
    }

    /// <summary>The count of <paramref name="unit"/>s from the UNIX epoch to the instant <paramref name="value"/>.</summary>
    public static long TimestampFromDateTimeOffset(DateTimeOffset value, TimeUnit unit) =>
        CountFromTicks(value.UtcTicks - DateTime.UnixEpoch.Ticks, unit, "timestamp");

    /// <summary>The time span of <paramref name="value"/> <paramref name="unit"/>s.</summary>
    /// <exception cref="OverflowException">The span is outside the range of <see cref="TimeSpan"/>.</exception>
    public static TimeSpan TimeSpanFromDuration(long value, TimeUnit unit) => new(TicksFrom(value, unit, "duration"));

    /// <summary>The count of <paramref name="unit"/>s in <paramref name="value"/>.</summary>
    /// <exception cref="OverflowException">The count does not fit in 64 bits.</exception>
    public static long DurationFromTimeSpan(TimeSpan value, TimeUnit unit) => CountFromTicks(value.Ticks, unit, "duration");

    /// <summary>
    /// The largest timestamp value in <paramref name="unit"/> whose instant (as <see cref="DateTimeFromTimestamp"/> converts
    /// it) is at or before <paramref name="ticks"/> (.NET ticks, any value): <c>DateTimeFromTimestamp(a).Ticks &lt;= ticks</c>
    /// exactly when <c>a &lt;= LastTimestampAtOrBefore(ticks)</c>, for every <c>a</c> in <see cref="TimestampRange"/>. This lets
    /// a kernel compare raw timestamps with a <see cref="DateTime"/> without converting each one; clamped to 64 bits.
    /// </summary>
    public static long LastTimestampAtOrBefore(long ticks, TimeUnit unit) => Clamp(LastAtOrBefore(ticks, unit));

    /// <summary>The timestamp values in <paramref name="unit"/> that <see cref="DateTimeFromTimestamp"/> converts without an overflow.</summary>
    public static (long Min, long Max) TimestampRange(TimeUnit unit) =>
        (Clamp(LastAtOrBefore(-1, unit) + 1), Clamp(LastAtOrBefore(DateTime.MaxValue.Ticks, unit)));

    private static Int128 LastAtOrBefore(Int128 ticks, TimeUnit unit)
    {
        var sinceEpoch = ticks - DateTime.UnixEpoch.Ticks;
        if (unit == TimeUnit.Nanosecond) return sinceEpoch * 100 + 99;
        var perUnit = TicksPerUnit(unit);
        var quotient = sinceEpoch / perUnit;
        return sinceEpoch % perUnit < 0 ? quotient - 1 : quotient;
    }

    private static long Clamp(Int128 value) => value > long.MaxValue ? long.MaxValue : value < long.MinValue ? long.MinValue : (long)value;

    private static long TicksFrom(long value, TimeUnit unit, string kind)
    {
        if (unit == TimeUnit.Nanosecond)
        {
            return FloorDivide(value, 100);
        }

        var ticksPerUnit = TicksPerUnit(unit);
        long high = Math.BigMul(value, ticksPerUnit, out long ticks);
        if (high != ticks >> 63)
        {
            throw new OverflowException($"{kind} value {value} ({unit}) is outside the range of .NET ticks.");
        }

        return ticks;
    }

    private static long CountFromTicks(long ticks, TimeUnit unit, string kind)
    {
        if (unit != TimeUnit.Nanosecond)
        {
            return FloorDivide(ticks, TicksPerUnit(unit));
        }

        long high = Math.BigMul(ticks, 100L, out long nanoseconds);
        if (high != nanoseconds >> 63)
        {
            throw new OverflowException($"{ticks} ticks do not fit in a 64-bit {kind} of nanoseconds.");
        }

        return nanoseconds;
    }

    private static long FloorDivide(long value, long divisor)
    {
        var quotient = Math.DivRem(value, divisor, out var remainder);
        return remainder < 0 ? quotient - 1 : quotient;
    }

    /// <summary>How many .NET ticks one unit is (seconds, milliseconds, microseconds), or 0 for nanoseconds (100 per tick).</summary>
    public static long TicksPerUnit(TimeUnit unit) => unit switch
    {
        TimeUnit.Second => TimeSpan.TicksPerSecond,
        TimeUnit.Millisecond => TimeSpan.TicksPerMillisecond,
        TimeUnit.Microsecond => TimeSpan.TicksPerMicrosecond,
        TimeUnit.Nanosecond => 0,
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "Unknown time unit."),
    };
}
