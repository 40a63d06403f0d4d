using System.Text;
using System.Text.Json;
using Dsl.Streams.Definition;

namespace Dsl.Streams.Parsing;

/// <summary>
/// Reads one JSON object of a message record into the columns of its members at a row: each property is matched to a member
/// by name (exact, else ignoring ASCII case and underscores, so <c>contact_info</c> reads <c>ContactInfo</c>), its value written
/// straight into the member's column; a nested record recurses. Unknown properties are skipped. A member that is missing or
/// null is null when nullable and an error otherwise; a property given twice is an error.
/// </summary>
internal sealed class JsonObjectReader
{
    private readonly MessageMember[] _members;
    private readonly byte[][] _names;
    private readonly byte[]?[] _loose;
    private readonly JsonObjectReader?[] _nested;
    private readonly ColumnBuffer[] _columns;
    private readonly string[] _paths;
    private readonly bool[] _seen;
    private readonly byte[][] _spellings;
    private readonly int[] _spellingLengths;

    // Per member, the bytes <c>"spelling":</c> of its remembered spelling when that is plain ASCII (no quote, backslash or
    // control character), else empty: a name met in these very bytes is what TryName and Find would make of it.
    private readonly byte[][] _nameTokens;
    private readonly int[] _nameTokenLengths;

    /// <summary>The longest property name matched ignoring case and underscores, or unescaped.</summary>
    private const int MaxName = 256;

    /// <summary>The longest spelling of a member remembered.</summary>
    private const int MaxSpelling = 64;

    public JsonObjectReader(MessageShape shape, ColumnBuffer[] columns, string path)
    {
        _members = [.. shape.Members];
        _columns = columns;
        _names = _members.Select(m => Encoding.UTF8.GetBytes(m.Property.Name)).ToArray();
        var loose = _members.Select(m => Loose(m.Property.Name)).ToArray();
        // Two members alike ignoring case and underscores are matched exactly only.
        _loose = loose.Select(l => loose.Count(o => o.AsSpan().SequenceEqual(l)) == 1 ? l : null).ToArray();
        _paths = _members.Select(m => path.Length == 0 ? m.Property.Name : $"{path}.{m.Property.Name}").ToArray();
        _nested = _members.Select((m, i) => m.Nested is null ? null : new JsonObjectReader(m.Nested, columns, _paths[i])).ToArray();
        _seen = new bool[_members.Length];
        _spellings = _members.Select(_ => new byte[MaxSpelling]).ToArray();
        _spellingLengths = _members.Select(_ => -1).ToArray();
        _nameTokens = _members.Select(_ => new byte[MaxSpelling + 3]).ToArray();
        _nameTokenLengths = new int[_members.Length];
    }

