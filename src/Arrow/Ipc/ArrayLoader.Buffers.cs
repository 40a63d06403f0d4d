using Apache.Arrow;

namespace Dsl.ArrowExtensions.Ipc;

/// <summary>Buffer regions: bounds, sizes, decompression, validity bitmaps and offsets.</summary>
internal sealed partial class ArrayLoader
{
    /// <summary>Eight zero bytes: the offsets of every empty array that omitted its offsets buffer.</summary>
    private static readonly ReadOnlyMemory<byte> s_zeroOffsets = new byte[8];

    /// <summary>
    /// The validity buffer of <paramref name="node"/>. With no nulls it is dropped (an absent bitmap means all valid,
    /// which is what a null count of 0 says); otherwise it must cover the rows. That it holds exactly
    /// <see cref="FieldNode.NullCount"/> zero bits is checked by the validation rules.
    /// </summary>
    private ArrowBuffer ValidityBuffer(string path, FieldNode node)
    {
        if (node.NullCount == 0)
        {
            _ = NextBuffer(path, "validity", 0);
            return ArrowBuffer.Empty;
        }

        return NextBuffer(path, "validity", (node.Length + 7) / 8);
    }

    /// <summary>
    /// The next buffer region as a view of the body (or, in a compressed body, its decompressed bytes), checked to lie
    /// inside the body and hold at least <paramref name="minimumLength"/> bytes.
    /// </summary>
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

        var bytes = _body.Slice((int)region.Offset, (int)region.Length);
        if (_header.Codec != CompressionCodec.None && !bytes.IsEmpty)
        {
            bytes = BodyDecompressor.Decompress(_header.Codec, bytes, minimumLength, $"{_where}, field {path}, {role} buffer {index}");
        }

        if (bytes.Length < minimumLength)
        {
            throw Error(path, $"{role} buffer {index} has {bytes.Length} bytes, fewer than the {minimumLength} its length needs");
        }

        return bytes.IsEmpty ? ArrowBuffer.Empty : new ArrowBuffer(bytes);
    }

    /// <summary>
    /// The offsets buffer of a variable-length array of <paramref name="length"/> rows: <c>length + 1</c> values of
    /// <paramref name="size"/> bytes. An empty array may omit it (some writers do); it then gets a single zero offset.
    /// </summary>
    private ArrowBuffer OffsetsBuffer(string path, int length, int size)
    {
        var offsets = NextBuffer(path, "offsets", length == 0 ? 0 : ((long)length + 1) * size);
        return offsets.Length >= size ? offsets : new ArrowBuffer(s_zeroOffsets[..size]);
    }
}
