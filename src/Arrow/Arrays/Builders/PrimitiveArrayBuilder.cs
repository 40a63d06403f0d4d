using Dsl.Arrow.Memory;
using Dsl.Arrow.Types;

namespace Dsl.Arrow;

/// <summary>
/// The shared builder of fixed-width arrays: values go to a native value buffer, validity to a bitmap that is
/// dropped at <see cref="Build"/> when no null was appended (an absent bitmap means all valid).
/// </summary>
/// <typeparam name="T">The stored value type.</typeparam>
/// <typeparam name="TArray">The array type built.</typeparam>
/// <typeparam name="TBuilder">The concrete builder, returned by the fluent methods.</typeparam>
public abstract class PrimitiveArrayBuilder<T, TArray, TBuilder> : IArrowArrayBuilder
    where T : unmanaged
    where TArray : PrimitiveArray<T>
    where TBuilder : PrimitiveArrayBuilder<T, TArray, TBuilder>
{
    private readonly ValueBufferBuilder<T> _values = new();
    private readonly BitmapBuilder _validity = new();

    /// <summary>The type of the arrays built.</summary>
    protected abstract IArrowType DataType { get; }

    /// <inheritdoc />
    public int Length => _values.Count;

    /// <summary>The number of nulls appended since the last build.</summary>
    public int NullCount => _validity.UnsetCount;

    /// <summary>Appends a valid value.</summary>
    public TBuilder Append(T value)
    {
        _values.Append(value);
        _validity.Append(true);
        return (TBuilder)this;
    }

    /// <summary>Appends <paramref name="value"/>, or a null row when it is null.</summary>
    public TBuilder Append(T? value) => value.HasValue ? Append(value.Value) : AppendNull();

    /// <summary>Appends a null row (its value slot is zero).</summary>
    public TBuilder AppendNull()
    {
        _values.AppendZeros(1);
        _validity.Append(false);
        return (TBuilder)this;
    }

    /// <summary>Appends valid values.</summary>
    public TBuilder AppendRange(ReadOnlySpan<T> values)
    {
        _values.Append(values);
        _validity.AppendMany(true, values.Length);
        return (TBuilder)this;
    }

    /// <summary>Appends valid values.</summary>
    public TBuilder AppendRange(IEnumerable<T> values) => AppendEach(values, Append);

    /// <summary>Appends values, null entries as null rows.</summary>
    public TBuilder AppendRange(IEnumerable<T?> values) => AppendEach(values, Append);

    /// <summary>Makes room for <paramref name="additional"/> more rows without reallocating.</summary>
    public TBuilder Reserve(int additional)
    {
        _values.Reserve(additional);
        _validity.Reserve(additional);
        return (TBuilder)this;
    }

    /// <summary>Forgets the rows appended since the last build.</summary>
    public TBuilder Clear()
    {
        _values.Clear();
        _validity.Clear();
        return (TBuilder)this;
    }

    /// <summary>Builds the array of the rows appended so far and empties the builder.</summary>
    public TArray Build()
    {
        var length = _values.Count;
        var nullCount = _validity.UnsetCount;
        using var values = _values.Detach();
        using var validity = _validity.Detach();
        var data = new ArrayData(
            DataType,
            length,
            nullCount,
            0,
            [nullCount == 0 ? ArrowBuffer.Empty : validity.ToArrowBuffer(), values.ToArrowBuffer()]);
        return CreateArray(data);
    }

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
        _values.Dispose();
        _validity.Dispose();
        GC.SuppressFinalize(this);
    }
}
