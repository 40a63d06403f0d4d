using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.Codegen.Columns;

namespace Dsl.Runtime.Execution.Relations;

/// <summary>
/// Gathers a column by row index ("take"): output row <c>i</c> is source row <c>rows[i]</c>, or null where
/// <c>rows[i]</c> is negative. Copies values as stored (no conversion), so the result binds to a parameter exactly as the
/// source column would: how a has-one relation's columns reach a compiled kernel row-aligned with the batch.
/// </summary>
internal static class ColumnGather
{
    /// <summary>Whether a column of <paramref name="type"/> can be gathered: fixed-width values, booleans or UTF-8 strings.</summary>
    public static bool CanGather(IArrowType type)
    {
        try
        {
            return ColumnTypes.LayoutOf(type).Encoding is ColumnEncoding.FixedWidth or ColumnEncoding.Bits or ColumnEncoding.Utf8 or ColumnEncoding.LargeUtf8;
        }
        catch (NotSupportedException)
        {
            return false;
        }
    }

    /// <summary>The rows <paramref name="rows"/> of <paramref name="source"/> (a validated column; see <see cref="CanGather"/>).</summary>
    public static IArrowArray Take(IArrowArray source, int[] rows)
    {
        var data = source.Data;
        var length = rows.Length;
        var validity = new byte[(length + 7) / 8];
        var nulls = 0;
        for (var i = 0; i < length; i++)
        {
            if (rows[i] < 0 || source.IsNull(rows[i])) nulls++;
            else validity[i >> 3] |= (byte)(1 << (i & 7));
        }

        ArrowBuffer[] buffers = ColumnTypes.LayoutOf(data.DataType).Encoding switch
        {
            ColumnEncoding.FixedWidth => [new ArrowBuffer(validity), new ArrowBuffer(FixedWidth(data, rows, ((FixedWidthType)data.DataType).BitWidth / 8))],
            ColumnEncoding.Bits => [new ArrowBuffer(validity), new ArrowBuffer(Bits(data, rows))],
            ColumnEncoding.Utf8 => Utf8<int>(data, rows, validity),
            ColumnEncoding.LargeUtf8 => Utf8<long>(data, rows, validity),
            var other => throw new NotSupportedException($"A column laid out as {other} cannot be gathered."),
        };
        return ArrowArrayFactory.BuildArray(new ArrayData(data.DataType, length, nulls, 0, buffers));
    }

    private static byte[] FixedWidth(ArrayData data, int[] rows, int width)
    {
        var source = data.Buffers[1].Span;
        var values = new byte[rows.Length * width];
        for (var i = 0; i < rows.Length; i++)
        {
            if (rows[i] >= 0) source.Slice((data.Offset + rows[i]) * width, width).CopyTo(values.AsSpan(i * width, width));
        }

        return values;
    }

    private static byte[] Bits(ArrayData data, int[] rows)
    {
        var source = data.Buffers[1].Span;
        var values = new byte[(rows.Length + 7) / 8];
        for (var i = 0; i < rows.Length; i++)
        {
            if (rows[i] >= 0 && BitUtility.GetBit(source, data.Offset + rows[i])) values[i >> 3] |= (byte)(1 << (i & 7));
        }

        return values;
    }

    private static ArrowBuffer[] Utf8<TOffset>(ArrayData data, int[] rows, byte[] validity)
        where TOffset : unmanaged, System.Numerics.IBinaryInteger<TOffset>
    {
        var offsets = MemoryMarshal.Cast<byte, TOffset>(data.Buffers[1].Span);
        var bytes = data.Buffers[2].Span;
        var outOffsets = new TOffset[rows.Length + 1];
        long total = 0;
        for (var i = 0; i < rows.Length; i++)
        {
            if (rows[i] >= 0 && (validity[i >> 3] & (1 << (i & 7))) != 0)
                total += long.CreateTruncating(offsets[data.Offset + rows[i] + 1] - offsets[data.Offset + rows[i]]);
            outOffsets[i + 1] = TOffset.CreateChecked(total);
        }

        var outBytes = new byte[total];
        for (var i = 0; i < rows.Length; i++)
        {
            var length = int.CreateTruncating(outOffsets[i + 1] - outOffsets[i]);
            if (length == 0) continue;
            var start = int.CreateChecked(offsets[data.Offset + rows[i]]);
            bytes.Slice(start, length).CopyTo(outBytes.AsSpan(int.CreateTruncating(outOffsets[i]), length));
        }

        return [new ArrowBuffer(validity), new ArrowBuffer(MemoryMarshal.AsBytes(outOffsets.AsSpan()).ToArray()), new ArrowBuffer(outBytes)];
    }
}
