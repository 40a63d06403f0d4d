using System.Numerics;
using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.ArrowExtensions.Types;

namespace Dsl.ArrowExtensions;

/// <summary>The rules <see cref="ArrowValidator"/> applies to one <see cref="ArrayData"/>, recursively (see its remarks).</summary>
internal static class ArrayDataRules
{
    /// <summary>Throws <see cref="ArrowValidationException"/> naming <paramref name="column"/> and the problem.</summary>
    public static void Validate(ArrayData data, string column)
    {
        if (data.Length < 0 || data.Offset < 0 || (long)data.Offset + data.Length > int.MaxValue)
        {
            throw Error(column, "length", null, "length", $"offset {data.Offset} and length {data.Length} are not a valid range");
        }

        CheckBufferCount(data, column);
        CheckValidity(data, column);
        switch (data.DataType)
        {
            case BooleanType:
                RequireBytes(data, 1, "values", BitUtility.ByteCount(End(data)), column);
                break;
            case DictionaryType dictionary:
                ValidateDictionary(data, dictionary, column);
                break;
            case Decimal128Type decimalType:
                RequireBytes(data, 1, "values", End(data) * 16L, column);
                CheckPrecision(data, decimalType, column);
                break;
            case FixedWidthType fixedWidth when fixedWidth.BitWidth % 8 == 0:
                RequireBytes(data, 1, "values", End(data) * (long)(fixedWidth.BitWidth / 8), column);
                break;
            case StringType or BinaryType:
                CheckOffsets<int>(data, Buffer(data, 2).Length, "data", "bytes in the data buffer", column);
                break;
            case LargeStringType or LargeBinaryType:
                CheckOffsets<long>(data, Buffer(data, 2).Length, "data", "bytes in the data buffer", column);
                break;
            case ListType list:
                ValidateList(data, list, column);
                break;
            case StructType structType:
                ValidateStruct(data, structType, column);
                break;
            default:
                throw new NotSupportedException($"{column}: arrays of type {ArrowTypes.Describe(data.DataType)} cannot be validated, so they are not read.");
        }
    }

    private static int End(ArrayData data) => data.Offset + data.Length;

    /// <summary>
    /// The number of buffers the type's layout has: validity bitmap, then values (fixed width), offsets and data
    /// (binary and strings), offsets (list), indices (dictionary), nothing more (struct). Apache.Arrow's array
    /// constructors insist on exactly these counts, and its accessors index buffers by position.
    /// </summary>
    private static int LayoutBufferCount(IArrowType type) => type switch
    {
        StringType or BinaryType or LargeStringType or LargeBinaryType => 3,
        StructType => 1,
        _ => 2,
    };

    private static void CheckBufferCount(ArrayData data, string column)
    {
        if (data.DataType is not (FixedWidthType or StringType or BinaryType or LargeStringType or LargeBinaryType or ListType or StructType)) return;
        var expected = LayoutBufferCount(data.DataType);
        var actual = data.Buffers?.Length ?? 0;
        if (actual != expected)
        {
            throw Error(column, "buffers", null, "buffer-count", $"a {ArrowTypes.Describe(data.DataType)} array has {actual} buffers; its layout has {expected}");
        }
    }

    private static ArrowBuffer Buffer(ArrayData data, int index) =>
        data.Buffers is { } buffers && index < buffers.Length ? buffers[index] : ArrowBuffer.Empty;

    private static void CheckValidity(ArrayData data, string column)
    {
        var validity = Buffer(data, 0);
        if (!validity.IsEmpty && validity.Length < BitUtility.ByteCount(End(data)))
        {
            throw Error(column, "validity bitmap", null, "buffer-size",
                $"the bitmap has {validity.Length} bytes, too few for offset {data.Offset} + length {data.Length}");
        }

        if (data.NullCount < -1)
        {
            throw Error(column, "validity bitmap", null, "null-count", $"the null count {data.NullCount} is neither a count nor -1 (unknown)");
        }

        if (data.NullCount == -1) return; // unknown: Apache.Arrow counts it from the bitmap when asked
        var counted = validity.IsEmpty ? 0 : data.Length - BitUtility.CountBits(validity.Span, data.Offset, data.Length);
        if (data.NullCount != counted)
        {
            throw Error(column, "validity bitmap", null, "null-count", $"the null count says {data.NullCount} but the bitmap has {counted} nulls");
        }
    }

