using Dsl.Arrow.Types;

namespace Dsl.Arrow;

/// <summary>
/// Variable-length byte strings with 32-bit offsets: buffer 0 validity, buffer 1 offsets
/// (<see cref="Array.Offset"/> + <see cref="Array.Length"/> + 1 of them), buffer 2 the concatenated bytes.
/// Row <c>i</c> is bytes [offsets[Offset + i], offsets[Offset + i + 1]) of the data buffer.
/// </summary>
public class BinaryArray : Array
{
    /// <summary>Wraps <paramref name="data"/> (taking ownership) after checking its type and buffer sizes.</summary>
    /// <exception cref="ArgumentException">The data is not binary or its buffers are too small.</exception>
    public BinaryArray(ArrayData data)
        : this(data, ArrowTypeId.Binary)
    {
    }

    /// <summary>Wraps <paramref name="data"/> of kind <paramref name="expected"/> (binary or utf8).</summary>
    protected BinaryArray(ArrayData data, ArrowTypeId expected)
        : base(data, expected)
    {
        RequireOffsets<int>(data);
    }

    /// <summary>The <see cref="Array.Length"/> + 1 offsets of rows [0, Length], starting at logical row 0.</summary>
    public ReadOnlySpan<int> ValueOffsets => ReadOffsets<int>();

    /// <summary>The address of logical row 0's offset, or 0 for a zero-length array without offsets.</summary>
    public nint ValueOffsetsAddress => OffsetsAddress<int>();

    /// <summary>The whole data buffer; offsets index into it.</summary>
    public ReadOnlySpan<byte> ValueBytes => Data.Buffer(2).Span;

    /// <summary>The address of the data buffer's first byte, or 0 when it is absent.</summary>
    public nint ValueBytesAddress => Data.Buffer(2).Address;

    /// <summary>The bytes of row <paramref name="index"/>; empty for a null row.</summary>
    /// <exception cref="ArrowFormatException">The row's offsets are decreasing or outside the data buffer.</exception>
    public ReadOnlySpan<byte> GetBytes(int index)
    {
        CheckIndex(index);
        if (!IsValid(index))
        {
            return [];
        }

        var offsets = ValueOffsets;
        var start = offsets[index];
        var end = offsets[index + 1];
        var data = ValueBytes;
        if (start < 0 || end < start || end > data.Length)
        {
            throw new ArrowFormatException(
                $"Row {index} of this {DataType} array spans bytes [{start}, {end}), outside a data buffer of {data.Length} bytes.");
        }

        return data[start..end];
    }

    /// <summary>The byte length of row <paramref name="index"/> (0 for a null row).</summary>
    public int GetValueLength(int index) => GetBytes(index).Length;

    /// <summary>Builds a <see cref="BinaryArray"/>.</summary>
    public sealed class Builder : BinaryArrayBuilder<BinaryArray, Builder>
    {
        /// <summary>Appends a copy of <paramref name="value"/>, or a null row when it is null.</summary>
        public Builder Append(byte[]? value) => value is null ? AppendNull() : Append(value.AsSpan());

        /// <summary>Appends values, null entries as null rows.</summary>
        public Builder AppendRange(IEnumerable<byte[]?> values) => AppendEach(values, Append);

        /// <inheritdoc />
        protected override IArrowType DataType => BinaryType.Default;

        /// <inheritdoc />
        protected override BinaryArray CreateArray(ArrayData data) => new(data);
    }
}
