using Apache.Arrow;
using Apache.Arrow.Types;

namespace Dsl.Codegen.Tests.Support;

/// <summary>
/// Arrays built from CLR values (null = null row) by Apache.Arrow's own builders, in the 64-byte aligned native
/// memory its allocator hands out: the arrays users bring, as opposed to <c>TestArrays</c>' managed layout.
/// </summary>
internal static class ApacheBuilders
{
    /// <summary>
    /// An array of <paramref name="type"/> holding <paramref name="values"/>, sliced by Apache.Arrow itself after
    /// <paramref name="offset"/> leading rows (every third one null) when <paramref name="offset"/> is not 0.
    /// </summary>
    public static IArrowArray Array(IArrowType type, IReadOnlyList<object?> values, int offset = 0)
    {
        var builder = New(type);
        for (var i = 0; i < offset; i++) Append(builder, type, i % 3 == 0 ? null : values.FirstOrDefault(v => v is not null));
        foreach (var value in values) Append(builder, type, value);
        var array = ((IArrowArrayBuilder<IArrowArray>)builder).Build(default);
        return offset == 0 ? array : ArrowArrayFactory.Slice(array, offset, values.Count);
    }

    private static object New(IArrowType type) => type switch
    {
        DoubleType => new DoubleArray.Builder(),
        FloatType => new FloatArray.Builder(),
        Int8Type => new Int8Array.Builder(),
        Int16Type => new Int16Array.Builder(),
        Int32Type => new Int32Array.Builder(),
        Int64Type => new Int64Array.Builder(),
        UInt8Type => new UInt8Array.Builder(),
        UInt16Type => new UInt16Array.Builder(),
        UInt32Type => new UInt32Array.Builder(),
        UInt64Type => new UInt64Array.Builder(),
        BooleanType => new BooleanArray.Builder(),
        StringType => new StringArray.Builder(),
        LargeStringType => new LargeStringArray.Builder(),
        Date32Type => new Date32Array.Builder(),
        TimestampType timestamp => new TimestampArray.Builder(timestamp),
        DurationType duration => new DurationArray.Builder(duration),
        Decimal128Type decimalType => new Decimal128Array.Builder(decimalType),
        ListType list => new ListArray.Builder(list.ValueDataType),
        _ => throw new NotSupportedException($"ApacheBuilders cannot build {type.Name}."),
    };

    private static void Append(object builder, IArrowType type, object? value)
    {
        switch (builder)
        {
            case DoubleArray.Builder b: b.Append((double?)value); break;
            case FloatArray.Builder b: b.Append((float?)value); break;
            case Int8Array.Builder b: b.Append((sbyte?)value); break;
            case Int16Array.Builder b: b.Append((short?)value); break;
            case Int32Array.Builder b: b.Append((int?)value); break;
            case Int64Array.Builder b: b.Append((long?)value); break;
            case UInt8Array.Builder b: b.Append((byte?)value); break;
            case UInt16Array.Builder b: b.Append((ushort?)value); break;
            case UInt32Array.Builder b: b.Append((uint?)value); break;
            case UInt64Array.Builder b: b.Append((ulong?)value); break;
            case BooleanArray.Builder b: b.NullableAppend((bool?)value); break;
            case StringArray.Builder b when value is null: b.AppendNull(); break;
            case StringArray.Builder b: b.Append((string)value); break;
            case LargeStringArray.Builder b when value is null: b.AppendNull(); break;
            case LargeStringArray.Builder b: b.Append((string)value); break;
            case Date32Array.Builder b when value is null: b.AppendNull(); break;
            case Date32Array.Builder b: b.Append((DateOnly)value); break;
            case TimestampArray.Builder b when value is null: b.AppendNull(); break;
            case TimestampArray.Builder b: b.Append(new DateTimeOffset((DateTime)value)); break;
            case DurationArray.Builder b: b.Append((TimeSpan?)value); break;
            case Decimal128Array.Builder b when value is null: b.AppendNull(); break;
            case Decimal128Array.Builder b: b.Append((decimal)value); break;
            case ListArray.Builder b when value is null: b.AppendNull(); break;
            case ListArray.Builder b:
                b.Append();
                foreach (var item in (System.Array)value) Append(b.ValueBuilder, ((ListType)type).ValueDataType, item);
                break;
            default: throw new NotSupportedException($"ApacheBuilders cannot append to {builder.GetType().Name}.");
        }
    }
}
