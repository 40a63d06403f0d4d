using Dsl.Arrow.Types;

namespace Dsl.Arrow;

/// <summary>
/// Instants as 64-bit counts of a <see cref="TimeUnit"/> since the UNIX epoch (Arrow <c>timestamp</c>), read as
/// UTC <see cref="DateTime"/> / <see cref="DateTimeOffset"/>. The time zone of the type is for display only.
/// </summary>
public sealed class TimestampArray : PrimitiveArray<long>
{
    /// <summary>Wraps <paramref name="data"/> (taking ownership) after checking its type and buffer sizes.</summary>
    /// <exception cref="ArgumentException">The data is not a timestamp or its buffers are too small.</exception>
    public TimestampArray(ArrayData data)
        : base(data, ArrowTypeId.Timestamp)
    {
        Type = (TimestampType)data.DataType;
    }

    /// <summary>The timestamp type (unit and time zone).</summary>
    public TimestampType Type { get; }

    /// <summary>The UTC instant of row <paramref name="index"/>, or null when the row is null.</summary>
    /// <exception cref="OverflowException">The stored count is outside the range of <see cref="DateTime"/>.</exception>
    public DateTime? GetDateTime(int index) =>
        IsValid(index) ? TemporalConversions.DateTimeFromTimestamp(Values[index], Type.Unit) : null;

    /// <summary>The instant of row <paramref name="index"/> with offset zero, or null when the row is null.</summary>
    public DateTimeOffset? GetTimestamp(int index) =>
        GetDateTime(index) is { } utc ? new DateTimeOffset(utc) : null;

    /// <summary>Builds a <see cref="TimestampArray"/> of one timestamp type.</summary>
    /// <param name="type">The unit and time zone; microseconds without a zone when null.</param>
    public sealed class Builder(TimestampType? type = null) : PrimitiveArrayBuilder<long, TimestampArray, Builder>
    {
        private readonly TimestampType _type = type ?? TimestampType.Default;

        /// <summary>Appends an instant (a local time is converted to UTC; an unspecified one is taken as UTC).</summary>
        /// <exception cref="OverflowException">The instant does not fit the unit (nanoseconds beyond ~2262).</exception>
        public Builder Append(DateTime value) => Append(TemporalConversions.TimestampFromDateTime(value, _type.Unit));

        /// <summary>Appends an instant.</summary>
        public Builder Append(DateTimeOffset value) => Append(TemporalConversions.TimestampFromDateTimeOffset(value, _type.Unit));

        /// <summary>Appends <paramref name="value"/>, or a null row when it is null.</summary>
        public Builder Append(DateTime? value) => value.HasValue ? Append(value.Value) : AppendNull();

        /// <summary>Appends instants, null entries as null rows.</summary>
        public Builder AppendRange(IEnumerable<DateTime?> values) => AppendEach(values, Append);

        /// <inheritdoc />
        protected override IArrowType DataType => _type;

        /// <inheritdoc />
        protected override TimestampArray CreateArray(ArrayData data) => new(data);
    }
}
