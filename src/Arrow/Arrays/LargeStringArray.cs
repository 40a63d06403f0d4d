using System.Text;
using Dsl.Arrow.Types;

namespace Dsl.Arrow;

/// <summary>
/// UTF-8 strings with 64-bit offsets (Arrow <c>large_utf8</c>): buffer 0 validity, buffer 1 offsets
/// (<see cref="Array.Offset"/> + <see cref="Array.Length"/> + 1 of them), buffer 2 the concatenated bytes.
/// </summary>
public sealed class LargeStringArray : Array
{

    /// <summary>Wraps <paramref name="data"/> (taking ownership) after checking its type and buffer sizes.</summary>
    /// <exception cref="ArgumentException">The data is not large_utf8 or its buffers are too small.</exception>
    public LargeStringArray(ArrayData data)
        : base(data, ArrowTypeId.LargeString)
    {
        RequireOffsets<long>(data);
    }

    /// <summary>The <see cref="Array.Length"/> + 1 offsets of rows [0, Length], starting at logical row 0.</summary>
    public ReadOnlySpan<long> ValueOffsets => ReadOffsets<long>();

    /// <summary>The address of logical row 0's offset, or 0 for a zero-length array without offsets.</summary>
    public nint ValueOffsetsAddress => OffsetsAddress<long>();

    /// <summary>The address of the data buffer's first byte, or 0 when it is absent.</summary>
    public nint ValueBytesAddress => Data.Buffer(2).Address;

    /// <summary>The length of the data buffer in bytes (it may pass 2 GiB).</summary>
    public long ValueBytesLength => Data.Buffer(2).Length;

    /// <summary>The bytes of row <paramref name="index"/>; empty for a null row.</summary>
    /// <exception cref="ArrowFormatException">The row's offsets are decreasing or outside the data buffer.</exception>
    public unsafe ReadOnlySpan<byte> GetBytes(int index)
    {
        CheckIndex(index);
        if (!IsValid(index))
        {
            return [];
        }

        var offsets = ValueOffsets;
        var start = offsets[index];
        var end = offsets[index + 1];
        var data = Data.Buffer(2);
        if (start < 0 || end < start || end > data.Length || end - start > int.MaxValue)
        {
            throw new ArrowFormatException(
                $"Row {index} of this large_utf8 array spans bytes [{start}, {end}), outside a data buffer of {data.Length} bytes.");
        }

        return new ReadOnlySpan<byte>((byte*)data.Address + start, (int)(end - start));
    }

    /// <summary>The string of row <paramref name="index"/>, or null when the row is null. Invalid UTF-8 decodes to U+FFFD.</summary>
    public string? GetString(int index) => IsValid(index) ? Encoding.UTF8.GetString(GetBytes(index)) : null;

    /// <summary>The strings in row order, nulls as null.</summary>
    public string?[] ToArray() => ReadAll(GetString);

    /// <summary>Builds a <see cref="LargeStringArray"/> (up to 2 GiB of data per build).</summary>
    public sealed class Builder : IArrowArrayBuilder
    {
        private readonly VariableBinaryBuffers<long> _buffers = new();

        /// <inheritdoc />
        public int Length => _buffers.Length;

        /// <summary>Appends the UTF-8 bytes of <paramref name="value"/>, or a null row when it is null.</summary>
        public Builder Append(string? value)
        {
            if (value is null)
            {
                return AppendNull();
            }

            _buffers.Append(Encoding.UTF8.GetBytes(value), LargeStringType.Default);
            return this;
        }

        /// <summary>Appends a null row.</summary>
        public Builder AppendNull()
        {
            _buffers.AppendNull();
            return this;
        }

        /// <summary>Appends values, null entries as null rows.</summary>
        public Builder AppendRange(IEnumerable<string?> values)
        {
            ArgumentNullException.ThrowIfNull(values);
            foreach (var value in values)
            {
                Append(value);
            }

            return this;
        }

        /// <summary>Builds the array of the rows appended so far and empties the builder.</summary>
        public LargeStringArray Build() => new(_buffers.Build(LargeStringType.Default));

        /// <inheritdoc />
        void IArrowArrayBuilder.AppendNullRow() => AppendNull();

        /// <inheritdoc />
        IArrowArray IArrowArrayBuilder.BuildArray() => Build();

        /// <inheritdoc />
        public void Dispose() => _buffers.Dispose();
    }
}
