using System.Buffers.Binary;
using System.Text;

namespace Dsl.Streams.Sources;

/// <summary>
/// A batch of raw messages as a source delivers them: each message's bytes, headers, time and position in its source, kept in
/// a few arrays reused batch after batch (adding a message copies its bytes; nothing is allocated per message).
/// </summary>
public sealed class MessageBatch
{
    private byte[] _data = new byte[1 << 20];
    private int[] _dataEnd = new int[4096];
    private byte[] _headers = new byte[1 << 16];
    private int[] _headersEnd = new int[4096];
    private long[] _times = new long[4096];
    private long[] _positions = new long[4096];
    private string?[] _problems = new string?[4096];

    /// <summary>How many messages the batch holds.</summary>
    public int Count { get; private set; }

    /// <summary>Empties the batch (its arrays are kept).</summary>
    public void Clear()
    {
        System.Array.Clear(_problems, 0, Count);
        Count = 0;
    }

    /// <summary>
    /// Adds a message: its bytes, its time (null: unknown, taken as its arrival) and its position in the source (a line number,
    /// a stream sequence), which error records quote. Headers are added after it with <see cref="AddHeader(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/>.
    /// </summary>
    public void Add(ReadOnlySpan<byte> data, DateTime? time, long position)
    {
        if (Count == _dataEnd.Length) Grow();
        var start = DataStart(Count);
        Ensure(ref _data, start + data.Length);
        data.CopyTo(_data.AsSpan(start));
        _dataEnd[Count] = start + data.Length;
        _headersEnd[Count] = HeadersStart(Count);
        _times[Count] = time is { } t ? (t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : t).Ticks : 0;
        _positions[Count] = position;
        Count++;
    }

    /// <summary>
    /// Adds a message the source could not take apart (a replay line that is not an envelope): it has no bytes or headers and
    /// becomes an error record at <paramref name="position"/> with <paramref name="reason"/>, before any filter.
    /// </summary>
    public void AddUnreadable(long position, string reason)
    {
        Add([], null, position);
        _problems[Count - 1] = reason;
    }

    /// <summary>Why message <paramref name="index"/> could not be taken apart by its source, or null (it was).</summary>
    public string? Problem(int index) => _problems[index];

    /// <summary>Adds a header to the last message added.</summary>
    public void AddHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        var at = _headersEnd[Count - 1];
        Ensure(ref _headers, at + 8 + name.Length + value.Length);
        BinaryPrimitives.WriteInt32LittleEndian(_headers.AsSpan(at), name.Length);
        name.CopyTo(_headers.AsSpan(at + 4));
        at += 4 + name.Length;
        BinaryPrimitives.WriteInt32LittleEndian(_headers.AsSpan(at), value.Length);
        value.CopyTo(_headers.AsSpan(at + 4));
        _headersEnd[Count - 1] = at + 4 + value.Length;
    }

    /// <summary>Adds a header (UTF-8 encoded) to the last message added.</summary>
    public void AddHeader(string name, string value)
    {
        Span<byte> buffer = stackalloc byte[512];
        var bytes = Encoding.UTF8.GetMaxByteCount(name.Length + value.Length) <= buffer.Length ? buffer : new byte[Encoding.UTF8.GetByteCount(name) + Encoding.UTF8.GetByteCount(value)];
        var n = Encoding.UTF8.GetBytes(name, bytes);
        var v = Encoding.UTF8.GetBytes(value, bytes[n..]);
        AddHeader(bytes[..n], bytes.Slice(n, v));
    }

    /// <summary>The bytes of message <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> Data(int index) => _data.AsSpan(DataStart(index), _dataEnd[index] - DataStart(index));

    /// <summary>The bytes of message <paramref name="index"/> as memory (for parse functions).</summary>
    public ReadOnlyMemory<byte> DataMemory(int index) => _data.AsMemory(DataStart(index), _dataEnd[index] - DataStart(index));

    /// <summary>The time of message <paramref name="index"/> (UTC), or null when the source did not give one.</summary>
    public DateTime? Time(int index) => _times[index] == 0 ? null : new DateTime(_times[index], DateTimeKind.Utc);

    /// <summary>The position of message <paramref name="index"/> in its source.</summary>
    public long Position(int index) => _positions[index];

    /// <summary>The headers of message <paramref name="index"/> as they are kept (for tests comparing batches).</summary>
    internal ReadOnlySpan<byte> HeaderBytes(int index) => _headers.AsSpan(HeadersStart(index), _headersEnd[index] - HeadersStart(index));

    /// <summary>Whether message <paramref name="index"/> has header <paramref name="name"/> (ASCII case ignored) with exactly <paramref name="value"/>.</summary>
    public bool HasHeader(int index, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        var headers = _headers.AsSpan(HeadersStart(index), _headersEnd[index] - HeadersStart(index));
        while (headers.Length >= 8)
        {
            var nameLength = BinaryPrimitives.ReadInt32LittleEndian(headers);
            var header = headers.Slice(4, nameLength);
            headers = headers[(4 + nameLength)..];
            var valueLength = BinaryPrimitives.ReadInt32LittleEndian(headers);
            if (Ascii.EqualsIgnoreCase(header, name) && headers.Slice(4, valueLength).SequenceEqual(value)) return true;
            headers = headers[(4 + valueLength)..];
        }
        return false;
    }

    private int DataStart(int index) => index == 0 ? 0 : _dataEnd[index - 1];

    private int HeadersStart(int index) => index == 0 ? 0 : _headersEnd[index - 1];

    private void Grow()
    {
        var size = _dataEnd.Length * 2;
        System.Array.Resize(ref _dataEnd, size);
        System.Array.Resize(ref _headersEnd, size);
        System.Array.Resize(ref _times, size);
        System.Array.Resize(ref _positions, size);
        System.Array.Resize(ref _problems, size);
    }

    private static void Ensure(ref byte[] buffer, int size)
    {
        if (size > buffer.Length) System.Array.Resize(ref buffer, Math.Max(buffer.Length * 2, size));
    }
}
