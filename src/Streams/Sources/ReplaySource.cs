using System.Text.Json;
using Dsl.Streams.Parsing;

namespace Dsl.Streams.Sources;

/// <summary>How the lines of a replay file are read.</summary>
public enum ReplayFormat
{
    /// <summary>From the first non-empty line: an envelope when it is an object with a <c>data</c> property and only <c>data</c>, <c>headers</c>, <c>time</c>; else raw.</summary>
    Auto,

    /// <summary>Each line is a message.</summary>
    Raw,

    /// <summary>Each line is <c>{"headers": {"X-Type": "User"}, "time": "2026-06-30T12:00:00Z", "data": &lt;the message&gt;}</c>; a string <c>data</c> is the message's text.</summary>
    Envelope,
}

/// <summary>
/// Messages replayed from a JSON lines file, for local runs, tests and backfills: one message per line (or one envelope per line
/// with headers and a time). A message's position is its line number (from 1). The file is read in large blocks; nothing is
/// allocated per line. Acknowledging does nothing: replaying again starts from the beginning.
/// </summary>
public sealed class ReplaySource : IMessageSource
{
    private readonly Stream _file;
    private readonly string _path;
    private byte[] _buffer = new byte[1 << 20];
    private byte[] _scratch = new byte[1 << 12];
    private readonly EnvelopePrefix _prefix = new();
    private int _start;
    private int _end;
    private bool _eof;
    private long _line;
    private ReplayFormat _format;

    /// <summary>Opens <paramref name="path"/> for replay.</summary>
    public ReplaySource(string path, ReplayFormat format = ReplayFormat.Auto)
    {
        _path = path;
        _file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, useAsync: false);
        _format = format;
    }

    /// <inheritdoc />
    public string Description => $"replay {_path}";

    /// <inheritdoc />
    public long? Lag => null;

    /// <inheritdoc />
    public ValueTask<bool> ReadAsync(MessageBatch batch, int maxMessages, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        batch.Clear();
        while (batch.Count < maxMessages)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline < 0 && !_eof)
            {
                Fill();
                continue;
            }
            if (newline < 0 && _start == _end) break;
            var length = newline < 0 ? _end - _start : newline;
            var line = _buffer.AsSpan(_start, length);
            _start += newline < 0 ? length : length + 1;
            _line++;
            if (line.Length > 0 && line[^1] == (byte)'\r') line = line[..^1];
            if (line.Trim(" \t"u8).IsEmpty) continue;
            if (_format == ReplayFormat.Auto) _format = ReplayEnvelope.IsEnvelope(line) ? ReplayFormat.Envelope : ReplayFormat.Raw;
            if (_format == ReplayFormat.Raw) batch.Add(line, null, _line);
            else ReplayEnvelope.Add(batch, line, _line, ref _scratch, _prefix);
        }
        return ValueTask.FromResult(batch.Count > 0 || !_eof || _start < _end);
    }

    /// <inheritdoc />
    public ValueTask AcknowledgeAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Moves what is left to the front of the buffer (growing it for a line longer than the buffer) and reads more.</summary>
    private void Fill()
    {
        var left = _end - _start;
        if (left == _buffer.Length) System.Array.Resize(ref _buffer, _buffer.Length * 2);
        _buffer.AsSpan(_start, left).CopyTo(_buffer);
        _start = 0;
        _end = left;
        var read = _file.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0) _eof = true;
        _end += read;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _file.DisposeAsync();
}

/// <summary>The envelope lines of a replay file: headers, a time and the message.</summary>
internal static class ReplayEnvelope
{
    private static readonly JsonReaderOptions s_options = new() { MaxDepth = 64 };

    /// <summary>Whether <paramref name="line"/> is an envelope: an object with <c>data</c>, and nothing but <c>data</c>, <c>headers</c>, <c>time</c>.</summary>
    public static bool IsEnvelope(ReadOnlySpan<byte> line)
    {
        try
        {
            var reader = new Utf8JsonReader(line, s_options);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
            var hasData = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("data"u8)) hasData = true;
                else if (!reader.ValueTextEquals("headers"u8) && !reader.ValueTextEquals("time"u8)) return false;
                reader.Read();
                reader.Skip();
            }
            return hasData;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// Adds the envelope's message with its headers and time. A line that is not a well-formed envelope (not JSON, not an object,
    /// no <c>data</c>, a <c>time</c> that is not an ISO 8601 timestamp) is added as unreadable with the reason, so it becomes an
    /// error record at its line rather than a message without headers. <c>data</c> is the last property of an envelope: its value
    /// is taken as the rest of the line up to the closing brace without being tokenized here (the message reader reads it once;
    /// anything after it is an error there).
    /// </summary>
    public static void Add(MessageBatch batch, ReadOnlySpan<byte> line, long position, ref byte[] scratch, EnvelopePrefix? prefix = null)
    {
        if (!TryScan(batch, line, position, prefix)) AddWithReader(batch, line, position, ref scratch);
    }

