using System.Buffers;
using Apache.Arrow;

namespace Dsl.Codegen.Columns;

/// <summary>
/// Turns Apache.Arrow arrays into <see cref="ColumnView"/>s: native addresses of the caller's own buffers (no copy),
/// with the slice offset applied. Each buffer is pinned once, through its <see cref="ArrowBuffer.Memory"/>, into a
/// <see cref="ColumnPins"/> that the frame releases after the run; buffers may be 8-byte aligned (IPC) or unaligned.
/// </summary>
internal static class ArrowColumns
{
    /// <summary>The view of <paramref name="array"/>; its buffers stay pinned until <paramref name="pins"/> is disposed.</summary>
    public static ColumnView View(IArrowArray array, ColumnPins pins)
    {
        ArgumentNullException.ThrowIfNull(array);
        ArgumentNullException.ThrowIfNull(pins);
        return View(array.Data, array, pins);
    }

    private static ColumnView View(ArrayData data, object owner, ColumnPins pins)
    {
        var layout = ColumnTypes.LayoutOf(data.DataType);
        var (validity, validityBytes) = pins.Pin(data, 0);
        var (second, secondBytes) = pins.Pin(data, 1);
        long offset = data.Offset;
        switch (layout.Encoding)
        {
            case ColumnEncoding.FixedWidth:
                {
                    long size = ColumnView.SizeOf(layout.StorageType);
                    long skip = Math.Min(offset * size, secondBytes);
                    return ColumnView.Create(layout, data.Length, second + (nint)skip, secondBytes - skip, validity, validityBytes, offset, owner: owner);
                }

            case ColumnEncoding.Bits:
                return ColumnView.Create(layout, data.Length, second, secondBytes, validity, validityBytes, offset, valuesBitOffset: offset, owner: owner);

            case ColumnEncoding.Utf8:
            case ColumnEncoding.LargeUtf8:
                {
                    var (bytes, byteCount) = pins.Pin(data, 2);
                    long size = layout.Encoding == ColumnEncoding.LargeUtf8 ? 8 : 4;
                    long skip = Math.Min(offset * size, secondBytes);
                    return ColumnView.Create(layout, data.Length, bytes, byteCount, validity, validityBytes, offset,
                        offsets: second + (nint)skip, offsetsBytes: secondBytes - skip, owner: owner);
                }

            case ColumnEncoding.List:
                {
                    if (data.Children is not [var childData]) throw new ArgumentException($"A list array needs one child array, not {data.Children?.Length ?? 0}.");
                    var child = View(childData, owner, pins);
                    long skip = Math.Min(offset * 4, secondBytes);
                    return ColumnView.Create(layout, data.Length, 0, 0, validity, validityBytes, offset,
                        offsets: second + (nint)skip, offsetsBytes: secondBytes - skip, child: child, owner: owner);
                }

            default:
                throw new NotSupportedException($"Kernels cannot read {ArrowExtensions.Types.ArrowTypes.Describe(data.DataType)} columns.");
        }
    }
}

/// <summary>
/// The buffers a frame's views point into, pinned for as long as kernels run over them: pinning keeps managed
/// memory from moving and keeps native memory (ours or Apache.Arrow's) from being freed under a running kernel.
/// </summary>
internal sealed class ColumnPins : IDisposable
{
    private readonly List<MemoryHandle> _handles = [];

    /// <summary>Buffer <paramref name="index"/> of <paramref name="data"/> pinned: its address and length (0, 0 when absent or empty).</summary>
    public unsafe (nint Address, long Length) Pin(ArrayData data, int index)
    {
        if (data.Buffers is not { } buffers || index >= buffers.Length || buffers[index].IsEmpty) return (0, 0);
        var memory = buffers[index].Memory;
        var handle = memory.Pin();
        lock (_handles) _handles.Add(handle);
        return ((nint)handle.Pointer, memory.Length);
    }

    /// <summary>Unpins every buffer.</summary>
    public void Dispose()
    {
        lock (_handles)
        {
            foreach (var handle in _handles) handle.Dispose();
            _handles.Clear();
        }
    }
}
