using Dsl.Arrow.Memory;
using Dsl.Arrow.Types;

namespace Dsl.Arrow.Tests;

public class RecordBatchTests
{
    private static readonly Schema s_schema = new([
        new Field("amount", DoubleType.Default, true),
        new Field("name", StringType.Default, true),
    ]);

    private static RecordBatch Build() => new(
        s_schema,
        [
            new DoubleArray.Builder().AppendRange([1.0, 2.0, 3.0]).AppendNull().Build(),
            new StringArray.Builder().AppendRange(["a", null, "c", "d"]).Build(),
        ],
        4);

    [Test]
    public void Column_ByIndexAndName_ReturnsTheColumn()
    {
        using var batch = Build();

        Assert.That(batch.ColumnCount, Is.EqualTo(2));
        Assert.That(batch.Length, Is.EqualTo(4));
        Assert.That(((StringArray)batch.Column("name")).GetString(2), Is.EqualTo("c"));
        Assert.That(((DoubleArray)batch.Column(0)).GetValue(1), Is.EqualTo(2.0));
        Assert.That(() => batch.Column("missing"), Throws.TypeOf<KeyNotFoundException>().With.Message.Contains("'amount'"));
        Assert.That(() => batch.Column(2), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void Constructor_ColumnCountMismatch_Throws()
    {
        using var column = new DoubleArray.Builder().Append(1).Build();
        Assert.That(() => new RecordBatch(s_schema, [column], 1), Throws.ArgumentException.With.Message.Contains("2 fields"));
    }

    [Test]
    public void Constructor_LengthMismatch_ThrowsNamingTheColumn()
    {
        using var a = new DoubleArray.Builder().Append(1).Build();
        using var b = new StringArray.Builder().Append("x").Append("y").Build();
        Assert.That(() => new RecordBatch(s_schema, [a, b], 1), Throws.ArgumentException.With.Message.Contains("'name'"));
    }

    [Test]
    public void Constructor_TypeMismatch_ThrowsNamingBothTypes()
    {
        using var a = new Int64Array.Builder().Append(1).Build();
        using var b = new StringArray.Builder().Append("x").Build();
        Assert.That(
            () => new RecordBatch(s_schema, [a, b], 1),
            Throws.ArgumentException.With.Message.Contains("int64").And.Message.Contains("double"));
    }

    [Test]
    public void Slice_OutlivesTheDisposedBatch()
    {
        var before = NativeMemoryOwner.LiveAllocations;
        var batch = Build();
        var slice = batch.Slice(1, 3);
        batch.Dispose();
        batch.Dispose();

        Assert.That(((DoubleArray)slice.Column(0)).ToArray(), Is.EqualTo(new double?[] { 2.0, 3.0, null }));
        Assert.That(((StringArray)slice.Column(1)).ToArray(), Is.EqualTo(new[] { null, "c", "d" }));
        Assert.That(() => batch.Column(0), Throws.TypeOf<ObjectDisposedException>());
        slice.Dispose();
        Assert.That(NativeMemoryOwner.LiveAllocations, Is.EqualTo(before));
    }
}
