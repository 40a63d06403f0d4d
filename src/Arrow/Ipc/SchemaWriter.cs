using Dsl.Arrow.Ipc.FlatBuffers;
using Dsl.Arrow.Types;

namespace Dsl.Arrow.Ipc;

/// <summary>
/// Encodes a <see cref="Schema"/> as the FlatBuffers <c>Schema</c> table (Schema.fbs). Dictionary-encoded
/// fields get the ids of <see cref="DictionaryIds"/>: 0, 1, 2... in depth-first field order.
/// </summary>
internal static class SchemaWriter
{
    /// <summary>The dictionary-encoded fields of <paramref name="schema"/> with the ids the writers give them.</summary>
    public static IReadOnlyList<DictionaryField> DictionaryIds(Schema schema)
    {
        var result = new List<DictionaryField>();
        foreach (var field in schema.FieldsList)
        {
            Collect(field, field.Name, result);
        }

        return result;
    }

    /// <summary>Builds the schema table; returns its offset in <paramref name="builder"/>.</summary>
    public static int Write(FlatBufferBuilder builder, Schema schema, IReadOnlyList<DictionaryField> dictionaries)
    {
        var ids = new Dictionary<Field, long>(ReferenceEqualityComparer.Instance);
        foreach (var dictionary in dictionaries)
        {
            ids[dictionary.Field] = dictionary.Id;
        }

        var fields = schema.FieldsList.Select(field => WriteField(builder, field, ids)).ToList();
        var fieldsVector = builder.CreateOffsetVector(fields);
        var metadata = WriteMetadata(builder, schema.Metadata);
        builder.StartTable(4);
        builder.AddOffset(1, fieldsVector);
        if (metadata != 0)
        {
            builder.AddOffset(2, metadata);
        }

        return builder.EndTable();
    }

    /// <summary>Builds a <c>[KeyValue]</c> vector, or returns 0 when there is no metadata.</summary>
    public static int WriteMetadata(FlatBufferBuilder builder, IReadOnlyDictionary<string, string>? metadata)
    {
        if (metadata is null || metadata.Count == 0)
        {
            return 0;
        }

        var pairs = new List<int>();
        foreach (var (key, value) in metadata.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            var keyOffset = builder.CreateString(key);
            var valueOffset = builder.CreateString(value);
            builder.StartTable(2);
            builder.AddOffset(0, keyOffset);
            builder.AddOffset(1, valueOffset);
            pairs.Add(builder.EndTable());
        }

        return builder.CreateOffsetVector(pairs);
    }

    private static void Collect(Field field, string path, List<DictionaryField> result)
    {
        if (field.DataType is DictionaryType)
        {
            result.Add(new DictionaryField(result.Count, field, path));
        }

        foreach (var child in ChildFields(field.DataType))
        {
            Collect(child, path + "." + child.Name, result);
        }
    }

    private static IReadOnlyList<Field> ChildFields(IArrowType type) => type switch
    {
        DictionaryType dictionary => ChildFields(dictionary.ValueType),
        NestedType nested => nested.Fields,
        _ => [],
    };

    private static int WriteField(FlatBufferBuilder builder, Field field, Dictionary<Field, long> ids)
    {
        var valueType = field.DataType is DictionaryType encoded ? encoded.ValueType : field.DataType;
        var name = builder.CreateString(field.Name);
        var children = builder.CreateOffsetVector(ChildFields(field.DataType).Select(child => WriteField(builder, child, ids)).ToList());
        var (typeId, typeTable) = WriteType(builder, valueType);
        var dictionary = field.DataType is DictionaryType dictionaryType ? WriteDictionaryEncoding(builder, dictionaryType, ids[field]) : 0;
        var metadata = WriteMetadata(builder, field.Metadata);

        builder.StartTable(7);
        builder.AddOffset(0, name);
        builder.AddBool(1, field.IsNullable, false);
        builder.AddByte(2, typeId, 0);
        builder.AddOffset(3, typeTable);
        if (dictionary != 0)
        {
            builder.AddOffset(4, dictionary);
        }

        builder.AddOffset(5, children);
        if (metadata != 0)
        {
            builder.AddOffset(6, metadata);
        }

        return builder.EndTable();
    }

    private static int WriteDictionaryEncoding(FlatBufferBuilder builder, DictionaryType type, long id)
    {
        var indexType = WriteIntType(builder, type.IndexType);
        builder.StartTable(4);
        builder.AddInt64(0, id, 0);
        builder.AddOffset(1, indexType);
        builder.AddBool(2, type.IsOrdered, false);
        return builder.EndTable();
    }

    /// <summary>Writes the type table; returns the <c>Type</c> union tag and the table's offset.</summary>
    private static (byte TypeId, int Table) WriteType(FlatBufferBuilder builder, IArrowType type)
    {
        switch (type)
        {
            case IntegerType integer:
                return (2, WriteIntType(builder, integer));
            case FloatType:
                return (3, TableWithInt16(builder, value: 1, defaultValue: 0));
            case DoubleType:
                return (3, TableWithInt16(builder, value: 2, defaultValue: 0));
            case BinaryType:
                return (4, EmptyTable(builder));
            case StringType:
                return (5, EmptyTable(builder));
            case BooleanType:
                return (6, EmptyTable(builder));
            case Decimal128Type decimalType:
                builder.StartTable(3);
                builder.AddInt32(0, decimalType.Precision, 0);
                builder.AddInt32(1, decimalType.Scale, 0);
                builder.AddInt32(2, 128, 128);
                return (7, builder.EndTable());
            case Date32Type:
                return (8, TableWithInt16(builder, value: 0, defaultValue: 1));
            case TimestampType timestamp:
                {
                    var timezone = timestamp.Timezone is null ? 0 : builder.CreateString(timestamp.Timezone);
                    builder.StartTable(2);
                    builder.AddInt16(0, (short)timestamp.Unit, 0);
                    if (timezone != 0)
                    {
                        builder.AddOffset(1, timezone);
                    }

                    return (10, builder.EndTable());
                }

            case ListType:
                return (12, EmptyTable(builder));
            case StructType:
                return (13, EmptyTable(builder));
            case DurationType duration:
                return (18, TableWithInt16(builder, value: (short)duration.Unit, defaultValue: 1));
            case LargeStringType:
                return (20, EmptyTable(builder));
            default:
                throw new NotSupportedException($"Writing Arrow type {type} to IPC is not supported.");
        }
    }

    private static int WriteIntType(FlatBufferBuilder builder, IntegerType type)
    {
        builder.StartTable(2);
        builder.AddInt32(0, type.BitWidth, 0);
        builder.AddBool(1, type.IsSigned, false);
        return builder.EndTable();
    }

    /// <summary>A type table whose only field is a short in slot 0: precision, date unit or time unit.</summary>
    private static int TableWithInt16(FlatBufferBuilder builder, short value, short defaultValue)
    {
        builder.StartTable(1);
        builder.AddInt16(0, value, defaultValue);
        return builder.EndTable();
    }

    private static int EmptyTable(FlatBufferBuilder builder)
    {
        builder.StartTable(0);
        return builder.EndTable();
    }
}
