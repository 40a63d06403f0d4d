using Dsl.Arrow.Memory;
using Dsl.Arrow.Types;

namespace Dsl.Arrow.Ipc;

/// <summary>
/// The body of one record batch or dictionary batch being written: field nodes, buffer regions and the bytes
/// behind them. Buffers that need no change are referenced where they are (written straight from the arrays'
/// memory); sliced arrays get rebased copies: bitmaps shifted to bit 0, offsets rebased to start at 0.
/// </summary>
/// <remarks>
/// Invariant: <see cref="Buffers"/>[i] describes <c>_segments[i]</c>; each region starts at a multiple of
/// <see cref="Alignment"/> and <see cref="Length"/> is a multiple of it too, as the IPC format requires.
/// </remarks>
internal sealed partial class BatchBody
{
    /// <summary>Body buffers are padded to 8 bytes, the IPC format's required alignment.</summary>
    public const int Alignment = 8;

    private readonly List<Segment> _segments = [];

    public List<FieldNode> Nodes { get; } = [];

    public List<BufferRegion> Buffers { get; } = [];

    public long Length { get; private set; }

    /// <summary>The body of arrays <paramref name="columns"/>, each its whole logical range.</summary>
    public static BatchBody Of(IEnumerable<ArrayData> columns)
    {
        var body = new BatchBody();
        foreach (var column in columns)
        {
            body.Append(column, column.Offset, column.Length);
        }

        return body;
    }

    /// <summary>Writes the body bytes, padding included.</summary>
    public void WriteTo(Stream stream)
    {
        Span<byte> padding = stackalloc byte[Alignment];
        foreach (var segment in _segments)
        {
            stream.Write(segment.Bytes);
            var pad = (int)(Padded(segment.Bytes.Length) - segment.Bytes.Length);
            stream.Write(padding[..pad]);
        }
    }

    /// <summary>Whether this body's bytes equal <paramref name="other"/>'s (used to tell whether a dictionary changed).</summary>
    public bool ContentEquals(BatchBody other)
    {
        if (Length != other.Length || _segments.Count != other._segments.Count || !Nodes.SequenceEqual(other.Nodes))
        {
            return false;
        }

        for (var i = 0; i < _segments.Count; i++)
        {
            if (!_segments[i].Bytes.SequenceEqual(other._segments[i].Bytes))
            {
                return false;
            }
        }

        return true;
    }

    internal static long Padded(long length) => (length + Alignment - 1) & ~(long)(Alignment - 1);

    /// <summary>Appends rows [<paramref name="offset"/>, +<paramref name="length"/>) of <paramref name="data"/> (physical offset) and its children.</summary>
    private void Append(ArrayData data, int offset, int length)
    {
        var nulls = NullCount(data, offset, length);
        Nodes.Add(new FieldNode(length, nulls));
        if (nulls == 0)
        {
            AddBuffer(Segment.Empty);
        }
        else
        {
            AddBuffer(Bits(data.Buffers[0], offset, length));
        }

        switch (data.DataType)
        {
            case BooleanType:
                AddBuffer(Bits(data.Buffers[1], offset, length));
                break;
            case DictionaryType or FixedWidthType:
                {
                    var width = ((FixedWidthType)data.DataType).BitWidth / 8;
                    AddBuffer(Segment.Of(data.Buffers[1], (long)offset * width, (long)length * width));
                    break;
                }

            case StringType or BinaryType:
                {
                    var (start, end) = AddOffsets<int>(data.Buffers[1], offset, length);
                    AddBuffer(Segment.Of(data.Buffers[2], start, end - start));
                    break;
                }

            case LargeStringType:
                {
                    var (start, end) = AddOffsets<long>(data.Buffers[1], offset, length);
                    AddBuffer(Segment.Of(data.Buffers[2], start, end - start));
                    break;
                }

            case ListType:
                {
                    var (start, end) = AddOffsets<int>(data.Buffers[1], offset, length);
                    var child = data.Children[0];
                    Append(child, child.Offset + (int)start, (int)(end - start));
                    break;
                }

            case StructType:
                foreach (var child in data.Children)
                {
                    Append(child, child.Offset + offset, length);
                }

                break;
            default:
                throw new NotSupportedException($"Writing arrays of type {data.DataType} to Arrow IPC is not supported.");
        }
    }

    private static int NullCount(ArrayData data, int offset, int length)
    {
        if (offset == data.Offset && length == data.Length)
        {
            return data.NullCount;
        }

        var validity = data.Buffers.Count > 0 ? data.Buffers[0] : ArrowBuffer.Empty;
        return validity.IsEmpty ? 0 : length - BitUtility.CountSetBits(validity.Span, offset, length);
    }

    private void AddBuffer(Segment segment)
    {
        Buffers.Add(new BufferRegion(Length, segment.Bytes.Length));
        _segments.Add(segment);
        Length += Padded(segment.Bytes.Length);
    }
}