    /// <summary>
    /// The scanner's path of <see cref="Add"/> (<see cref="JsonScanner"/>): an envelope of the common shape — names, header values
    /// and the time without escapes, a time of the <c>…Z</c> form or null, the data an object — is added exactly as
    /// <see cref="AddWithReader"/> adds it; anything else is declined (false, nothing added) and read by that reader's path.
    /// With <paramref name="prefix"/>, a line starting with the bytes the last line's headers were scanned from resumes after them.
    /// </summary>
    [System.Runtime.CompilerServices.SkipLocalsInit] // the header slots are written before they are read: no zeroing per line
    internal static bool TryScan(MessageBatch batch, ReadOnlySpan<byte> line, long position, EnvelopePrefix? prefix = null)
    {
        var at = 0;
        Span<(int NameStart, int NameLength, int ValueStart, int ValueLength)> headers = stackalloc (int, int, int, int)[EnvelopePrefix.MaxHeaders];
        var headerCount = 0;
        DateTime? time = null;
        if (prefix is not null && prefix.TryResume(line, headers, ref headerCount, ref at)) JsonScanner.SkipWhitespace(line, ref at);
        else
        {
            JsonScanner.SkipWhitespace(line, ref at);
            if (JsonScanner.At(line, at) != (byte)'{') return false;
            at++;
            JsonScanner.SkipWhitespace(line, ref at);
        }
        while (true)
        {
            if (!JsonScanner.TryName(line, ref at, out var name)) return false;
            if (name.SequenceEqual("data"u8))
            {
                // As the reader's path: the rest of the line before its closing brace, not tokenized here.
                var end = line.TrimEnd(" \t\r"u8).Length - 1;
                if (JsonScanner.At(line, at) != (byte)'{' || end <= at || line[end] != (byte)'}') return false;
                batch.Add(line[at..end].TrimEnd(" \t\r"u8), time, position);
                for (var h = 0; h < headerCount; h++)
                    batch.AddHeader(line.Slice(headers[h].NameStart, headers[h].NameLength), line.Slice(headers[h].ValueStart, headers[h].ValueLength));
                return true;
            }
            if (name.SequenceEqual("time"u8))
            {
                if (JsonScanner.At(line, at) != (byte)'n' || !JsonScanner.TryLiteral(line, ref at, "null"u8))
                {
                    if (!JsonScanner.TryString(line, ref at, out var text) || !Parsing.UtcTimestamps.TryParseZulu(text, out var ticks)) return false;
                    time = new DateTime(ticks, DateTimeKind.Utc);
                }
            }
            else if (JsonScanner.At(line, at) == (byte)'{')
            {
                if (!TryScanHeaders(line, ref at, headers, ref headerCount)) return false;
                if (!JsonScanner.NextMember(line, ref at, out _)) return false;
                // Everything so far is fixed by the bytes before 'at' (what follows them is whitespace or not, which the resumed
                // scan checks again), so a line starting with the same bytes gets the same headers, at the same places.
                if (time is null) prefix?.Remember(line[..at], headers[..headerCount]);
                continue;
            }
            else if (!JsonScanner.TrySkipValue(line, ref at, depth: 1)) return false;
            if (!JsonScanner.NextMember(line, ref at, out _)) return false; // the end without data, or malformed: the reader's path says which
        }
    }

    /// <summary>An object of headers: each string member (up to the slots there are) is a header, anything else is skipped.</summary>
    private static bool TryScanHeaders(ReadOnlySpan<byte> line, ref int at, Span<(int NameStart, int NameLength, int ValueStart, int ValueLength)> headers, ref int headerCount)
    {
        at++;
        JsonScanner.SkipWhitespace(line, ref at);
        if (JsonScanner.At(line, at) == (byte)'}')
        {
            at++;
            return true;
        }
        while (true)
        {
            var nameStart = at + 1;
            if (!JsonScanner.TryName(line, ref at, out var name)) return false;
            if (JsonScanner.At(line, at) == (byte)'"')
            {
                var valueStart = at + 1;
                if (!JsonScanner.TryString(line, ref at, out var value)) return false;
                if (headerCount < headers.Length) headers[headerCount++] = (nameStart, name.Length, valueStart, value.Length);
            }
            else if (!JsonScanner.TrySkipValue(line, ref at, depth: 2)) return false;
            if (!JsonScanner.NextMember(line, ref at, out var valid)) return valid;
        }
    }

