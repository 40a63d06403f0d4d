using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Dsl.ArrowExtensions.Ipc;
using Dsl.ArrowExtensions.Memory;
using Dsl.ArrowExtensions.Tests.Support;
using K4os.Compression.LZ4;
using K4os.Compression.LZ4.Streams;
using K4os.Hash.xxHash;
using ZstdSharp;

namespace Dsl.ArrowExtensions.Tests.Ipc;

/// <summary>
/// Compressed buffers (an int64 uncompressed length, then one LZ4 or ZSTD frame) decode exactly, in every frame
/// variant other writers produce; and neither a lying length prefix nor a lying frame header makes the reader
/// allocate more than the data really decompresses to.
/// </summary>
public class BodyDecompressorTests : NativeMemoryFixture
{
    private static IEnumerable<TestCaseData> Lz4Frames()
    {
        foreach (var length in new[] { 1, 100, 70_000, 300_000 })
        {
            yield return Lz4Case(length, "defaults (64 KiB linked blocks)", new LZ4EncoderSettings());
            yield return Lz4Case(length, "independent blocks", new LZ4EncoderSettings { ChainBlocks = false });
            yield return Lz4Case(length, "4 MiB blocks, high compression", new LZ4EncoderSettings { BlockSize = 4 << 20, CompressionLevel = LZ4Level.L09_HC });
        }
    }

    [TestCaseSource(nameof(Lz4Frames))]
    public void Decompress_Lz4Frame_TheOriginalBytes(byte[] original, LZ4EncoderSettings settings)
    {
        var compressed = Prefixed(original.Length, Lz4(original, settings));

        Assert.That(Decompress(CompressionCodec.Lz4Frame, compressed).ToArray(), Is.EqualTo(original));
    }

    [TestCase(1)]
    [TestCase(1000)]
    [TestCase(200_000)]
    public void Decompress_Lz4FrameWithContentSizeAndChecksums_TheOriginalBytes(int length)
    {
        var original = Data(length);

        Assert.That(Decompress(CompressionCodec.Lz4Frame, Prefixed(length, Lz4FrameWithEveryField(original, length))).ToArray(), Is.EqualTo(original));
    }

    [Test]
    public void Decompress_Lz4ContentSizeDisagreeingWithThePrefix_Mismatch() =>
        Assert.That(() => Decompress(CompressionCodec.Lz4Frame, Prefixed(1000, Lz4FrameWithEveryField(Data(1000), 1001))),
            Throws.TypeOf<ArrowFormatException>().With.Message.Contains("declares 1000 uncompressed bytes but decompresses to 1001 (the LZ4 frame's content size)"));

    [TestCase(1, 3)]
    [TestCase(100, 3)]
    [TestCase(300_000, 3)]
    [TestCase(300_000, 19)]
    public void Decompress_ZstdFrame_TheOriginalBytes(int length, int level)
    {
        var original = Data(length);
        var compressed = Prefixed(length, new Compressor(level).Wrap(original).ToArray());

        Assert.That(Decompress(CompressionCodec.Zstd, compressed).ToArray(), Is.EqualTo(original));
    }

    /// <summary>
    /// A streamed ZSTD frame declares its window, here 2 GiB; a streaming decoder allocates that window (or refuses:
    /// zstd's default limit is 128 MiB). Decoding in one shot into the output needs no window at all.
    /// </summary>
    [Test]
    public void Decompress_ZstdFrameDeclaringA2GiBWindow_DecodesWithoutAllocatingIt()
    {
        var original = Data(5_000);
        using var compressor = new Compressor(3);
        compressor.SetParameter(ZstdSharp.Unsafe.ZSTD_cParameter.ZSTD_c_windowLog, 31);
        var frame = new MemoryStream();
        using (var stream = new CompressionStream(frame, compressor, preserveCompressor: true, leaveOpen: true))
        {
            stream.Write(original);
        }

        Decompress(CompressionCodec.Zstd, Prefixed(original.Length, new Compressor(3).Wrap(original).ToArray()));
        var managedBefore = GC.GetAllocatedBytesForCurrentThread();
        var decompressed = Decompress(CompressionCodec.Zstd, Prefixed(original.Length, frame.ToArray()));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - managedBefore;

        Assert.That(frame.ToArray()[5], Is.EqualTo(0xA8), "the window descriptor says 2^(10 + 21) bytes");
        Assert.That(decompressed.ToArray(), Is.EqualTo(original));
        Assert.That(allocated, Is.LessThan(16 << 10), "the input's two copies made here (10 KB) and the decoder's bookkeeping");
    }

