using Dsl.ArrowExtensions.Types;
using Dsl.TestSupport.Columns;
using FsCheck;
using FsCheck.Fluent;

namespace Dsl.ArrowExtensions.Tests.Validation;

/// <summary>
/// Generates well-formed arrays of every type the validator supports, flat and nested, with nulls at generated
/// rates, built by Apache.Arrow's builders or by <see cref="TestArrays"/> (an independent implementation of the
/// layout), and sliced at generated (often odd) offsets.
/// </summary>
internal static class ValidArrays
{
    /// <summary>A generated column: its array and how it was made (for failure reports).</summary>
    public sealed record Column(IArrowArray Array, string Description)
    {
        public override string ToString() => Description;
    }

    private static readonly StructType s_pair = new([new Field("a", Int32Type.Default, true), new Field("b", StringType.Default, true)]);

    /// <summary>The types generated: every kind of buffer layout, and nesting of each in the others.</summary>
    public static readonly IArrowType[] Types =
    [
        Int8Type.Default, Int16Type.Default, Int32Type.Default, Int64Type.Default, UInt8Type.Default, UInt16Type.Default,
        UInt32Type.Default, UInt64Type.Default, FloatType.Default, DoubleType.Default, BooleanType.Default,
        StringType.Default, LargeStringType.Default, BinaryType.Default, Date32Type.Default,
        new TimestampType(TimeUnit.Millisecond, "UTC"), new TimestampType(TimeUnit.Nanosecond, (string?)null), DurationType.Microsecond,
        new Decimal128Type(10, 2), new Decimal128Type(38, 5),
        new ListType(Int32Type.Default), new ListType(StringType.Default), new ListType(new ListType(Int64Type.Default)),
        new ListType(new StructType([new Field("x", Int16Type.Default, true)])),
        s_pair,
        new StructType([new Field("xs", new ListType(DoubleType.Default), true), new Field("inner", new StructType([new Field("flag", BooleanType.Default, true)]), true)]),
        new DictionaryType(Int8Type.Default, StringType.Default, false), new DictionaryType(Int32Type.Default, Int64Type.Default, false),
        new DictionaryType(UInt16Type.Default, StringType.Default, false),
        new StructType([new Field("color", new DictionaryType(Int16Type.Default, StringType.Default, false), true), new Field("n", Int64Type.Default, true)]),
        new ListType(new DictionaryType(Int8Type.Default, StringType.Default, false)),
    ];

    /// <summary>A well-formed column of a generated type, length (0–40) and slice offset (0–5).</summary>
    public static Gen<Column> Columns() =>
        from type in Gen.Elements(Types)
        from length in Gen.Frequency((1, Gen.Choose(0, 2)), (4, Gen.Choose(3, 12)), (2, Gen.Choose(13, 40)))
        from offset in Gen.Frequency((2, Gen.Constant(0)), (3, Gen.Choose(1, 5)))
        from nullPercent in Gen.Elements(0, 0, 10, 50, 100)
        from values in Value(type).Nullable(nullPercent).ArrayOf(offset + length)
        from useTestArrays in Gen.Elements(true, false)
        from alwaysBitmap in Gen.Elements(true, false)
        select Make(type, values, offset, useTestArrays && TestArraysBuilds(type), alwaysBitmap);

    private static Column Make(IArrowType type, object?[] values, int offset, bool useTestArrays, bool alwaysBitmap)
    {
        var length = values.Length - offset;
        var name = ArrowTypes.Describe(type);
        if (useTestArrays)
        {
            return new Column(TestArrays.Array(type, values[offset..], offset, alwaysBitmap), $"{name}, TestArrays, {length} rows after {offset} sliced off");
        }

        var whole = ApacheArrays.Build(type, values);
        return new Column(ArrowArrayFactory.Slice(whole, offset, length), $"{name}, Apache.Arrow builders, rows {offset}..{offset + length} of {values.Length}");
    }

    private static bool TestArraysBuilds(IArrowType type) => type switch
    {
        BinaryType or StructType or DictionaryType => false,
        ListType list => TestArraysBuilds(list.ValueDataType),
        _ => true,
    };

    private static Gen<object?> Nullable(this Gen<object> values, int nullPercent) =>
        Gen.Frequency((100 - nullPercent, values.Select(v => (object?)v)), (nullPercent, Gen.Constant((object?)null)));

    /// <summary>Non-null values of <paramref name="type"/>.</summary>
    private static Gen<object> Value(IArrowType type) => type switch
    {
        BinaryType => Gen.Choose(0, 6).SelectMany(n => Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf(n)).Select(bytes => (object)bytes),
        ListType list => Gen.Choose(0, 4).SelectMany(n => Value(list.ValueDataType).Nullable(15).ArrayOf(n)).Select(items => (object)items),
        StructType structType => Gen.CollectToArray(structType.Fields.Select(field => Value(field.DataType).Nullable(20)))
            .Select(fields => (object)fields),
        DictionaryType dictionary => Value(dictionary.ValueType).ArrayOf(3).SelectMany(choices => Gen.Elements(choices)),
        _ => ColumnValues.Values(type),
    };
}
