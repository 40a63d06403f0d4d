using System.Buffers.Text;
using System.Text;

namespace Dsl.Engine.Store.InProcess;

/// <summary>
/// Commands in the Redis protocol (RESP2 arrays of bulk strings), written into one reusable buffer: several commands
/// written one after the other are one pipelined request.
/// </summary>
internal sealed class RespRequest
{
    private byte[] _bytes = new byte[4096];

    /// <summary>The bytes written since the last <see cref="Clear"/>.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes.AsSpan(0, Length);

    public int Length { get; private set; }

    /// <summary>How many commands were written since the last <see cref="Clear"/>.</summary>
    public int Commands { get; private set; }

    public void Clear()
    {
        Length = 0;
        Commands = 0;
    }

    /// <summary>Starts a command of <paramref name="parts"/> bulk strings (its name included).</summary>
    public void Command(int parts)
    {
        Commands++;
        Prefixed((byte)'*', parts);
    }

    public void Bulk(ReadOnlySpan<byte> text)
    {
        Prefixed((byte)'$', text.Length);
        text.CopyTo(Reserve(text.Length + 2));
        EndLine(text.Length);
    }

    public void Bulk(long number)
    {
        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(number, digits, out var written);
        Bulk(digits[..written]);
    }

    /// <summary>The key of <paramref name="key"/> in the store: <c>{prefix}{entity}:{entity key}:{feature}</c>, as UTF-8.</summary>
    public void Key(string prefix, FeatureKey key)
    {
        var length = Utf8(prefix) + Utf8(key.Entity) + 1 + Utf8(key.EntityKey) + 1 + Utf8(key.Feature);
        Prefixed((byte)'$', length);
        var span = Reserve(length + 2);
        var at = Encoding.UTF8.GetBytes(prefix, span);
        at += Encoding.UTF8.GetBytes(key.Entity, span[at..]);
        span[at++] = (byte)':';
        at += Encoding.UTF8.GetBytes(key.EntityKey, span[at..]);
        span[at++] = (byte)':';
        Encoding.UTF8.GetBytes(key.Feature, span[at..]);
        EndLine(length);
    }

    /// <summary>A stored value (<see cref="StoredValueCodec"/>), encoded in place.</summary>
    public void Value(object? value, DateTime writtenAt)
    {
        var length = StoredValueCodec.EncodedLength(value);
        Prefixed((byte)'$', length);
        StoredValueCodec.Encode(value, writtenAt, Reserve(length + 2)[..length]);
        EndLine(length);
    }

    private static int Utf8(string text) => Encoding.UTF8.GetByteCount(text);

    private void Prefixed(byte marker, int number)
    {
        var span = Reserve(13);
        span[0] = marker;
        Utf8Formatter.TryFormat(number, span[1..], out var written);
        span[1 + written] = (byte)'\r';
        span[2 + written] = (byte)'\n';
        Length += 3 + written;
    }

    // After a bulk string's bytes (already in the reserved span): its line end.
    private void EndLine(int length)
    {
        _bytes[Length + length] = (byte)'\r';
        _bytes[Length + length + 1] = (byte)'\n';
        Length += length + 2;
    }

    // Room for at least `size` more bytes at Length; the caller advances Length itself.
    private Span<byte> Reserve(int size)
    {
        if (_bytes.Length - Length < size) Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, Length + size));
        return _bytes.AsSpan(Length, size);
    }
}
