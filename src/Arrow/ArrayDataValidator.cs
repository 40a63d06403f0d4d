using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Dsl.Arrow.Memory;
using Dsl.Arrow.Types;

namespace Dsl.Arrow;

/// <summary>
/// Full structural validation of array data against the Arrow layout of its type: buffer sizes for
/// offset + length, a known null count equal to the bitmap's, offsets non-negative, non-decreasing and inside
/// the data buffer or child, children of the right number, type and length, dictionary indices inside the
/// dictionary; recursively. After it passes, every element access of the arrays here stays inside the buffers.
/// UTF-8 well-formedness is not checked (invalid sequences decode to U+FFFD).
/// </summary>
internal static class ArrayDataValidator
{
    /// <summary>Throws <see cref="ArrowFormatException"/> naming <paramref name="location"/> and the problem.</summary>
    public static void Validate(ArrayData data, string location)
    {
        data.ThrowIfDisposed();
        CheckValidity(data, location);
        switch (data.DataType)
        {
            case BooleanType:
                RequireBytes(data, 1, BitUtility.ByteCount((long)data.Offset + data.Length), "values", location);
                break;
            case DictionaryType dictionary:
                ValidateDictionary(data, dictionary, location);
                break;
            case Decimal128Type decimalType:
                RequireBytes(data, 1, ((long)data.Offset + data.Length) * 16, "values", location);
                CheckPrecision(data, decimalType, location);
                break;
            case FixedWidthType fixedWidth:
                RequireBytes(data, 1, ((long)data.Offset + data.Length) * (fixedWidth.BitWidth / 8), "values", location);
                break;
            case StringType or BinaryType:
                CheckOffsets<int>(data, data.Buffer(2).Length, "data buffer bytes", location);
                break;
            case LargeStringType:
                CheckOffsets<long>(data, data.Buffer(2).Length, "data buffer bytes", location);
                break;
            case ListType list:
                ValidateList(data, list, location);
                break;
            case StructType structType:
                ValidateStruct(data, structType, location);
                break;
            default:
                throw new ArrowFormatException($"{location}: arrays of type {data.DataType} are not supported.");
        }
    }

    private static void CheckValidity(ArrayData data, string location)
    {
        var validity = data.Buffer(0);
        var end = (long)data.Offset + data.Length;
        if (!validity.IsEmpty && validity.Length < BitUtility.ByteCount(end))
        {
            throw new ArrowFormatException(
                $"{location}: the validity bitmap has {validity.Length} bytes, too few for offset {data.Offset} + length {data.Length}.");
        }

        var counted = validity.IsEmpty ? 0 : data.Length - BitUtility.CountSetBits(validity.Span, data.Offset, data.Length);
        var declared = data.DeclaredNullCount;
        if (declared != ArrayData.UnknownNullCount && declared != counted)
        {
            throw new ArrowFormatException(
                $"{location}: the null count says {declared} but the validity bitmap has {counted} nulls.");
        }
    }

    private static ArrowBuffer RequireBytes(ArrayData data, int index, long required, string role, string location)
    {
        var buffer = data.Buffer(index);
        if (buffer.Length < required)
        {
            throw new ArrowFormatException(
                $"{location}: the {role} buffer has {buffer.Length} bytes; offset {data.Offset} + length {data.Length} needs {required}.");
        }

        return buffer;
    }

    /// <summary>Checks offsets[Offset .. Offset + Length] are non-negative, non-decreasing and at most <paramref name="limit"/>.</summary>
    private static unsafe void CheckOffsets<T>(ArrayData data, long limit, string limitName, string location)
        where T : unmanaged, IBinaryInteger<T>
    {
        if (data.Length == 0 && data.Buffer(1).IsEmpty)
        {
            return;
        }

        var buffer = RequireBytes(data, 1, ((long)data.Offset + data.Length + 1) * sizeof(T), "offsets", location);
        var offsets = new ReadOnlySpan<T>((T*)buffer.Address + data.Offset, data.Length + 1);
        var first = long.CreateTruncating(offsets[0]);
        if (first < 0)
        {
            throw new ArrowFormatException($"{location}: the first offset is negative ({first}).");
        }

        var decrease = FirstDecrease(offsets);
        if (decrease >= 0)
        {
            throw new ArrowFormatException(
                $"{location}: offsets decrease at row {decrease} ({offsets[decrease]} then {offsets[decrease + 1]}).");
        }

        var previous = long.CreateTruncating(offsets[^1]);
        if (previous > limit)
        {
            throw new ArrowFormatException(
                $"{location}: the last offset is {previous} but there are only {limit} {limitName}.");
        }
    }

    /// <summary>
    /// The first i with offsets[i + 1] &lt; offsets[i], or -1. Vectorized: IPC readers validate every offset of
    /// every batch they read, and this scan is most of the cost of a zero-copy read.
    /// </summary>
    private static int FirstDecrease<T>(ReadOnlySpan<T> offsets)
        where T : unmanaged, IBinaryInteger<T>
    {
        var i = 0;
        var pairs = offsets.Length - 1;
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            ref var start = ref MemoryMarshal.GetReference(offsets);
            for (; i + Vector256<T>.Count <= pairs; i += Vector256<T>.Count)
            {
                if (Vector256.LessThanAny(Vector256.LoadUnsafe(ref start, (nuint)i + 1), Vector256.LoadUnsafe(ref start, (nuint)i)))
                {
                    break; // the scalar loop below finds the exact row
                }
            }
        }

