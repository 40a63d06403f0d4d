using System.Runtime.CompilerServices;

namespace Dsl.Codegen.Columns;

/// <summary>
/// Conversions between stored Arrow temporal integers and the CLR values features see. Timestamps are UTC;
/// nanoseconds (finer than a 100 ns tick) round toward negative infinity, so a value always lies in its tick.
/// Values outside the CLR range throw (the row fails with that error on every path alike).
/// </summary>
internal static class TemporalValues
{
    /// <summary>DateOnly.DayNumber of 1970-01-01.</summary>
    public const int UnixEpochDayNumber = 719_162;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long ToTicks(long value, long ticksPerUnit) =>
        ticksPerUnit == ColumnLayout.NanosecondUnit
            ? (value >= 0 ? value / 100 : -((-(value + 1)) / 100) - 1)
            : checked(value * ticksPerUnit);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DateTime ToDateTime(long value, long ticksPerUnit) =>
        new(checked(DateTime.UnixEpoch.Ticks + ToTicks(value, ticksPerUnit)), DateTimeKind.Utc);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TimeSpan ToTimeSpan(long value, long ticksPerUnit) => new(ToTicks(value, ticksPerUnit));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DateOnly ToDateOnly(int days) => DateOnly.FromDayNumber(checked(days + UnixEpochDayNumber));

    /// <summary>A DateTime as nanoseconds since the epoch (the output unit of timestamp results).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long ToUnixNanoseconds(DateTime value) => checked((value.Ticks - DateTime.UnixEpoch.Ticks) * 100);

    /// <summary>A TimeSpan as nanoseconds (the output unit of duration results).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long ToNanoseconds(TimeSpan value) => checked(value.Ticks * 100);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ToDays(DateOnly value) => value.DayNumber - UnixEpochDayNumber;
}
