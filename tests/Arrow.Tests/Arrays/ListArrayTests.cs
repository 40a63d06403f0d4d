using Dsl.Arrow.Memory;
using Dsl.Arrow.Types;

namespace Dsl.Arrow.Tests.Arrays;

public class ListArrayTests
{
    // [[1, 2], null, [], [3, null, 5], [6]]
    private static ListArray BuildSample()
    {
        var values = new DoubleArray.Builder();
        var builder = new ListArray.Builder(values);
        builder.Append();
        values.Append(1).Append(2);
        builder.AppendNull();
        builder.Append();
        builder.Append();
        values.Append(3).AppendNull().Append(5);
        builder.Append();
        values.Append(6);
        return builder.Build();
    }

    [Test]
    public void Build_ListsWithNullsAndEmpties_HasOffsetsAndChild()
    {
        using var array = BuildSample();

        Assert.That(array.DataType, Is.EqualTo(new ListType(DoubleType.Default)));
        Assert.That(array.Length, Is.EqualTo(5));
        Assert.That(array.NullCount, Is.EqualTo(1));
        Assert.That(array.ValueOffsets.ToArray(), Is.EqualTo(new[] { 0, 2, 2, 2, 5, 6 }));
        Assert.That(array.Values.Length, Is.EqualTo(6));
        Assert.That(array.GetValueLength(3), Is.EqualTo(3));
        Assert.That(array.GetValueLength(1), Is.EqualTo(0));
        Assert.That(array.GetValues<double>(0).ToArray(), Is.EqualTo(new[] { 1.0, 2.0 }));
    }

    [Test]
    public void GetSlice_Row_ReturnsItsElementsWithNulls()
    {
        using var array = BuildSample();
        using var row = (DoubleArray)array.GetSlice(3)!;

        Assert.That(row.ToArray(), Is.EqualTo(new double?[] { 3, null, 5 }));
        Assert.That(array.GetSlice(1), Is.Null);
        using var empty = array.GetSlice(2)!;
        Assert.That(empty.Length, Is.EqualTo(0));
    }

    [Test]
    public void Slice_OddOffset_OffsetsStartAtLogicalRowZeroAndChildIsShared()
    {
        using var array = BuildSample();
        using var slice = (ListArray)array.Slice(3, 2);

        Assert.That(slice.ValueOffsets.ToArray(), Is.EqualTo(new[] { 2, 5, 6 }));
        Assert.That(slice.Values.Length, Is.EqualTo(6));
        Assert.That(slice.GetValues<double>(1).ToArray(), Is.EqualTo(new[] { 6.0 }));
        Assert.That(slice.NullCount, Is.EqualTo(0));
    }

    [Test]
    public void GetValues_WrongElementType_Throws()
    {
        using var array = BuildSample();
        Assert.That(() => array.GetValues<long>(0).Length, Throws.InvalidOperationException);
    }

    [Test]
    public void ListOfStrings_RoundTrips()
    {
        var strings = new StringArray.Builder();
        var builder = new ListArray.Builder(strings);
        builder.Append();
        strings.Append("a").Append("é");
        builder.Append();
        using var array = builder.Build();

        Assert.That(array.DataType.ToString(), Is.EqualTo("list<utf8>"));
        using var first = (StringArray)array.GetSlice(0)!;
        Assert.That(first.ToArray(), Is.EqualTo(new[] { "a", "é" }));
        Assert.That(array.GetValueLength(1), Is.EqualTo(0));
    }

    [Test]
    public void Build_Empty_HasOneOffset()
    {
        using var array = new ListArray.Builder(new Int32Array.Builder()).Build();
        Assert.That(array.Length, Is.EqualTo(0));
        Assert.That(array.ValueOffsets.ToArray(), Is.EqualTo(new[] { 0 }));
    }

    [Test]
    public void Values_OutliveDisposedParentSlice()
    {
        var before = NativeMemoryOwner.LiveAllocations;
        var array = BuildSample();
        var slice = (ListArray)array.Slice(0, 1);
        array.Dispose();

        Assert.That(slice.GetValues<double>(0).ToArray(), Is.EqualTo(new[] { 1.0, 2.0 }));
        slice.Dispose();
        Assert.That(() => slice.Values, Throws.TypeOf<ObjectDisposedException>());
        Assert.That(NativeMemoryOwner.LiveAllocations, Is.EqualTo(before));
    }

    [Test]
    public void GetValueRange_OffsetBeyondChild_ThrowsFormatError()
    {
        using var offsets = NativeBuffer.FromValues<int>([0, 7]);
        using var child = new Int32Array.Builder().AppendRange([1, 2]).Build();
        using var array = new ListArray(new ArrayData(
            new ListType(Int32Type.Default), 1, 0, 0, [ArrowBuffer.Empty, offsets.ToArrowBuffer()], [child.Data.Slice(0, 2)]));

        Assert.That(() => array.GetValueRange(0), Throws.TypeOf<ArrowFormatException>().With.Message.Contains("child rows [0, 7)"));
    }
}
