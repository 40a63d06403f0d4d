using System.Buffers.Binary;
using ZstdSharp;

namespace Dsl.ArrowExtensions.Ipc;

/// <summary>
/// Decompresses the buffers of a compressed IPC body (<c>BodyCompression</c>, method BUFFER): each buffer is an
/// int64 uncompressed length followed by one LZ4 frame or ZSTD frame, or by the raw bytes when the length is -1.
/// </summary>
/// <remarks>
/// Invariant: no allocation is sized by a number the input states. The codecs decode straight into the output (ZSTD
/// in one shot, LZ4 block by block), so neither a ZSTD window nor an LZ4 block buffer is ever allocated at the size
/// a frame header declares; the output starts at a small multiple of the compressed size and doubles only while a
/// decode fills it, so a buffer that lies about its length costs at most about twice what it really decompresses
/// to. Output that disagrees with the declared length is an <see cref="ArrowFormatException"/>. The decompressed
/// bytes live in native blocks that the garbage collector frees when the last array reading them goes.
/// </remarks>
internal static partial class BodyDecompressor
{
    /// <summary>The first output is this many times the compressed size (typical ratios are below it)...</summary>
    private const int InitialRatio = 8;

    /// <summary>...and at least this many bytes (when the declared length is larger).</summary>
    private const int InitialFloor = 4096;

    /// <summary>A ZSTD decoding context per thread: it holds ~100 KB of tables, too much to create per buffer.</summary>
    [ThreadStatic]
    private static Decompressor? t_zstd;

    /// <summary>The decompressed bytes of one buffer; <paramref name="minimumLength"/> is what the array's length needs.</summary>
    public static ReadOnlyMemory<byte> Decompress(CompressionCodec codec, ReadOnlyMemory<byte> compressed, long minimumLength, string where)
    {
        if (compressed.Length < 8)
        {
            throw new ArrowFormatException($"{where}: a compressed buffer of {compressed.Length} bytes has no 8-byte length prefix.");
        }

        var declared = BinaryPrimitives.ReadInt64LittleEndian(compressed.Span);
        var frame = compressed[8..];
        if (declared == -1) return frame; // stored uncompressed
        if (declared < 0 || declared > int.MaxValue)
        {
            throw new ArrowFormatException($"{where}: the declared uncompressed length {declared} is outside [0, {int.MaxValue}].");
        }

        if (declared < minimumLength)
        {
            throw new ArrowFormatException($"{where}: the declared uncompressed length {declared} is less than the {minimumLength} bytes the array needs.");
        }

        if (declared == 0) return ReadOnlyMemory<byte>.Empty;
        using var output = new DecompressedOutput(declared, where);
        try
        {
            if (codec == CompressionCodec.Lz4Frame) DecodeLz4Frame(frame.Span, output);
            else DecodeZstd(frame.Span, output);
        }
        catch (Exception exception) when (exception is not ArrowFormatException)
        {
            throw new ArrowFormatException($"{where}: the {codec} data is corrupt ({exception.Message}).", exception);
        }

        if (output.Written != declared) throw output.Mismatch($"only {output.Written}");
        return output.Seal();
    }

    /// <summary>The first output size to try for <paramref name="compressedLength"/> bytes, at most <paramref name="limit"/>.</summary>
    private static long InitialTarget(long compressedLength, long limit) => Math.Min(limit, Math.Max(InitialFloor, compressedLength * InitialRatio));

    /// <summary>
    /// Decodes ZSTD frames in one shot into the output (no window buffer: the output is the history), retrying with
    /// twice the room while the output is too small, up to the declared length.
    /// </summary>
    private static void DecodeZstd(ReadOnlySpan<byte> frames, DecompressedOutput output)
    {
        var zstd = t_zstd ??= new Decompressor();
        var target = InitialTarget(frames.Length, output.Remaining);
        while (true)
        {
            if (zstd.TryUnwrap(frames, output.Reserve(target), out var written))
            {
                output.Advance(written);
                return;
            }

            if (target == output.Remaining) throw output.Mismatch("more");
            target = Math.Min(output.Remaining, target * 2);
        }
    }
}
