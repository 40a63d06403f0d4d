using Dsl.Arrow.Memory;
using Dsl.Arrow.Types;

namespace Dsl.Arrow;

/// <summary>
/// Exact decimals (Arrow <c>decimal128</c>): buffer 0 validity, buffer 1 one 16-byte little-endian two's
/// complement unscaled integer per row, read as <see cref="decimal"/> with <see cref="DecimalConversions"/>.
/// </summary>
public sealed class Decimal128Array : Array
{
    /// <summary>Wraps <paramref name="data"/> (taking ownership) after checking its type and buffer sizes.</summary>
    /// <exception cref="ArgumentException">The data is not decimal128 or its buffers are too small.</exception>
    public Decimal128Array(ArrayData data)
        : base(data, ArrowTypeId.Decimal128)
    {
        RequireBuffer(data, 1, ((long)data.Offset + data.Length) * 16, "values");
        Type = (Decimal128Type)data.DataType;
    }

    /// <summary>The precision and scale.</summary>
    public Decimal128Type Type { get; }

    /// <summary>The unscaled integers of rows [0, <see cref="Array.Length"/>); slots of null rows hold unspecified values.</summary>
    public unsafe ReadOnlySpan<Int128> UnscaledValues =>
        new((Int128*)Data.Buffer(1).Address + Offset, Length);

    /// <summary>The unscaled integer of row <paramref name="index"/>, or null when the row is null.</summary>
    public Int128? GetUnscaledValue(int index) => IsValid(index) ? UnscaledValues[index] : null;

    /// <summary>The value of row <paramref name="index"/>, or null when the row is null.</summary>
    /// <exception cref="OverflowException">The value has no exact <see cref="decimal"/> counterpart (see <see cref="DecimalConversions"/>).</exception>
    public decimal? GetValue(int index) =>
        IsValid(index) ? DecimalConversions.ToDecimal(UnscaledValues[index], Type.Scale) : null;

    /// <summary>The values in row order, null rows as null.</summary>
    /// <exception cref="OverflowException">A value has no exact <see cref="decimal"/> counterpart.</exception>
    public decimal?[] ToArray() => ReadAll(GetValue);

    /// <summary>Builds a <see cref="Decimal128Array"/> of one decimal type; every value is checked to fit it exactly.</summary>
    /// <param name="type">The precision and scale of the values.</param>
    public sealed class Builder(Decimal128Type type) : IArrowArrayBuilder
    {
        private readonly Decimal128Type _type = type ?? throw new ArgumentNullException(nameof(type));
        private readonly ValueBufferBuilder<Int128> _values = new();
        private readonly BitmapBuilder _validity = new();

        /// <inheritdoc />
        public int Length => _values.Count;

        /// <summary>The number of nulls appended since the last build.</summary>
        public int NullCount => _validity.UnsetCount;

        /// <summary>Appends a valid value, rescaled to the type's scale.</summary>
        /// <exception cref="OverflowException">The value has digits beyond the scale or more digits than the precision (nothing is appended).</exception>
        public Builder Append(decimal value) => AppendUnscaled(DecimalConversions.ToUnscaled(value, _type.Precision, _type.Scale));

        /// <summary>Appends <paramref name="value"/>, or a null row when it is null.</summary>
        /// <exception cref="OverflowException">The value does not fit the type exactly (nothing is appended).</exception>
        public Builder Append(decimal? value) => value.HasValue ? Append(value.Value) : AppendNull();

        /// <summary>Appends a valid value given as its unscaled integer.</summary>
        /// <exception cref="OverflowException">The value has more digits than the precision (nothing is appended).</exception>
        public Builder AppendUnscaled(Int128 unscaled)
        {
            if (!DecimalConversions.FitsPrecision(unscaled, _type.Precision))
            {
                throw new OverflowException(
                    $"The decimal128 value {DecimalConversions.Format(unscaled, _type.Scale)} has more than {_type.Precision} digits, so {_type} cannot hold it.");
            }

            _values.Append(unscaled);
            _validity.Append(true);
            return this;
        }

        /// <summary>Appends a null row (its value slot is zero).</summary>
        public Builder AppendNull()
        {
            _values.AppendZeros(1);
            _validity.Append(false);
            return this;
        }

        /// <summary>Appends values, null entries as null rows.</summary>
        /// <exception cref="OverflowException">A value does not fit the type exactly (the values before it are appended).</exception>
        public Builder AppendRange(IEnumerable<decimal?> values)
        {
            ArgumentNullException.ThrowIfNull(values);
            foreach (var value in values)
            {
                Append(value);
            }

            return this;
        }

        /// <summary>Makes room for <paramref name="additional"/> more rows without reallocating.</summary>
        public Builder Reserve(int additional)
        {
            _values.Reserve(additional);
            _validity.Reserve(additional);
            return this;
        }

        /// <summary>Forgets the rows appended since the last build.</summary>
        public Builder Clear()
        {
            _values.Clear();
            _validity.Clear();
            return this;
        }

        /// <summary>Builds the array of the rows appended so far and empties the builder.</summary>
        public Decimal128Array Build()
        {
            var length = _values.Count;
            var nullCount = _validity.UnsetCount;
            using var values = _values.Detach();
            using var validity = _validity.Detach();
            return new Decimal128Array(new ArrayData(
                _type,
                length,
                nullCount,
                0,
                [nullCount == 0 ? ArrowBuffer.Empty : validity.ToArrowBuffer(), values.ToArrowBuffer()]));
        }

        /// <inheritdoc />
        void IArrowArrayBuilder.AppendNullRow() => AppendNull();

        /// <inheritdoc />
        IArrowArray IArrowArrayBuilder.BuildArray() => Build();

        /// <inheritdoc />
        public void Dispose()
        {
            _values.Dispose();
            _validity.Dispose();
        }
    }
}
