using System.Buffers.Binary;
using System.Text;

namespace Dsl.ArrowExtensions.Tests.Ipc.FlatBuffers;

/// <summary>
/// Builds a FlatBuffers buffer back to front, the way the reference builders do: children are written before
/// the tables that point at them, so every uoffset is positive. Tests use it to craft IPC metadata that no writer
/// produces (unknown codecs, unsupported types, out-of-range parameters) for the reader's bounds-checked decoder.
/// </summary>
/// <remarks>
/// Positions handed out (<see cref="EndTable"/>, <see cref="CreateString"/>, <see cref="EndVector"/>) are
/// distances from the end of the buffer. Every scalar is aligned to its size relative to that end, and
/// <see cref="Finish"/> pads the front to the largest alignment used, so alignment also holds from the start
/// (what the C++ verifier checks). Default-valued scalars are omitted, as the reference builders do.
/// </remarks>
internal sealed class FlatBufferBuilder
{
    private byte[] _buffer;
    private int _head;
    private int _minAlign = 1;
    private int[] _slots = new int[16];
    private int _slotCount = -1;
    private int _tableStart;

    public FlatBufferBuilder(int initialCapacity = 256)
    {
        _buffer = new byte[Math.Max(initialCapacity, 16)];
        _head = _buffer.Length;
    }

    /// <summary>Bytes written so far, measured from the end of the buffer.</summary>
    public int Offset => _buffer.Length - _head;

    public int CreateString(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        Prep(4, length + 1);
        _head -= 1;
        _buffer[_head] = 0;
        _head -= length;
        Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_head, length));
        PutUInt32((uint)length);
        return Offset;
    }

    /// <summary>Starts a vector of <paramref name="count"/> elements; prepend them last to first.</summary>
    public void StartVector(int elementSize, int count, int alignment)
    {
        Prep(4, elementSize * count);
        Prep(alignment, elementSize * count);
    }

    public int EndVector(int count)
    {
        Prep(4, 0);
        PutUInt32((uint)count);
        return Offset;
    }

    /// <summary>A vector of offsets to tables or strings, in the given order.</summary>
    public int CreateOffsetVector(IReadOnlyList<int> offsets)
    {
        StartVector(4, offsets.Count, 4);
        for (var i = offsets.Count - 1; i >= 0; i--)
        {
            PrependOffset(offsets[i]);
        }

        return EndVector(offsets.Count);
    }

    public void StartTable(int slotCount)
    {
        if (_slotCount >= 0)
        {
            throw new InvalidOperationException("FlatBuffers tables cannot be nested while building; build children first.");
        }

        if (_slots.Length < slotCount)
        {
            _slots = new int[slotCount];
        }

        _slots.AsSpan(0, slotCount).Clear();
        _slotCount = slotCount;
        _tableStart = Offset;
    }

    public void AddBool(int slot, bool value, bool defaultValue)
    {
        if (value != defaultValue)
        {
            AddByte(slot, value ? (byte)1 : (byte)0, 255);
        }
    }

    public void AddByte(int slot, byte value, byte defaultValue)
    {
        if (value != defaultValue)
        {
            Prep(1, 0);
            _buffer[--_head] = value;
            _slots[slot] = Offset;
        }
    }

    public void AddInt16(int slot, short value, short defaultValue)
    {
        if (value != defaultValue)
        {
            PrependInt16(value);
            _slots[slot] = Offset;
        }
    }

    public void AddInt32(int slot, int value, int defaultValue)
    {
        if (value != defaultValue)
        {
            Prep(4, 0);
            _head -= 4;
            BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_head), value);
            _slots[slot] = Offset;
        }
    }

    public void AddInt64(int slot, long value, long defaultValue)
    {
        if (value != defaultValue)
        {
            PrependInt64(value);
            _slots[slot] = Offset;
        }
    }

    /// <summary>Adds an offset field pointing at an object built earlier (<paramref name="target"/> from <see cref="Offset"/>).</summary>
    public void AddOffset(int slot, int target)
    {
        PrependOffset(target);
        _slots[slot] = Offset;
    }

    public int EndTable()
    {
        Prep(4, 0);
        _head -= 4; // soffset to the vtable, patched below
        var tableOffset = Offset;

        var used = _slotCount;
        while (used > 0 && _slots[used - 1] == 0)
        {
            used--;
        }

        for (var i = used - 1; i >= 0; i--)
        {
            PrependInt16((short)(_slots[i] == 0 ? 0 : tableOffset - _slots[i]));
        }

        PrependInt16((short)(tableOffset - _tableStart));
        PrependInt16((short)((used + 2) * 2));
        var vtableOffset = Offset;

        // The vtable sits before the table, so table - vtable is positive.
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_buffer.Length - tableOffset), vtableOffset - tableOffset);
        _slotCount = -1;
        return tableOffset;
    }

    /// <summary>Writes the root offset and returns the finished buffer, its length a multiple of 8.</summary>
    public byte[] Finish(int root)
    {
        Prep(Math.Max(_minAlign, 8), 4);
        PrependOffset(root);
        return _buffer.AsSpan(_head).ToArray();
    }

    public void PrependInt64(long value)
    {
        Prep(8, 0);
        _head -= 8;
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(_head), value);
    }

    public void PrependInt32(int value)
    {
        Prep(4, 0);
        _head -= 4;
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_head), value);
    }

    public void PrependInt16(short value)
    {
        Prep(2, 0);
        _head -= 2;
        BinaryPrimitives.WriteInt16LittleEndian(_buffer.AsSpan(_head), value);
    }

    private void PrependOffset(int target)
    {
        Prep(4, 0);
        if (target > Offset)
        {
            throw new InvalidOperationException("A FlatBuffers offset must point at an object written earlier.");
        }

        PutUInt32((uint)(Offset - target + 4));
    }

    private void PutUInt32(uint value)
    {
        _head -= 4;
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(_head), value);
    }

    /// <summary>
    /// Pads so that after <paramref name="additionalBytes"/> more bytes the next <paramref name="size"/>-byte
    /// value is aligned, and makes room for it.
    /// </summary>
    private void Prep(int size, int additionalBytes)
    {
        _minAlign = Math.Max(_minAlign, size);
        var padding = (~(Offset + additionalBytes) + 1) & (size - 1);
        Reserve(padding + size + additionalBytes);
        for (var i = 0; i < padding; i++)
        {
            _buffer[--_head] = 0;
        }
    }

    private void Reserve(int bytes)
    {
        if (_head >= bytes)
        {
            return;
        }

        var used = Offset;
        var capacity = Math.Max(_buffer.Length * 2, used + bytes + 16);
        var grown = new byte[capacity];
        _buffer.AsSpan(_head).CopyTo(grown.AsSpan(capacity - used));
        _buffer = grown;
        _head = capacity - used;
    }
}
