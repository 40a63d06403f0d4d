using Dsl.ArrowExtensions;

namespace Dsl.Codegen.Columns;

/// <summary>
/// The validated native addresses of one bound input column, with any slice offset already applied to
/// <see cref="Values"/> and <see cref="Offsets"/>. Invariant: every row index in [0, <see cref="Length"/>) reads
/// inside the buffers (checked by <see cref="Create"/> against the buffer lengths the caller passes).
/// </summary>
internal sealed class ColumnView
{
    private ColumnView(ColumnLayout layout, int length, nint values, nint validity, long validityOffset,
        long valuesBitOffset, nint offsets, ColumnView? child, object? owner)
    {
        Layout = layout;
        Length = length;
        Values = values;
        Validity = validity;
        ValidityOffset = validityOffset;
        ValuesBitOffset = valuesBitOffset;
        Offsets = offsets;
        Child = child;
        Owner = owner;
    }

    public ColumnLayout Layout { get; }

    public int Length { get; }

    /// <summary>Row 0's value (fixed width), the UTF-8 data start (strings) or unused (lists).</summary>
    public nint Values { get; }

    /// <summary>The validity bitmap's start, or 0 when every row is valid.</summary>
    public nint Validity { get; }

    /// <summary>Bit index of row 0 in <see cref="Validity"/>.</summary>
    public long ValidityOffset { get; }

    /// <summary>Bit index of row 0 in <see cref="Values"/> for bit-packed booleans.</summary>
    public long ValuesBitOffset { get; }

    /// <summary>Row 0's start offset (strings, lists); row i spans [Offsets[i], Offsets[i+1]).</summary>
    public nint Offsets { get; }

    /// <summary>The element column of a list, indexed by the offsets.</summary>
    public ColumnView? Child { get; }

    /// <summary>The object that owns the memory (kept alive as long as the view).</summary>
    public object? Owner { get; }

    /// <summary>The values of an <see cref="ColumnEncoding.Objects"/> column (row i is element i); null for every other encoding.</summary>
    public object?[]? Objects { get; private init; }

    /// <summary>A view of an in-memory column of CLR objects.</summary>
    public static ColumnView ForObjects(ObjectColumn column) =>
        new(ColumnLayout.ObjectsOf(column.Type.ClrType), column.Length, 0, 0, 0, 0, 0, null, column) { Objects = column.Values };

    /// <summary>
    /// Builds a view after checking that the buffers hold <paramref name="length"/> rows: the byte lengths of the
    /// buffers are the caller's (Arrow's) and are the bound every kernel access relies on.
    /// </summary>
    public static unsafe ColumnView Create(
        ColumnLayout layout, int length,
        nint values, long valuesBytes,
        nint validity, long validityBytes, long validityOffset,
        long valuesBitOffset = 0,
        nint offsets = 0, long offsetsBytes = 0,
        ColumnView? child = null, object? owner = null)
    {
        if (length < 0) throw new ArgumentOutOfRangeException(nameof(length), length, "A column length cannot be negative.");
        if (validity != 0) Require(validityOffset >= 0 && (validityOffset + length + 7) / 8 <= validityBytes, layout, "validity bitmap");
        switch (layout.Encoding)
        {
            case ColumnEncoding.FixedWidth:
                Require(length == 0 || (values != 0 && (long)length * SizeOf(layout.StorageType) <= valuesBytes), layout, "values buffer");
                break;
            case ColumnEncoding.Bits:
                Require(length == 0 || (values != 0 && valuesBitOffset >= 0 && (valuesBitOffset + length + 7) / 8 <= valuesBytes), layout, "values bitmap");
                break;
            case ColumnEncoding.Utf8:
            case ColumnEncoding.LargeUtf8:
            case ColumnEncoding.List:
                {
                    // No kernel reads an offset of a column with no rows, and such a column's offsets may be absent
                    // (Arrow C++ writes none for an empty array) or out of range (Apache.Arrow's writer keeps a zero-row
                    // slice's offset where the slice began but writes no data); the validator accepts both.
                    if (length == 0) break;
                    int offsetSize = layout.Encoding == ColumnEncoding.LargeUtf8 ? 8 : 4;
                    Require(offsets != 0 && (long)(length + 1) * offsetSize <= offsetsBytes, layout, "offsets buffer");
                    long first = offsetSize == 8 ? ((long*)offsets)[0] : ((int*)offsets)[0];
                    long last = offsetSize == 8 ? ((long*)offsets)[length] : ((int*)offsets)[length];
                    int decreasing = offsetSize == 8 ? OffsetOrder.FirstDecrease(new ReadOnlySpan<long>((void*)offsets, length + 1)) : OffsetOrder.FirstDecrease(new ReadOnlySpan<int>((void*)offsets, length + 1));
                    if (decreasing >= 0) Require(false, layout, $"offsets (decreasing at row {decreasing})");

                    if (layout.Encoding == ColumnEncoding.List)
                    {
                        Require(child is not null && first >= 0 && last <= child.Length, layout, "list child");
                    }
                    else
                    {
                        Require(first >= 0 && last <= valuesBytes && (last == first || values != 0), layout, "UTF-8 data buffer");
                        Require(last - first <= int.MaxValue, layout, "UTF-8 data buffer (a value over 2 GB)");
                    }

                    break;
                }
        }

        return new ColumnView(layout, length, values, validity, validityOffset, valuesBitOffset, offsets, child, owner);
    }

    private static void Require(bool condition, ColumnLayout layout, string what)
    {
        if (!condition) throw new ArgumentException($"The {what} of a {layout} column is too short or malformed for its length.");
    }

    internal static int SizeOf(Type storage) =>
        storage == typeof(Int128) ? 16 : System.Runtime.InteropServices.Marshal.SizeOf(storage == typeof(bool) ? typeof(byte) : storage);
}
