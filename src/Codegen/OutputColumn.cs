using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.ArrowExtensions.Memory;
using Dsl.ArrowExtensions.Types;
using Dsl.Codegen.Columns;

namespace Dsl.Codegen;

/// <summary>
/// The column a kernel writes, pre-sized for a batch. Every row a kernel runs gets its validity bit written
/// (set for a value, cleared for a null) and, for fixed-width types, its value (zero for a null); rows no kernel
/// ran stay null, unless the output was created for a caller that runs every row (then they are undefined until
/// written, which saves a zero-fill pass over the buffers). Bitmap bits past the last row are zero either way.
/// Fixed-width outputs expose the native
/// addresses of their values and validity; variable-width outputs collect one chunk per range and concatenate
/// the chunks in row order in <see cref="ToArray"/>.
/// </summary>
internal abstract class OutputColumn : IDisposable
{
    private NativeBuffer? _validity;

    protected OutputColumn(IArrowType type, int length, bool everyRowWritten)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Type = type;
        Length = length;
        _validity = AllocateBitmap(length, everyRowWritten);
        Validity = _validity.Address;
    }

    public IArrowType Type { get; }

    public int Length { get; }

    /// <summary>The validity bitmap (bit i = row i), sized for <see cref="Length"/> rows.</summary>
    public nint Validity { get; }

    /// <summary>Creates the output for a result column of <paramref name="type"/> over <paramref name="length"/> rows.</summary>
    /// <param name="type">The result column's Arrow type.</param>
    /// <param name="length">The rows of the batch.</param>
    /// <param name="everyRowWritten">
    /// Whether the caller runs kernels over every row before <see cref="ToArray"/>: the buffers are then not
    /// zero-filled first (each row's value and validity bit are written by the kernel).
    /// </param>
    public static OutputColumn Create(IArrowType type, int length, bool everyRowWritten = false)
    {
        ArgumentNullException.ThrowIfNull(type);
        var layout = ColumnTypes.LayoutOf(type);
        if (type is Decimal128Type && !ArrowTypes.Comparer.Equals(type, ColumnTypes.DecimalResult))
        {
            throw new NotSupportedException($"Kernels write decimals as {ArrowTypes.Describe(ColumnTypes.DecimalResult)}, not {ArrowTypes.Describe(type)}.");
        }

        return layout.Encoding switch
        {
            ColumnEncoding.FixedWidth => new FixedWidthOutput(type, layout, length, everyRowWritten),
            ColumnEncoding.Bits => new FixedWidthOutput(type, layout, length, everyRowWritten),
            ColumnEncoding.Utf8 => new Utf8Output(type, length),
            ColumnEncoding.Struct => new StructOutput((StructType)type, length, everyRowWritten),
            _ => throw new NotSupportedException($"Kernels do not write {ArrowTypes.Describe(type)} columns."),
        };
    }

    /// <summary>
    /// Turns the written buffers into an Apache.Arrow array over the same memory (no copy; the output cannot be
    /// written afterwards). <paramref name="owner"/> takes the native blocks: the array is readable until it is disposed.
    /// </summary>
    public abstract IArrowArray ToArray(NativeBlockSet owner);

    /// <summary>
    /// Whether the output joins ranges in row order as they complete (strings), so that threads should run ranges in
    /// row order; fixed-width outputs are written in place and do not care.
    /// </summary>
    public virtual bool JoinsRangesInRowOrder => false;

    /// <summary>Hands the validity buffer to <paramref name="owner"/> and forgets it.</summary>
    protected ArrowBuffer TakeValidity(NativeBlockSet owner)
    {
        var validity = _validity ?? throw new ObjectDisposedException(GetType().Name, "The output was already turned into an array.");
        _validity = null;
        return validity.Seal(BitmapBytes(Length), owner);
    }

    public virtual void Dispose() => _validity?.Dispose();

    internal static long BitmapBytes(long rows) => (rows + 7) / 8;

    /// <summary>
    /// A bitmap for <paramref name="rows"/> rows: all zero, or (when every row will be written) zero only in its
    /// last 8 bytes, so that the bits past the last row are defined while rows are set one by one.
    /// </summary>
    internal static NativeBuffer AllocateBitmap(long rows, bool everyRowWritten)
    {
        var bytes = BitmapBytes(rows);
        var bitmap = NativeBuffer.Allocate(bytes, zeroFill: !everyRowWritten);
        if (everyRowWritten)
        {
            var tail = Math.Min(bytes, sizeof(ulong));
            bitmap.Span[(int)(bytes - tail)..].Clear();
        }
        return bitmap;
    }
}