    [Test]
    public void Decompress_Lz4FrameDeclaring4MiBBlocksForTenBytes_AllocatesNoBlockBuffer()
    {
        var original = Data(10);
        var compressed = Prefixed(10, Lz4(original, new LZ4EncoderSettings { BlockSize = 4 << 20 }));
        Decompress(CompressionCodec.Lz4Frame, compressed);
        Collector.Settle();
        var managedBefore = GC.GetAllocatedBytesForCurrentThread();
        var nativeBefore = NativeBlock.LiveBytes;

        var decompressed = Decompress(CompressionCodec.Lz4Frame, compressed);
        var (managed, native) = (GC.GetAllocatedBytesForCurrentThread() - managedBefore, NativeBlock.LiveBytes - nativeBefore);

        Assert.That(decompressed.ToArray(), Is.EqualTo(original));
        Assert.That(managed, Is.LessThan(4 << 10));
        Assert.That(native, Is.EqualTo(NativeBlock.Alignment), "one 64-byte block for ten bytes");
    }

    [TestCase(ArrowCompression.Lz4)]
    [TestCase(ArrowCompression.Zstd)]
    public void Decompress_PrefixDeclaringAGibibyteForTenBytes_MismatchWithoutAllocatingIt(ArrowCompression compression)
    {
        var codec = Codec(compression);
        var original = Data(10);
        var compressed = Prefixed(1 << 30, codec == CompressionCodec.Zstd ? new Compressor(3).Wrap(original).ToArray() : Lz4(original, new LZ4EncoderSettings()));
        Collector.Settle();
        var nativeBefore = NativeBlock.LiveBytes;
        var managedBefore = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<ArrowFormatException>(() => Decompress(codec, compressed))!;
        var managed = GC.GetAllocatedBytesForCurrentThread() - managedBefore;

        Assert.That(error.Message, Does.Contain("declares 1073741824 uncompressed bytes but decompresses to only 10"));
        Assert.That(managed, Is.LessThan(64 << 10), "an exception and its message, not a gibibyte");
        Assert.That(NativeBlock.LiveBytes, Is.EqualTo(nativeBefore), "the output was freed");
    }

    [TestCase(ArrowCompression.Lz4)]
    [TestCase(ArrowCompression.Zstd)]
    public void Decompress_PrefixDeclaringLessThanTheFrameHolds_Mismatch(ArrowCompression compression)
    {
        var codec = Codec(compression);
        var original = Data(1000);
        var compressed = Prefixed(999, codec == CompressionCodec.Zstd ? new Compressor(3).Wrap(original).ToArray() : Lz4(original, new LZ4EncoderSettings()));

        Assert.That(() => Decompress(codec, compressed), Throws.TypeOf<ArrowFormatException>().With.Message.Contains("declares 999 uncompressed bytes but decompresses to more"));
    }

    [Test]
    public void Decompress_MinusOnePrefix_TheStoredBytesWithoutACopy()
    {
        var compressed = Prefixed(-1, [1, 2, 3]);

        var decompressed = Decompress(CompressionCodec.Zstd, compressed);

        Assert.That(MemoryMarshal.TryGetArray(decompressed, out var segment) && segment.Array == compressed, Is.True);
        Assert.That(decompressed.ToArray(), Is.EqualTo(new byte[] { 1, 2, 3 }));
    }

    private static IEnumerable<TestCaseData> DamagedLz4Frames()
    {
        var frame = Lz4FrameWithEveryField(Data(1000), 1000);
        yield return Damaged("magic", frame, f => f[0] ^= 1, "does not start with an LZ4 frame");
        yield return Damaged("header checksum", frame, f => f[14] ^= 1, "header checksum does not match");
        yield return Damaged("block checksum", frame, f => f[20] ^= 1, "checksum of the block at byte 15 does not match");
        yield return Damaged("content checksum", frame, f => f[^1] ^= 1, "content checksum does not match");
        yield return Damaged("block size", frame, f => BinaryPrimitives.WriteInt32LittleEndian(f.AsSpan(15), 1 << 20), "does not fit the frame");
        yield return Damaged("reserved bit", frame, f => f[4] |= 0b10, "reserved header bits are set");
        yield return Damaged("truncated", frame, f => { }, "ends before its end mark", truncate: 6);
        yield return Damaged("trailing bytes", [.. frame, 0, 0], f => { }, "2 bytes follow the LZ4 frame");
    }