    /// <summary>Buffer <paramref name="index"/>, which <see cref="CheckBufferCount"/> proved exists, with at least <paramref name="required"/> bytes.</summary>
    private static ArrowBuffer RequireBytes(ArrayData data, int index, string role, long required, string column)
    {
        var buffer = data.Buffers[index];
        if (buffer.Length < required)
        {
            throw Error(column, role, null, "buffer-size",
                $"the buffer has {buffer.Length} bytes; offset {data.Offset} + length {data.Length} needs {required}");
        }

        return buffer;
    }

    /// <summary>Checks offsets[Offset .. Offset + Length] are non-negative, non-decreasing and at most <paramref name="limit"/>.</summary>
    private static void CheckOffsets<T>(ArrayData data, long limit, string limitBuffer, string limitName, string column)
        where T : unmanaged, IBinaryInteger<T>
    {
        if (data.Length == 0 && Buffer(data, 1).IsEmpty) return;
        var buffer = RequireBytes(data, 1, "offsets", (End(data) + 1L) * Marshal.SizeOf<T>(), column);
        var offsets = MemoryMarshal.Cast<byte, T>(buffer.Span).Slice(data.Offset, data.Length + 1);
        var first = long.CreateTruncating(offsets[0]);
        if (first < 0) throw Error(column, "offsets", 0, "offsets-start", $"the first offset is negative ({first})");

        // A zero-row array's single offset delimits nothing, so it is not held to the data's size (as in Arrow C++,
        // which bounds only the offsets after the first): Apache.Arrow's writer keeps a zero-row slice's offset where
        // the slice began (say 9) and writes no data.
        if (data.Length == 0) return;
        var decrease = OffsetOrder.FirstDecrease(offsets);
        if (decrease >= 0)
        {
            throw Error(column, "offsets", decrease, "offsets-monotonic", $"offsets decrease ({offsets[decrease]} then {offsets[decrease + 1]})");
        }

        var last = long.CreateTruncating(offsets[^1]);
        if (last > limit)
        {
            throw Error(column, limitBuffer, FirstRowEndingPast(offsets, limit), "offsets-bound", $"the last offset is {last} but there are only {limit} {limitName}");
        }
    }

    /// <summary>The first row whose end offset is past <paramref name="limit"/> (offsets are non-decreasing), or null for an empty array.</summary>
    private static long? FirstRowEndingPast<T>(ReadOnlySpan<T> offsets, long limit)
        where T : unmanaged, IBinaryInteger<T>
    {
        if (offsets.Length == 1) return null;
        int low = 0, high = offsets.Length - 2;
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (long.CreateTruncating(offsets[middle + 1]) > limit) high = middle;
            else low = middle + 1;
        }

