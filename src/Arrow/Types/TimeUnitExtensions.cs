namespace Dsl.Arrow.Types;

/// <summary>Conversions between <see cref="TimeUnit"/> counts and .NET ticks (100 ns).</summary>
public static class TimeUnitExtensions
{
    /// <summary>The short suffix Arrow tools print: <c>s</c>, <c>ms</c>, <c>us</c>, <c>ns</c>.</summary>
    public static string ToAbbreviation(this TimeUnit unit) => unit switch
    {
        TimeUnit.Second => "s",
        TimeUnit.Millisecond => "ms",
        TimeUnit.Microsecond => "us",
        TimeUnit.Nanosecond => "ns",
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "Unknown time unit."),
    };

    /// <summary>
    /// How many .NET ticks one unit is (for seconds, milliseconds and microseconds), or 0 for nanoseconds,
    /// where one tick is 100 units.
    /// </summary>
    public static long TicksPerUnit(this TimeUnit unit) => unit switch
    {
        TimeUnit.Second => TimeSpan.TicksPerSecond,
        TimeUnit.Millisecond => TimeSpan.TicksPerMillisecond,
        TimeUnit.Microsecond => TimeSpan.TicksPerMicrosecond,
        TimeUnit.Nanosecond => 0,
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "Unknown time unit."),
    };

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when <paramref name="unit"/> is not a defined value.</summary>
    internal static TimeUnit Validated(this TimeUnit unit, string parameterName) =>
        unit is >= TimeUnit.Second and <= TimeUnit.Nanosecond
            ? unit
            : throw new ArgumentOutOfRangeException(parameterName, unit, "Unknown time unit.");
}
