using Dsl.Arrow.Types;

namespace Dsl.Arrow;

/// <summary>
/// Variable-length lists with 32-bit offsets (Arrow <c>list</c>): buffer 0 validity, buffer 1 offsets
/// (<see cref="Array.Offset"/> + <see cref="Array.Length"/> + 1 of them) into the one child array
/// <see cref="Values"/>. Row <c>i</c> is child rows [offsets[i], offsets[i + 1]); the child is not sliced.
/// </summary>
public sealed partial class ListArray : Array
{
    private IArrowArray? _values;

    /// <summary>Wraps <paramref name="data"/> (taking ownership) after checking its type, child and buffer sizes.</summary>
    /// <exception cref="ArgumentException">The data is not a list, has no single child or its buffers are too small.</exception>
    public ListArray(ArrayData data)
        : base(data, ArrowTypeId.List)
    {
        if (data.Children.Count != 1)
        {
            throw new ArgumentException($"A list array needs exactly 1 child, not {data.Children.Count}.", nameof(data));
        }

        RequireOffsets<int>(data);

        Type = (ListType)data.DataType;
    }

    /// <summary>The list type.</summary>
    public ListType Type { get; }

    /// <summary>The whole child array (owned by this list: it is disposed with it).</summary>
    public IArrowArray Values
    {
        get
        {
            Data.ThrowIfDisposed();
            if (_values is null)
            {
                var child = Data.Children[0];
                var created = ArrowArrayFactory.BuildArray(child.Slice(0, child.Length));
                if (Interlocked.CompareExchange(ref _values, created, null) is not null)
                {
                    created.Dispose();
                }
            }

            return _values!;
        }
    }

    /// <summary>The <see cref="Array.Length"/> + 1 offsets of rows [0, Length] into <see cref="Values"/>, starting at logical row 0.</summary>
    public ReadOnlySpan<int> ValueOffsets => ReadOffsets<int>();

    /// <summary>The address of logical row 0's offset, or 0 for a zero-length array without offsets.</summary>
    public nint ValueOffsetsAddress => OffsetsAddress<int>();

    /// <summary>The child rows [start, end) of row <paramref name="index"/> (empty for a null row).</summary>
    /// <exception cref="ArrowFormatException">The row's offsets are decreasing or outside the child.</exception>
    public (int Start, int End) GetValueRange(int index)
    {
        CheckIndex(index);
        if (!IsValid(index))
        {
            return (0, 0);
        }

        var offsets = ValueOffsets;
        var start = offsets[index];
        var end = offsets[index + 1];
        var childLength = Data.Children[0].Length;
        if (start < 0 || end < start || end > childLength)
        {
            throw new ArrowFormatException(
                $"Row {index} of this {DataType} array spans child rows [{start}, {end}), outside a child of {childLength} rows.");
        }

        return (start, end);
    }

    /// <summary>The number of elements of row <paramref name="index"/> (0 for a null row).</summary>
    public int GetValueLength(int index)
    {
        var (start, end) = GetValueRange(index);
        return end - start;
    }

    /// <summary>The elements of row <paramref name="index"/> as a new array sharing the memory (dispose it), or null for a null row.</summary>
    public IArrowArray? GetSlice(int index)
    {
        if (!IsValid(index))
        {
            return null;
        }

        var (start, end) = GetValueRange(index);
        return Values.Slice(start, end - start);
    }

    /// <summary>
    /// The element values of row <paramref name="index"/> when the child is a <see cref="PrimitiveArray{T}"/>
    /// (empty for a null row); element nulls are read with <see cref="Values"/>.IsNull(start + j).
    /// </summary>
    /// <exception cref="InvalidOperationException">The child is not an array of <typeparamref name="T"/>.</exception>
    public ReadOnlySpan<T> GetValues<T>(int index)
        where T : unmanaged
    {
        if (Values is not PrimitiveArray<T> primitive)
        {
            throw new InvalidOperationException($"The elements of this {DataType} array are not {typeof(T).Name} values.");
        }

        var (start, end) = GetValueRange(index);
        return primitive.Values[start..end];
    }

    /// <inheritdoc />
    protected override void DisposeViews() => Interlocked.Exchange(ref _values, null)?.Dispose();
}
