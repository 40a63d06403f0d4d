using System.Runtime.InteropServices;
using Dsl.Arrow.Memory;

namespace Dsl.Arrow.Ipc;

/// <summary>Buffer regions: bounds, sizes, validity bitmaps and offsets.</summary>
internal sealed partial class ArrayLoader
{
    /// <summary>
    /// The validity buffer of <paramref name="node"/>. With no nulls it is dropped (an absent bitmap means all
    /// valid, which is what a null count of 0 says); otherwise it must cover the rows. That it holds exactly
    /// <see cref="FieldNode.NullCount"/> zero bits is checked by <see cref="ArrayData.Validate(string)"/>.
    /// </summary>
    private ArrowBuffer ValidityBuffer(string path, FieldNode node)
    {
        if (node.NullCount == 0)
        {
            _ = NextBuffer(path, "validity", 0);
            return ArrowBuffer.Empty;
        }

        return NextBuffer(path, "validity", BitUtility.ByteCount(node.Length));
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
