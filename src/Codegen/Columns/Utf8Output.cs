using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.ArrowExtensions.Memory;

namespace Dsl.Codegen.Columns;

/// <summary>
/// A utf8 output: each kernel run appends its range through a <see cref="Utf8RangeWriter"/>, which writes its rows'
/// ends into this output's offsets buffer. The output joins the ranges' bytes in row order into its data buffer
/// while the kernels run:
/// <list type="bullet">
/// <item>the range that starts where the joined rows end (the <em>front</em>) writes straight into the data buffer;</item>
/// <item>a range that completes further on waits, in its rented array, until the ranges before it are joined; the
/// thread that completes the last of those copies it into place (and makes its ends absolute);</item>
/// <item>a range still running when the ranges before it are joined becomes the front: its own thread moves the rows it
/// wrote so far into place at its next row end and writes the rest there (<see cref="Promote"/>).</item>
/// </list>
/// On one thread every range is the front, so nothing is copied; on several, the copies run on the kernels' threads
/// instead of after them, and threads that take ranges in turns copy about half of each range (the part written before
/// its promotion) on the thread that wrote it. <see cref="ToArray"/> joins whatever is left (ranges after rows no range covered) and seals
/// the buffers; rows no range covered are null and empty. A range run a second time over joined rows (which no kernel
/// does today, but the contract allows) stops the joining: the joined ranges become ordinary ranges again and
/// <see cref="ToArray"/> joins all of them, the last run of each range winning.
/// </summary>
internal sealed unsafe class Utf8Output : OutputColumn
{
    /// <summary>Bytes per row of the last string output built (any kernel's): the first guess at the data buffer's size.</summary>
    private static int s_recentBytesPerRow = 16;

    private readonly SortedDictionary<int, Utf8RangeWriter> _ranges = [];

    /// <summary>Ranges running in rented arrays while the output joins, by start: the candidates for promotion.</summary>
    private readonly Dictionary<int, Utf8RangeWriter> _running = [];
    private readonly List<(int Start, int Rows, int Position, int Bytes)> _joinedRanges = [];
    private readonly Lock _gate = new();
    private NativeBuffer? _offsets;
    private NativeBuffer? _data;

    /// <summary>Rows [0, _joinedRows) and their bytes [0, _joinedBytes) are in place in <see cref="_data"/>.</summary>
    private int _joinedRows;
    private int _joinedBytes;

    /// <summary>The range writing at the front, if one is running (or asked to move there: <see cref="Utf8RangeWriter.PromotionAsked"/>).</summary>
    private Utf8RangeWriter? _front;

    /// <summary>False once a range ran twice over joined rows: from then on ranges are only joined by <see cref="ToArray"/>.</summary>
    private bool _joining = true;

    /// <summary>Bytes per row the ranges completed so far needed, rounded up (a start for the next range's array).</summary>
    private int _bytesPerRow = 8;

    public Utf8Output(IArrowType type, int length)
        : base(type, length, everyRowWritten: false) // the bitmap is small next to the strings; rows keep the "not run = null" rule
    {
        _offsets = NativeBuffer.Allocate((length + 1L) * sizeof(int), zeroFill: false);
    }

    public override bool JoinsRangesInRowOrder => true;

    /// <summary>Starts the chunk of rows [start, start + length).</summary>
    public Utf8RangeWriter BeginRange(int start, int length)
    {
        if (start < 0 || length < 0 || (long)start + length > Length) throw new ArgumentOutOfRangeException(nameof(start), $"Rows [{start}, {start + length}) are not in the {Length}-row output.");
        var offsets = _offsets ?? throw new ObjectDisposedException(nameof(Utf8Output));
        var ends = offsets.Address + ((start + 1) * sizeof(int));
        lock (_gate)
        {
            // A second run is about to overwrite the ends of its first run, which may be joined or be joined while it
            // runs (shifting the ends it writes): turn the joined ranges back into ranges first and stop joining.
            if (_joining && (start < _joinedRows || _ranges.ContainsKey(start) || _running.ContainsKey(start))) StopJoining();
            if (_joining && _front is null && start == _joinedRows && length > 0)
            {
                if (_data is null) EnsureData(FirstDataGuess());
                _front = new Utf8RangeWriter(start, length, ends, this, _data!.Address + _joinedBytes, RoomAfter(_joinedBytes), _joinedBytes);
                return _front;
            }

            var hint = (int)Math.Min((long)length * _bytesPerRow, 1 << 26);
            if (!_joining) return new(start, length, ends, hint);
            var range = new Utf8RangeWriter(start, length, ends, hint, this);
            _running[start] = range;
            return range;
        }
    }

