using Dsl.Arrow;

namespace Dsl.Codegen.Columns;

/// <summary>Turns Arrow arrays into <see cref="ColumnView"/>s: buffer addresses with the slice offset applied.</summary>
internal static class ArrowColumns
{
    /// <summary>The validated view of <paramref name="array"/> (buffers: 0 validity, 1 values/offsets, 2 data).</summary>
    public static ColumnView View(IArrowArray array)
    {
        ArgumentNullException.ThrowIfNull(array);
        return View(array.Data, array);
    }

    /// <summary>The validated view of array data (the data keeps the memory alive).</summary>
    public static ColumnView View(ArrayData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return View(data, data);
    }

    private static ColumnView View(ArrayData data, object owner)
    {
        data.ThrowIfDisposed();
        var layout = ColumnTypes.LayoutOf(data.DataType);
        var buffers = data.Buffers;
        var validity = buffers.Count > 0 ? buffers[0] : default;
        var second = buffers.Count > 1 ? buffers[1] : default;
        long offset = data.Offset;
        switch (layout.Encoding)
        {
            case ColumnEncoding.FixedWidth:
                {
                    long size = ColumnView.SizeOf(layout.StorageType);
                    long skip = Math.Min(offset * size, second.Length);
                    return ColumnView.Create(layout, data.Length, second.Address + (nint)skip, second.Length - skip,
                        validity.Address, validity.Length, offset, owner: owner);
                }

            case ColumnEncoding.Bits:
                return ColumnView.Create(layout, data.Length, second.Address, second.Length,
                    validity.Address, validity.Length, offset, valuesBitOffset: offset, owner: owner);

            case ColumnEncoding.Utf8:
            case ColumnEncoding.LargeUtf8:
                {
                    var bytes = buffers.Count > 2 ? buffers[2] : default;
                    long size = layout.Encoding == ColumnEncoding.LargeUtf8 ? 8 : 4;
                    long skip = Math.Min(offset * size, second.Length);
                    return ColumnView.Create(layout, data.Length, bytes.Address, bytes.Length,
                        validity.Address, validity.Length, offset,
                        offsets: second.Address + (nint)skip, offsetsBytes: second.Length - skip, owner: owner);
                }

            case ColumnEncoding.List:
                {
                    if (data.Children.Count != 1) throw new ArgumentException($"A {data.DataType} array needs one child array, not {data.Children.Count}.");
                    var child = View(data.Children[0], owner);
                    long skip = Math.Min(offset * 4, second.Length);
                    return ColumnView.Create(layout, data.Length, 0, 0, validity.Address, validity.Length, offset,
                        offsets: second.Address + (nint)skip, offsetsBytes: second.Length - skip, child: child, owner: owner);
                }

            default:
                throw new NotSupportedException($"Kernels cannot read {data.DataType} columns.");
        }
    }
}
