using System.Text;

namespace Dsl.Codegen.Columns;

/// <summary>
/// The UTF-8 bytes and offsets of one range of a string output, appended row by row in order by one kernel
/// run. Allocation is per range (amortised growth), not per row.
/// </summary>
internal sealed class Utf8RangeWriter
{
    private readonly int[] _offsets;
    private byte[] _bytes;
    private int _byteLength;
    private int _rows;

    public Utf8RangeWriter(int start, int length)
    {
        Start = start;
        _offsets = new int[length + 1];
        _bytes = new byte[Math.Max(16, length * 8)];
    }

    /// <summary>The batch row of the first appended row.</summary>
    public int Start { get; }

    /// <summary>Rows appended so far.</summary>
    public int Count => _rows;

    /// <summary>Appended UTF-8 bytes so far.</summary>
    public int ByteLength => _byteLength;

    /// <summary>Row ends relative to the range's first byte: entry r+1 ends row r.</summary>
    public ReadOnlySpan<int> Offsets => _offsets.AsSpan(0, _rows + 1);

    public ReadOnlySpan<byte> Bytes => _bytes.AsSpan(0, _byteLength);

    /// <summary>Appends a value; returns false (and appends an empty null row) for null.</summary>
    public bool Append(string? value)
    {
        if (value is null)
        {
            AppendNull();
            return false;
        }

        int needed = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (_bytes.Length - _byteLength < needed)
        {
            needed = Encoding.UTF8.GetByteCount(value);
            Grow(needed);
        }

        _byteLength += Encoding.UTF8.GetBytes(value, _bytes.AsSpan(_byteLength));
        _offsets[++_rows] = _byteLength;
        return true;
    }

    /// <summary>Appends a kernel's text (valid UTF-8); returns false (and appends an empty null row) for null.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public bool Append(Scalar.Utf8Text value)
    {
        if (value.IsNull)
        {
            AppendNull();
            return false;
        }

        AppendUtf8(value.Bytes);
        return true;
    }

    /// <summary>Appends UTF-8 bytes as they are (already valid UTF-8).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void AppendUtf8(ReadOnlySpan<byte> utf8)
    {
        Grow(utf8.Length);
        utf8.CopyTo(_bytes.AsSpan(_byteLength));
        _byteLength += utf8.Length;
        _offsets[++_rows] = _byteLength;
    }

    /// <summary>Appends an empty row (whose validity bit the kernel clears).</summary>
    public void AppendNull() => _offsets[++_rows] = _byteLength;

    private void Grow(int extra)
    {
        if (_bytes.Length - _byteLength >= extra) return;
        long wanted = Math.Max((long)_byteLength + extra, 2L * _bytes.Length);
        if ((long)_byteLength + extra > Array.MaxLength)
        {
            throw new InvalidOperationException($"A string output range starting at row {Start} exceeds {Array.MaxLength} bytes.");
        }

        Array.Resize(ref _bytes, (int)Math.Min(wanted, Array.MaxLength));
    }
}
