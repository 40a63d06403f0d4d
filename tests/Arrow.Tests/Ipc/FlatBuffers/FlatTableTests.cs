using System.Buffers.Binary;
using Dsl.ArrowExtensions.Ipc.FlatBuffers;

namespace Dsl.ArrowExtensions.Tests.Ipc.FlatBuffers;

public class FlatTableTests
{
    /// <summary>A table: 0 long, 1 short, 2 bool, 3 string, 4 vector of 2 tables (each slot 0 = int), 5 vector of longs.</summary>
    private static byte[] Sample()
    {
        var builder = new FlatBufferBuilder(16);
        var name = builder.CreateString("héllo");
        var children = new List<int>();
        foreach (var value in new[] { 7, -9 })
        {
            builder.StartTable(1);
            builder.AddInt32(0, value, 0);
            children.Add(builder.EndTable());
        }

        var childVector = builder.CreateOffsetVector(children);
        builder.StartVector(8, 3, 8);
        foreach (var value in new long[] { 30, 20, 10 })
        {
            builder.PrependInt64(value);
        }

        var longs = builder.EndVector(3);
        builder.StartTable(6);
        builder.AddInt64(0, long.MinValue, 0);
        builder.AddInt16(1, 12, 0);
        builder.AddBool(2, true, false);
        builder.AddOffset(3, name);
        builder.AddOffset(4, childVector);
        builder.AddOffset(5, longs);
        return builder.Finish(builder.EndTable());
    }

    [Test]
    public void Root_BuiltTable_ReadsEveryField()
    {
        var table = FlatTable.Root(Sample(), "test");

        Assert.That(table.GetInt64(0, 0), Is.EqualTo(long.MinValue));
        Assert.That(table.GetInt16(1, 0), Is.EqualTo(12));
        Assert.That(table.GetBool(2, false), Is.True);
        Assert.That(table.GetString(3, "name"), Is.EqualTo("héllo"));
        var children = table.GetVector(4, "children", 4);
        Assert.That(children.Count, Is.EqualTo(2));
        Assert.That(children.TableAt(1).GetInt32(0, 0), Is.EqualTo(-9));
        var longs = table.GetVector(5, "longs", 8);
        Assert.That(Enumerable.Range(0, longs.Count).Select(i => longs.Int64At(i)), Is.EqualTo(new long[] { 10, 20, 30 }));
    }

    [Test]
    public void Root_AbsentFields_Defaults()
    {
        var table = FlatTable.Root(Sample(), "test");

        Assert.That(table.Has(9), Is.False);
        Assert.That(table.GetInt32(9, 42), Is.EqualTo(42));
        Assert.That(table.GetString(9, "missing"), Is.Null);
        Assert.That(table.GetVector(9, "missing", 4).Count, Is.Zero);
    }

    [Test]
    public void Root_TooShort_SaysSo() =>
        Assert.That(() => FlatTable.Root([1, 2], "Message"), Throws.TypeOf<ArrowFormatException>().With.Message.Contains("Message").And.Message.Contains("too short"));

    [Test]
    public void Root_OffsetOutside_SaysWhere()
    {
        var bytes = Sample();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, 1_000_000);

        Assert.That(() => FlatTable.Root(bytes, "Footer"), Throws.TypeOf<ArrowFormatException>().With.Message.Contains("Footer").And.Message.Contains("points to byte 1000000"));
    }

    [Test]
    public void Root_VtableOutside_SaysWhere()
    {
        var bytes = Sample();
        var root = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(root), -100_000);

        Assert.That(() => FlatTable.Root(bytes, "x"), Throws.TypeOf<ArrowFormatException>().With.Message.Contains("vtable"));
    }

    [Test]
    public void GetVector_CountBeyondBuffer_Rejected()
    {
        var bytes = Sample();
        var table = FlatTable.Root(bytes, "t");
        var vector = table.GetVector(5, "longs", 8);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(vector.Start - 4), uint.MaxValue);

        Assert.That(() => FlatTable.Root(bytes, "t").GetVector(5, "longs", 8), Throws.TypeOf<ArrowFormatException>().With.Message.Contains("t.longs").And.Message.Contains("4294967295 elements"));
    }

    [Test]
    public void GetString_InvalidUtf8_Rejected()
    {
        var bytes = Sample();
        var index = bytes.AsSpan().IndexOf("héllo"u8);
        bytes[index + 1] = 0xFF;

        Assert.That(() => FlatTable.Root(bytes, "t").GetString(3, "name"), Throws.TypeOf<ArrowFormatException>().With.Message.Contains("UTF-8"));
    }
}
