using Dsl.Arrow.Types;

namespace Dsl.Arrow;

/// <summary>Dates as 32-bit day counts since 1970-01-01 (Arrow <c>date32</c>), read as <see cref="DateOnly"/>.</summary>
public sealed class Date32Array : PrimitiveArray<int>
{
    /// <summary>Wraps <paramref name="data"/> (taking ownership) after checking its type and buffer sizes.</summary>
    /// <exception cref="ArgumentException">The data is not date32 or its buffers are too small.</exception>
    public Date32Array(ArrayData data)
        : base(data, ArrowTypeId.Date32)
    {
    }

    /// <summary>The date of row <paramref name="index"/>, or null when the row is null.</summary>
    /// <exception cref="OverflowException">The stored day count is outside the range of <see cref="DateOnly"/>.</exception>
    public DateOnly? GetDateOnly(int index) =>
        IsValid(index) ? TemporalConversions.DateFromDays(Values[index]) : null;

    /// <summary>Midnight UTC of row <paramref name="index"/>'s date, or null when the row is null.</summary>
    public DateTime? GetDateTime(int index) =>
        GetDateOnly(index)?.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    /// <summary>Builds a <see cref="Date32Array"/>.</summary>
    public sealed class Builder : PrimitiveArrayBuilder<int, Date32Array, Builder>
    {
        /// <summary>Appends a valid date.</summary>
        public Builder Append(DateOnly value) => Append(TemporalConversions.DaysFromDate(value));

        /// <summary>Appends <paramref name="value"/>, or a null row when it is null.</summary>
        public Builder Append(DateOnly? value) => value.HasValue ? Append(value.Value) : AppendNull();

        /// <summary>Appends dates, null entries as null rows.</summary>
        public Builder AppendRange(IEnumerable<DateOnly?> values) => AppendEach(values, Append);

        /// <inheritdoc />
        protected override IArrowType DataType => Date32Type.Default;

        /// <inheritdoc />
        protected override Date32Array CreateArray(ArrayData data) => new(data);
    }
}
