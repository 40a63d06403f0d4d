using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Apache.Arrow.Types;
using Dsl.ArrowExtensions;
using Dsl.Codegen.Columns;

namespace Dsl.Codegen.Vector;

/// <summary>
/// Timestamp and duration lanes hold the 100 ns ticks of the DateTime/TimeSpan the IR sees. Nanosecond
/// columns floor to ticks lane by lane through <see cref="TemporalConversions"/> itself (no vector integer
/// division); other units multiply, within bounds (<see cref="StoredRange"/>) outside which the scalar read
/// throws and the lane is an error lane.
/// </summary>
internal static partial class VectorAccess
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<long> NanosecondsToTicks(Vector256<long> value) => Vector256.Create(
        NanosecondsToTicks(value[0]), NanosecondsToTicks(value[1]), NanosecondsToTicks(value[2]), NanosecondsToTicks(value[3]));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<long> NanosecondsToTicks(Vector512<long> value) =>
        Vector512.Create(NanosecondsToTicks(value.GetLower()), NanosecondsToTicks(value.GetUpper()));

    /// <summary>Ticks of nanoseconds, floored, as the scalar read computes them (it never fails for nanoseconds).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long NanosecondsToTicks(long value) => TemporalConversions.TimeSpanFromDuration(value, TimeUnit.Nanosecond).Ticks;

    /// <summary>
    /// The stored values of a timestamp or duration column with <paramref name="ticksPerUnit"/> (not
    /// nanoseconds) that read without error: the product fits a long and, for timestamps, the DateTime range.
    /// </summary>
    public static (long Min, long Max) StoredRange(TemporalMeaning meaning, long ticksPerUnit)
    {
        if (meaning == TemporalMeaning.Duration) return (long.MinValue / ticksPerUnit, long.MaxValue / ticksPerUnit);
        long epoch = DateTime.UnixEpoch.Ticks;
        return (-(epoch / ticksPerUnit), (DateTime.MaxValue.Ticks - epoch) / ticksPerUnit);
    }
}
