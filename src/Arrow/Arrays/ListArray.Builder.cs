using Dsl.Arrow.Memory;
using Dsl.Arrow.Types;

namespace Dsl.Arrow;

/// <summary>Building list arrays.</summary>
public sealed partial class ListArray
{
    /// <summary>
    /// Builds a <see cref="ListArray"/>: <see cref="Append"/> starts a list, then the elements are appended to the
    /// value builder; <see cref="AppendNull"/> adds a null list. The builder owns the value builder.
    /// </summary>
    public sealed class Builder : IArrowArrayBuilder
    {
        private readonly ValueBufferBuilder<int> _offsets = new();
        private readonly BitmapBuilder _validity = new();
        private readonly Field? _valueField;

        /// <summary>Creates a list builder over <paramref name="valueBuilder"/>.</summary>
        /// <param name="valueBuilder">The builder of the elements (e.g. a <see cref="DoubleArray.Builder"/>).</param>
        /// <param name="valueField">The child field; a nullable field named <c>item</c> of the built values' type when null.</param>
        public Builder(IArrowArrayBuilder valueBuilder, Field? valueField = null)
        {
            ArgumentNullException.ThrowIfNull(valueBuilder);
            ValueBuilder = valueBuilder;
            _valueField = valueField;
        }

        /// <summary>The builder of the elements.</summary>
        public IArrowArrayBuilder ValueBuilder { get; }

        /// <inheritdoc />
        public int Length => _validity.Length;

        /// <summary>Starts a new valid list; append its elements to <see cref="ValueBuilder"/> next.</summary>
        public Builder Append()
        {
            AppendOffset();
            _validity.Append(true);
            return this;
        }

        /// <summary>Appends a null list (no elements).</summary>
        public Builder AppendNull()
        {
            AppendOffset();
            _validity.Append(false);
            return this;
        }

        /// <summary>Builds the array of the lists appended so far and empties the builder (and the value builder).</summary>
        /// <exception cref="ArgumentException">A value field was given whose type differs from the built values.</exception>
        public ListArray Build()
        {
            using var values = ValueBuilder.BuildArray();
            var field = _valueField ?? new Field("item", values.DataType, nullable: true);
            if (!field.DataType.Equals(values.DataType))
            {
                throw new ArgumentException($"The value field is {field.DataType} but the values built are {values.DataType}.");
            }

            AppendOffset(values.Length);
            var length = _validity.Length;
            var nullCount = _validity.UnsetCount;
            using var offsets = _offsets.Detach();
            using var validity = _validity.Detach();
            return new ListArray(new ArrayData(
                new ListType(field),
                length,
                nullCount,
                0,
                [nullCount == 0 ? ArrowBuffer.Empty : validity.ToArrowBuffer(), offsets.ToArrowBuffer()],
                [values.Data.Slice(0, values.Length)]));
        }

        /// <inheritdoc />
        void IArrowArrayBuilder.AppendNullRow() => AppendNull();

        /// <inheritdoc />
        IArrowArray IArrowArrayBuilder.BuildArray() => Build();

        /// <inheritdoc />
        public void Dispose()
        {
            _offsets.Dispose();
            _validity.Dispose();
            ValueBuilder.Dispose();
        }

        // Offsets hold the start of every list, then the end of the last: each list starts where the values end now.
        private void AppendOffset() => AppendOffset(ValueBuilder.Length);

        private void AppendOffset(int valueCount) => _offsets.Append(valueCount);
    }
}
