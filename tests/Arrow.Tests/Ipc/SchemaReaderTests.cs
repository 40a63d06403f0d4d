using Dsl.ArrowExtensions.Ipc;
using Dsl.ArrowExtensions.Ipc.FlatBuffers;
using Dsl.ArrowExtensions.Tests.Ipc.FlatBuffers;
using Dsl.ArrowExtensions.Types;

namespace Dsl.ArrowExtensions.Tests.Ipc;

public class SchemaReaderTests
{
    private static IEnumerable<TestCaseData> SupportedTypes()
    {
        IArrowType[] types =
        [
            Int8Type.Default, Int16Type.Default, Int32Type.Default, Int64Type.Default, UInt8Type.Default, UInt16Type.Default,
            UInt32Type.Default, UInt64Type.Default, FloatType.Default, DoubleType.Default, BooleanType.Default, StringType.Default,
            LargeStringType.Default, BinaryType.Default, LargeBinaryType.Default, Date32Type.Default,
            new TimestampType(TimeUnit.Second, (string?)null), new TimestampType(TimeUnit.Nanosecond, "Europe/Paris"),
            DurationType.Millisecond, new Decimal128Type(38, 10), new Decimal128Type(5, -3), new Decimal128Type(1, 0),
            new ListType(new ListType(Int32Type.Default)),
            new StructType([new Field("x", DoubleType.Default, true), new Field("tags", new ListType(StringType.Default), false)]),
            new DictionaryType(Int16Type.Default, StringType.Default, false),
        ];
        return types.Select(type => new TestCaseData(type).SetArgDisplayNames(ArrowTypes.Describe(type)));
    }

    [TestCaseSource(nameof(SupportedTypes))]
    public void Read_SchemaWrittenByApacheArrow_SameType(IArrowType type)
    {
        var schema = new Schema([new Field("f", type, true)], null);

        using var reader = MappedArrowReader.FromMemory(IpcSamples.Write(schema, [], ArrowIpcFormat.Stream));

        Assert.That(ArrowTypes.Comparer.Equals(reader.Schema.FieldsList[0].DataType, type), Is.True, ArrowTypes.Describe(reader.Schema.FieldsList[0].DataType));
    }

    [Test]
    public void Read_SchemaAndFieldMetadata_Kept()
    {
        var field = new Field("price", DoubleType.Default, false, new Dictionary<string, string> { ["unit"] = "EUR", ["note"] = "ünïcode ✓" });
        var schema = new Schema([field], new Dictionary<string, string> { ["producer"] = "dsl", ["empty"] = "" });

        using var reader = MappedArrowReader.FromMemory(IpcSamples.Write(schema, [], ArrowIpcFormat.File));

        Assert.That(reader.Schema.Metadata, Is.EquivalentTo(schema.Metadata));
        Assert.That(reader.Schema.FieldsList[0].Metadata, Is.EquivalentTo(field.Metadata));
        Assert.That(reader.Schema.FieldsList[0].IsNullable, Is.False);
    }

    private static IEnumerable<TestCaseData> UnsupportedTypes()
    {
        yield return new TestCaseData(HalfFloatType.Default, "float16").SetArgDisplayNames("float16");
        yield return new TestCaseData(Date64Type.Default, "date64").SetArgDisplayNames("date64");
        yield return new TestCaseData(new Decimal256Type(40, 2), "decimal256(40, 2)").SetArgDisplayNames("decimal256");
        yield return new TestCaseData(Time32Type.Millisecond, "time").SetArgDisplayNames("time32");
        yield return new TestCaseData(new FixedSizeBinaryType(4), "fixed_size_binary").SetArgDisplayNames("fixed_size_binary");
        yield return new TestCaseData(new LargeListType(Int32Type.Default), "large_list").SetArgDisplayNames("large_list");
    }

    [TestCaseSource(nameof(UnsupportedTypes))]
    public void Read_ValidButUnsupportedType_NotSupportedNamingTypeAndField(IArrowType type, string name)
    {
        var bytes = IpcSamples.Write(new Schema([new Field("odd", type, true)], null), [], ArrowIpcFormat.Stream);

        Assert.That(() => MappedArrowReader.FromMemory(bytes), Throws.TypeOf<NotSupportedException>().With.Message.Contains(name).And.Message.Contains("'odd'"));
    }

    [Test]
    public void Read_NestedDeeperThanTheLimit_FormatError()
    {
        IArrowType type = Int32Type.Default;
        for (var i = 0; i < SchemaReader.MaxNestingDepth; i++) type = new ListType(type);
        var bytes = IpcSamples.Write(new Schema([new Field("deep", type, true)], null), [], ArrowIpcFormat.Stream);

        Assert.That(() => MappedArrowReader.FromMemory(bytes), Throws.TypeOf<ArrowFormatException>().With.Message.Contains($"nested more than {SchemaReader.MaxNestingDepth} levels"));
    }

    [TestCase(256, typeof(NotSupportedException), "decimal256(40, 2)")]
    [TestCase(64, typeof(NotSupportedException), "decimal64(40, 2)")]
    [TestCase(100, typeof(ArrowFormatException), "bit width 100")]
    public void Read_DecimalOfAnotherBitWidth_RefusedNamingIt(int bitWidth, Type exception, string message)
    {
        var bytes = DecimalSchema(precision: 40, scale: 2, bitWidth);

        Assert.That(() => SchemaReader.Read(FlatTable.Root(bytes, "Schema"), bytes.Length),
            Throws.TypeOf(exception).With.Message.Contains(message).And.Message.Contains(bitWidth == 100 ? "" : "'d'"));
    }

    [TestCase(0, 0)]
    [TestCase(39, 0)]
    [TestCase(10, 40)]
    public void Read_Decimal128PrecisionOrScaleOutOfRange_FormatError(int precision, int scale)
    {
        var bytes = DecimalSchema(precision, scale, 128);

        Assert.That(() => SchemaReader.Read(FlatTable.Root(bytes, "Schema"), bytes.Length),
            Throws.TypeOf<ArrowFormatException>().With.Message.Contains($"precision {precision} and scale {scale}"));
    }

    [Test]
    public void Read_BigEndian_NotSupported()
    {
        var builder = new FlatBufferBuilder();
        builder.StartTable(4);
        builder.AddInt16(0, 1, 0);
        var bytes = builder.Finish(builder.EndTable());

        Assert.That(() => SchemaReader.Read(FlatTable.Root(bytes, "Schema"), bytes.Length), Throws.TypeOf<NotSupportedException>().With.Message.Contains("big-endian"));
    }

    /// <summary>A schema with one field 'd' of type Decimal (union tag 7) with the given table fields.</summary>
    private static byte[] DecimalSchema(int precision, int scale, int bitWidth)
    {
        var builder = new FlatBufferBuilder();
        builder.StartTable(3);
        builder.AddInt32(0, precision, 0);
        builder.AddInt32(1, scale, 0);
        builder.AddInt32(2, bitWidth, 128);
        var type = builder.EndTable();
        var name = builder.CreateString("d");
        var children = builder.CreateOffsetVector([]);
        builder.StartTable(7);
        builder.AddOffset(0, name);
        builder.AddBool(1, true, false);
        builder.AddByte(2, 7, 0);
        builder.AddOffset(3, type);
        builder.AddOffset(5, children);
        var field = builder.EndTable();
        var fields = builder.CreateOffsetVector([field]);
        builder.StartTable(4);
        builder.AddOffset(1, fields);
        return builder.Finish(builder.EndTable());
    }
}
