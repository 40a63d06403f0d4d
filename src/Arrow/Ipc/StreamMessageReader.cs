using System.Buffers.Binary;
using Dsl.Arrow.Memory;

namespace Dsl.Arrow.Ipc;

/// <summary>
/// Reads encapsulated messages one after another from a <see cref="System.IO.Stream"/>: the optional continuation
/// marker, the int32 metadata length, the metadata, then the body into 64-byte aligned native memory.
/// </summary>
/// <remarks>
/// No allocation is sized by an untrusted number beyond what the input holds: on a seekable stream every length is
/// checked against the bytes left; on other streams buffers grow only as bytes actually arrive.
/// </remarks>
internal sealed class StreamMessageReader
{
    private const int GrowthStep = 1 << 20;
    private readonly Stream _stream;
    private int _messageIndex;

    public StreamMessageReader(Stream stream) => _stream = stream;

    /// <summary>Bytes consumed so far.</summary>
    public long Position { get; private set; }

    /// <summary>The next message, or null at the end-of-stream marker or at the end of the input.</summary>
    public IpcMessage? ReadMessage()
    {
        var start = Position;
        var where = $"message {_messageIndex} at byte {start}";
        Span<byte> word = stackalloc byte[4];
        var got = ReadUpTo(word);
        if (got == 0)
        {
            return null;
        }

        if (got < 4)
        {
            throw new ArrowFormatException($"{where}: the stream ends inside a message length prefix.");
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(word);
        if (BinaryPrimitives.ReadUInt32LittleEndian(word) == MessageSerializer.Continuation)
        {
            if (ReadUpTo(word) < 4)
            {
                throw new ArrowFormatException($"{where}: the stream ends after a continuation marker, before the message length.");
            }

            length = BinaryPrimitives.ReadInt32LittleEndian(word);
        }

        if (length == 0)
        {
            return null;
        }

        if (length < 0)
        {
            throw new ArrowFormatException($"{where}: negative metadata length {length}.");
        }

        CheckAvailable(length, where, "metadata");
        var metadata = ReadBytes(length, where);
        _messageIndex++;
        return IpcMessage.Decode(metadata, where);
    }

    /// <summary>Reads the body of <paramref name="message"/> into native memory the caller disposes.</summary>
    public NativeBuffer ReadBody(IpcMessage message)
    {
        var length = message.BodyLength;
        if (length > int.MaxValue)
        {
            throw new NotSupportedException($"{message.Where}: message bodies over 2 GiB are not supported ({length} bytes).");
        }

        CheckAvailable(length, message.Where, "body");
        var buffer = NativeBuffer.Allocate(Math.Min(length, _stream.CanSeek ? length : GrowthStep), zeroFill: false);
        try
        {
            long read = 0;
            while (read < length)
            {
                if (read == buffer.Length)
                {
                    buffer.Resize(Math.Min(length, buffer.Length * 2));
                }

                var n = _stream.Read(buffer.Span[(int)read..]);
                if (n == 0)
                {
                    throw new ArrowFormatException($"{message.Where}: the stream ends after {read} of the {length} body bytes.");
                }

                read += n;
                Position += n;
            }

            return buffer;
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    private void CheckAvailable(long length, string where, string what)
    {
        if (_stream.CanSeek && length > _stream.Length - _stream.Position)
        {
            throw new ArrowFormatException($"{where}: the {what} declares {length} bytes but only {_stream.Length - _stream.Position} are left.");
        }
    }

    private byte[] ReadBytes(int length, string where)
    {
        // Grows with the data on unseekable streams so a huge declared length cannot allocate up front.
        var bytes = new byte[Math.Min(length, _stream.CanSeek ? length : GrowthStep)];
        var read = 0;
        while (read < length)
        {
            if (read == bytes.Length)
            {
                System.Array.Resize(ref bytes, (int)Math.Min(length, bytes.Length * 2L));
            }

            var n = ReadUpTo(bytes.AsSpan(read));
            if (n == 0)
            {
                throw new ArrowFormatException($"{where}: the stream ends after {read} of the {length} metadata bytes.");
            }

            read += n;
        }

        return bytes;
    }

    private int ReadUpTo(Span<byte> destination)
    {
        var total = 0;
        while (total < destination.Length)
        {
            var n = _stream.Read(destination[total..]);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        Position += total;
        return total;
    }
}
