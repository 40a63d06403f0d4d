using Dsl.Arrow;
using Dsl.Arrow.Memory;
using Dsl.Arrow.Types;
using Dsl.Codegen.Columns;

namespace Dsl.Codegen;

/// <summary>
/// The column a kernel writes, pre-sized for a batch. Every row a kernel runs gets its validity bit written
/// (set for a value, cleared for a null); rows no kernel ran stay null. Fixed-width outputs expose the native
/// addresses of their values and validity; variable-width outputs collect one chunk per range and concatenate
/// the chunks in row order in <see cref="ToArray"/>.
/// </summary>
internal abstract class OutputColumn : IDisposable
{
    private NativeBuffer? _validity;

    protected OutputColumn(IArrowType type, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Type = type;
        Length = length;
        _validity = NativeBuffer.Allocate(BitmapBytes(length), zeroFill: true);
        Validity = _validity.Address;
    }

    public IArrowType Type { get; }

    public int Length { get; }

    /// <summary>The validity bitmap (bit i = row i), sized for <see cref="Length"/> rows.</summary>
    public nint Validity { get; }

    /// <summary>Creates the output for a result column of <paramref name="type"/> over <paramref name="length"/> rows.</summary>
    public static OutputColumn Create(IArrowType type, int length)
    {
        ArgumentNullException.ThrowIfNull(type);
        var layout = ColumnTypes.LayoutOf(type);
        return layout.Encoding switch
        {
            ColumnEncoding.FixedWidth => new FixedWidthOutput(type, layout, length),
            ColumnEncoding.Bits => new FixedWidthOutput(type, layout, length),
            ColumnEncoding.Utf8 => new Utf8Output(type, length),
            ColumnEncoding.Struct => new StructOutput((StructType)type, length),
            _ => throw new NotSupportedException($"Kernels do not write {type} columns."),
        };
    }

    /// <summary>
    /// Moves the written buffers into an Arrow array (the output cannot be written afterwards). The caller
    /// disposes the array.
    /// </summary>
    public abstract IArrowArray ToArray();

    /// <summary>Hands over the validity buffer to array data and forgets it.</summary>
    protected ArrowBuffer TakeValidity(out NativeBuffer owner)
    {
        owner = _validity ?? throw new ObjectDisposedException(GetType().Name, "The output was already turned into an array.");
        _validity = null;
        return owner.ToArrowBuffer(BitmapBytes(Length));
    }

    public virtual void Dispose() => _validity?.Dispose();

    internal static long BitmapBytes(long rows) => (rows + 7) / 8;
}
