using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.ArrowExtensions.Ipc.FlatBuffers;

namespace Dsl.ArrowExtensions.Ipc;

/// <summary>
/// Decodes the FlatBuffers <c>Schema</c> table (Schema.fbs) into a <see cref="Schema"/>, and collects the
/// dictionary-encoded fields with their dictionary ids.
/// </summary>
/// <remarks>
/// Invariant: nesting is at most <see cref="MaxNestingDepth"/> deep and the total number of fields decoded is
/// bounded by the metadata's size, so a crafted schema whose children point back at shared tables cannot make
/// decoding exponential. Unknown type ids and malformed parameters are <see cref="ArrowFormatException"/>s;
/// valid Arrow types the validator does not check (so kernels never read them) are
/// <see cref="NotSupportedException"/>s naming the type.
/// </remarks>
internal sealed class SchemaReader
{
    /// <summary>The deepest nesting of list/struct types accepted.</summary>
    public const int MaxNestingDepth = 64;

    private readonly List<DictionaryField> _dictionaries = [];
    private int _fieldBudget;

    private SchemaReader(int fieldBudget) => _fieldBudget = fieldBudget;

    /// <summary>Reads a schema table; <paramref name="metadataLength"/> bounds the number of fields.</summary>
    public static (Schema Schema, IReadOnlyList<DictionaryField> Dictionaries) Read(FlatTable schema, int metadataLength)
    {
        var reader = new SchemaReader(Math.Max(16, metadataLength / 4));
        var endianness = schema.GetInt16(0, 0);
        if (endianness != 0)
        {
            throw new NotSupportedException($"{schema.Path}: big-endian Arrow data is not supported.");
        }

        var fieldsVector = schema.GetVector(1, "fields", 4);
        var fields = new Field[fieldsVector.Count];
        for (var i = 0; i < fields.Length; i++)
        {
            fields[i] = reader.ReadField(fieldsVector.TableAt(i), depth: 1);
        }

        var metadata = ReadMetadata(schema, 2);
        return (new Schema(fields, metadata), reader._dictionaries);
    }

    /// <summary>Reads a <c>[KeyValue]</c> vector in <paramref name="slot"/>, or null when absent or empty.</summary>
    public static IEnumerable<KeyValuePair<string, string>>? ReadMetadata(FlatTable table, int slot)
    {
        var pairs = table.GetVector(slot, "custom_metadata", 4);
        if (pairs.Count == 0)
        {
            return null;
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < pairs.Count; i++)
        {
            var pair = pairs.TableAt(i);
            var key = pair.GetString(0, "key") ?? "";
            metadata[key] = pair.GetString(1, "value") ?? "";
        }

        return metadata;
    }

    private Field ReadField(FlatTable field, int depth)
    {
        if (--_fieldBudget < 0)
        {
            throw FlatTable.Error(field.Path, "the schema declares more fields than its metadata can hold");
        }

        if (depth > MaxNestingDepth)
        {
            throw FlatTable.Error(field.Path, $"fields are nested more than {MaxNestingDepth} levels deep");
        }

        var name = field.GetString(0, "name") ?? "";
        var nullable = field.GetBool(1, false);
        var childVector = field.GetVector(5, "children", 4);
        var children = new Field[childVector.Count];
        for (var i = 0; i < children.Length; i++)
        {
            children[i] = ReadField(childVector.TableAt(i), depth + 1);
        }

        var type = ReadType(field, name, children);
        if (field.GetTable(4, "dictionary") is not { } dictionary)
        {
            return new Field(name, type, nullable, ReadMetadata(field, 6));
        }

        var indexType = dictionary.GetTable(1, "indexType") is { } index ? ReadIntType(index) : Int32Type.Default;
        var encoded = new Field(name, new DictionaryType(indexType, type, dictionary.GetBool(2, false)), nullable, ReadMetadata(field, 6));
        _dictionaries.Add(new DictionaryField(dictionary.GetInt64(0, 0), encoded, field.Path));
        return encoded;
    }

