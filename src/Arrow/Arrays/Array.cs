using Dsl.Arrow.Memory;
using Dsl.Arrow.Types;

namespace Dsl.Arrow;

/// <summary>
/// Base of every array: validity, length, slicing and disposal over one <see cref="ArrayData"/>, which the
/// array owns (disposing the array disposes it). Construction checks in O(1) that the buffers are large
/// enough for <see cref="Offset"/> + <see cref="Length"/> rows, so element access never reads outside them.
/// </summary>
public abstract partial class Array : IArrowArray
{
    /// <summary>Wraps <paramref name="data"/>, taking ownership of it, after checking its type kind.</summary>
    /// <exception cref="ArgumentException">The type is not <paramref name="expected"/> or the buffers are too small.</exception>
    protected Array(ArrayData data, ArrowTypeId expected)
    {
        ArgumentNullException.ThrowIfNull(data);
        data.ThrowIfDisposed();
        if (data.DataType.TypeId != expected)
        {
            throw new ArgumentException(
                $"{GetType().Name} needs {expected} array data, not {data.DataType}.", nameof(data));
        }

        Data = data;
        var validity = data.Buffer(0);
        if (!validity.IsEmpty && validity.Length < BitUtility.ByteCount((long)data.Offset + data.Length))
        {
            throw new ArgumentException(
                $"The validity bitmap has {validity.Length} bytes, too few for {data.Offset + data.Length} rows (offset {data.Offset} + length {data.Length}).",
                nameof(data));
        }
    }

    /// <inheritdoc />
    public ArrayData Data { get; }

    /// <inheritdoc />
    public IArrowType DataType => Data.DataType;

    /// <inheritdoc />
    public int Length => Data.Length;

    /// <inheritdoc />
    public int Offset => Data.Offset;

    /// <inheritdoc />
    public int NullCount => Data.NullCount;

    /// <inheritdoc />
    public ReadOnlySpan<byte> ValidityBitmap => Data.Buffer(0).Span;

    /// <inheritdoc />
    public nint ValidityAddress => Data.Buffer(0).Address;

    /// <inheritdoc />
    public bool IsValid(int index)
    {
        CheckIndex(index);
        var validity = Data.Buffer(0);
        return validity.IsEmpty || BitUtility.GetBit(validity.Span, Offset + index);
    }

    /// <inheritdoc />
    public bool IsNull(int index) => !IsValid(index);

    /// <inheritdoc />
    public IArrowArray Slice(int offset, int length) => ArrowArrayFactory.BuildArray(Data.Slice(offset, length));

    /// <summary>Disposes the array data; disposing twice is harmless.</summary>
    public void Dispose()
    {
        DisposeViews();
        Data.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Disposes arrays this array created over its children or dictionary (called by <see cref="Dispose"/>).</summary>
    protected virtual void DisposeViews()
    {
    }

    /// <inheritdoc />
    public override string ToString() => $"{GetType().Name}({DataType}, length {Length})";

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> unless 0 &lt;= <paramref name="index"/> &lt; <see cref="Length"/>.</summary>
    protected void CheckIndex(int index)
    {
        if ((uint)index >= (uint)Length)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The array has {Length} rows.");
        }
    }

    /// <summary>
    /// Buffer <paramref name="index"/> after checking it holds at least <paramref name="requiredBytes"/> bytes.
    /// </summary>
    /// <exception cref="ArgumentException">The buffer is smaller.</exception>
    protected static ArrowBuffer RequireBuffer(ArrayData data, int index, long requiredBytes, string role)
    {
        var buffer = data.Buffer(index);
        if (buffer.Length < requiredBytes)
        {
            throw new ArgumentException(
                $"The {role} buffer of this {data.DataType} array has {buffer.Length} bytes; offset {data.Offset} + length {data.Length} needs {requiredBytes}.",
                nameof(data));
        }

        return buffer;
    }
}
