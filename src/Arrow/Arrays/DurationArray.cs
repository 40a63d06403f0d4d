using Dsl.Arrow.Types;

namespace Dsl.Arrow;

/// <summary>Elapsed times as 64-bit counts of a <see cref="TimeUnit"/> (Arrow <c>duration</c>), read as <see cref="TimeSpan"/>.</summary>
public sealed class DurationArray : PrimitiveArray<long>
{
    /// <summary>Wraps <paramref name="data"/> (taking ownership) after checking its type and buffer sizes.</summary>
    /// <exception cref="ArgumentException">The data is not a duration or its buffers are too small.</exception>
    public DurationArray(ArrayData data)
        : base(data, ArrowTypeId.Duration)
    {
        Type = (DurationType)data.DataType;
    }

    /// <summary>The duration type (unit).</summary>
    public DurationType Type { get; }

    /// <summary>The time span of row <paramref name="index"/>, or null when the row is null.</summary>
    /// <exception cref="OverflowException">The stored count is outside the range of <see cref="TimeSpan"/>.</exception>
    public TimeSpan? GetTimeSpan(int index) =>
        IsValid(index) ? TemporalConversions.TimeSpanFromDuration(Values[index], Type.Unit) : null;

    /// <summary>Builds a <see cref="DurationArray"/> of one unit.</summary>
    /// <param name="type">The unit; milliseconds when null.</param>
    public sealed class Builder(DurationType? type = null) : PrimitiveArrayBuilder<long, DurationArray, Builder>
    {
        private readonly DurationType _type = type ?? DurationType.Millisecond;

        /// <summary>Appends a time span, rounded down to the unit.</summary>
        public Builder Append(TimeSpan value) => Append(TemporalConversions.DurationFromTimeSpan(value, _type.Unit));

        /// <summary>Appends <paramref name="value"/>, or a null row when it is null.</summary>
        public Builder Append(TimeSpan? value) => value.HasValue ? Append(value.Value) : AppendNull();

        /// <summary>Appends time spans, null entries as null rows.</summary>
        public Builder AppendRange(IEnumerable<TimeSpan?> values) => AppendEach(values, Append);

        /// <inheritdoc />
        protected override IArrowType DataType => _type;

        /// <inheritdoc />
        protected override DurationArray CreateArray(ArrayData data) => new(data);
    }
}
