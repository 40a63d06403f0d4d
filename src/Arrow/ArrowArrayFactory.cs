using Dsl.Arrow.Types;

namespace Dsl.Arrow;

/// <summary>Creates the typed array for array data, by the data's type kind.</summary>
public static class ArrowArrayFactory
{
    /// <summary>Wraps <paramref name="data"/> (taking ownership) in the array class of its type.</summary>
    /// <exception cref="NotSupportedException">The type has no array class here.</exception>
    /// <exception cref="ArgumentException">The buffers are too small for the length and offset.</exception>
    public static IArrowArray BuildArray(ArrayData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return data.DataType.TypeId switch
        {
            ArrowTypeId.Boolean => new BooleanArray(data),
            ArrowTypeId.Int8 => new Int8Array(data),
            ArrowTypeId.Int16 => new Int16Array(data),
            ArrowTypeId.Int32 => new Int32Array(data),
            ArrowTypeId.Int64 => new Int64Array(data),
            ArrowTypeId.UInt8 => new UInt8Array(data),
            ArrowTypeId.UInt16 => new UInt16Array(data),
            ArrowTypeId.UInt32 => new UInt32Array(data),
            ArrowTypeId.UInt64 => new UInt64Array(data),
            ArrowTypeId.Float => new FloatArray(data),
            ArrowTypeId.Double => new DoubleArray(data),
            ArrowTypeId.String => new StringArray(data),
            ArrowTypeId.Binary => new BinaryArray(data),
            ArrowTypeId.LargeString => new LargeStringArray(data),
            ArrowTypeId.Date32 => new Date32Array(data),
            ArrowTypeId.Timestamp => new TimestampArray(data),
            ArrowTypeId.Duration => new DurationArray(data),
            ArrowTypeId.Decimal128 => new Decimal128Array(data),
            ArrowTypeId.List => new ListArray(data),
            ArrowTypeId.Struct => new StructArray(data),
            ArrowTypeId.Dictionary => new DictionaryArray(data),
            _ => throw new NotSupportedException($"Arrays of type {data.DataType} are not supported yet."),
        };
    }

    /// <summary>
    /// Rows [<paramref name="offset"/>, <paramref name="offset"/> + <paramref name="length"/>) of
    /// <paramref name="array"/> as an independent array of the same class, sharing the memory.
    /// </summary>
    public static TArray Slice<TArray>(TArray array, int offset, int length)
        where TArray : IArrowArray
    {
        ArgumentNullException.ThrowIfNull(array);
        return (TArray)array.Slice(offset, length);
    }
}
