using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Dsl.ArrowExtensions.Tests.Interop;

/// <summary>
/// Renders schemas and batches as the JSON document interop.mjs produces, from the raw buffers of the array data
/// (so it checks the physical layout, not an accessor): integers, dates, timestamps, durations and decimal128
/// unscaled integers as decimal strings, floats as the hex of their IEEE bits ("NaN" for any NaN), binary as hex,
/// lists as arrays, structs as objects, dictionary values decoded, null as null.
/// </summary>
internal static class ArrowJson
{
    public static JsonObject Describe(Schema schema, IEnumerable<RecordBatch> batches) => new()
    {
        ["schema"] = new JsonObject
        {
            ["metadata"] = Metadata(schema.Metadata),
            ["fields"] = new JsonArray([.. schema.FieldsList.Select(field => (JsonNode)new JsonObject
            {
                ["name"] = field.Name,
                ["type"] = TypeName(field.DataType),
                ["nullable"] = field.IsNullable,
                ["metadata"] = Metadata(field.Metadata),
            })]),
        },
        ["batches"] = new JsonArray([.. batches.Select(batch => (JsonNode)new JsonObject
        {
            ["length"] = batch.Length,
            ["columns"] = new JsonArray([.. batch.Arrays.Select(array =>
                (JsonNode)new JsonArray([.. Enumerable.Range(0, batch.Length).Select(row => Render(array.Data, row))]))]),
        })]),
    };

    /// <summary>The canonical type name interop.mjs's <c>typeName</c> produces.</summary>
    public static string TypeName(IArrowType type) => type switch
    {
        FloatType => "float32",
        DoubleType => "float64",
        IntegerType integer => $"{(integer.IsSigned ? "int" : "uint")}{integer.BitWidth}",
        BooleanType => "bool",
        StringType => "utf8",
        LargeStringType => "large_utf8",
        BinaryType => "binary",
        Date32Type => "date32",
        TimestampType t => $"timestamp[{Abbreviation(t.Unit)}{(t.Timezone is null ? "" : $", tz={t.Timezone}")}]",
        DurationType d => $"duration[{Abbreviation(d.Unit)}]",
        Decimal128Type d => $"decimal128({d.Precision}, {d.Scale})",
        ListType list => $"list<{TypeName(list.ValueDataType)}>",
        StructType s => $"struct<{string.Join(", ", s.Fields.Select(f => $"{f.Name}: {TypeName(f.DataType)}"))}>",
        DictionaryType d => $"dictionary<values={TypeName(d.ValueType)}, indices={TypeName(d.IndexType)}>",
        _ => $"unsupported:{type}",
    };

    /// <summary>Logical row <paramref name="row"/> of <paramref name="data"/>.</summary>
    public static JsonNode? Render(ArrayData data, int row)
    {
        var p = data.Offset + row;
        var validity = data.Buffers[0];
        if (!validity.IsEmpty && !BitUtility.GetBit(validity.Span, p))
        {
            return null;
        }

        var values = data.Buffers.Length > 1 ? data.Buffers[1].Span : default;
        switch (data.DataType)
        {
            case BooleanType:
                return BitUtility.GetBit(values, p);
            case FloatType:
                {
                    var value = BinaryPrimitives.ReadSingleLittleEndian(values[(p * 4)..]);
                    return float.IsNaN(value) ? "NaN" : BinaryPrimitives.ReadUInt32LittleEndian(values[(p * 4)..]).ToString("x8", CultureInfo.InvariantCulture);
                }

            case DoubleType:
                {
                    var value = BinaryPrimitives.ReadDoubleLittleEndian(values[(p * 8)..]);
                    return double.IsNaN(value) ? "NaN" : BinaryPrimitives.ReadUInt64LittleEndian(values[(p * 8)..]).ToString("x16", CultureInfo.InvariantCulture);
                }

            case DictionaryType dictionary:
                return Render(data.Dictionary!, (int)ReadInteger(values, p, (IntegerType)dictionary.IndexType));
            case IntegerType integer:
                return integer is UInt64Type
                    ? BinaryPrimitives.ReadUInt64LittleEndian(values[(p * 8)..]).ToString(CultureInfo.InvariantCulture)
                    : ReadInteger(values, p, integer).ToString(CultureInfo.InvariantCulture);
            case Date32Type:
                return BinaryPrimitives.ReadInt32LittleEndian(values[(p * 4)..]).ToString(CultureInfo.InvariantCulture);
            case Decimal128Type:
                return BinaryPrimitives.ReadInt128LittleEndian(values[(p * 16)..]).ToString(CultureInfo.InvariantCulture);
            case TimestampType or DurationType:
                return BinaryPrimitives.ReadInt64LittleEndian(values[(p * 8)..]).ToString(CultureInfo.InvariantCulture);
            case StringType or BinaryType or LargeStringType:
                {
                    var large = data.DataType is LargeStringType;
                    var start = large ? BinaryPrimitives.ReadInt64LittleEndian(values[(p * 8)..]) : BinaryPrimitives.ReadInt32LittleEndian(values[(p * 4)..]);
                    var end = large ? BinaryPrimitives.ReadInt64LittleEndian(values[((p + 1) * 8)..]) : BinaryPrimitives.ReadInt32LittleEndian(values[((p + 1) * 4)..]);
                    var bytes = data.Buffers[2].Span[(int)start..(int)end];
                    return data.DataType is BinaryType ? Convert.ToHexStringLower(bytes) : System.Text.Encoding.UTF8.GetString(bytes);
                }

            case ListType:
                {
                    var start = BinaryPrimitives.ReadInt32LittleEndian(values[(p * 4)..]);
                    var end = BinaryPrimitives.ReadInt32LittleEndian(values[((p + 1) * 4)..]);
                    return new JsonArray([.. Enumerable.Range(start, end - start).Select(i => Render(data.Children[0], i))]);
                }

            case StructType structType:
                {
                    var result = new JsonObject();
                    for (var i = 0; i < structType.Fields.Count; i++)
                    {
                        result[structType.Fields[i].Name] = Render(data.Children[i], p);
                    }

                    return result;
                }

            default:
                throw new NotSupportedException($"ArrowJson cannot render {data.DataType}.");
        }
    }

    private static long ReadInteger(ReadOnlySpan<byte> values, int p, IntegerType type) => (type.BitWidth, type.IsSigned) switch
    {
        (8, true) => (sbyte)values[p],
        (8, false) => values[p],
        (16, true) => BinaryPrimitives.ReadInt16LittleEndian(values[(p * 2)..]),
        (16, false) => BinaryPrimitives.ReadUInt16LittleEndian(values[(p * 2)..]),
        (32, true) => BinaryPrimitives.ReadInt32LittleEndian(values[(p * 4)..]),
        (32, false) => BinaryPrimitives.ReadUInt32LittleEndian(values[(p * 4)..]),
        _ => BinaryPrimitives.ReadInt64LittleEndian(values[(p * 8)..]),
    };

    private static string Abbreviation(TimeUnit unit) => unit switch
    {
        TimeUnit.Second => "s",
        TimeUnit.Millisecond => "ms",
        TimeUnit.Microsecond => "us",
        _ => "ns",
    };

    private static JsonObject Metadata(IReadOnlyDictionary<string, string>? metadata) =>
        new(metadata?.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => KeyValuePair.Create(pair.Key, (JsonNode?)pair.Value)) ?? []);
}