    [TestCaseSource(nameof(DamagedLz4Frames))]
    public void Decompress_DamagedLz4Frame_FormatErrorSayingWhat(byte[] frame, string expected)
    {
        Assert.That(() => Decompress(CompressionCodec.Lz4Frame, Prefixed(1000, frame)), Throws.TypeOf<ArrowFormatException>().With.Message.Contains("LZ4").And.Message.Contains(expected));
    }

    [Test]
    public void Decompress_DamagedZstdFrame_FormatError()
    {
        using var compressor = new Compressor(3);
        compressor.SetParameter(ZstdSharp.Unsafe.ZSTD_cParameter.ZSTD_c_checksumFlag, 1);
        var frame = compressor.Wrap(Data(1000)).ToArray();
        frame[frame.Length / 2] ^= 0xFF;

        Assert.That(() => Decompress(CompressionCodec.Zstd, Prefixed(1000, frame)), Throws.TypeOf<ArrowFormatException>().With.Message.Contains("test buffer: the Zstd data is corrupt"));
    }

    private static CompressionCodec Codec(ArrowCompression compression) => compression == ArrowCompression.Lz4 ? CompressionCodec.Lz4Frame : CompressionCodec.Zstd;

    private static ReadOnlyMemory<byte> Decompress(CompressionCodec codec, byte[] compressed) => BodyDecompressor.Decompress(codec, compressed, 0, "test buffer");

    /// <summary>Somewhat compressible bytes: runs of a few values, so LZ4 makes matches and literal runs.</summary>
    private static byte[] Data(int length) => [.. Enumerable.Range(0, length).Select(i => (byte)((i / 7 * 31) % 13 + (i % 1000 == 0 ? 100 : 0)))];

    private static byte[] Lz4(byte[] original, LZ4EncoderSettings settings)
    {
        var output = new MemoryStream();
        using (var encoder = LZ4Stream.Encode(output, settings, leaveOpen: true))
        {
            encoder.Write(original);
        }

        return output.ToArray();
    }

    /// <summary>
    /// An LZ4 frame with every optional field (content size, block checksums, content checksum) and independent
    /// 64 KiB blocks, built here from raw LZ4 blocks: Apache.Arrow's encoder never writes a content size.
    /// </summary>
    private static byte[] Lz4FrameWithEveryField(byte[] original, long contentSize)
    {
        var frame = new List<byte>(BitConverter.GetBytes(0x184D2204u));
        byte[] descriptor = [0b0111_1100, 0b0100_0000, .. BitConverter.GetBytes(contentSize)];
        frame.AddRange(descriptor);
        frame.Add((byte)(XXH32.DigestOf(descriptor) >> 8));
        for (var start = 0; start < original.Length; start += 64 << 10)
        {
            var block = original.AsSpan(start, Math.Min(64 << 10, original.Length - start));
            var encoded = new byte[LZ4Codec.MaximumOutputSize(block.Length)];
            var length = LZ4Codec.Encode(block, encoded);
            frame.AddRange(BitConverter.GetBytes(length));
            frame.AddRange(encoded[..length]);
            frame.AddRange(BitConverter.GetBytes(XXH32.DigestOf(encoded.AsSpan(0, length))));
        }

        frame.AddRange(new byte[4]);
        frame.AddRange(BitConverter.GetBytes(XXH32.DigestOf(original)));
        return [.. frame];
    }

    private static byte[] Prefixed(long declared, byte[] frame)
    {
        var bytes = new byte[8 + frame.Length];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, declared);
        frame.CopyTo(bytes, 8);
        return bytes;
    }

    private static TestCaseData Lz4Case(int length, string name, LZ4EncoderSettings settings)
    {
        var original = Data(length);
        if (length == 300_000) new Random(42).NextBytes(original);
        return new TestCaseData(original, settings).SetArgDisplayNames($"{length} bytes{(length == 300_000 ? " (incompressible: stored blocks)" : "")}", name);
    }

    private static TestCaseData Damaged(string name, byte[] frame, Action<byte[]> damage, string expected, int truncate = 0)
    {
        var copy = frame.ToArray();
        damage(copy);
        return new TestCaseData(copy[..(copy.Length - truncate)], expected).SetArgDisplayNames(name);
    }
}
