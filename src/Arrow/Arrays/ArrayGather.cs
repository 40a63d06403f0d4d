using Dsl.Arrow.Memory;
using Dsl.Arrow.Types;

namespace Dsl.Arrow;

/// <summary>
/// Builds a new array whose row <c>i</c> is row <c>indices[i]</c> of a source array (null when the index is -1
/// or the source row is null). Used to decode dictionary arrays.
/// </summary>
internal static unsafe class ArrayGather
{
    /// <summary>Gathers rows of <paramref name="source"/>; a negative index makes a null row.</summary>
    /// <exception cref="ArrowFormatException">An index is at or beyond the source's length.</exception>
    /// <exception cref="NotSupportedException">The source type is nested.</exception>
    public static IArrowArray Take(ArrayData source, long[] indices)
    {
        for (var i = 0; i < indices.Length; i++)
        {
            if (indices[i] >= source.Length)
            {
                throw new ArrowFormatException(
                    $"Row {i} has dictionary index {indices[i]}, outside a dictionary of {source.Length} values.");
            }
        }

        using var sourceArray = ArrowArrayFactory.BuildArray(source.Slice(0, source.Length));
        using var validity = NativeBuffer.Allocate(BitUtility.ByteCount(indices.Length));
        var bits = validity.Span;
        var nullCount = 0;
        for (var i = 0; i < indices.Length; i++)
        {
            if (indices[i] >= 0 && sourceArray.IsValid((int)indices[i]))
            {
                BitUtility.SetBit(bits, i);
            }
            else
            {
                indices[i] = -1;
                nullCount++;
            }
        }

        var validityBuffer = nullCount == 0 ? ArrowBuffer.Empty : validity.ToArrowBuffer();
        return source.DataType switch
        {
            BooleanType => TakeBits((BooleanArray)sourceArray, indices, validityBuffer, nullCount),
            FixedWidthType fixedWidth when fixedWidth is not DictionaryType =>
                TakeFixedWidth(sourceArray, fixedWidth.BitWidth / 8, indices, validityBuffer, nullCount),
            StringType or BinaryType => TakeVariable((BinaryArray)sourceArray, indices, validityBuffer, nullCount),
            LargeStringType => TakeLargeStrings((LargeStringArray)sourceArray, indices),
            _ => throw new NotSupportedException($"Decoding a dictionary of {source.DataType} values is not supported."),
        };
    }

    private static IArrowArray TakeFixedWidth(IArrowArray source, int width, long[] indices, ArrowBuffer validity, int nullCount)
    {
        using var values = NativeBuffer.Allocate((long)indices.Length * width);
        var from = (byte*)source.Data.Buffers[1].Address + ((long)source.Offset * width);
        var to = (byte*)values.Address;
        for (var i = 0; i < indices.Length; i++)
        {
            if (indices[i] >= 0)
            {
                System.Buffer.MemoryCopy(from + (indices[i] * width), to + ((long)i * width), width, width);
            }
        }

        return ArrowArrayFactory.BuildArray(new ArrayData(
            source.DataType, indices.Length, nullCount, 0, [validity, values.ToArrowBuffer()]));
    }

    private static IArrowArray TakeBits(BooleanArray source, long[] indices, ArrowBuffer validity, int nullCount)
    {
        using var values = NativeBuffer.Allocate(BitUtility.ByteCount(indices.Length));
        var bits = values.Span;
        for (var i = 0; i < indices.Length; i++)
        {
            if (indices[i] >= 0 && source.GetValue((int)indices[i]) == true)
            {
                BitUtility.SetBit(bits, i);
            }
        }

        return new BooleanArray(new ArrayData(
            BooleanType.Default, indices.Length, nullCount, 0, [validity, values.ToArrowBuffer()]));
    }

    private static IArrowArray TakeVariable(BinaryArray source, long[] indices, ArrowBuffer validity, int nullCount)
    {
        using var offsets = NativeBuffer.Allocate(((long)indices.Length + 1) * sizeof(int));
        var offsetSpan = offsets.AsSpan<int>();
        long total = 0;
        for (var i = 0; i < indices.Length; i++)
        {
            offsetSpan[i] = (int)total;
            total += indices[i] >= 0 ? source.GetBytes((int)indices[i]).Length : 0;
            if (total > int.MaxValue)
            {
                throw new InvalidOperationException($"The decoded {source.DataType} array would pass {int.MaxValue} bytes.");
            }
        }

        offsetSpan[indices.Length] = (int)total;
        using var bytes = NativeBuffer.Allocate(total, zeroFill: false);
        var byteSpan = bytes.Span;
        for (var i = 0; i < indices.Length; i++)
        {
            if (indices[i] >= 0)
            {
                source.GetBytes((int)indices[i]).CopyTo(byteSpan[offsetSpan[i]..]);
            }
        }

        return ArrowArrayFactory.BuildArray(new ArrayData(
            source.DataType, indices.Length, nullCount, 0, [validity, offsets.ToArrowBuffer(), bytes.ToArrowBuffer()]));
    }

    private static IArrowArray TakeLargeStrings(LargeStringArray source, long[] indices)
    {
        using var builder = new LargeStringArray.Builder();
        foreach (var index in indices)
        {
            builder.Append(index >= 0 ? source.GetString((int)index) : null);
        }

        return builder.Build();
    }
}