    /// <summary>Publishes a finished chunk (replacing an earlier run of the same range).</summary>
    public void Complete(Utf8RangeWriter range)
    {
        if (range.Count > 0) Volatile.Write(ref _bytesPerRow, Math.Max(1, (range.ByteLength + range.Count - 1) / range.Count + 1));
        Utf8RangeWriter? replaced;
        lock (_gate)
        {
            if (_running.TryGetValue(range.Start, out var running) && ReferenceEquals(running, range)) _running.Remove(range.Start);
            if (ReferenceEquals(range, _front))
            {
                _front = null;
                if (_joining)
                {
                    // No earlier run of these rows is waiting: BeginRange stops joining before a second run starts.
                    if (range.IsJoined) Joined(range.Start, range.Count, range.Position, range.ByteLength);
                    else JoinCopy(range); // asked to promote after its last row: all its rows are in its array
                    range.Release();
                    AdvanceFront();
                    return;
                }

                range.Detach((byte*)_data!.Address); // StopJoining withdraws a promotion not yet made: this range is in place
            }

            _ranges.Remove(range.Start, out replaced);
            _ranges[range.Start] = range;
            if (_joining) AdvanceFront();
        }

        replaced?.Release();
    }

    /// <summary>
    /// Moves a range asked to promote (now the front) into the data buffer after the joined bytes: called by the range's
    /// own thread at a row end, so that it writes the rest of its rows in place. A promotion withdrawn meanwhile (the
    /// output stopped joining) does nothing.
    /// </summary>
    internal void Promote(Utf8RangeWriter range)
    {
        lock (_gate)
        {
            if (!range.PromotionAsked) return;
            if (!_joining || !ReferenceEquals(range, _front))
            {
                range.ForgetPromotion();
                return;
            }

            long needed = (long)_joinedBytes + range.ByteLength;
            CheckSize(needed);
            EnsureData(needed);
            range.PromoteTo(_data!.Address + _joinedBytes, RoomAfter(_joinedBytes), _joinedBytes);
        }
    }