    /// <summary>The reader's path of <see cref="Add"/> (<see cref="Utf8JsonReader"/>), which decides on every line the scanner declines.</summary>
    [System.Runtime.CompilerServices.SkipLocalsInit] // the header slots are written before they are read: no zeroing per line
    internal static void AddWithReader(MessageBatch batch, ReadOnlySpan<byte> line, long position, ref byte[] scratch)
    {
        try
        {
            var reader = new Utf8JsonReader(line, s_options);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                batch.AddUnreadable(position, "the line is not a replay envelope (a JSON object with \"headers\", \"time\" and \"data\")");
                return;
            }
            Span<(int NameStart, int NameLength, int ValueStart, int ValueLength)> headers = stackalloc (int, int, int, int)[16];
            var headerCount = 0;
            DateTime? time = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("data"u8))
                {
                    reader.Read();
                    var data = DataOf(ref reader, line, ref scratch);
                    if (data.IsEmpty && reader.TokenType != JsonTokenType.String)
                    {
                        batch.AddUnreadable(position, "the envelope does not end with '}' after its data");
                        return;
                    }
                    batch.Add(data, time, position);
                    for (var h = 0; h < headerCount; h++)
                        batch.AddHeader(line.Slice(headers[h].NameStart, headers[h].NameLength), line.Slice(headers[h].ValueStart, headers[h].ValueLength));
                    return;
                }
                if (reader.ValueTextEquals("time"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.Null) continue;
                    if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && Parsing.UtcTimestamps.TryParseZulu(reader.ValueSpan, out var ticks))
                        time = new DateTime(ticks, DateTimeKind.Utc);
                    else if (reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out var t))
                        time = t.UtcDateTime;
                    else
                    {
                        batch.AddUnreadable(position, "the envelope's time is not an ISO 8601 timestamp");
                        return;
                    }
                    continue;
                }
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var nameStart = (int)reader.TokenStartIndex + 1;
                    var nameLength = reader.ValueSpan.Length;
                    var plainName = !reader.ValueIsEscaped;
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String && plainName && !reader.ValueIsEscaped && headerCount < headers.Length)
                        headers[headerCount++] = (nameStart, nameLength, (int)reader.TokenStartIndex + 1, reader.ValueSpan.Length);
                    else reader.Skip();
                }
            }
            batch.AddUnreadable(position, "the envelope has no \"data\"");
        }
        catch (JsonException e)
        {
            batch.AddUnreadable(position, $"the line is not a valid replay envelope: {e.Message}");
        }
        catch (InvalidOperationException e)
        {
            // A string data whose escapes are not valid UTF-16 (a lone surrogate).
            batch.AddUnreadable(position, $"the line is not a valid replay envelope: {e.Message}");
        }
    }

    /// <summary>The message of an envelope whose <c>data</c> value starts at the reader: the rest of the line before its closing brace (empty when it does not end with one), or a string's text.</summary>
    private static ReadOnlySpan<byte> DataOf(ref Utf8JsonReader reader, ReadOnlySpan<byte> line, ref byte[] scratch)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            if (scratch.Length < reader.ValueSpan.Length) scratch = new byte[reader.ValueSpan.Length * 2];
            return scratch.AsSpan(0, reader.CopyString(scratch));
        }
        var start = (int)reader.TokenStartIndex;
        var end = line.TrimEnd(" \t\r"u8).Length - 1;
        return end <= start || line[end] != (byte)'}' ? default : line[start..end].TrimEnd(" \t\r"u8);
    }
}

/// <summary>
/// The start of the last envelope line whose headers the scanner read (through the member after the headers), and the headers
/// found in it: replay files repeat the same headers line after line, so the next line starting with these bytes resumes the
/// scan after them (one comparison of bytes instead of scanning the headers again).
/// </summary>
internal sealed class EnvelopePrefix
{
    /// <summary>How many headers an envelope keeps (more are read but not kept, on either path).</summary>
    public const int MaxHeaders = 16;

    private const int MaxBytes = 512;
    private readonly byte[] _bytes = new byte[MaxBytes];
    private readonly (int NameStart, int NameLength, int ValueStart, int ValueLength)[] _headers = new (int, int, int, int)[MaxHeaders];
    private int _length;
    private int _headerCount;

    /// <summary>Remembers that scanning <paramref name="start"/> (the first bytes of a line) found <paramref name="headers"/> and no time.</summary>
    public void Remember(ReadOnlySpan<byte> start, ReadOnlySpan<(int NameStart, int NameLength, int ValueStart, int ValueLength)> headers)
    {
        if (start.Length > MaxBytes)
        {
            _length = 0;
            return;
        }
        start.CopyTo(_bytes);
        headers.CopyTo(_headers);
        _length = start.Length;
        _headerCount = headers.Length;
    }

    /// <summary>When <paramref name="line"/> starts with the remembered bytes: their headers, and the position after them.</summary>
    public bool TryResume(ReadOnlySpan<byte> line, Span<(int NameStart, int NameLength, int ValueStart, int ValueLength)> headers, ref int headerCount, ref int at)
    {
        if (_length == 0 || !line.StartsWith(_bytes.AsSpan(0, _length))) return false;
        _headers.AsSpan(0, _headerCount).CopyTo(headers);
        headerCount = _headerCount;
        at = _length;
        return true;
    }
}
