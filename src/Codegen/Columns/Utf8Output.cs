using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.ArrowExtensions.Memory;

namespace Dsl.Codegen.Columns;

/// <summary>
/// A utf8 output: each kernel run appends its range through a <see cref="Utf8RangeWriter"/>, which writes its rows'
/// ends into this output's offsets buffer (relative to the range) and its bytes into a pooled array;
/// <see cref="ToArray"/> makes the offsets absolute and concatenates the bytes in row order (rows no range covered
/// are null and empty).
/// </summary>
internal sealed class Utf8Output : OutputColumn
{
    private readonly SortedDictionary<int, Utf8RangeWriter> _ranges = [];
    private readonly Lock _gate = new();
    private NativeBuffer? _offsets;

    /// <summary>Bytes per row the ranges completed so far needed, rounded up (a start for the next range's array).</summary>
    private int _bytesPerRow = 8;

    public Utf8Output(IArrowType type, int length)
        : base(type, length, everyRowWritten: false) // the bitmap is small next to the strings; rows keep the "not run = null" rule
    {
        _offsets = NativeBuffer.Allocate((length + 1L) * sizeof(int), zeroFill: false);
    }

    /// <summary>Starts the chunk of rows [start, start + length).</summary>
    public Utf8RangeWriter BeginRange(int start, int length)
    {
        if (start < 0 || length < 0 || (long)start + length > Length) throw new ArgumentOutOfRangeException(nameof(start), $"Rows [{start}, {start + length}) are not in the {Length}-row output.");
        var offsets = _offsets ?? throw new ObjectDisposedException(nameof(Utf8Output));
        long hint = (long)length * Volatile.Read(ref _bytesPerRow);
        return new(start, length, offsets.Address + ((start + 1) * sizeof(int)), (int)Math.Min(hint, 1 << 26));
    }

    /// <summary>Publishes a finished chunk (replacing an earlier run of the same range).</summary>
    public void Complete(Utf8RangeWriter range)
    {
        if (range.Count > 0) Volatile.Write(ref _bytesPerRow, Math.Max(1, (range.ByteLength + range.Count - 1) / range.Count + 1));
        Utf8RangeWriter? replaced;
        lock (_gate)
        {
            _ranges.Remove(range.Start, out replaced);
            _ranges[range.Start] = range;
        }

        replaced?.Release();
    }

    public override unsafe IArrowArray ToArray(NativeBlockSet owner)
    {
        Utf8RangeWriter[] ranges;
        lock (_gate) ranges = [.. _ranges.Values];
        long totalBytes = 0;
        foreach (var range in ranges) totalBytes += range.ByteLength;
        if (totalBytes > int.MaxValue)
        {
            throw new InvalidOperationException($"The string output has {totalBytes} bytes of UTF-8, more than a utf8 column holds (2 GB); split the batch.");
        }

        var offsets = _offsets ?? throw new ObjectDisposedException(nameof(Utf8Output), "The output was already turned into an array.");
        var validity = TakeValidity(owner);
        using var data = NativeBuffer.Allocate(Math.Max(totalBytes, 1), zeroFill: false);
        var offsetSpan = offsets.AsSpan<int>();
        var bytes = data.Span;
        int row = 0, position = 0;
        offsetSpan[0] = 0;
        foreach (var range in ranges)
        {
            if (range.Start < row || range.Start + range.Count > Length) throw new InvalidOperationException($"A string range at row {range.Start} overlaps another range or overruns the {Length}-row output.");
            for (; row < range.Start; row++) offsetSpan[row + 1] = position;
            // The range wrote its ends relative to its first byte; they land after the ranges before it.
            var ends = offsetSpan.Slice(range.Start + 1, range.Count);
            if (position != 0) Shift(ends, position);

            range.Bytes.CopyTo(bytes[position..]);
            position += range.ByteLength;
            row = range.Start + range.Count;
            range.Release();
        }

        for (; row < Length; row++) offsetSpan[row + 1] = position;
        _offsets = null;
        var arrayData = new ArrayData(Type, Length, nullCount: -1, offset: 0,
            buffers: [validity, offsets.Seal(offsets.Length, owner), data.Seal(totalBytes, owner)]);
        return ArrowArrayFactory.BuildArray(arrayData);
    }

    /// <summary>Adds <paramref name="delta"/> to every value, a vector at a time (this runs over every row of a batch, on one thread).</summary>
    private static void Shift(Span<int> values, int delta)
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
        }

        foreach (var range in ranges) range.Release();
        _offsets?.Dispose();
        _offsets = null;
        base.Dispose();
    }
}
