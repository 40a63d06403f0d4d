using Dsl.Arrow.Ipc;
using Dsl.Arrow.Ipc.FlatBuffers;
using Dsl.Arrow.Types;

namespace Dsl.Arrow.Tests.Ipc;

public class SchemaReaderTests
{
    [TestCase(38, 10)]
    [TestCase(5, -3)]
    [TestCase(1, 0)]
    public void Read_WrittenDecimal128Field_SameType(int precision, int scale)
    {
        var schema = new Schema([new Field("amount", new Decimal128Type(precision, scale), true)], null);
        var builder = new FlatBufferBuilder();
        var bytes = builder.Finish(SchemaWriter.Write(builder, schema, []));

        var (read, _) = SchemaReader.Read(FlatTable.Root(bytes, "Schema"), bytes.Length);

        Assert.That(read.FieldsList[0].DataType, Is.EqualTo(new Decimal128Type(precision, scale)));
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
