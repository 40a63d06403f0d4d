using Dsl.Arrow.Memory;
using Dsl.Arrow.Types;

namespace Dsl.Arrow.Tests.Arrays;

public class StructArrayTests
{
    private static readonly StructType s_type = new([new Field("id", Int32Type.Default, false), new Field("name", StringType.Default, true)]);

    private static StructArray BuildSample()
    {
        using var validity = NativeBuffer.FromBytes([0b1011]);
        return new StructArray(
            s_type,
            4,
            [new Int32Array.Builder().AppendRange([1, 2, 3, 4]).Build(), new StringArray.Builder().AppendRange(["a", null, "c", "d"]).Build()],
            validity.ToArrowBuffer(),
            1);
    }

    [Test]
    public void FromChildren_ReadsFieldsAndValidity()
    {
        using var array = BuildSample();

        Assert.That(array.Length, Is.EqualTo(4));
        Assert.That(array.IsNull(2), Is.True);
        Assert.That(((Int32Array)array.Fields[0]).Values.ToArray(), Is.EqualTo(new[] { 1, 2, 3, 4 }));
        Assert.That(((StringArray)array.GetField("name")).GetString(3), Is.EqualTo("d"));
        Assert.That(() => array.GetField("missing"), Throws.TypeOf<KeyNotFoundException>());
    }

    [Test]
    public void Slice_AppliesTheOffsetToTheChildren()
    {
        using var array = BuildSample();
        using var slice = (StructArray)array.Slice(1, 3);

        Assert.That(((Int32Array)slice.Fields[0]).Values.ToArray(), Is.EqualTo(new[] { 2, 3, 4 }));
        Assert.That(((StringArray)slice.Fields[1]).ToArray(), Is.EqualTo(new[] { null, "c", "d" }));
        Assert.That(slice.IsNull(1), Is.True);
        Assert.That(slice.NullCount, Is.EqualTo(1));
    }

    [Test]
    public void FromChildren_LengthMismatch_Throws()
    {
        Assert.That(
            () => new StructArray(s_type, 2, [new Int32Array.Builder().Append(1).Build(), new StringArray.Builder().Append("x").Build()]),
            Throws.ArgumentException.With.Message.Contains("Child 0"));
    }

    [Test]
    public void FromChildren_TypeMismatch_Throws()
    {
        Assert.That(
            () => new StructArray(s_type, 1, [new Int64Array.Builder().Append(1).Build(), new StringArray.Builder().Append("x").Build()]),
            Throws.ArgumentException.With.Message.Contains("'id'"));
    }

    [Test]
    public void Dispose_ReleasesChildrenMemory()
    {
        var before = NativeMemoryOwner.LiveAllocations;
        var array = BuildSample();
        _ = array.Fields;
        array.Dispose();
        Assert.That(NativeMemoryOwner.LiveAllocations, Is.EqualTo(before));
    }
}
