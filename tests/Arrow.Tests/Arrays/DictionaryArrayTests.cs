using Dsl.Arrow.Memory;
using Dsl.Arrow.Types;

namespace Dsl.Arrow.Tests.Arrays;

public class DictionaryArrayTests
{
    private static readonly DictionaryType s_type = new(Int16Type.Default, StringType.Default, false);

    private static DictionaryArray BuildSample() => new(
        s_type,
        new Int16Array.Builder().AppendRange(new short?[] { 2, 0, null, 1, 2, 3 }).Build(),
        new StringArray.Builder().AppendRange(["red", "green", "blue", null]).Build());

    [Test]
    public void Decode_GathersValuesAndNulls()
    {
        using var array = BuildSample();
        using var decoded = (StringArray)array.Decode();

        Assert.That(decoded.ToArray(), Is.EqualTo(new[] { "blue", "red", null, "green", "blue", null }));
        Assert.That(decoded.NullCount, Is.EqualTo(2));
        Assert.That(array.GetIndex(0), Is.EqualTo(2));
        Assert.That(array.GetIndex(2), Is.Null);
        Assert.That(array.Dictionary.Length, Is.EqualTo(4));
        Assert.That(((Int16Array)array.Indices).ToArray(), Is.EqualTo(new short?[] { 2, 0, null, 1, 2, 3 }));
    }

    [Test]
    public void Slice_OddOffset_DecodesTheSubRange()
    {
        using var array = BuildSample();
        using var slice = (DictionaryArray)array.Slice(1, 3);
        using var decoded = (StringArray)slice.Decode();

        Assert.That(decoded.ToArray(), Is.EqualTo(new[] { "red", null, "green" }));
        Assert.That(slice.GetIndex(2), Is.EqualTo(1));
    }

    [Test]
    public void Decode_FixedWidthAndBooleanDictionaries()
    {
        using var doubles = new DictionaryArray(
            new DictionaryType(Int8Type.Default, DoubleType.Default, false),
            new Int8Array.Builder().AppendRange(new sbyte[] { 1, 1, 0 }).Build(),
            new DoubleArray.Builder().AppendRange([0.5, -2.0]).Build());
        using var decodedDoubles = (DoubleArray)doubles.Decode();
        Assert.That(decodedDoubles.ToArray(), Is.EqualTo(new double?[] { -2.0, -2.0, 0.5 }));

        using var bools = new DictionaryArray(
            new DictionaryType(UInt32Type.Default, BooleanType.Default, true),
            new UInt32Array.Builder().AppendRange(new uint[] { 0, 1, 0 }).Build(),
            new BooleanArray.Builder().AppendRange([true, false]).Build());
        using var decodedBools = (BooleanArray)bools.Decode();
        Assert.That(decodedBools.ToArray(), Is.EqualTo(new bool?[] { true, false, true }));
    }

    [Test]
    public void Decode_IndexOutsideDictionary_ThrowsFormatError()
    {
        using var array = new DictionaryArray(
            s_type,
            new Int16Array.Builder().AppendRange(new short[] { 0, 9 }).Build(),
            new StringArray.Builder().Append("only").Build());

        Assert.That(() => array.Decode(), Throws.TypeOf<ArrowFormatException>().With.Message.Contains("index 9"));
    }

    [Test]
    public void Constructor_WrongIndexType_Throws()
    {
        Assert.That(
            () => new DictionaryArray(s_type, new Int32Array.Builder().Build(), new StringArray.Builder().Build()),
            Throws.ArgumentException.With.Message.Contains("int16"));
    }

    [Test]
    public void Dispose_ReleasesIndicesAndDictionary()
    {
        var before = NativeMemoryOwner.LiveAllocations;
        var array = BuildSample();
        _ = array.Indices;
        _ = array.Dictionary;
        array.Dispose();
        Assert.That(NativeMemoryOwner.LiveAllocations, Is.EqualTo(before));
    }
}
