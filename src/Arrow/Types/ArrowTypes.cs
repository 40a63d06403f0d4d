using Apache.Arrow;
using Apache.Arrow.Types;

namespace Dsl.ArrowExtensions.Types;

/// <summary>
/// What Apache.Arrow's type classes do not provide: structural equality and hashing (two <c>timestamp[ns, UTC]</c>
/// instances are different objects), and a readable name with parameters for error messages
/// (<c>timestamp[ns, UTC]</c>, <c>list&lt;double&gt;</c>, <c>decimal128(38, 28)</c>).
/// </summary>
internal sealed class ArrowTypes : IEqualityComparer<IArrowType>
{
    /// <summary>The structural comparer.</summary>
    public static readonly ArrowTypes Comparer = new();

    /// <summary>Lists of types compared element by element with <see cref="Comparer"/>: the key of kernels compiled once per column types.</summary>
    public static readonly IEqualityComparer<IArrowType[]> Lists = new TypeLists();

    private ArrowTypes()
    {
    }

    /// <summary>Whether <paramref name="x"/> and <paramref name="y"/> are the same type (ids, parameters, children).</summary>
    public bool Equals(IArrowType? x, IArrowType? y)
    {
        if (ReferenceEquals(x, y)) return true;
        if (x is null || y is null || x.TypeId != y.TypeId) return false;
        return (x, y) switch
        {
            (TimestampType a, TimestampType b) => a.Unit == b.Unit && string.Equals(a.Timezone, b.Timezone, StringComparison.Ordinal),
            (DurationType a, DurationType b) => a.Unit == b.Unit,
            (Time32Type a, Time32Type b) => a.Unit == b.Unit,
            (Time64Type a, Time64Type b) => a.Unit == b.Unit,
            (Decimal128Type a, Decimal128Type b) => a.Precision == b.Precision && a.Scale == b.Scale,
            (Decimal256Type a, Decimal256Type b) => a.Precision == b.Precision && a.Scale == b.Scale,
            (FixedSizeBinaryType a, FixedSizeBinaryType b) => a.ByteWidth == b.ByteWidth,
            (DictionaryType a, DictionaryType b) => Equals(a.IndexType, b.IndexType) && Equals(a.ValueType, b.ValueType),
            (ListType a, ListType b) => Equals(a.ValueDataType, b.ValueDataType), // the child's name varies by producer
            (LargeListType a, LargeListType b) => Equals(a.ValueDataType, b.ValueDataType),
            (FixedSizeListType a, FixedSizeListType b) => a.ListSize == b.ListSize && FieldsEqual(a.Fields, b.Fields),
            (NestedType a, NestedType b) => FieldsEqual(a.Fields, b.Fields),
            _ => true,
        };
    }

    /// <inheritdoc />
    public int GetHashCode(IArrowType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var hash = new HashCode();
        hash.Add(type.TypeId);
        switch (type)
        {
            case TimestampType timestamp: hash.Add(timestamp.Unit); hash.Add(timestamp.Timezone); break;
            case DurationType duration: hash.Add(duration.Unit); break;
            case Decimal128Type decimalType: hash.Add(decimalType.Precision); hash.Add(decimalType.Scale); break;
            case DictionaryType dictionary: hash.Add(GetHashCode(dictionary.IndexType)); hash.Add(GetHashCode(dictionary.ValueType)); break;
            case ListType list: hash.Add(GetHashCode(list.ValueDataType)); break;
            case NestedType nested:
                foreach (var field in nested.Fields) hash.Add(GetHashCode(field.DataType));
                break;
        }

        return hash.ToHashCode();
    }

    /// <summary>A readable name with the type's parameters: <c>timestamp[ns, UTC]</c>, <c>list&lt;double&gt;</c>, <c>struct&lt;Item1: int32&gt;</c>.</summary>
    public static string Describe(IArrowType type) => type switch
    {
        null => "null",
        TimestampType timestamp => $"timestamp[{Unit(timestamp.Unit)}{(timestamp.Timezone is { } zone ? ", " + zone : "")}]",
        DurationType duration => $"duration[{Unit(duration.Unit)}]",
        Time32Type time => $"time32[{Unit(time.Unit)}]",
        Time64Type time => $"time64[{Unit(time.Unit)}]",
        Decimal128Type decimalType => $"decimal128({decimalType.Precision}, {decimalType.Scale})",
        Decimal256Type decimalType => $"decimal256({decimalType.Precision}, {decimalType.Scale})",
        DictionaryType dictionary => $"dictionary<values={Describe(dictionary.ValueType)}, indices={Describe(dictionary.IndexType)}>",
        ListType list => $"list<{Describe(list.ValueDataType)}>",
        LargeListType list => $"large_list<{Describe(list.ValueDataType)}>",
        StructType structType => $"struct<{string.Join(", ", structType.Fields.Select(f => $"{f.Name}: {Describe(f.DataType)}"))}>",
        FixedSizeBinaryType binary when binary.TypeId == ArrowTypeId.FixedSizedBinary => $"fixed_size_binary[{binary.ByteWidth}]",
        _ => type.Name,
    };

    private static bool FieldsEqual(IReadOnlyList<Field> a, IReadOnlyList<Field> b)
    {
        if (a.Count != b.Count) return false;
        for (var i = 0; i < a.Count; i++)
        {
            if (!Comparer.Equals(a[i].DataType, b[i].DataType) || !string.Equals(a[i].Name, b[i].Name, StringComparison.Ordinal)) return false;
        }

        return true;
    }

    private static string Unit(TimeUnit unit) => unit switch
    {
        TimeUnit.Second => "s",
        TimeUnit.Millisecond => "ms",
        TimeUnit.Microsecond => "us",
        _ => "ns",
    };

    private sealed class TypeLists : IEqualityComparer<IArrowType[]>
    {
        public bool Equals(IArrowType[]? x, IArrowType[]? y) =>
            ReferenceEquals(x, y) || (x is not null && y is not null && x.AsSpan().SequenceEqual(y, Comparer));

        public int GetHashCode(IArrowType[] types)
        {
            var hash = new HashCode();
            foreach (var type in types) hash.Add(type, Comparer);
            return hash.ToHashCode();
        }
    }
}
