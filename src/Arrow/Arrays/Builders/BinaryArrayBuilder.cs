using Dsl.Arrow.Memory;
using Dsl.Arrow.Types;

namespace Dsl.Arrow;

/// <summary>
/// The shared builder of variable-length arrays with 32-bit offsets (binary, utf8): bytes go to a native data
/// buffer, one offset per row to an offsets buffer that starts with 0.
/// </summary>
/// <typeparam name="TArray">The array type built.</typeparam>
/// <typeparam name="TBuilder">The concrete builder, returned by the fluent methods.</typeparam>
public abstract class BinaryArrayBuilder<TArray, TBuilder> : IArrowArrayBuilder
    where TArray : BinaryArray
    where TBuilder : BinaryArrayBuilder<TArray, TBuilder>
{
    private readonly ValueBufferBuilder<int> _offsets = new();
    private readonly ValueBufferBuilder<byte> _bytes = new();
    private readonly BitmapBuilder _validity = new();

    /// <summary>The type of the arrays built.</summary>
    protected abstract IArrowType DataType { get; }

    /// <inheritdoc />
    public int Length => _validity.Length;

    /// <summary>The number of nulls appended since the last build.</summary>
    public int NullCount => _validity.UnsetCount;

    /// <summary>Appends a valid row holding a copy of <paramref name="value"/>.</summary>
    /// <exception cref="InvalidOperationException">The data would pass the 2 GiB limit of 32-bit offsets.</exception>
    public TBuilder Append(ReadOnlySpan<byte> value)
    {
        StartRow();
        if ((long)_bytes.Count + value.Length > int.MaxValue)
        {
            throw new InvalidOperationException(
                $"The data of a {DataType} array cannot pass {int.MaxValue} bytes (32-bit offsets).");
        }

        _bytes.Append(value);
        _offsets.Append(_bytes.Count);
        _validity.Append(true);
        return (TBuilder)this;
    }

    /// <summary>Appends a null row (zero bytes).</summary>
    public TBuilder AppendNull()
    {
        StartRow();
        _offsets.Append(_bytes.Count);
        _validity.Append(false);
        return (TBuilder)this;
    }

    /// <summary>Makes room for <paramref name="additionalRows"/> more rows and <paramref name="additionalBytes"/> more bytes.</summary>
    public TBuilder Reserve(int additionalRows, int additionalBytes = 0)
    {
        _offsets.Reserve(additionalRows + 1);
        _validity.Reserve(additionalRows);
        _bytes.Reserve(additionalBytes);
        return (TBuilder)this;
    }

    /// <summary>Forgets the rows appended since the last build.</summary>
    public TBuilder Clear()
    {
        _offsets.Clear();
        _bytes.Clear();
        _validity.Clear();
        return (TBuilder)this;
    }

    /// <summary>Builds the array of the rows appended so far and empties the builder.</summary>
    public TArray Build()
    {
        StartRow();
        var length = _validity.Length;
        var nullCount = _validity.UnsetCount;
        using var offsets = _offsets.Detach();
        using var bytes = _bytes.Detach();
        using var validity = _validity.Detach();
        var data = new ArrayData(
            DataType,
            length,
            nullCount,
            0,
            [nullCount == 0 ? ArrowBuffer.Empty : validity.ToArrowBuffer(), offsets.ToArrowBuffer(), bytes.ToArrowBuffer()]);
        return CreateArray(data);
    }

    /// <summary>Wraps built array data in the concrete array type.</summary>
    protected abstract TArray CreateArray(ArrayData data);

    /// <inheritdoc />
    void IArrowArrayBuilder.AppendNullRow() => AppendNull();

    /// <inheritdoc />
    IArrowArray IArrowArrayBuilder.BuildArray() => Build();

    /// <inheritdoc />
    public void Dispose()
    {
        _offsets.Dispose();
        _bytes.Dispose();
        _validity.Dispose();
        GC.SuppressFinalize(this);
    }

    // The offsets buffer holds one more entry than rows: the leading 0 is written before the first row.
    private void StartRow()
    {
        if (_offsets.Count == 0)
        {
            _offsets.Append(0);
        }
    }
}