    private static IArrowType ReadType(FlatTable field, string name, Field[] children)
    {
        var typeId = field.GetByte(2, 0);
        var table = field.GetTable(3, "type");
        if (table is not { } type)
        {
            throw FlatTable.Error(field.Path, $"field '{name}' has no type table (type id {typeId})");
        }

        switch (typeId)
        {
            case 2:
                return ReadIntType(type);
            case 3:
                return type.GetInt16(0, 0) switch
                {
                    1 => FloatType.Default,
                    2 => DoubleType.Default,
                    0 => throw new NotSupportedException($"{field.Path}: Arrow type float16 (field '{name}') is not supported."),
                    var precision => throw FlatTable.Error(field.Path, $"floating-point precision {precision} is not HALF, SINGLE or DOUBLE"),
                };
            case 4:
                return BinaryType.Default;
            case 5:
                return StringType.Default;
            case 6:
                return BooleanType.Default;
            case 7:
                return ReadDecimalType(type, name, field.Path);
            case 8:
                return type.GetInt16(0, 1) == 0
                    ? Date32Type.Default
                    : throw new NotSupportedException($"{field.Path}: Arrow type date64 (field '{name}') is not supported.");
            case 10:
                return new TimestampType(ReadTimeUnit(type, 0, field.Path), type.GetString(1, "timezone"));
            case 12:
                return children.Length == 1
                    ? new ListType(children[0])
                    : throw FlatTable.Error(field.Path, $"list field '{name}' has {children.Length} children instead of 1");
            case 13:
                return children.Length > 0
                    ? new StructType(children)
                    : throw new NotSupportedException($"{field.Path}: struct field '{name}' has no fields, which Apache.Arrow cannot represent.");
            case 18:
                return DurationType.FromTimeUnit(ReadTimeUnit(type, 1, field.Path));
            case 19:
                return LargeBinaryType.Default;
            case 20:
                return LargeStringType.Default;
            case >= 1 and <= 26:
                throw new NotSupportedException($"{field.Path}: Arrow type {UnsupportedTypeNames[typeId]} (field '{name}') is not supported.");
            default:
                throw FlatTable.Error(field.Path, $"field '{name}' has unknown type id {typeId}");
        }
    }

    private static IArrowType ReadIntType(FlatTable type)
    {
        var bitWidth = type.GetInt32(0, 0);
        var signed = type.GetBool(1, false);
        return (bitWidth, signed) switch
        {
            (8, true) => Int8Type.Default,
            (16, true) => Int16Type.Default,
            (32, true) => Int32Type.Default,
            (64, true) => Int64Type.Default,
            (8, false) => UInt8Type.Default,
            (16, false) => UInt16Type.Default,
            (32, false) => UInt32Type.Default,
            (64, false) => UInt64Type.Default,
            _ => throw FlatTable.Error(type.Path, $"integer bit width {bitWidth} is not 8, 16, 32 or 64"),
        };
    }

    /// <summary>Reads the <c>Decimal</c> table: precision (slot 0), scale (slot 1), bitWidth (slot 2, default 128).</summary>
    private static Decimal128Type ReadDecimalType(FlatTable type, string name, string path)
    {
        var precision = type.GetInt32(0, 0);
        var scale = type.GetInt32(1, 0);
        var bitWidth = type.GetInt32(2, 128);
        if (bitWidth != 128)
        {
            throw bitWidth is 32 or 64 or 256
                ? new NotSupportedException($"{path}: Arrow type decimal{bitWidth}({precision}, {scale}) (field '{name}') is not supported; only decimal128 is.")
                : FlatTable.Error(path, $"decimal bit width {bitWidth} is not 32, 64, 128 or 256");
        }

        if (precision is < 1 or > DecimalConversions.MaxPrecision || scale is < -DecimalConversions.MaxPrecision or > DecimalConversions.MaxPrecision)
        {
            throw FlatTable.Error(path, $"decimal128 precision {precision} and scale {scale} are outside 1..{DecimalConversions.MaxPrecision} and -{DecimalConversions.MaxPrecision}..{DecimalConversions.MaxPrecision}");
        }

        return new Decimal128Type(precision, scale);
    }

    private static TimeUnit ReadTimeUnit(FlatTable type, short defaultUnit, string path)
    {
        var unit = type.GetInt16(0, defaultUnit);
        return unit is >= 0 and <= 3 ? (TimeUnit)unit : throw FlatTable.Error(path, $"time unit {unit} is not SECOND, MILLISECOND, MICROSECOND or NANOSECOND");
    }

    private static readonly string[] UnsupportedTypeNames =
    [
        "NONE", "null", "int", "floating point", "binary", "utf8", "bool", "decimal", "date", "time", "timestamp",
        "interval", "list", "struct", "union", "fixed_size_binary", "fixed_size_list", "map", "duration",
        "large_binary", "large_utf8", "large_list", "run_end_encoded", "binary_view", "utf8_view", "list_view",
        "large_list_view",
    ];
}

/// <summary>A dictionary-encoded field of a schema: its dictionary id and type, in depth-first field order.</summary>
internal sealed record DictionaryField(long Id, Field Field, string Path)
{
    public DictionaryType Type => (DictionaryType)Field.DataType;
}
