using System.Numerics;
using System.Runtime.InteropServices;
using Dsl.Arrow.Memory;

namespace Dsl.Arrow.Ipc;

/// <summary>Segments: views of existing buffers, or rebased copies for sliced arrays.</summary>
internal sealed partial class BatchBody
{
    /// <summary>Bits [<paramref name="offset"/>, +<paramref name="length"/>) of a bitmap, starting at bit 0.</summary>
    private static Segment Bits(ArrowBuffer bitmap, int offset, int length)
    {
        if (offset % 8 == 0)
        {
            return Segment.Of(bitmap, offset / 8, BitUtility.ByteCount((long)length));
        }

        var source = bitmap.Span;
        var shifted = new byte[BitUtility.ByteCount(length)];
        var shift = offset % 8;
        var first = offset / 8;
        for (var i = 0; i < shifted.Length; i++)
        {
            var low = source[first + i] >> shift;
            var high = first + i + 1 < source.Length ? source[first + i + 1] << (8 - shift) : 0;
            shifted[i] = (byte)(low | high);
        }

        // Bits past the length are left clear so the output does not depend on the slice's neighbours.
        var tail = length % 8;
        if (tail != 0)
        {
            shifted[^1] &= (byte)((1 << tail) - 1);
        }

        return Segment.Of(shifted);
    }

    /// <summary>Adds the offsets of rows [<paramref name="offset"/>, +<paramref name="length"/>), rebased to start at 0; returns the original first and last offset.</summary>
    private (long Start, long End) AddOffsets<T>(ArrowBuffer buffer, int offset, int length)
        where T : unmanaged, IBinaryInteger<T>
    {
        var size = Marshal.SizeOf<T>();
        if (buffer.Length < ((long)offset + length + 1) * size)
        {
            // Only an empty array may lack offsets; it is written with the single offset 0.
            AddBuffer(Segment.Of(new byte[size]));
            return (0, 0);
        }

        var offsets = MemoryMarshal.Cast<byte, T>(buffer.Span).Slice(offset, length + 1);
        var start = long.CreateTruncating(offsets[0]);
        var end = long.CreateTruncating(offsets[length]);
        if (start == 0)
        {
            AddBuffer(Segment.Of(buffer, (long)offset * size, ((long)length + 1) * size));
            return (start, end);
        }

        var rebased = new T[length + 1];
        for (var i = 0; i <= length; i++)
        {
            rebased[i] = offsets[i] - offsets[0];
        }

        AddBuffer(Segment.Of(MemoryMarshal.AsBytes(rebased.AsSpan()).ToArray()));
        return (start, end);
    }

    /// <summary>Bytes of the body: a view of an array's buffer (no copy) or a byte array made for this body.</summary>
    private readonly struct Segment
    {
        private readonly ArrowBuffer _view;
        private readonly byte[]? _copy;

        private Segment(ArrowBuffer view, byte[]? copy)
        {
            _view = view;
            _copy = copy;
        }

        public static Segment Empty => default;

        public ReadOnlySpan<byte> Bytes => _copy ?? (_view.IsEmpty ? default : _view.Span);

        public static Segment Of(byte[] bytes) => new(default, bytes);

        public static Segment Of(ArrowBuffer buffer, long start, long length) =>
            length == 0 ? Empty : new Segment(buffer.Slice(start, length), null);
    }
}
