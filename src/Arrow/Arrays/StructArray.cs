using Dsl.Arrow.Memory;
using Dsl.Arrow.Types;

namespace Dsl.Arrow;

/// <summary>
/// Rows of named children (Arrow <c>struct</c>): buffer 0 validity, one child per field. The struct's offset
/// applies to the children: row <c>i</c> is child row <see cref="Array.Offset"/> + <c>i</c>, and
/// <see cref="Fields"/> returns the children sliced to the struct's rows.
/// </summary>
public sealed class StructArray : Array
{
    private IArrowArray[]? _fields;

    /// <summary>Wraps <paramref name="data"/> (taking ownership) after checking its type and children.</summary>
    /// <exception cref="ArgumentException">The data is not a struct, or its children disagree with the fields in number, type or length.</exception>
    public StructArray(ArrayData data)
        : base(data, ArrowTypeId.Struct)
    {
        Type = (StructType)data.DataType;
        if (data.Children.Count != Type.Fields.Count)
        {
            throw new ArgumentException(
                $"The struct type has {Type.Fields.Count} fields but the data has {data.Children.Count} children.", nameof(data));
        }

        for (var i = 0; i < data.Children.Count; i++)
        {
            var child = data.Children[i];
            var field = Type.Fields[i];
            if (!child.DataType.Equals(field.DataType))
            {
                throw new ArgumentException($"Child {i} ('{field.Name}') is {child.DataType}; the type says {field.DataType}.", nameof(data));
            }

            if (child.Length < (long)data.Offset + data.Length)
            {
                throw new ArgumentException(
                    $"Child {i} ('{field.Name}') has {child.Length} rows, fewer than offset {data.Offset} + length {data.Length}.", nameof(data));
            }
        }
    }

    /// <summary>
    /// Creates a struct array from child arrays of equal length, taking ownership of them (they are disposed
    /// here; read them back through <see cref="Fields"/>).
    /// </summary>
    /// <param name="type">The struct type; its fields' types must match the children.</param>
    /// <param name="length">The number of rows; each child must have it.</param>
    /// <param name="children">One array per field.</param>
    /// <param name="validity">The validity bitmap (bit i = row i); <see cref="ArrowBuffer.Empty"/> for all valid.</param>
    /// <param name="nullCount">The number of null rows, or <see cref="ArrayData.UnknownNullCount"/>.</param>
    public StructArray(StructType type, int length, IEnumerable<IArrowArray> children, ArrowBuffer validity = default, int nullCount = ArrayData.UnknownNullCount)
        : this(CreateData(type, length, children, validity, nullCount))
    {
    }

    /// <summary>The struct type.</summary>
    public StructType Type { get; }

    /// <summary>The children sliced to this array's rows, in field order (owned by this array: disposed with it).</summary>
    public IReadOnlyList<IArrowArray> Fields
    {
        get
        {
            Data.ThrowIfDisposed();
            if (_fields is null)
            {
                var created = Data.Children.Select(c => ArrowArrayFactory.BuildArray(c.Slice(Offset, Length))).ToArray();
                if (Interlocked.CompareExchange(ref _fields, created, null) is not null)
                {
                    foreach (var array in created)
                    {
                        array.Dispose();
                    }
                }
            }

            return _fields!;
        }
    }

    /// <summary>The child named <paramref name="name"/>, sliced to this array's rows.</summary>
    /// <exception cref="KeyNotFoundException">No field has that name.</exception>
    public IArrowArray GetField(string name)
    {
        var index = Type.GetFieldIndex(name);
        return index >= 0 ? Fields[index] : throw new KeyNotFoundException($"The struct has no field '{name}'.");
    }

    /// <inheritdoc />
    protected override void DisposeViews()
    {
        var fields = Interlocked.Exchange(ref _fields, null);
        if (fields is not null)
        {
            foreach (var field in fields)
            {
                field.Dispose();
            }
        }
    }

    private static ArrayData CreateData(StructType type, int length, IEnumerable<IArrowArray> children, ArrowBuffer validity, int nullCount)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(children);
        var arrays = children.ToArray();
        try
        {
            for (var i = 0; i < arrays.Length; i++)
            {
                if (arrays[i] is null || arrays[i].Length != length)
                {
                    throw new ArgumentException($"Child {i} has {arrays[i]?.Length.ToString() ?? "no"} rows; the struct has {length}.", nameof(children));
                }
            }

            return new ArrayData(type, length, nullCount, 0, [validity], arrays.Select(a => a.Data.Slice(0, a.Length)));
        }
        finally
        {
            foreach (var array in arrays)
            {
                array?.Dispose();
            }
        }
    }
}