    /// <summary>Reads the object at the reader's current token (a StartObject) into <paramref name="row"/>; null, or what is wrong.</summary>
    public string? Read(ref Utf8JsonReader reader, int row)
    {
        if (reader.TokenType != JsonTokenType.StartObject) return "is not a JSON object";
        Array.Clear(_seen);
        var hint = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var index = Find(ref reader, hint);
            reader.Read();
            if (index < 0)
            {
                reader.Skip();
                continue;
            }
            hint = index + 1;
            if (_seen[index]) return $"{_paths[index]} is given twice";
            _seen[index] = true;
            var problem = ReadMember(ref reader, index, row);
            if (problem is not null) return problem;
        }
        for (var i = 0; i < _members.Length; i++)
        {
            if (_seen[i]) continue;
            if (!_members[i].Nullable) return $"{_paths[i]} is missing (it is not nullable)";
            SetNull(i, row);
        }
        return null;
    }

    /// <summary>Makes every column of this record null at <paramref name="row"/> (the record itself is null).</summary>
    public void SetAllNull(int row)
    {
        for (var i = 0; i < _members.Length; i++) SetNull(i, row);
    }

    /// <summary>
    /// The scanner's path (<see cref="JsonScanner"/>): reads the object at <paramref name="at"/> (its opening brace) into
    /// <paramref name="row"/> and moves past it, when it is of the common shape — names and strings without escapes, numbers
    /// and timestamps of the short forms, nothing deeper than <see cref="JsonScanner.MaxDepth"/>, nothing wrong. Returns false
    /// for anything else, having perhaps written part of the row: the caller then reads the message again with
    /// <see cref="Read"/>, which writes every column of the row and decides what the message is (and what its error says).
    /// </summary>
    public bool TryScan(ReadOnlySpan<byte> json, ref int at, int row, int depth)
    {
        at++;
        JsonScanner.SkipWhitespace(json, ref at);
        Array.Clear(_seen);
        if (JsonScanner.At(json, at) == (byte)'}') at++;
        else
        {
            var hint = 0;
            while (true)
            {
                int index;
                if (hint < _nameTokens.Length && _nameTokenLengths[hint] > 0 && json[at..].StartsWith(_nameTokens[hint].AsSpan(0, _nameTokenLengths[hint])))
                {
                    // The name the previous member was followed by last time, in the same bytes: TryName and Find would give the same.
                    at += _nameTokenLengths[hint];
                    JsonScanner.SkipWhitespace(json, ref at);
                    index = hint;
                }
                else
                {
                    if (!JsonScanner.TryName(json, ref at, out var name)) return false;
                    index = Find(name, hint);
                }
                if (index < 0)
                {
                    if (!JsonScanner.TrySkipValue(json, ref at, depth)) return false;
                }
                else
                {
                    if (_seen[index]) return false;
                    _seen[index] = true;
                    hint = index + 1;
                    if (!TryScanMember(json, ref at, index, row, depth)) return false;
                }
                if (!JsonScanner.NextMember(json, ref at, out var valid))
                {
                    if (!valid) return false;
                    break;
                }
            }
        }
        for (var i = 0; i < _members.Length; i++)
        {
            if (_seen[i]) continue;
            if (!_members[i].Nullable) return false;
            SetNull(i, row);
        }
        return true;
    }

    private bool TryScanMember(ReadOnlySpan<byte> json, ref int at, int index, int row, int depth)
    {
        var first = JsonScanner.At(json, at);
        if (first == (byte)'n')
        {
            if (!_members[index].Nullable || !JsonScanner.TryLiteral(json, ref at, "null"u8)) return false;
            SetNull(index, row);
            return true;
        }
        if (_nested[index] is { } nested)
        {
            if (first != (byte)'{' || depth + 1 > JsonScanner.MaxDepth) return false;
            if (_members[index].PresenceColumn >= 0) ((BooleanColumn)_columns[_members[index].PresenceColumn]).Set(row, true);
            return nested.TryScan(json, ref at, row, depth + 1);
        }
        var column = _columns[_members[index].Column];
        switch (first)
        {
            case (byte)'"':
                return JsonScanner.TryString(json, ref at, out var content) && column.TryScanString(content, row);
            case (byte)'t':
                return JsonScanner.TryLiteral(json, ref at, "true"u8) && column.TryScanBoolean(true, row);
            case (byte)'f':
                return JsonScanner.TryLiteral(json, ref at, "false"u8) && column.TryScanBoolean(false, row);
            default:
                return JsonScanner.TryNumber(json, ref at, out var number) && column.TryScanNumber(number, row);
        }
    }

    private string? ReadMember(ref Utf8JsonReader reader, int index, int row)
    {
        var member = _members[index];
        if (reader.TokenType == JsonTokenType.Null)
        {
            if (!member.Nullable) return $"{_paths[index]} is null (it is not nullable)";
            SetNull(index, row);
            return null;
        }
        if (_nested[index] is { } nested)
        {
            if (member.PresenceColumn >= 0) ((BooleanColumn)_columns[member.PresenceColumn]).Set(row, true);
            return nested.Read(ref reader, row);
        }
        var problem = _columns[member.Column].Read(ref reader, row);
        return problem is null ? null : $"{_paths[index]} {problem}";
    }

    private void SetNull(int index, int row)
    {
        var member = _members[index];
        if (_nested[index] is { } nested)
        {
            if (member.PresenceColumn >= 0) ((BooleanColumn)_columns[member.PresenceColumn]).Set(row, false);
            nested.SetAllNull(row);
        }
        else
        {
            _columns[member.Column].SetNull(row);
        }
    }

    /// <summary>The member the current property names, or -1 (<see cref="Find(ReadOnlySpan{byte}, int)"/> on its unescaped name).</summary>
    [System.Runtime.CompilerServices.SkipLocalsInit] // the unescaped name is written before it is read
    private int Find(ref Utf8JsonReader reader, int hint)
    {
        if (!reader.ValueIsEscaped) return Find(reader.ValueSpan, hint);
        Span<byte> unescaped = stackalloc byte[MaxName];
        return reader.ValueSpan.Length <= MaxName ? Match(unescaped[..reader.CopyString(unescaped)]) : -1;
    }

    /// <summary>
    /// The member <paramref name="raw"/> (a name without escapes) names, or -1. First the spelling that last named the member
    /// after the previous one (properties usually come in order and spelled alike, so this is one comparison of bytes); else
    /// the full match, whose answer is remembered as that member's spelling (a fixed buffer: nothing is allocated). The answer
    /// depends on the name only: the spellings remembered are answers <see cref="Match"/> gave.
    /// </summary>
    private int Find(ReadOnlySpan<byte> raw, int hint)
    {
        if (hint < _spellings.Length && raw.Length == _spellingLengths[hint] && raw.SequenceEqual(_spellings[hint].AsSpan(0, raw.Length))) return hint;
        var index = Match(raw);
        if (index >= 0 && raw.Length <= MaxSpelling)
        {
            raw.CopyTo(_spellings[index]);
            _spellingLengths[index] = raw.Length;
            _nameTokenLengths[index] = NameToken(raw, _nameTokens[index]);
        }
        return index;
    }

    /// <summary>
    /// Writes <c>"name":</c> into <paramref name="token"/> and returns its length, when <paramref name="name"/> is printable
    /// ASCII without a quote or backslash (then a string in the JSON starting with these bytes has exactly this content, as
    /// <see cref="JsonScanner.TryString"/> reads it); else 0 (no token: such names take the general path).
    /// </summary>
    private static int NameToken(ReadOnlySpan<byte> name, byte[] token)
    {
        foreach (var b in name)
        {
            if (b is < 0x20 or >= 0x7F or (byte)'"' or (byte)'\\') return 0;
        }
        token[0] = (byte)'"';
        name.CopyTo(token.AsSpan(1));
        token[name.Length + 1] = (byte)'"';
        token[name.Length + 2] = (byte)':';
        return name.Length + 3;
    }

    /// <summary>The member <paramref name="name"/> names: exactly, else ignoring ASCII case and underscores (names up to <see cref="MaxName"/> bytes); or -1.</summary>
    private int Match(ReadOnlySpan<byte> name)
    {
        for (var i = 0; i < _names.Length; i++)
        {
            if (name.SequenceEqual(_names[i])) return i;
        }
        if (name.Length > MaxName) return -1;
        for (var i = 0; i < _loose.Length; i++)
        {
            if (_loose[i] is { } candidate && LooselyEqual(name, candidate)) return i;
        }
        return -1;
    }

    /// <summary>Whether <paramref name="name"/> without underscores and lower-cased (ASCII) is <paramref name="loose"/>.</summary>
    private static bool LooselyEqual(ReadOnlySpan<byte> name, ReadOnlySpan<byte> loose)
    {
        var at = 0;
        foreach (var b in name)
        {
            if (b == (byte)'_') continue;
            if (at == loose.Length || loose[at++] != (b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b + 32) : b)) return false;
        }
        return at == loose.Length;
    }

    private static byte[] Loose(string name) => Encoding.UTF8.GetBytes(name.Replace("_", "", StringComparison.Ordinal).ToLowerInvariant());
}
