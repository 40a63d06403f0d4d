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
    private readonly VariableBinaryBuffers<int> _buffers = new();

    /// <summary>The type of the arrays built.</summary>
    protected abstract IArrowType DataType { get; }

    /// <inheritdoc />
    public int Length => _buffers.Length;

    /// <summary>The number of nulls appended since the last build.</summary>
    public int NullCount => _buffers.NullCount;

    /// <summary>Appends a valid row holding a copy of <paramref name="value"/>.</summary>
    /// <exception cref="InvalidOperationException">The data would pass the 2 GiB limit of 32-bit offsets.</exception>
    public TBuilder Append(ReadOnlySpan<byte> value)
    {
        _buffers.Append(value, DataType);
        return (TBuilder)this;
    }

    /// <summary>Appends a null row (zero bytes).</summary>
    public TBuilder AppendNull()
    {
        _buffers.AppendNull();
        return (TBuilder)this;
    }

    /// <summary>Makes room for <paramref name="additionalRows"/> more rows and <paramref name="additionalBytes"/> more bytes.</summary>
    public TBuilder Reserve(int additionalRows, int additionalBytes = 0)
    {
        _buffers.Reserve(additionalRows, additionalBytes);
        return (TBuilder)this;
    }

    /// <summary>Forgets the rows appended since the last build.</summary>
    public TBuilder Clear()
    {
        _buffers.Clear();
        return (TBuilder)this;
    }

    /// <summary>Builds the array of the rows appended so far and empties the builder.</summary>
    public TArray Build() => CreateArray(_buffers.Build(DataType));

    /// <summary>Appends each of <paramref name="values"/> with <paramref name="append"/> (for typed AppendRange overloads).</summary>
    protected TBuilder AppendEach<TItem>(IEnumerable<TItem> values, Func<TItem, TBuilder> append)
    {
        ArgumentNullException.ThrowIfNull(values);
        foreach (var value in values)
        {
            append(value);
        }

        return (TBuilder)this;
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
        _buffers.Dispose();
        GC.SuppressFinalize(this);
    }
}
