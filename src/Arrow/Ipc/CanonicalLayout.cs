using System.Numerics;
using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace Dsl.ArrowExtensions.Ipc;

/// <summary>
/// Rewrites arrays into equal arrays at offset 0, with offsets starting at zero and children exactly as long as their
/// parent uses, before Apache.Arrow's IPC writer sees them. That writer slices and rebases arrays itself, and gets two
/// cases wrong (Apache.Arrow 23): offsets that start above zero in an array at offset 0 (the format allows them; arrow-rs
/// slices that way) are written unrebased next to data cut from the first offset, so every value reads back shifted;
/// and an empty slice of a binary, string or list array (an empty batch slice; a struct or list slice that leaves a
/// nested array no rows) is written with its nonzero offset next to an empty data buffer, which no reader can accept.
/// Arrays already in this form are what its writer copies verbatim.
/// </summary>
/// <remarks>
/// Data buffers, values and children are sliced, never copied; offsets buffers are rebased (a copy) and validity
/// bitmaps at an offset that is not a multiple of 8 are shifted (a copy of a bit per row). Arrays that need no
/// change are returned as they are, so writing batches from builders allocates nothing here. The input is assumed
/// valid (see <see cref="ArrowValidator"/>): offsets are read without further checks.
/// </remarks>
internal static class CanonicalLayout
{
    /// <summary><paramref name="batch"/>, or an equal batch whose arrays are all in canonical layout.</summary>
    public static RecordBatch Of(RecordBatch batch)
    {
        IArrowArray[]? columns = null;
        for (var i = 0; i < batch.ColumnCount; i++)
        {
            var data = batch.Column(i).Data;
            var canonical = Of(data);
            if (ReferenceEquals(canonical, data)) continue;
            columns ??= [.. batch.Arrays];
            columns[i] = ArrowArrayFactory.BuildArray(canonical);
        }

        return columns is null ? batch : new RecordBatch(batch.Schema, columns, batch.Length);
    }

    /// <summary><paramref name="data"/>, or equal data in canonical layout (recursively, dictionary included).</summary>
    public static ArrayData Of(ArrayData data)
    {
        var dictionary = data.Dictionary is null ? null : Of(data.Dictionary);
        return data.DataType switch
        {
            StringType or BinaryType => Variable<int>(data, dictionary),
            LargeStringType or LargeBinaryType => Variable<long>(data, dictionary),
            ListType => List(data, dictionary),
            StructType => Struct(data, dictionary),
            BooleanType => data.Offset == 0 ? data : Rebuild(data, [Bitmap(data, 0), Bitmap(data, 1)], data.Children, dictionary),
            FixedWidthType when data.Offset == 0 => ReferenceEquals(dictionary, data.Dictionary) ? data : Rebuild(data, data.Buffers, data.Children, dictionary),
            FixedWidthType fixedWidth => Rebuild(data, [Bitmap(data, 0), Slice(data.Buffers[1], data.Offset * (fixedWidth.BitWidth / 8), data.Length * (fixedWidth.BitWidth / 8))], data.Children, dictionary),
            _ => data,
        };
    }

    private static ArrayData Variable<T>(ArrayData data, ArrayData? dictionary)
        where T : unmanaged, IBinaryInteger<T>
    {
        var (offsets, first, count) = ZeroBased<T>(data);
        if (offsets is null) return data;
        return Rebuild(data, [Bitmap(data, 0), offsets.Value, Slice(data.Buffers[2], first, count)], data.Children, dictionary);
    }

    private static ArrayData List(ArrayData data, ArrayData? dictionary)
    {
        var child = data.Children[0];
        var (offsets, first, count) = ZeroBased<int>(data);
        if (offsets is null && child.Length == count)
        {
            var canonicalChild = Of(child);
            return ReferenceEquals(canonicalChild, child) ? data : Rebuild(data, data.Buffers, [canonicalChild], dictionary);
        }

        // An empty list array's single offset may point past its child (Arrow C++ accepts it): it spans no child rows.
        var values = count == 0 ? child.Slice(0, 0) : child.Slice(first, count);
        return Rebuild(data, [Bitmap(data, 0), offsets ?? data.Buffers[1]], [Of(values)], dictionary);
    }

    private static ArrayData Struct(ArrayData data, ArrayData? dictionary)
    {
        var children = data.Children;
        if (data.Offset == 0 && children.All(child => child.Length == data.Length))
        {
            var canonical = children.Select(Of).ToArray();
            return canonical.SequenceEqual(children) ? data : Rebuild(data, data.Buffers, canonical, dictionary);
        }

        return Rebuild(data, [Bitmap(data, 0)], [.. children.Select(child => Of(child.Slice(data.Offset, data.Length)))], dictionary);
    }

    /// <summary>
    /// Offsets for rows <c>Offset .. Offset + Length</c> rebased to start at zero, or null when they already are at
    /// offset 0; and the range of values (or child rows) they span.
    /// </summary>
    private static (ArrowBuffer? Offsets, int First, int Count) ZeroBased<T>(ArrayData data)
        where T : unmanaged, IBinaryInteger<T>
    {
        // An empty array's single offset may be anything the validator lets through (it spans nothing): write [0].
        if (data.Length == 0) return (new ArrowBuffer(new byte[System.Runtime.CompilerServices.Unsafe.SizeOf<T>()]), 0, 0);
        var offsets = data.Buffers[1].IsEmpty ? new[] { T.Zero } : MemoryMarshal.Cast<byte, T>(data.Buffers[1].Span).Slice(data.Offset, data.Length + 1);
        var first = int.CreateChecked(offsets[0]);
        var count = int.CreateChecked(offsets[^1]) - first;
        if (data.Offset == 0 && first == 0 && !data.Buffers[1].IsEmpty) return (null, 0, count);
        var rebased = new T[offsets.Length];
        for (var i = 0; i < rebased.Length; i++) rebased[i] = offsets[i] - offsets[0];
        return (new ArrowBuffer(MemoryMarshal.AsBytes(rebased.AsSpan()).ToArray()), first, count);
    }

    /// <summary>Bitmap buffer <paramref name="index"/> for rows <c>Offset .. Offset + Length</c>, starting at bit 0.</summary>
    private static ArrowBuffer Bitmap(ArrayData data, int index)
    {
        var bitmap = data.Buffers[index];
        if (bitmap.IsEmpty || data.Offset == 0) return bitmap;
        if (data.Offset % 8 == 0) return Slice(bitmap, data.Offset / 8, (data.Length + 7) / 8);
        var shifted = new byte[(data.Length + 7) / 8];
        for (var i = 0; i < data.Length; i++)
        {
            if (BitUtility.GetBit(bitmap.Span, data.Offset + i)) BitUtility.SetBit(shifted, i);
        }

        return new ArrowBuffer(shifted);
    }

    private static ArrowBuffer Slice(ArrowBuffer buffer, int start, int length) =>
        length == 0 ? ArrowBuffer.Empty : new ArrowBuffer(buffer.Memory.Slice(start, length));

    /// <summary>The same rows at offset 0: <paramref name="buffers"/> and <paramref name="children"/> start at this array's first row.</summary>
    private static ArrayData Rebuild(ArrayData data, ArrowBuffer[] buffers, ArrayData[]? children, ArrayData? dictionary) =>
        new(data.DataType, data.Length, data.NullCount, 0, buffers, children, dictionary);
}
