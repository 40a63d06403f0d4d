using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.ArrowExtensions;
using Dsl.ArrowExtensions.Types;

namespace Dsl.Codegen.Columns;

/// <summary>
/// The mapping between Arrow column types and the CLR types of feature parameters and results:
/// float64↔double, float32↔float, int8/16/32/64↔sbyte/short/int/long, uint8…64↔byte…ulong, bool↔bool,
/// utf8 and large_utf8↔string, timestamp (any unit and zone, read as UTC)↔DateTime, date32↔DateOnly,
/// duration↔TimeSpan, decimal128 (any precision and scale)↔decimal, list&lt;T&gt;↔T[]. A parameter of type
/// <c>T?</c> binds to the column of <c>T</c>. Results of DateTime and TimeSpan are written as timestamp[ns, UTC]
/// and duration[ns], decimals as <see cref="DecimalResult"/> (decimal128(38, 28)): every decimal's scale fits, and
/// a value of 10^10 or more in magnitude fails its row with OverflowException on every path alike. A
/// <c>ValueTuple</c> result (up to seven elements) is written as a struct with one nullable field per element,
/// named <c>Item1</c>, <c>Item2</c>, ….
/// <para>
/// Two CLR types share the column of another: <c>char</c> is a UTF-16 code unit, stored as uint16 (any uint16,
/// a lone surrogate included, is a valid <c>char</c>); an enum is stored as its underlying integer type (int32
/// for a plain <c>enum</c>), and every value of that type is a valid enum value, named by a member or not.
/// A uint16 column still reads as <c>ushort</c> and an int32 column as <c>int</c> (<see cref="ClrTypeOf"/>);
/// they also bind to <c>char</c> and to enums over <c>int</c>.
/// </para>
/// </summary>
internal static class ColumnTypes
{
    /// <summary>
    /// The column type of decimal results: scale 28 is the largest a <see cref="decimal"/> has, so no result is
    /// rounded; precision 38 leaves 10 digits before the point.
    /// </summary>
    public static readonly Decimal128Type DecimalResult = new(DecimalConversions.MaxPrecision, DecimalConversions.MaxDecimalScale);

    /// <summary>The layout kernels use to read a column of <paramref name="type"/>.</summary>
    public static ColumnLayout LayoutOf(IArrowType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type switch
        {
            ClrObjectType objects => ColumnLayout.ObjectsOf(objects.ClrType),
            TimestampType timestamp => ColumnLayout.Timestamp(TicksPerUnit(timestamp.Unit)),
            DurationType duration => ColumnLayout.Duration(TicksPerUnit(duration.Unit)),
            Decimal128Type decimalType => ColumnLayout.Decimal128(decimalType.Scale),
            ListType list => ColumnLayout.ListOf(LayoutOf(list.ValueDataType)),
            StructType structType => ColumnLayout.StructOf(structType.Fields.Select(f => LayoutOf(f.DataType)).ToArray()),
            _ => type.TypeId switch
            {
                ArrowTypeId.Boolean => ColumnLayout.Boolean,
                ArrowTypeId.String => ColumnLayout.String,
                ArrowTypeId.LargeString => ColumnLayout.LargeString,
                ArrowTypeId.Date32 => ColumnLayout.Date32,
                _ => ColumnLayout.Fixed(StorageTypeOf(type) ?? throw Unsupported(type)),
            },
        };
    }

    /// <summary>The CLR type a column of <paramref name="type"/> is read as (non-nullable form), or null.</summary>
    public static Type? ClrTypeOf(IArrowType type) => type switch
    {
        ClrObjectType objects => objects.ClrType,
        TimestampType => typeof(DateTime),
        DurationType => typeof(TimeSpan),
        Decimal128Type => typeof(decimal),
        ListType list => ClrTypeOf(list.ValueDataType)?.MakeArrayType(),
        _ => type.TypeId switch
        {
            ArrowTypeId.Boolean => typeof(bool),
            ArrowTypeId.String or ArrowTypeId.LargeString => typeof(string),
            ArrowTypeId.Date32 => typeof(DateOnly),
            _ => StorageTypeOf(type),
        },
    };

