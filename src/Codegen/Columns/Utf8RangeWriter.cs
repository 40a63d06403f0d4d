using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;

namespace Dsl.Codegen.Columns;

/// <summary>
/// The UTF-8 bytes of one range of a string output, appended row by row in order by one kernel run. Row ends go
/// straight into the output's offsets buffer (relative to the range's first byte; <see cref="Utf8Output.ToArray"/>
/// adds where the range lands); the bytes go into an array rented from <see cref="Pool"/> and given back once
/// copied, so running a batch allocates nothing per range once the pool holds the batch's arrays.
/// </summary>
internal sealed unsafe class Utf8RangeWriter
{
    /// <summary>
    /// Byte arrays for ranges: a range of the default 16,384 rows of short strings fits a 256 KiB array; a batch of
    /// a million rows has 64 ranges outstanding until its array is built, so the pool keeps 128 per size.
    /// </summary>
    internal static readonly ArrayPool<byte> Pool = ArrayPool<byte>.Create(maxArrayLength: 1 << 26, maxArraysPerBucket: 128);

    private readonly int* _ends;
    private byte[]? _bytes;
    private int _byteLength;
    private int _rows;

    /// <param name="start">The batch row of the first row.</param>
    /// <param name="length">The rows the range will append.</param>
    /// <param name="ends">Where row r's end goes (entry r; the output's offsets from row start + 1), valid for <paramref name="length"/> entries.</param>
    /// <param name="bytesHint">Expected bytes, to rent an array that needs no growth.</param>
    public Utf8RangeWriter(int start, int length, nint ends, int bytesHint)
    {
        Start = start;
        Capacity = length;
        _ends = (int*)ends;
        _bytes = Pool.Rent(Math.Max(bytesHint, 16));
    }

    /// <summary>The batch row of the first appended row.</summary>
    public int Start { get; }

    /// <summary>The rows the range was created for (it may append fewer).</summary>
    public int Capacity { get; }

    /// <summary>Rows appended so far.</summary>
    public int Count => _rows;

    /// <summary>Appended UTF-8 bytes so far.</summary>
    public int ByteLength => _byteLength;

    public ReadOnlySpan<byte> Bytes => (_bytes ?? throw new ObjectDisposedException(nameof(Utf8RangeWriter))).AsSpan(0, _byteLength);

    /// <summary>Appends a value; returns false (and appends an empty null row) for null.</summary>
    public bool Append(string? value)
    {
        if (value is null)
        {
            AppendNull();
            return false;
        }

        int needed = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (_bytes!.Length - _byteLength < needed)
        {
            needed = Encoding.UTF8.GetByteCount(value);
            Grow(needed);
        }

        _byteLength += Encoding.UTF8.GetBytes(value, _bytes.AsSpan(_byteLength));
        EndRow();
        return true;
    }

    /// <summary>Appends a kernel's text (valid UTF-8); returns false (and appends an empty null row) for null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
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
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AppendUtf8(ReadOnlySpan<byte> utf8)
    {
        if (_bytes!.Length - _byteLength < utf8.Length) Grow(utf8.Length);
        utf8.CopyTo(_bytes.AsSpan(_byteLength));
        _byteLength += utf8.Length;
        EndRow();
    }

    /// <summary>
    /// Room for at least <paramref name="maxBytes"/> more bytes, written in place; <see cref="Advance"/> then ends the
    /// row after the bytes actually written (so a kernel can build a row's text straight into the output).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<byte> Reserve(int maxBytes)
    {
        if (_bytes!.Length - _byteLength < maxBytes) Grow(maxBytes);
        return _bytes.AsSpan(_byteLength, maxBytes);
    }

    /// <summary>Ends a row of <paramref name="written"/> bytes written into the last <see cref="Reserve"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Advance(int written)
    {
        _byteLength += written;
        EndRow();
    }

    /// <summary>Appends an empty row (whose validity bit the kernel clears).</summary>
    public void AppendNull() => EndRow();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void EndRow()
    {
        if ((uint)_rows >= (uint)Capacity) throw new InvalidOperationException($"A string output range starting at row {Start} was given more than its {Capacity} rows.");
        _ends[_rows++] = _byteLength;
    }

    /// <summary>Gives the bytes back to the pool; the writer cannot be read afterwards.</summary>
    public void Release()
    {
        var bytes = Interlocked.Exchange(ref _bytes, null);
        if (bytes is not null) Pool.Return(bytes);
    }

    private void Grow(int extra)
    {
        if ((long)_byteLength + extra > Array.MaxLength)
        {
            throw new InvalidOperationException($"A string output range starting at row {Start} exceeds {Array.MaxLength} bytes.");
        }

        long wanted = Math.Max((long)_byteLength + extra, 2L * _bytes!.Length);
        var grown = Pool.Rent((int)Math.Min(wanted, Array.MaxLength));
        _bytes.AsSpan(0, _byteLength).CopyTo(grown);
        Pool.Return(_bytes);
        _bytes = grown;
    }
}
