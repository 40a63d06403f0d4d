using System.Buffers.Text;
using System.Text;

namespace Dsl.Engine.Store.InProcess;

/// <summary>
/// Reads RESP2 replies in order from the bytes a session wrote: arrays, bulk strings (null included) and simple strings.
/// An error reply, or bytes that are no reply, throw <see cref="RespReplyException"/> naming what was found where.
/// </summary>
internal ref struct RespReply(ReadOnlySpan<byte> bytes)
{
    private readonly ReadOnlySpan<byte> _bytes = bytes;
    private int _at;

    /// <summary>Whether every byte was read.</summary>
    public readonly bool AtEnd => _at == _bytes.Length;

    /// <summary>An array's length (its elements follow).</summary>
    public int ArrayLength()
    {
        var length = Prefixed((byte)'*');
        if (length < 0) throw Malformed("a null array");
        return length;
    }

    /// <summary>A bulk string, or false for a null one (a key with no value).</summary>
    public bool Bulk(out ReadOnlySpan<byte> value)
    {
        var length = Prefixed((byte)'$');
        if (length < 0)
        {
            value = default;
            return false;
        }
        if (_bytes.Length - _at < length + 2 || _bytes[_at + length] != '\r' || _bytes[_at + length + 1] != '\n')
            throw Malformed($"a bulk string of {length} bytes that the reply does not hold");
        value = _bytes.Slice(_at, length);
        _at += length + 2;
        return true;
    }

    /// <summary>A simple string reply that must be <paramref name="expected"/> (<c>OK</c>).</summary>
    public void Simple(ReadOnlySpan<byte> expected)
    {
        var line = Line((byte)'+');
        if (!line.SequenceEqual(expected)) throw Malformed($"+{Encoding.UTF8.GetString(line)} where +{Encoding.UTF8.GetString(expected)} was expected");
    }

    private int Prefixed(byte marker)
    {
        var line = Line(marker);
        if (!Utf8Parser.TryParse(line, out int number, out var used) || used != line.Length || number < -1)
            throw Malformed($"'{Encoding.UTF8.GetString(line)}' where a length was expected");
        return number;
    }

    // The rest of the line after `marker`, without its CR LF; an error reply (-…) is thrown as what it says.
    private ReadOnlySpan<byte> Line(byte marker)
    {
        if (_at >= _bytes.Length) throw Malformed("the end of the reply where more was expected");
        var end = _bytes[_at..].IndexOf("\r\n"u8);
        if (end < 0) throw Malformed("a line without its end");
        var line = _bytes.Slice(_at + 1, end - 1);
        var kind = _bytes[_at];
        _at += end + 2;
        if (kind == '-') throw new RespReplyException(Encoding.UTF8.GetString(line));
        if (kind != marker) throw Malformed($"'{(char)kind}' where '{(char)marker}' was expected");
        return line;
    }

    private readonly RespReplyException Malformed(string what) => new($"malformed reply: {what} at byte {_at}");
}

/// <summary>The store answered a command with an error, or with bytes that are no reply.</summary>
internal sealed class RespReplyException(string message) : Exception(message);
