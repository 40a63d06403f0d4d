using System.Numerics;
using System.Runtime.InteropServices;
using Dsl.Arrow.Types;

namespace Dsl.Arrow;

/// <summary>
/// Dictionary-encoded values (Arrow dictionary encoding): buffer 0 validity, buffer 1 integer indices into
/// <see cref="Dictionary"/>. Row <c>i</c> is dictionary value <c>indices[Offset + i]</c>; <see cref="Decode"/>
/// gives the plain array.
/// </summary>
public sealed class DictionaryArray : Array
{
    private IArrowArray? _indices;
    private IArrowArray? _dictionary;

    /// <summary>Wraps <paramref name="data"/> (taking ownership) after checking its type, dictionary and index buffer.</summary>
    /// <exception cref="ArgumentException">The data is not dictionary-encoded, has no dictionary of the value type, or too small an index buffer.</exception>
    public DictionaryArray(ArrayData data)
        : base(data, ArrowTypeId.Dictionary)
    {
        Type = (DictionaryType)data.DataType;
        if (data.Dictionary is null)
        {
            throw new ArgumentException("Dictionary-encoded array data has no dictionary.", nameof(data));
        }

        if (!data.Dictionary.DataType.Equals(Type.ValueType))
        {
            throw new ArgumentException($"The dictionary is {data.Dictionary.DataType}; the type says {Type.ValueType}.", nameof(data));
        }

        RequireBuffer(data, 1, ((long)data.Offset + data.Length) * (Type.IndexType.BitWidth / 8), "indices");
    }

    /// <summary>
    /// Creates a dictionary array from its indices (nulls are null rows) and dictionary values, taking ownership
    /// of both (they are disposed here; read them back through <see cref="Indices"/> and <see cref="Dictionary"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The arrays' types differ from the type's index and value types.</exception>
    public DictionaryArray(DictionaryType type, IArrowArray indices, IArrowArray dictionary)
        : this(CreateData(type, indices, dictionary))
    {
    }

    /// <summary>The dictionary type.</summary>
    public DictionaryType Type { get; }

    /// <summary>The indices as an integer array of this array's rows (owned by this array).</summary>
    public IArrowArray Indices
    {
        get
        {
            Data.ThrowIfDisposed();
            return LazyView(ref _indices, () => ArrowArrayFactory.BuildArray(
                new ArrayData(Type.IndexType, Length, Data.DeclaredNullCount, Offset, Data.Buffers)));
        }
    }

    /// <summary>The dictionary values (owned by this array).</summary>
    public IArrowArray Dictionary
    {
        get
        {
            var dictionary = Data.Dictionary!;
            Data.ThrowIfDisposed();
            return LazyView(ref _dictionary, () => ArrowArrayFactory.BuildArray(dictionary.Slice(0, dictionary.Length)));
        }
    }

    /// <summary>The dictionary index of row <paramref name="index"/>, or null when the row is null.</summary>
    public long? GetIndex(int index)
    {
        if (!IsValid(index))
        {
            return null;
        }

        var values = Data.Buffer(1).Span;
        var slot = Offset + index;
        return Type.IndexType.TypeId switch
        {
            ArrowTypeId.Int8 => (sbyte)values[slot],
            ArrowTypeId.UInt8 => values[slot],
            ArrowTypeId.Int16 => MemoryMarshal.Cast<byte, short>(values)[slot],
            ArrowTypeId.UInt16 => MemoryMarshal.Cast<byte, ushort>(values)[slot],
            ArrowTypeId.Int32 => MemoryMarshal.Cast<byte, int>(values)[slot],
            ArrowTypeId.UInt32 => MemoryMarshal.Cast<byte, uint>(values)[slot],
            ArrowTypeId.Int64 => MemoryMarshal.Cast<byte, long>(values)[slot],
            _ => checked((long)MemoryMarshal.Cast<byte, ulong>(values)[slot]),
        };
    }

    /// <summary>
    /// The plain array of the value type: row <c>i</c> is the dictionary value of row <c>i</c> (null when the row
    /// or that dictionary value is null). A new array the caller disposes.
    /// </summary>
    /// <exception cref="ArrowFormatException">An index is outside the dictionary.</exception>
    /// <exception cref="NotSupportedException">The value type cannot be gathered (nested types).</exception>
    public IArrowArray Decode() => ArrayGather.Take(Data.Dictionary!, ReadIndices());

    /// <inheritdoc />
    protected override void DisposeViews()
    {
        Interlocked.Exchange(ref _indices, null)?.Dispose();
        Interlocked.Exchange(ref _dictionary, null)?.Dispose();
    }

    private static IArrowArray LazyView(ref IArrowArray? slot, Func<IArrowArray> create)
    {
        if (slot is null)
        {
            var created = create();
            if (Interlocked.CompareExchange(ref slot, created, null) is not null)
            {
                created.Dispose();
            }
        }

        return slot;
    }

    /// <summary>The index of every row, -1 for null rows.</summary>
    private long[] ReadIndices() => Type.IndexType.TypeId switch
    {
        ArrowTypeId.Int8 => ReadIndices<sbyte>(),
        ArrowTypeId.UInt8 => ReadIndices<byte>(),
        ArrowTypeId.Int16 => ReadIndices<short>(),
        ArrowTypeId.UInt16 => ReadIndices<ushort>(),
        ArrowTypeId.Int32 => ReadIndices<int>(),
        ArrowTypeId.UInt32 => ReadIndices<uint>(),
        ArrowTypeId.Int64 => ReadIndices<long>(),
        _ => ReadIndices<ulong>(),
    };

    private long[] ReadIndices<T>()
        where T : unmanaged, IBinaryInteger<T>
    {
        var values = MemoryMarshal.Cast<byte, T>(Data.Buffer(1).Span).Slice(Offset, Length);
        var result = new long[Length];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = IsValid(i) ? long.CreateSaturating(values[i]) : -1;
        }

        return result;
    }

    private static ArrayData CreateData(DictionaryType type, IArrowArray indices, IArrowArray dictionary)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(dictionary);
        try
        {
            if (!indices.DataType.Equals(type.IndexType))
            {
                throw new ArgumentException($"The indices are {indices.DataType}; the type says {type.IndexType}.", nameof(indices));
            }

            if (!dictionary.DataType.Equals(type.ValueType))
            {
                throw new ArgumentException($"The dictionary is {dictionary.DataType}; the type says {type.ValueType}.", nameof(dictionary));
            }

            var data = indices.Data;
            return new ArrayData(
                type, data.Length, data.DeclaredNullCount, data.Offset, data.Buffers, dictionary: dictionary.Data.Slice(0, dictionary.Length));
        }
        finally
        {
            indices.Dispose();
            dictionary.Dispose();
        }
    }
}
