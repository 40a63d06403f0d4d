namespace Dsl.Arrow.Types;

/// <summary>A 64-bit signed count of <see cref="Unit"/> (an elapsed time, CLR <see cref="TimeSpan"/>).</summary>
public sealed class DurationType : FixedWidthType
{
    /// <summary>Creates a duration type with the given resolution.</summary>
    public DurationType(TimeUnit unit = TimeUnit.Millisecond) => Unit = unit.Validated(nameof(unit));

    /// <summary>Durations in seconds.</summary>
    public static readonly DurationType Second = new(TimeUnit.Second);

    /// <summary>Durations in milliseconds.</summary>
    public static readonly DurationType Millisecond = new(TimeUnit.Millisecond);

    /// <summary>Durations in microseconds.</summary>
    public static readonly DurationType Microsecond = new(TimeUnit.Microsecond);

    /// <summary>Durations in nanoseconds.</summary>
    public static readonly DurationType Nanosecond = new(TimeUnit.Nanosecond);

    /// <summary>The resolution of the stored count.</summary>
    public TimeUnit Unit { get; }

    /// <inheritdoc />
    public override ArrowTypeId TypeId => ArrowTypeId.Duration;

    /// <inheritdoc />
    public override string Name => "duration";

    /// <inheritdoc />
    public override int BitWidth => 64;

    /// <inheritdoc />
    public override bool Equals(IArrowType? other) => other is DurationType d && d.Unit == Unit;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(TypeId, Unit);

    /// <inheritdoc />
    public override string ToString() => $"duration[{Unit.ToAbbreviation()}]";
}
