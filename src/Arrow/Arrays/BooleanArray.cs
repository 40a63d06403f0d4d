using Dsl.Arrow.Types;

namespace Dsl.Arrow;

/// <summary>
/// An array of booleans, bit-packed LSB first: buffer 0 validity, buffer 1 values. Row <c>i</c>'s value is bit
/// <see cref="Array.Offset"/> + <c>i</c> of <see cref="ValueBitmap"/>.
/// </summary>
public sealed class BooleanArray : Array
{
    /// <summary>Wraps <paramref name="data"/> (taking ownership) after checking its type and buffer sizes.</summary>
    /// <exception cref="ArgumentException">The data is not bool or its buffers are too small.</exception>
    public BooleanArray(ArrayData data)
        : base(data, ArrowTypeId.Boolean)
    {
        RequireBuffer(data, 1, BitUtility.ByteCount((long)data.Offset + data.Length), "values");
    }

    /// <summary>The whole value bitmap buffer; row <c>i</c> is bit <see cref="Array.Offset"/> + <c>i</c>.</summary>
    public ReadOnlySpan<byte> ValueBitmap => Data.Buffer(1).Span;

    /// <summary>The address of the value bitmap buffer's first byte (bit 0; the offset is not applied).</summary>
    public nint ValuesAddress => Data.Buffer(1).Address;

    /// <summary>The value of row <paramref name="index"/>, or null when the row is null.</summary>
    public bool? GetValue(int index) =>
        IsValid(index) ? BitUtility.GetBit(ValueBitmap, Offset + index) : null;

    /// <summary>The values as nullable booleans, in row order.</summary>
    public bool?[] ToArray() => ReadAll(GetValue);

    /// <summary>Builds a <see cref="BooleanArray"/>.</summary>
    public sealed class Builder : IArrowArrayBuilder
    {
        private readonly BitmapBuilder _values = new();
        private readonly BitmapBuilder _validity = new();

        /// <inheritdoc />
        public int Length => _values.Length;

        /// <summary>The number of nulls appended since the last build.</summary>
        public int NullCount => _validity.UnsetCount;

        /// <summary>Appends a valid value.</summary>
        public Builder Append(bool value)
        {
            _values.Append(value);
            _validity.Append(true);
            return this;
        }

        /// <summary>Appends <paramref name="value"/>, or a null row when it is null.</summary>
        public Builder Append(bool? value) => value.HasValue ? Append(value.Value) : AppendNull();

        /// <summary>Appends a null row.</summary>
        public Builder AppendNull()
        {
            _values.Append(false);
            _validity.Append(false);
            return this;
        }

        /// <summary>Appends valid values.</summary>
        public Builder AppendRange(IEnumerable<bool> values)
        {
            ArgumentNullException.ThrowIfNull(values);
            foreach (var value in values)
            {
                Append(value);
            }

            return this;
        }

        /// <summary>Appends values, null entries as null rows.</summary>
        public Builder AppendRange(IEnumerable<bool?> values)
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
        public BooleanArray Build()
        {
            var length = _values.Length;
            var nullCount = _validity.UnsetCount;
            using var values = _values.Detach();
            using var validity = _validity.Detach();
            return new BooleanArray(new ArrayData(
                BooleanType.Default,
                length,
                nullCount,
                0,
                [nullCount == 0 ? Memory.ArrowBuffer.Empty : validity.ToArrowBuffer(), values.ToArrowBuffer()]));
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
