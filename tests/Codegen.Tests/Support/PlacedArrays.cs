using System.Buffers.Binary;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace Dsl.Codegen.Tests.Support;

/// <summary>
/// Copies of Apache.Arrow arrays whose every buffer lives in <see cref="PlacedMemory"/> at a chosen placement and is
/// cut to the bytes its rows need (a validity bitmap of ⌈(offset + length) / 8⌉ bytes, values of (offset + length)
/// elements, offsets of offset + length + 1 entries, the UTF-8 bytes up to the last row's end): the slice offset,
/// bit offsets and child arrays are kept, so a kernel reading the copy must honour all of them and read nothing
/// outside. Disposing the set frees the memory (after the arrays are no longer read).
/// </summary>
internal sealed class PlacedArrays : IDisposable
{
    private readonly List<PlacedMemory> _memory = [];

    /// <summary>Every buffer placed so far, in placement order.</summary>
    public IReadOnlyList<PlacedMemory> Memory => _memory;

    /// <summary>A copy of <paramref name="array"/> with its buffers at <paramref name="placement"/>.</summary>
    public IArrowArray Place(IArrowArray array, Placement placement) => ArrowArrayFactory.BuildArray(Place(array.Data, placement));

    private ArrayData Place(ArrayData data, Placement placement)
    {
        var buffers = new ArrowBuffer[data.Buffers.Length];
        for (var i = 0; i < buffers.Length; i++)
        {
            var source = data.Buffers[i];
            var length = (int)Math.Min(source.Length, NeededBytes(data, i));
            if (source.IsEmpty || length == 0)
            {
                buffers[i] = ArrowBuffer.Empty;
                continue;
            }

            var memory = new PlacedMemory(source.Span[..length], placement, oddShift: _memory.Count);
            _memory.Add(memory);
            buffers[i] = new ArrowBuffer(memory.Memory);
        }

        var children = data.Children?.Select(child => Place(child, placement)).ToArray();
        return new ArrayData(data.DataType, data.Length, data.NullCount, data.Offset, buffers, children, data.Dictionary);
    }

    /// <summary>The bytes buffer <paramref name="index"/> of <paramref name="data"/> needs for its rows.</summary>
    private static long NeededBytes(ArrayData data, int index)
    {
        long rows = (long)data.Offset + data.Length;
        if (index == 0) return (rows + 7) / 8;
        return (data.DataType, index) switch
        {
            (BooleanType, 1) => (rows + 7) / 8,
            (StringType or BinaryType or ListType, 1) => (rows + 1) * sizeof(int),
            (LargeStringType or LargeBinaryType, 1) => (rows + 1) * sizeof(long),
            (StringType or BinaryType, 2) => BinaryPrimitives.ReadInt32LittleEndian(data.Buffers[1].Span[(int)(rows * sizeof(int))..]),
            (LargeStringType or LargeBinaryType, 2) => BinaryPrimitives.ReadInt64LittleEndian(data.Buffers[1].Span[(int)(rows * sizeof(long))..]),
            (FixedWidthType fixedWidth, 1) => rows * fixedWidth.BitWidth / 8,
            _ => throw new NotSupportedException($"PlacedArrays does not know buffer {index} of {data.DataType.Name}."),
        };
    }

    /// <summary>Frees every placed buffer.</summary>
    public void Dispose()
    {
        foreach (var memory in _memory) ((IDisposable)memory).Dispose();
        _memory.Clear();
    }
}
