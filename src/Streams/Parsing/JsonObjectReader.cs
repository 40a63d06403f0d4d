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

    /// <summary>The member the current property names, or -1. Tries the member after the last one first (properties usually come in order).</summary>
    private int Find(ref Utf8JsonReader reader, int hint)
    {
        Span<byte> unescaped = stackalloc byte[256];
        scoped ReadOnlySpan<byte> name;
        if (!reader.ValueIsEscaped) name = reader.ValueSpan;
        else if (reader.ValueSpan.Length <= unescaped.Length) name = unescaped[..reader.CopyString(unescaped)];
        else return -1;
        if (hint < _names.Length && name.SequenceEqual(_names[hint])) return hint;
        for (var i = 0; i < _names.Length; i++)
        {
            if (name.SequenceEqual(_names[i])) return i;
        }
        if (name.Length > unescaped.Length) return -1;
        Span<byte> loose = stackalloc byte[name.Length];
        var length = 0;
        foreach (var b in name)
        {
            if (b != (byte)'_') loose[length++] = b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b + 32) : b;
        }
        loose = loose[..length];
        for (var i = 0; i < _loose.Length; i++)
        {
            if (_loose[i] is { } candidate && loose.SequenceEqual(candidate)) return i;
        }
        return -1;
    }

    private static byte[] Loose(string name) => Encoding.UTF8.GetBytes(name.Replace("_", "", StringComparison.Ordinal).ToLowerInvariant());
}
