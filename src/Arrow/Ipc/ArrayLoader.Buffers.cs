using System.Numerics;
using System.Runtime.InteropServices;
using Dsl.Arrow.Memory;

namespace Dsl.Arrow.Ipc;

/// <summary>Buffer regions: bounds, sizes, validity bitmaps and offsets.</summary>
internal sealed partial class ArrayLoader
{
    /// <summary>
    /// The validity buffer of <paramref name="node"/>. With no nulls it is dropped (an absent bitmap means all
    /// valid, which is what a null count of 0 says); otherwise it must cover the rows and hold exactly
    /// <see cref="FieldNode.NullCount"/> zero bits.
    /// </summary>
    private ArrowBuffer ValidityBuffer(string path, FieldNode node)
    {
        var bufferIndex = _nextBuffer;
        if (node.NullCount == 0)
        {
            _ = NextBuffer(path, "validity", 0);
            return ArrowBuffer.Empty;
        }

        var length = (int)node.Length;
        var validity = NextBuffer(path, "validity", BitUtility.ByteCount((long)length));
        var nulls = length - BitUtility.CountSetBits(Span(validity, path, "validity"), 0, length);
        if (nulls != node.NullCount)
        {
            throw Error(path, $"the field node says {node.NullCount} nulls but validity buffer {bufferIndex} has {nulls}");
        }

        return validity;
    }

    /// <summary>The next buffer region as a view of the body, checked to lie inside it and hold at least <paramref name="minimumLength"/> bytes.</summary>
    private ArrowBuffer NextBuffer(string path, string role, long minimumLength)
    {
        if (_nextBuffer >= _header.Buffers.Length)
        {
            throw Error(path, $"the batch has only {_header.Buffers.Length} buffers, fewer than the schema needs (schema/batch mismatch)");
        }

        var index = _nextBuffer++;
        var region = _header.Buffers[index];
        if (region.Offset < 0 || region.Length < 0 || region.Offset > _body.Length || region.Length > _body.Length - region.Offset)
        {
            throw Error(path, $"{role} buffer {index} at body offset {region.Offset} with length {region.Length} lies outside the {_body.Length}-byte message body");
        }

        if (region.Length < minimumLength)
        {
            throw Error(path, $"{role} buffer {index} has {region.Length} bytes, fewer than the {minimumLength} its length needs");
        }

        return region.Length == 0 ? ArrowBuffer.Empty : _body.Slice(region.Offset, region.Length);
    }

    /// <summary>
    /// The offsets buffer of a variable-length array of <paramref name="length"/> rows: <c>length + 1</c> values.
    /// An empty array may omit it (some writers do); it then gets a single zero offset.
    /// </summary>
    private ArrowBuffer OffsetsBuffer<T>(string path, int length)
        where T : unmanaged
    {
        var size = Marshal.SizeOf<T>();
        var offsets = NextBuffer(path, "offsets", length == 0 ? 0 : ((long)length + 1) * size);
        if (offsets.Length >= size)
        {
            return offsets;
        }

        return new ArrowBuffer(ZeroOffsets.Instance, ZeroOffsets.Instance.Address, size);
    }

    /// <summary>Checks that offsets start at or above 0, never decrease and end at or below <paramref name="limit"/>.</summary>
    private void CheckOffsets<T>(string path, ArrowBuffer buffer, int length, long limit, string limitName)
        where T : unmanaged, IBinaryInteger<T>
    {
        var offsets = MemoryMarshal.Cast<byte, T>(Span(buffer, path, "offsets"));
        var previous = long.CreateTruncating(offsets[0]);
        if (previous < 0)
        {
            throw Error(path, $"the first offset is negative ({previous})");
        }

        for (var i = 1; i <= length; i++)
        {
            var current = long.CreateTruncating(offsets[i]);
            if (current < previous)
            {
                throw Error(path, $"offsets decrease at row {i - 1} ({previous} then {current})");
            }

            previous = current;
        }

        if (previous > limit)
        {
            throw Error(path, $"the last offset ({previous}) is beyond the {limit} {limitName}");
        }
    }

    private ReadOnlySpan<byte> Span(ArrowBuffer buffer, string path, string role) =>
        buffer.Length <= int.MaxValue
            ? buffer.Span
            : throw new NotSupportedException($"{_where}, field {path}: the {role} buffer has {buffer.Length} bytes; buffers over 2 GiB are not supported.");

    /// <summary>
    /// Eight zero bytes shared by every empty array that omitted its offsets. The static holds a reference that is
    /// never released, so the memory is never freed (and is not counted as a live native allocation).
    /// </summary>
    private sealed unsafe class ZeroOffsets : MemoryOwner
    {
        public static readonly ZeroOffsets Instance = new();

        private ZeroOffsets()
            : base((nint)NativeMemory.AlignedAlloc(64, 64), 8)
        {
            NativeMemory.Clear((void*)Address, 64);
        }

        protected override void Free() => throw new InvalidOperationException("The shared zero offsets are never released.");
    }
}
