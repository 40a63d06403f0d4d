using System.Buffers.Binary;

namespace Dsl.ArrowExtensions.Ipc.FlatBuffers;

/// <summary>
/// A bounds-checked view of one FlatBuffers vector: a uint32 count followed by <see cref="Count"/> elements of
/// <see cref="ElementSize"/> bytes (scalars, inline structs, or uoffsets to tables and strings).
/// </summary>
/// <remarks>
/// Invariant: <c>Start + Count * ElementSize</c> lies inside the buffer, checked when the view is made, so the
/// count is bounded by the buffer's size and element reads need only the index check.
/// </remarks>
internal readonly struct FlatVector
{
    private readonly byte[] _bytes;

    private FlatVector(byte[] bytes, int start, int count, int elementSize, string path)
    {
        _bytes = bytes;
        Start = start;
        Count = count;
        ElementSize = elementSize;
        Path = path;
    }

    /// <summary>Byte position of the first element.</summary>
    public int Start { get; }

    public int Count { get; }

    public int ElementSize { get; }

    public string Path { get; }

    /// <summary>Element <paramref name="index"/> as an offset to a table.</summary>
    public FlatTable TableAt(int index)
    {
        var at = ElementPosition(index, 4);
        var path = $"{Path}[{index}]";
        return FlatTable.At(_bytes, FlatTable.FollowOffsetAt(_bytes, at, path), path);
    }

    /// <summary>Element <paramref name="index"/> as an offset to a string.</summary>
    public string StringAt(int index)
    {
        var at = ElementPosition(index, 4);
        var path = $"{Path}[{index}]";
        return FlatTable.ReadString(_bytes, FlatTable.FollowOffsetAt(_bytes, at, path), path);
    }

    /// <summary>A long at byte <paramref name="fieldOffset"/> inside element <paramref name="index"/> (a struct or a scalar).</summary>
    public long Int64At(int index, int fieldOffset = 0) =>
        BinaryPrimitives.ReadInt64LittleEndian(_bytes.AsSpan(ElementPosition(index, fieldOffset + 8) + fieldOffset));

    public int Int32At(int index, int fieldOffset = 0) =>
        BinaryPrimitives.ReadInt32LittleEndian(_bytes.AsSpan(ElementPosition(index, fieldOffset + 4) + fieldOffset));

    public short Int16At(int index, int fieldOffset = 0) =>
        BinaryPrimitives.ReadInt16LittleEndian(_bytes.AsSpan(ElementPosition(index, fieldOffset + 2) + fieldOffset));

    internal static FlatVector Empty(byte[] bytes, string path, int elementSize) => new(bytes, 0, 0, elementSize, path);

    internal static FlatVector At(byte[] bytes, int position, int elementSize, string path)
    {
        if (position < 0 || (long)position + 4 > bytes.Length)
        {
            throw FlatTable.Error(path, $"vector at byte {position} lies outside the {bytes.Length}-byte flatbuffer");
        }

        var count = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(position));
        var start = position + 4;
        if (count * (long)elementSize > bytes.Length - start)
        {
            throw FlatTable.Error(path, $"vector at byte {position} declares {count} elements of {elementSize} bytes, more than the {bytes.Length - start} bytes left in the flatbuffer");
        }

        return new FlatVector(bytes, start, (int)count, elementSize, path);
    }

    private int ElementPosition(int index, int bytesNeeded)
    {
        if ((uint)index >= (uint)Count || bytesNeeded > ElementSize)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"{Path}: element {index} of {Count} (a reader bug, not bad input)");
        }

        return Start + (index * ElementSize);
    }
}