        return low;
    }

    /// <summary>Checks every valid row's unscaled value has at most the type's precision in digits (the spec's rule).</summary>
    private static void CheckPrecision(ArrayData data, Decimal128Type type, string column)
    {
        var values = MemoryMarshal.Cast<byte, Int128>(Buffer(data, 1).Span).Slice(data.Offset, data.Length);
        var validity = Buffer(data, 0).Span;
        for (var i = 0; i < values.Length; i++)
        {
            if (!DecimalConversions.FitsPrecision(values[i], type.Precision) && (validity.IsEmpty || BitUtility.GetBit(validity, data.Offset + i)))
            {
                throw Error(column, "values", i, "decimal-precision",
                    $"the value {DecimalConversions.Format(values[i], type.Scale)} has more than the {type.Precision} digits of {ArrowTypes.Describe(type)}");
            }
        }
    }

    private static void ValidateList(ArrayData data, ListType type, string column)
    {
        var child = Children(data, 1, column)[0];
        CheckChildType(child, type.ValueDataType, $"{column} > list values");
        CheckOffsets<int>(data, child.Length, "children", "child values", column);
        Validate(child, $"{column} > list values");
    }

    private static void ValidateStruct(ArrayData data, StructType type, string column)
    {
        var children = Children(data, type.Fields.Count, column);
        for (var i = 0; i < children.Length; i++)
        {
            var childColumn = $"{column} > field '{type.Fields[i].Name}'";
            CheckChildType(children[i], type.Fields[i].DataType, childColumn);
            if (children[i].Length < End(data))
            {
                throw Error(childColumn, "children", null, "child-length",
                    $"{children[i].Length} rows, fewer than the struct's offset {data.Offset} + length {data.Length}");
            }

            Validate(children[i], childColumn);
        }
    }

    private static ArrayData[] Children(ArrayData data, int count, string column)
    {
        var children = data.Children ?? [];
        if (children.Length != count || children.Any(child => child is null))
        {
            throw Error(column, "children", null, "child-count", $"a {ArrowTypes.Describe(data.DataType)} array needs {count} child arrays, not {children.Length}");
        }

        return children;
    }

    private static void CheckChildType(ArrayData child, IArrowType expected, string column)
    {
        if (!ArrowTypes.Comparer.Equals(child.DataType, expected))
        {
            throw Error(column, "children", null, "child-type", $"the data is {ArrowTypes.Describe(child.DataType)}; the type says {ArrowTypes.Describe(expected)}");
        }
    }

    private static void ValidateDictionary(ArrayData data, DictionaryType type, string column)
    {
        var dictionary = data.Dictionary
            ?? throw Error(column, "dictionary", null, "dictionary-missing", "a dictionary-encoded array has no dictionary");
        if (!ArrowTypes.Comparer.Equals(dictionary.DataType, type.ValueType))
        {
            throw Error(column, "dictionary", null, "dictionary-type",
                $"the dictionary is {ArrowTypes.Describe(dictionary.DataType)}; the type says {ArrowTypes.Describe(type.ValueType)}");
        }

        Validate(dictionary, $"{column} > dictionary");
        var width = ((FixedWidthType)type.IndexType).BitWidth / 8;
        RequireBytes(data, 1, "indices", End(data) * (long)width, column);
        switch (type.IndexType.TypeId)
        {
            case ArrowTypeId.Int8: CheckIndices<sbyte>(data, dictionary.Length, column); break;
            case ArrowTypeId.Int16: CheckIndices<short>(data, dictionary.Length, column); break;
            case ArrowTypeId.Int32: CheckIndices<int>(data, dictionary.Length, column); break;
            case ArrowTypeId.Int64: CheckIndices<long>(data, dictionary.Length, column); break;
            case ArrowTypeId.UInt8: CheckIndices<byte>(data, dictionary.Length, column); break;
            case ArrowTypeId.UInt16: CheckIndices<ushort>(data, dictionary.Length, column); break;
            case ArrowTypeId.UInt32: CheckIndices<uint>(data, dictionary.Length, column); break;
            case ArrowTypeId.UInt64: CheckIndices<ulong>(data, dictionary.Length, column); break;
            default: throw Error(column, "indices", null, "dictionary-type", $"dictionary indices of type {ArrowTypes.Describe(type.IndexType)} are not integers");
        }
    }

    private static void CheckIndices<T>(ArrayData data, int dictionaryLength, string column)
        where T : unmanaged, IBinaryInteger<T>
    {
        var indices = MemoryMarshal.Cast<byte, T>(Buffer(data, 1).Span).Slice(data.Offset, data.Length);
        var validity = Buffer(data, 0).Span;
        for (var i = 0; i < indices.Length; i++)
        {
            // Compared as longs: the dictionary may have more values than the index type can count (an int8 index
            // of 127 into a 300-value dictionary is valid), and a uint64 past long.MaxValue saturates out of range.
            var index = indices[i];
            var position = long.CreateSaturating(index);
            if ((position < 0 || position >= dictionaryLength) && (validity.IsEmpty || BitUtility.GetBit(validity, data.Offset + i)))
            {
                throw Error(column, "indices", i, "dictionary-index", $"the index {index} is outside a dictionary of {dictionaryLength} values");
            }
        }
    }

    private static ArrowValidationException Error(string column, string buffer, long? row, string rule, string problem) =>
        new(column, buffer, row, rule, problem);
}
