using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Dsl.Codegen.Columns;

/// <summary>
/// The UTF-8 bytes of one range of a string output, appended row by row in order by one kernel run. Row ends go
/// straight into the output's offsets buffer. The bytes go to one of two places:
/// <list type="bullet">
/// <item>a range that starts where the rows joined so far end writes straight into the output's data buffer, after
/// those rows' bytes, with absolute ends: it needs no copy (on one thread every range does this);</item>
/// <item>any other range writes into an array rented from <see cref="Pool"/>, with ends relative to its first byte;
/// the output copies it into place once the ranges before it are joined, and gives the array back.</item>
/// </list>
/// A range still running when the ranges before it are joined is <em>promoted</em>: the output asks for it, and the
/// writer's own thread, at the end of its next row, moves the bytes written so far into place and writes the rest of
/// the range there (<see cref="Utf8Output.Promote"/>). Threads that take ranges in turns then copy about half of
/// each range, on the thread that just wrote it, instead of all of it on the other.
/// </summary>
internal sealed unsafe class Utf8RangeWriter
{
    /// <summary>
    /// Byte arrays for ranges: a range of the default 16,384 rows of short strings fits a 256 KiB array; a batch of
    /// a million rows can have 64 ranges outstanding until its array is built, so the pool keeps 128 per size.
    /// </summary>
    internal static readonly ArrayPool<byte> Pool = ArrayPool<byte>.Create(maxArrayLength: 1 << 26, maxArraysPerBucket: 128);

    private readonly int* _ends;
    private readonly Utf8Output? _output;
    private byte* _bytes;
    private int _capacity;
    private byte[]? _array;
    private GCHandle _pin;
    private int _endBase;
    private int _byteLength;
    private int _rows;

    /// <summary>
    /// The rows after which <see cref="EndRow"/> takes its slow path: <see cref="Capacity"/>, or 0 while a promotion is
    /// asked for (set by another thread, hence read volatile: the check costs what the bound check it replaces did).
    /// </summary>
    private int _rowLimit;
    private volatile bool _promotionAsked;

    /// <param name="start">The batch row of the first row.</param>
    /// <param name="length">The rows the range will append.</param>
    /// <param name="ends">Where row r's end goes (entry r; the output's offsets from row start + 1), valid for <paramref name="length"/> entries.</param>
    /// <param name="bytesHint">Expected bytes, to rent an array that needs no growth.</param>
    /// <param name="output">The output that may promote the range (null: never promoted).</param>
    public Utf8RangeWriter(int start, int length, nint ends, int bytesHint, Utf8Output? output = null)
    {
        Start = start;
        Capacity = _rowLimit = length;
        _ends = (int*)ends;
        _output = output;
        Rent(Math.Max(bytesHint, 16));
    }

    /// <summary>A range that writes into <paramref name="output"/>'s data buffer from byte <paramref name="position"/> on.</summary>
    internal Utf8RangeWriter(int start, int length, nint ends, Utf8Output output, nint bytes, int capacity, int position)
    {
        Start = start;
        Capacity = _rowLimit = length;
        _ends = (int*)ends;
        _output = output;
        _bytes = (byte*)bytes;
        _capacity = capacity;
        _endBase = position;
    }

    /// <summary>The batch row of the first appended row.</summary>
    public int Start { get; }

    /// <summary>The rows the range was created for (it may append fewer).</summary>
    public int Capacity { get; }

    /// <summary>Rows appended so far.</summary>
    public int Count => _rows;

    /// <summary>Appended UTF-8 bytes so far.</summary>
    public int ByteLength => _byteLength;

    /// <summary>Whether the bytes are written straight into the output's data buffer (at <see cref="Position"/>).</summary>
    internal bool IsJoined => _array is null && _output is not null && _bytes is not null;

    /// <summary>Where the bytes start in the output's data buffer (joined ranges), or 0; the row ends written include it.</summary>
    internal int Position => _endBase;

    /// <summary>The bytes of a range writing into a rented array.</summary>
    public ReadOnlySpan<byte> Bytes => _array is null ? throw new ObjectDisposedException(nameof(Utf8RangeWriter), "The range's bytes were released or are in the output.") : new(_bytes, _byteLength);

    /// <summary>Appends a value; returns false (and appends an empty null row) for null.</summary>
    public bool Append(string? value)
    {
        if (value is null)
        {
            AppendNull();
            return false;
        }

        int needed = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (_capacity - _byteLength < needed)
        {
            needed = Encoding.UTF8.GetByteCount(value);
            Grow(needed);
        }

        _byteLength += Encoding.UTF8.GetBytes(value, new Span<byte>(_bytes + _byteLength, _capacity - _byteLength));
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
        if (_capacity - _byteLength < utf8.Length) Grow(utf8.Length);
        utf8.CopyTo(new Span<byte>(_bytes + _byteLength, utf8.Length));
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
        if (_capacity - _byteLength < maxBytes) Grow(maxBytes);
        return new Span<byte>(_bytes + _byteLength, maxBytes);
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
        if ((uint)_rows >= (uint)Volatile.Read(ref _rowLimit)) RowLimitReached();
        _ends[_rows++] = _endBase + _byteLength;
    }