    /// <summary>Makes room for <paramref name="extra"/> more bytes after the front range's bytes, moving the data buffer if needed.</summary>
    internal void GrowJoined(Utf8RangeWriter front, int extra)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(front, _front) || _data is null) throw new InvalidOperationException("A string range wrote into the output's buffer without being its front range.");
            long needed = (long)front.Position + front.ByteLength + extra;
            CheckSize(needed);
            EnsureData(needed);
            front.MovedTo(_data.Address + front.Position, RoomAfter(front.Position));
        }
    }

    public override IArrowArray ToArray(NativeBlockSet owner)
    {
        Utf8RangeWriter[] ranges;
        int row, position;
        lock (_gate)
        {
            if (_front is not null) throw new InvalidOperationException($"The string range at row {_front.Start} is still being written.");
            ranges = [.. _ranges.Values];
            _ranges.Clear();
            (row, position) = _joining ? (_joinedRows, _joinedBytes) : (0, 0);
        }

        long totalBytes = position;
        foreach (var range in ranges) totalBytes += range.ByteLength;
        CheckSize(totalBytes);
        var offsets = _offsets ?? throw new ObjectDisposedException(nameof(Utf8Output), "The output was already turned into an array.");
        var validity = TakeValidity(owner);
        EnsureData(Math.Max(totalBytes, 1));
        var data = _data!;
        var offsetSpan = offsets.AsSpan<int>();
        var bytes = data.Span;
        offsetSpan[0] = 0;
        foreach (var range in ranges)
        {
            if (range.Start < row || range.Start + range.Count > Length) throw new InvalidOperationException($"A string range at row {range.Start} overlaps another range or overruns the {Length}-row output.");
            for (; row < range.Start; row++) offsetSpan[row + 1] = position;
            CopyInto(range, offsetSpan, bytes, position);
            position += range.ByteLength;
            row = range.Start + range.Count;
            range.Release();
        }

        for (; row < Length; row++) offsetSpan[row + 1] = position;
        // Arrow's padding: the bytes after the last value, to the next 64, are zero (the buffer may have been used before).
        bytes[position..(int)Math.Min(NativeBlock.PaddedLength(position), bytes.Length)].Clear();
        Volatile.Write(ref s_recentBytesPerRow, Length == 0 ? s_recentBytesPerRow : (int)Math.Clamp(totalBytes / Length + 1, 1, 1 << 16));
        _offsets = null;
        _data = null;
        var arrayData = new ArrayData(Type, Length, nullCount: -1, offset: 0,
            buffers: [validity, offsets.Seal(offsets.Length, owner), data.Seal(totalBytes, owner)]);
        return ArrowArrayFactory.BuildArray(arrayData);
    }

    /// <summary>
    /// After the joined rows grew (under the lock; nothing while a front range runs): joins the completed ranges waiting at
    /// the front, in row order, then asks the running range that starts where they end, if any, to promote.
    /// </summary>
    private void AdvanceFront()
    {
        if (_front is not null) return;
        while (_ranges.Remove(_joinedRows, out var range))
        {
            JoinCopy(range);
            range.Release();
        }

        if (_running.Remove(_joinedRows, out var next))
        {
            _front = next;
            next.AskPromotion();
        }
    }

    /// <summary>Copies a completed range in a rented array to the end of the joined bytes.</summary>
    private void JoinCopy(Utf8RangeWriter range)
    {
        CheckSize((long)_joinedBytes + range.ByteLength);
        EnsureData((long)_joinedBytes + range.ByteLength);
        CopyInto(range, _offsets!.AsSpan<int>(), _data!.Span, _joinedBytes);
        Joined(range.Start, range.Count, _joinedBytes, range.ByteLength);
    }

    private void Joined(int start, int rows, int position, int bytes)
    {
        _joinedRanges.Add((start, rows, position, bytes));
        _joinedRows = start + rows;
        _joinedBytes = position + bytes;
    }

    /// <summary>Turns the joined ranges back into ordinary ranges (with relative ends and their own bytes) and stops joining.</summary>
    private void StopJoining()
    {
        _joining = false;
        _running.Clear();
        if (_front is { IsJoined: false } asked)
        {
            // Asked to promote, not yet moved: it goes on in its array, as an ordinary range.
            asked.ForgetPromotion();
            _front = null;
        }

        if (_joinedRanges.Count == 0) return;
        var data = (byte*)_data!.Address;
        var offsets = _offsets!.Address;
        foreach (var (start, rows, position, bytes) in _joinedRanges)
        {
            _ranges[start] = Utf8RangeWriter.Detached(this, start, rows, offsets + ((start + 1) * sizeof(int)), data, position, bytes);
        }

        _joinedRanges.Clear();
        _joinedRows = _joinedBytes = 0;
    }

    /// <summary>Copies a waiting range's bytes to <paramref name="position"/> and makes its row ends absolute.</summary>
    private static void CopyInto(Utf8RangeWriter range, Span<int> offsets, Span<byte> bytes, int position)
    {
        range.Bytes.CopyTo(bytes[position..]);
        if (position != 0) Shift(offsets.Slice(range.Start + 1, range.Count), position);
    }

    /// <summary>
    /// A data buffer of at least <paramref name="bytes"/>. Its length is always its whole capacity (the room writers
    /// may use), so that growing it (which copies the length) keeps the front range's bytes past the joined ones.
    /// </summary>
    private void EnsureData(long bytes)
    {
        if (_data is null) _data = NativeBuffer.Allocate(bytes, zeroFill: false);
        else if (bytes > _data.Length) _data.Resize(Math.Max(bytes, Math.Min(2 * _data.Length, int.MaxValue)));
        else return;
        _data.Resize(Math.Min(_data.Capacity, int.MaxValue));
    }

    /// <summary>The room in the data buffer from byte <paramref name="position"/> on.</summary>
    private int RoomAfter(int position) => (int)(_data!.Length - position);

    /// <summary>A first size for the data buffer: the rows at the bytes per row of the last string output, with some room.</summary>
    private long FirstDataGuess() => Math.Max(1024, (long)Length * Volatile.Read(ref s_recentBytesPerRow) * 9 / 8);

    private static void CheckSize(long totalBytes)
    {
        if (totalBytes > int.MaxValue)
        {
            throw new InvalidOperationException($"The string output has {totalBytes} bytes of UTF-8, more than a utf8 column holds (2 GB); split the batch.");
        }
    }

    /// <summary>Adds <paramref name="delta"/> to every value, a vector at a time.</summary>
    internal static void Shift(Span<int> values, int delta)
    {
        int r = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref int first = ref MemoryMarshal.GetReference(values);
            var add = Vector256.Create(delta);
            for (; r + Vector256<int>.Count <= values.Length; r += Vector256<int>.Count)
            {
                (Vector256.LoadUnsafe(ref first, (nuint)r) + add).StoreUnsafe(ref first, (nuint)r);
            }
        }

        for (; r < values.Length; r++) values[r] += delta;
    }

    public override void Dispose()
    {
        Utf8RangeWriter[] ranges;
        lock (_gate)
        {
            ranges = [.. _ranges.Values];
            _ranges.Clear();
            _front?.Release();
            _front = null;
        }

        foreach (var range in ranges) range.Release();
        _offsets?.Dispose();
        _offsets = null;
        _data?.Dispose();
        _data = null;
        base.Dispose();
    }
}
