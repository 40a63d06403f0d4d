using System.Buffers.Binary;
using Dsl.ArrowExtensions.Memory;
using K4os.Compression.LZ4.Streams;
using ZstdSharp;

namespace Dsl.ArrowExtensions.Ipc;

/// <summary>
/// Decompresses the buffers of a compressed IPC body (<c>BodyCompression</c>, method BUFFER): each buffer is an
/// int64 uncompressed length followed by one LZ4 frame or ZSTD frame, or by the raw bytes when the length is -1.
/// </summary>
/// <remarks>
/// Invariant: no allocation is sized by the declared length alone. The output grows as bytes actually come out of the
/// decoder (starting from a small multiple of the compressed size), so a buffer that lies about its length costs at
/// most about twice what it really decompresses to; output that disagrees with the declared length is an
/// <see cref="ArrowFormatException"/>. The decompressed bytes live in native blocks that the garbage collector frees
/// when the last array reading them goes.
/// </remarks>
internal static class BodyDecompressor
{
    private const int InitialRatio = 8;
    private const int InitialFloor = 4096;

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
        using var source = new ReadOnlyMemoryStream(frame);
        using var decoder = Decoder(codec, source);
        var buffer = NativeBuffer.Allocate(Math.Min(declared, Math.Max(InitialFloor, (long)frame.Length * InitialRatio)), zeroFill: false);
        try
        {
            long written = 0;
            while (true)
            {
                if (written == buffer.Length)
                {
                    if (written == declared)
                    {
                        if (decoder.ReadByte() >= 0) throw Mismatch(where, declared, "more");
                        break;
                    }

                    buffer.Resize(Math.Min(declared, buffer.Length * 2));
                }

                var n = decoder.Read(buffer.Span[(int)written..]);
                if (n == 0) break;
                written += n;
            }

            if (written != declared) throw Mismatch(where, declared, $"only {written}");
            var owner = new NativeBlockSet();
            var memory = buffer.Seal(written, owner).Memory;
            owner.Detach(); // the arrays keep the block reachable; the collector frees it after them
            return memory;
        }
        catch (Exception exception) when (exception is not ArrowFormatException)
        {
            throw new ArrowFormatException($"{where}: the {codec} data is corrupt ({exception.Message}).", exception);
        }
        finally
        {
            buffer.Dispose();
        }
    }

    private static Stream Decoder(CompressionCodec codec, Stream source) => codec switch
    {
        CompressionCodec.Lz4Frame => LZ4Stream.Decode(source, leaveOpen: true),
        CompressionCodec.Zstd => new DecompressionStream(source, leaveOpen: true),
        _ => throw new InvalidOperationException($"No decoder for {codec}."),
    };

    private static ArrowFormatException Mismatch(string where, long declared, string actual) =>
        new($"{where}: the buffer declares {declared} uncompressed bytes but decompresses to {actual}.");

    /// <summary>A read-only stream over memory (the compressed frame), without a copy.</summary>
    private sealed class ReadOnlyMemoryStream(ReadOnlyMemory<byte> memory) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => memory.Length;

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = Math.Min(buffer.Length, memory.Length - _position);
            memory.Span.Slice(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
