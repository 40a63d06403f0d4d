using System.Buffers.Binary;
using K4os.Compression.LZ4;
using K4os.Hash.xxHash;

namespace Dsl.ArrowExtensions.Ipc;

/// <summary>
/// The LZ4 frame format (lz4_Frame_format.md), decoded block by block into the output: the frame header's block size
/// is checked but never allocated, so a header that claims 4 MB blocks for a 10-byte buffer costs nothing.
/// </summary>
internal static partial class BodyDecompressor
{
    private const uint Lz4Magic = 0x184D2204;

    /// <summary>How far back LZ4 matches reach: what a linked block may refer to in the blocks before it.</summary>
    private const int Lz4Window = 64 << 10;

    /// <summary>LZ4 turns one compressed byte into at most ~255 output bytes: no block can need more room than this.</summary>
    private const int Lz4MaxExpansion = 256;

    private static void DecodeLz4Frame(ReadOnlySpan<byte> frame, DecompressedOutput output)
    {
        if (frame.Length < 7 || BinaryPrimitives.ReadUInt32LittleEndian(frame) != Lz4Magic) throw Lz4Error("the buffer does not start with an LZ4 frame");
        var flags = frame[4];
        var blockDescriptor = frame[5];
        if (flags >> 6 != 1) throw Lz4Error($"frame version {flags >> 6} is not 1");
        if ((flags & 0b10) != 0 || (blockDescriptor & 0b1000_1111) != 0) throw Lz4Error("reserved header bits are set");
        if ((flags & 0b1) != 0) throw Lz4Error("the frame needs an external dictionary, which Arrow never uses");
        var sizeId = (blockDescriptor >> 4) & 0b111;
        if (sizeId < 4) throw Lz4Error($"block size id {sizeId} is not 4 to 7");
        var blockMaximum = 1 << ((2 * sizeId) + 8);
        var independent = (flags & 0b10_0000) != 0;
        var blockChecksums = (flags & 0b1_0000) != 0;
        var position = 6;
        if ((flags & 0b1000) != 0)
        {
            if (frame.Length < position + 9) throw Lz4Error("the header ends inside its content size");
            var contentSize = BinaryPrimitives.ReadInt64LittleEndian(frame[position..]);
            if (contentSize != output.Written + output.Remaining) throw output.Mismatch($"{contentSize} (the LZ4 frame's content size)");
            position += 8;
        }

        if (((XXH32.DigestOf(frame[4..position]) >> 8) & 0xFF) != frame[position]) throw Lz4Error("the header checksum does not match");
        position++;
        while (true)
        {
            if (frame.Length - position < 4) throw Lz4Error("the frame ends before its end mark");
            var word = BinaryPrimitives.ReadUInt32LittleEndian(frame[position..]);
            position += 4;
            if (word == 0) break;
            var size = (int)(word & 0x7FFF_FFFF);
            if (size > blockMaximum || size > frame.Length - position - (blockChecksums ? 4 : 0))
            {
                throw Lz4Error($"a block of {size} bytes at byte {position - 4} does not fit the frame (blocks are at most {blockMaximum} bytes)");
            }

            var block = frame.Slice(position, size);
            position += size;
            if (blockChecksums)
            {
                if (XXH32.DigestOf(block) != BinaryPrimitives.ReadUInt32LittleEndian(frame[position..])) throw Lz4Error($"the checksum of the block at byte {position - size - 4} does not match");
                position += 4;
            }

            if ((word & 0x8000_0000) != 0) CopyStoredBlock(block, output);
            else DecodeLz4Block(block, output, linked: !independent && output.Written > 0, blockMaximum);
        }

        if ((flags & 0b100) != 0)
        {
            if (frame.Length - position < 4) throw Lz4Error("the frame ends inside its content checksum");
            if (XXH32.DigestOf(output.WrittenSpan) != BinaryPrimitives.ReadUInt32LittleEndian(frame[position..])) throw Lz4Error("the content checksum does not match");
            position += 4;
        }

        if (position != frame.Length) throw Lz4Error($"{frame.Length - position} bytes follow the LZ4 frame");
    }

    private static void CopyStoredBlock(ReadOnlySpan<byte> block, DecompressedOutput output)
    {
        if (block.Length > output.Remaining) throw output.Mismatch("more");
        block.CopyTo(output.Reserve(block.Length));
        output.Advance(block.Length);
    }

    /// <summary>
    /// Decodes one compressed block, growing the room it gets while the decode fills it: partial decodes (which stop
    /// when the room is full) until the room reaches the most the block may produce, then an exact decode. A linked
    /// block may copy from the 64 KiB before it, which LZ4's partial decoder cannot, so it is decoded exactly each time.
    /// </summary>
    private static void DecodeLz4Block(ReadOnlySpan<byte> block, DecompressedOutput output, bool linked, int blockMaximum)
    {
        var limit = Math.Min(output.Remaining, Math.Min(blockMaximum, (Lz4MaxExpansion * (long)block.Length) + 64));
        var target = InitialTarget(block.Length, limit);
        while (true)
        {
            var room = output.Reserve(target);
            var exact = linked || target == limit;
            var decoded = linked ? LZ4Codec.Decode(block, room, output.Recent(Lz4Window)) : exact ? LZ4Codec.Decode(block, room) : LZ4Codec.PartialDecode(block, room);
            if (decoded >= 0 && (exact || decoded < target))
            {
                output.Advance(decoded);
                return;
            }

            if (decoded < 0 && (!exact || target == limit))
            {
                // An exact decode that does not fit cannot say whether the block is too long or corrupt.
                throw limit == output.Remaining ? output.Mismatch("more, or an LZ4 block of it is corrupt") : Lz4Error("a block is corrupt");
            }

            target = Math.Min(limit, target * 2);
        }
    }

    private static InvalidDataException Lz4Error(string problem) => new($"LZ4: {problem}");
}