        for (; i < pairs; i++)
        {
            if (offsets[i + 1] < offsets[i])
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Checks every valid row's unscaled value has at most the type's precision in digits (the spec's rule).</summary>
    private static void CheckPrecision(ArrayData data, Decimal128Type type, string location)
    {
        var values = MemoryMarshal.Cast<byte, Int128>(data.Buffer(1).Span).Slice(data.Offset, data.Length);
        var validity = data.Buffer(0);
        var bitmap = validity.IsEmpty ? default : validity.Span;
        for (var i = 0; i < values.Length; i++)
        {
            if (!DecimalConversions.FitsPrecision(values[i], type.Precision) && (bitmap.IsEmpty || BitUtility.GetBit(bitmap, data.Offset + i)))
            {
                throw new ArrowFormatException(
                    $"{location}: row {i} holds {DecimalConversions.Format(values[i], type.Scale)}, more than the {type.Precision} digits of {type}.");
            }
        }
    }

    private static void ValidateList(ArrayData data, ListType type, string location)
    {
        var child = SingleChild(data, location);
        if (!child.DataType.Equals(type.ValueDataType))
        {
            throw new ArrowFormatException($"{location}: the list values are {child.DataType}; the type says {type.ValueDataType}.");
        }

        CheckOffsets<int>(data, child.Length, "child values", location);
        Validate(child, $"{location} > list values");
    }

    private static ArrayData SingleChild(ArrayData data, string location) =>
        data.Children.Count == 1
            ? data.Children[0]
            : throw new ArrowFormatException($"{location}: a list needs 1 child array, not {data.Children.Count}.");

    private static void ValidateStruct(ArrayData data, StructType type, string location)
    {
        if (data.Children.Count != type.Fields.Count)
        {
            throw new ArrowFormatException(
                $"{location}: the struct type has {type.Fields.Count} fields but the data has {data.Children.Count} children.");
        }

        for (var i = 0; i < type.Fields.Count; i++)
        {
            var field = type.Fields[i];
            var child = data.Children[i];
            var childLocation = $"{location} > field '{field.Name}'";
            if (!child.DataType.Equals(field.DataType))
            {
                throw new ArrowFormatException($"{childLocation}: the data is {child.DataType}; the type says {field.DataType}.");
            }

            if (child.Length < (long)data.Offset + data.Length)
            {
                throw new ArrowFormatException(
                    $"{childLocation}: {child.Length} rows, fewer than the struct's offset {data.Offset} + length {data.Length}.");
            }

            Validate(child, childLocation);
        }
    }

    private static void ValidateDictionary(ArrayData data, DictionaryType type, string location)
    {
        var dictionary = data.Dictionary
            ?? throw new ArrowFormatException($"{location}: a dictionary-encoded array has no dictionary.");
        if (!dictionary.DataType.Equals(type.ValueType))
        {
            throw new ArrowFormatException($"{location}: the dictionary is {dictionary.DataType}; the type says {type.ValueType}.");
        }

        Validate(dictionary, $"{location} > dictionary");
        RequireBytes(data, 1, ((long)data.Offset + data.Length) * (type.IndexType.BitWidth / 8), "indices", location);
        switch (type.IndexType.TypeId)
        {
            case ArrowTypeId.Int8: CheckIndices<sbyte>(data, dictionary.Length, location); break;
            case ArrowTypeId.Int16: CheckIndices<short>(data, dictionary.Length, location); break;
            case ArrowTypeId.Int32: CheckIndices<int>(data, dictionary.Length, location); break;
            case ArrowTypeId.Int64: CheckIndices<long>(data, dictionary.Length, location); break;
            case ArrowTypeId.UInt8: CheckIndices<byte>(data, dictionary.Length, location); break;
            case ArrowTypeId.UInt16: CheckIndices<ushort>(data, dictionary.Length, location); break;
            case ArrowTypeId.UInt32: CheckIndices<uint>(data, dictionary.Length, location); break;
            case ArrowTypeId.UInt64: CheckIndices<ulong>(data, dictionary.Length, location); break;
            default: throw new ArrowFormatException($"{location}: dictionary indices of type {type.IndexType} are not supported.");
        }
    }

    private static void CheckIndices<T>(ArrayData data, int dictionaryLength, string location)
        where T : unmanaged, IBinaryInteger<T>
    {
        var indices = MemoryMarshal.Cast<byte, T>(data.Buffer(1).Span).Slice(data.Offset, data.Length);
        var validity = data.Buffer(0);
        var bitmap = validity.IsEmpty ? default : validity.Span;
        var limit = T.CreateSaturating(dictionaryLength);
        for (var i = 0; i < indices.Length; i++)
        {
            var index = indices[i];
            if ((index < T.Zero || index >= limit) && (bitmap.IsEmpty || BitUtility.GetBit(bitmap, data.Offset + i)))
            {
                throw new ArrowFormatException(
                    $"{location}: row {i} has dictionary index {index}, outside a dictionary of {dictionaryLength} values.");
            }
        }
    }
}
