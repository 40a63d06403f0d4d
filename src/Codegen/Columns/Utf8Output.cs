using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.ArrowExtensions.Memory;

namespace Dsl.Codegen.Columns;

/// <summary>
/// A utf8 output: each kernel run appends its range into a <see cref="Utf8RangeWriter"/>, and
/// <see cref="ToArray"/> concatenates the ranges in row order (rows no range covered are null and empty).
/// </summary>
internal sealed class Utf8Output : OutputColumn
{
    private readonly SortedDictionary<int, Utf8RangeWriter> _ranges = [];
    private readonly Lock _gate = new();

    public Utf8Output(IArrowType type, int length)
        : base(type, length, everyRowWritten: false) // the bitmap is small next to the strings; rows keep the "not run = null" rule
    {
    }

    /// <summary>Starts the chunk of rows [start, start + length).</summary>
    public Utf8RangeWriter BeginRange(int start, int length) => new(start, length);

    /// <summary>Publishes a finished chunk (replacing an earlier run of the same range).</summary>
    public void Complete(Utf8RangeWriter range)
    {
        lock (_gate) _ranges[range.Start] = range;
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

        var validity = TakeValidity(owner);
        using var offsets = NativeBuffer.Allocate((Length + 1L) * sizeof(int), zeroFill: false);
        using var data = NativeBuffer.Allocate(Math.Max(totalBytes, 1), zeroFill: false);
        {
            var offsetSpan = offsets.AsSpan<int>();
            var bytes = data.Span;
            int row = 0, position = 0;
            offsetSpan[0] = 0;
            foreach (var range in ranges)
            {
                if (range.Start < row || range.Start + range.Count > Length) throw new InvalidOperationException($"A string range at row {range.Start} overlaps another range or overruns the {Length}-row output.");
                for (; row < range.Start; row++) offsetSpan[row + 1] = position;
                var rangeOffsets = range.Offsets;
                for (int r = 0; r < range.Count; r++) offsetSpan[range.Start + r + 1] = position + rangeOffsets[r + 1];
                range.Bytes.CopyTo(bytes[position..]);
                position += range.ByteLength;
                row = range.Start + range.Count;
            }

            for (; row < Length; row++) offsetSpan[row + 1] = position;
            var arrayData = new ArrayData(Type, Length, nullCount: -1, offset: 0,
                buffers: [validity, offsets.Seal(offsets.Length, owner), data.Seal(totalBytes, owner)]);
            return ArrowArrayFactory.BuildArray(arrayData);
        }
    }
}
