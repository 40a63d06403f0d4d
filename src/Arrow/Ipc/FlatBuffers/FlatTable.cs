using System.Buffers.Binary;
using System.Text;

namespace Dsl.ArrowExtensions.Ipc.FlatBuffers;

/// <summary>
/// A bounds-checked view of one FlatBuffers table inside a metadata buffer.
/// </summary>
/// <remarks>
/// Invariant: a <see cref="FlatTable"/> exists only after its position, its vtable and its inline size were
/// checked against the buffer, so every field read is checked only against the table's own inline size.
/// Every offset followed from here (tables, vectors, strings) is checked before it is used; every failure is an
/// <see cref="ArrowFormatException"/> that names the path of the object (<c>Message.header.nodes[3]</c>) and
/// the byte position inside the buffer. Reads are little-endian and need no alignment.
/// </remarks>
internal readonly struct FlatTable
{
    private readonly byte[] _bytes;
    private readonly int _position;
    private readonly int _vtable;
    private readonly int _vtableLength;
    private readonly int _inlineLength;

    private FlatTable(byte[] bytes, int position, int vtable, int vtableLength, int inlineLength, string path)
    {
        _bytes = bytes;
        _position = position;
        _vtable = vtable;
        _vtableLength = vtableLength;
        _inlineLength = inlineLength;
        Path = path;
    }

    /// <summary>Where this table is, for error messages: the context given to <see cref="Root"/> and the path.</summary>
    public string Path { get; }

    /// <summary>Reads the root table of <paramref name="bytes"/> (a uoffset at position 0).</summary>
    public static FlatTable Root(byte[] bytes, string path)
    {
        if (bytes.Length < 4)
        {
            throw Error(path, $"the flatbuffer is {bytes.Length} bytes long, too short for a root offset");
        }

        return At(bytes, FollowOffsetAt(bytes, 0, path), path);
    }

    /// <summary>Whether the field in vtable slot <paramref name="slot"/> is present.</summary>
    public bool Has(int slot) => FieldOffset(slot, 0, nameof(Has)) != 0;

    /// <summary>The byte position of the field in <paramref name="slot"/> inside the buffer, or -1 when it is absent.</summary>
    /// <remarks>For tests that damage one field of real metadata; the reader itself never needs positions.</remarks>
    public int PositionOf(int slot)
    {
        var offset = FieldOffset(slot, 0, nameof(PositionOf));
        return offset == 0 ? -1 : _position + offset;
    }

    public bool GetBool(int slot, bool defaultValue) => GetByte(slot, defaultValue ? (byte)1 : (byte)0) != 0;

    public byte GetByte(int slot, byte defaultValue)
    {
        var offset = FieldOffset(slot, 1, "ubyte");
        return offset == 0 ? defaultValue : _bytes[_position + offset];
    }

    public short GetInt16(int slot, short defaultValue)
    {
        var offset = FieldOffset(slot, 2, "short");
        return offset == 0 ? defaultValue : BinaryPrimitives.ReadInt16LittleEndian(_bytes.AsSpan(_position + offset));
    }

    public int GetInt32(int slot, int defaultValue)
    {
        var offset = FieldOffset(slot, 4, "int");
        return offset == 0 ? defaultValue : BinaryPrimitives.ReadInt32LittleEndian(_bytes.AsSpan(_position + offset));
    }

    public long GetInt64(int slot, long defaultValue)
    {
        var offset = FieldOffset(slot, 8, "long");
        return offset == 0 ? defaultValue : BinaryPrimitives.ReadInt64LittleEndian(_bytes.AsSpan(_position + offset));
    }

    /// <summary>The table referenced by the offset field in <paramref name="slot"/>, or null when absent.</summary>
    public FlatTable? GetTable(int slot, string name)
    {
        var target = Follow(slot, name);
        return target < 0 ? null : At(_bytes, target, Path + "." + name);
    }

    /// <summary>The string in <paramref name="slot"/> (strict UTF-8), or null when absent.</summary>
    public string? GetString(int slot, string name)
    {
        var target = Follow(slot, name);
        return target < 0 ? null : ReadString(_bytes, target, Path + "." + name);
    }

    /// <summary>The vector in <paramref name="slot"/>, or an empty vector when absent.</summary>
    public FlatVector GetVector(int slot, string name, int elementSize)
    {
        var path = Path + "." + name;
        var target = Follow(slot, name);
        return target < 0 ? FlatVector.Empty(_bytes, path, elementSize) : FlatVector.At(_bytes, target, elementSize, path);
    }

    internal static FlatTable At(byte[] bytes, int position, string path)
    {
        if (position < 0 || (long)position + 4 > bytes.Length)
        {
            throw Error(path, $"table at byte {position} lies outside the {bytes.Length}-byte flatbuffer");
        }

        var vtable = (long)position - BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(position));
        if (vtable < 0 || vtable + 4 > bytes.Length)
        {
            throw Error(path, $"vtable of the table at byte {position} would be at byte {vtable}, outside the {bytes.Length}-byte flatbuffer");
        }

        var vtableLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan((int)vtable));
        var inlineLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan((int)vtable + 2));
        if (vtableLength < 4 || vtableLength % 2 != 0 || vtable + vtableLength > bytes.Length)
        {
            throw Error(path, $"vtable at byte {vtable} declares {vtableLength} bytes, which is not an even size of at least 4 inside the {bytes.Length}-byte flatbuffer");
        }

        if (inlineLength < 4 || (long)position + inlineLength > bytes.Length)
        {
            throw Error(path, $"table at byte {position} declares {inlineLength} inline bytes, which do not fit the {bytes.Length}-byte flatbuffer");
        }

        return new FlatTable(bytes, position, (int)vtable, vtableLength, inlineLength, path);
    }

    internal static string ReadString(byte[] bytes, int position, string path)
    {
        var vector = FlatVector.At(bytes, position, 1, path);
        try
        {
            return StrictUtf8.GetString(bytes, vector.Start, vector.Count);
        }
        catch (DecoderFallbackException exception)
        {
            throw new ArrowFormatException($"Invalid Arrow metadata at {path}: string at byte {position} is not valid UTF-8.", exception);
        }
    }

    internal static ArrowFormatException Error(string path, string what) => new($"Invalid Arrow metadata at {path}: {what}.");

    /// <summary>The field's offset inside the table, 0 when absent; checks the field fits the inline part.</summary>
    private int FieldOffset(int slot, int size, string kind)
    {
        var entry = 4 + (2 * slot);
        if (entry + 2 > _vtableLength)
        {
            return 0;
        }

        int offset = BinaryPrimitives.ReadUInt16LittleEndian(_bytes.AsSpan(_vtable + entry));
        if (offset != 0 && offset + size > _inlineLength)
        {
            throw Error(Path, $"field {slot} ({kind}) at inline offset {offset} overruns the table's {_inlineLength} inline bytes (table at byte {_position})");
        }

        return offset;
    }

    /// <summary>Follows the uoffset in <paramref name="slot"/>; -1 when the field is absent.</summary>
    private int Follow(int slot, string name)
    {
        var offset = FieldOffset(slot, 4, name);
        if (offset == 0)
        {
            return -1;
        }

        var at = _position + offset;
        return FollowOffsetAt(_bytes, at, Path + "." + name);
    }

    internal static int FollowOffsetAt(byte[] bytes, int at, string path)
    {
        var target = at + (long)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at));
        if (target + 4 > bytes.Length)
        {
            throw Error(path, $"offset at byte {at} points to byte {target}, outside the {bytes.Length}-byte flatbuffer");
        }

        return (int)target;
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
