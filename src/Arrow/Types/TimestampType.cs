namespace Dsl.Arrow.Types;

/// <summary>
/// A 64-bit signed count of <see cref="Unit"/> since 1970-01-01T00:00:00 UTC. With a <see cref="Timezone"/> the
/// values are instants in UTC displayed in that zone; without one they are zone-less wall-clock times.
/// </summary>
public sealed class TimestampType : FixedWidthType
{
    /// <summary>Creates a timestamp type.</summary>
    /// <param name="unit">The resolution of the stored count.</param>
    /// <param name="timezone">An IANA name or offset such as <c>UTC</c> or <c>+01:00</c>; null for none.</param>
    public TimestampType(TimeUnit unit = TimeUnit.Millisecond, string? timezone = null)
    {
        Unit = unit.Validated(nameof(unit));
        Timezone = timezone;
    }

    /// <summary>Microseconds, zone-less (the default of many tools).</summary>
    public static readonly TimestampType Default = new(TimeUnit.Microsecond);

    /// <summary>The resolution of the stored count.</summary>
    public TimeUnit Unit { get; }

    /// <summary>The time zone name, or null for zone-less timestamps.</summary>
    public string? Timezone { get; }

    /// <inheritdoc />
    public override ArrowTypeId TypeId => ArrowTypeId.Timestamp;

    /// <inheritdoc />
    public override string Name => "timestamp";

    /// <inheritdoc />
    public override int BitWidth => 64;

    /// <inheritdoc />
    public override bool Equals(IArrowType? other) =>
        other is TimestampType t && t.Unit == Unit && string.Equals(t.Timezone, Timezone, StringComparison.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(TypeId, Unit, Timezone);

    /// <inheritdoc />
    public override string ToString() =>
        Timezone is null ? $"timestamp[{Unit.ToAbbreviation()}]" : $"timestamp[{Unit.ToAbbreviation()}, tz={Timezone}]";
}