    /// <summary>The slow path of <see cref="EndRow"/>: a promotion asked for, or one row too many.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RowLimitReached()
    {
        if (_promotionAsked) _output!.Promote(this);
        if ((uint)_rows >= (uint)Capacity) throw new InvalidOperationException($"A string output range starting at row {Start} was given more than its {Capacity} rows.");
    }

    /// <summary>Whether the output asked for a promotion that has not happened yet.</summary>
    internal bool PromotionAsked => _promotionAsked;

    /// <summary>Asks the writer's thread to promote the range at its next row end (called by the output, under its lock).</summary>
    internal void AskPromotion()
    {
        _promotionAsked = true;
        Volatile.Write(ref _rowLimit, 0);
    }

    /// <summary>Withdraws a promotion asked for (called by the output, under its lock).</summary>
    internal void ForgetPromotion()
    {
        _promotionAsked = false;
        Volatile.Write(ref _rowLimit, Capacity);
    }

    /// <summary>
    /// Moves the bytes written so far to <paramref name="bytes"/> (byte <paramref name="position"/> of the output's
    /// data buffer), makes the row ends so far absolute and writes the rest of the range there (called by the output,
    /// under its lock, on the writer's thread at a row end: no reservation is outstanding).
    /// </summary>
    internal void PromoteTo(nint bytes, int capacity, int position)
    {
        new ReadOnlySpan<byte>(_bytes, _byteLength).CopyTo(new Span<byte>((byte*)bytes, _byteLength));
        if (position != 0) Utf8Output.Shift(new Span<int>(_ends, _rows), position);
        ReturnArray();
        _bytes = (byte*)bytes;
        _capacity = capacity;
        _endBase = position;
        ForgetPromotion();
    }

    /// <summary>Gives the rented bytes back to the pool (a joined range only forgets its place); the writer cannot be read afterwards.</summary>
    public void Release()
    {
        _bytes = null;
        _capacity = 0;
        ReturnArray();
    }

    private void ReturnArray()
    {
        var array = Interlocked.Exchange(ref _array, null);
        if (array is null) return;
        _pin.Free();
        Pool.Return(array);
    }

    /// <summary>
    /// Moves a joined range's bytes (at <paramref name="joined"/>) into a rented array and makes its row ends relative
    /// again, so that it is joined like any other range (the output stopped joining as ranges complete).
    /// </summary>
    internal void Detach(byte* joined)
    {
        var position = _endBase;
        Rent(Math.Max(_byteLength, 16));
        new ReadOnlySpan<byte>(joined + position, _byteLength).CopyTo(new Span<byte>(_bytes, _byteLength));
        _endBase = 0;
        for (var r = 0; r < _rows; r++) _ends[r] -= position;
    }

    /// <summary>A joined range's rows as an ordinary range again: its bytes copied out of <paramref name="joined"/>, its ends relative.</summary>
    internal static Utf8RangeWriter Detached(Utf8Output output, int start, int rows, nint ends, byte* joined, int position, int byteLength)
    {
        var range = new Utf8RangeWriter(start, rows, ends, output, (nint)(joined + position), byteLength, position) { _rows = rows, _byteLength = byteLength };
        range.Detach(joined);
        return range;
    }

    /// <summary>Called by the output when it moves its data buffer: the range's bytes now start at <paramref name="bytes"/>.</summary>
    internal void MovedTo(nint bytes, int capacity)
    {
        _bytes = (byte*)bytes;
        _capacity = capacity;
    }

    private void Rent(int length)
    {
        _array = Pool.Rent(length);
        _pin = GCHandle.Alloc(_array, GCHandleType.Pinned);
        _bytes = (byte*)_pin.AddrOfPinnedObject();
        _capacity = _array.Length;
    }

    private void Grow(int extra)
    {
        if ((long)_byteLength + extra > Array.MaxLength)
        {
            throw new InvalidOperationException($"A string output range starting at row {Start} exceeds {Array.MaxLength} bytes.");
        }

        if (_bytes is null) throw new ObjectDisposedException(nameof(Utf8RangeWriter));
        if (IsJoined)
        {
            _output!.GrowJoined(this, extra);
            return;
        }

        long wanted = Math.Max((long)_byteLength + extra, 2L * _capacity);
        var (oldArray, oldPin) = (_array!, _pin);
        var oldBytes = _bytes;
        Rent((int)Math.Min(wanted, Array.MaxLength));
        new ReadOnlySpan<byte>(oldBytes, _byteLength).CopyTo(new Span<byte>(_bytes, _byteLength));
        oldPin.Free();
        Pool.Return(oldArray);
    }
}