    /// <summary>The Arrow type of a result of CLR type <paramref name="clrType"/> (<c>T?</c> as <c>T</c>).</summary>
    public static IArrowType ArrowTypeOf(Type clrType)
    {
        ArgumentNullException.ThrowIfNull(clrType);
        var type = Nullable.GetUnderlyingType(clrType) ?? clrType;
        if (type.IsArray && type.GetArrayRank() == 1)
        {
            var element = type.GetElementType()!;
            return new ListType(new Field("item", ArrowTypeOf(element), nullable: true));
        }

        if (TupleElements(type) is { } elements)
        {
            return new StructType(elements.Select((element, k) => new Field($"Item{k + 1}", ArrowTypeOf(element), nullable: true)).ToArray());
        }

        // An enum's type code is its underlying type's: it is written as that integer.
        return Type.GetTypeCode(type) switch
        {
            TypeCode.Double => DoubleType.Default,
            TypeCode.Single => FloatType.Default,
            TypeCode.SByte => Int8Type.Default,
            TypeCode.Int16 => Int16Type.Default,
            TypeCode.Int32 => Int32Type.Default,
            TypeCode.Int64 => Int64Type.Default,
            TypeCode.Byte => UInt8Type.Default,
            TypeCode.UInt16 or TypeCode.Char => UInt16Type.Default,
            TypeCode.UInt32 => UInt32Type.Default,
            TypeCode.UInt64 => UInt64Type.Default,
            TypeCode.Boolean => BooleanType.Default,
            TypeCode.String => StringType.Default,
            TypeCode.DateTime => new TimestampType(TimeUnit.Nanosecond, "UTC"),
            _ when type == typeof(DateOnly) => Date32Type.Default,
            _ when type == typeof(TimeSpan) => DurationType.Nanosecond,
            TypeCode.Decimal => DecimalResult,
            _ => throw new NotSupportedException($"A result of CLR type {clrType} has no Arrow column type."),
        };
    }

    /// <summary>Whether a column of <paramref name="arrowType"/> can be passed to a parameter of <paramref name="clrType"/>.</summary>
    public static bool CanBind(IArrowType arrowType, Type clrType)
    {
        var target = Nullable.GetUnderlyingType(clrType) ?? clrType;
        if (arrowType is ClrObjectType objects) return clrType.IsAssignableFrom(objects.ClrType);
        if (arrowType is ListType list)
        {
            return target.IsArray && target.GetArrayRank() == 1 && CanBind(list.ValueDataType, target.GetElementType()!);
        }

        return ClrTypeOf(arrowType) == StoredAs(target);
    }

    /// <summary>
    /// The CLR type a column stores values of <paramref name="clrType"/> as (non-nullable form): <c>ushort</c> for
    /// <c>char</c>, the underlying integer type for an enum, the type itself otherwise.
    /// </summary>
    public static Type StoredAs(Type clrType)
    {
        var type = Nullable.GetUnderlyingType(clrType) ?? clrType;
        return type == typeof(char) ? typeof(ushort) : type.IsEnum ? Enum.GetUnderlyingType(type) : type;
    }

    /// <summary>
    /// Throws an <see cref="ArgumentException"/> naming the column and both types when a column of
    /// <paramref name="arrowType"/> cannot bind to <paramref name="clrType"/>.
    /// </summary>
    public static void CheckBinding(string column, IArrowType arrowType, Type clrType)
    {
        if (!CanBind(arrowType, clrType))
        {
            var expected = ClrTypeOf(arrowType) is { } read ? $" (it reads as {Describe(read)})" : " (no CLR type reads it)";
            throw new ArgumentException(
                $"Column '{column}' has Arrow type {ArrowTypes.Describe(arrowType)}{expected}, which cannot bind to parameter type {Describe(clrType)}.");
        }
    }

    /// <summary>
    /// The element types of a <c>ValueTuple</c> of one to seven elements, or null for other types. Longer tuples
    /// (<c>TRest</c> nesting) have no column type.
    /// </summary>
    public static Type[]? TupleElements(Type type)
    {
        if (!type.IsGenericType || type.Namespace != "System" || !type.Name.StartsWith("ValueTuple`", StringComparison.Ordinal)) return null;
        var elements = type.GetGenericArguments();
        return elements.Length <= 7 ? elements : throw new NotSupportedException($"A result of CLR type {type} (a tuple of more than seven elements) has no Arrow column type.");
    }

    internal static long TicksPerUnit(TimeUnit unit) => unit switch
    {
        TimeUnit.Second => TimeSpan.TicksPerSecond,
        TimeUnit.Millisecond => TimeSpan.TicksPerMillisecond,
        TimeUnit.Microsecond => TimeSpan.TicksPerMicrosecond,
        _ => ColumnLayout.NanosecondUnit,
    };

    private static Type? StorageTypeOf(IArrowType type) => type.TypeId switch
    {
        ArrowTypeId.Double => typeof(double),
        ArrowTypeId.Float => typeof(float),
        ArrowTypeId.Int8 => typeof(sbyte),
        ArrowTypeId.Int16 => typeof(short),
        ArrowTypeId.Int32 => typeof(int),
        ArrowTypeId.Int64 => typeof(long),
        ArrowTypeId.UInt8 => typeof(byte),
        ArrowTypeId.UInt16 => typeof(ushort),
        ArrowTypeId.UInt32 => typeof(uint),
        ArrowTypeId.UInt64 => typeof(ulong),
        _ => null,
    };

    private static NotSupportedException Unsupported(IArrowType type) =>
        new($"Arrow type {ArrowTypes.Describe(type)} has no CLR counterpart for feature parameters.");

    private static string Describe(Type type) =>
        Nullable.GetUnderlyingType(type) is { } underlying ? Describe(underlying) + "?"
        : type.IsArray ? Describe(type.GetElementType()!) + "[]"
        : type.Name;
}
