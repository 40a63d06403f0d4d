using Dsl.ArrowExtensions.Types;

namespace Dsl.ArrowExtensions.Tests.Types;

public class ArrowTypesTests
{
    private static IEnumerable<TestCaseData> EqualPairs()
    {
        yield return Pair(new TimestampType(TimeUnit.Microsecond, "UTC"), new TimestampType(TimeUnit.Microsecond, "UTC"), "timestamp");
        yield return Pair(DurationType.FromTimeUnit(TimeUnit.Second), DurationType.Second, "duration");
        yield return Pair(new Decimal128Type(10, 2), new Decimal128Type(10, 2), "decimal128");
        yield return Pair(new ListType(new Field("item", DoubleType.Default, true)), new ListType(new Field("element", DoubleType.Default, false)), "list, child name and nullability differ");
        yield return Pair(
            new StructType([new Field("a", Int32Type.Default, true), new Field("b", StringType.Default, false)]),
            new StructType([new Field("a", Int32Type.Default, true), new Field("b", StringType.Default, false)]),
            "struct");
        yield return Pair(new DictionaryType(Int8Type.Default, StringType.Default, false), new DictionaryType(Int8Type.Default, StringType.Default, false), "dictionary");
        yield return Pair(Int32Type.Default, new Int32Type(), "int32 instances");
    }

    private static IEnumerable<TestCaseData> DifferentPairs()
    {
        yield return Pair(new TimestampType(TimeUnit.Microsecond, "UTC"), new TimestampType(TimeUnit.Millisecond, "UTC"), "timestamp unit");
        yield return Pair(new TimestampType(TimeUnit.Microsecond, "UTC"), new TimestampType(TimeUnit.Microsecond, (string?)null), "timestamp zone");
        yield return Pair(DurationType.Second, DurationType.Millisecond, "duration unit");
        yield return Pair(DurationType.Second, new TimestampType(TimeUnit.Second, (string?)null), "duration vs timestamp");
        yield return Pair(new Decimal128Type(10, 2), new Decimal128Type(11, 2), "decimal precision");
        yield return Pair(new Decimal128Type(10, 2), new Decimal128Type(10, 3), "decimal scale");
        yield return Pair(new ListType(DoubleType.Default), new ListType(Int64Type.Default), "list item type");
        yield return Pair(
            new StructType([new Field("a", Int32Type.Default, true)]),
            new StructType([new Field("b", Int32Type.Default, true)]),
            "struct field name");
        yield return Pair(
            new StructType([new Field("a", Int32Type.Default, true), new Field("b", Int32Type.Default, true)]),
            new StructType([new Field("a", Int32Type.Default, true)]),
            "struct field count");
        yield return Pair(new DictionaryType(Int8Type.Default, StringType.Default, false), new DictionaryType(Int16Type.Default, StringType.Default, false), "dictionary index type");
        yield return Pair(new DictionaryType(Int8Type.Default, StringType.Default, false), new DictionaryType(Int8Type.Default, BinaryType.Default, false), "dictionary value type");
        yield return Pair(StringType.Default, LargeStringType.Default, "utf8 vs large_utf8");
        yield return Pair(StringType.Default, BinaryType.Default, "utf8 vs binary");
    }

    [TestCaseSource(nameof(EqualPairs))]
    public void Equals_SameStructure_EqualWithEqualHashes(IArrowType a, IArrowType b)
    {
        Assert.That(ArrowTypes.Comparer.Equals(a, b), Is.True);
        Assert.That(ArrowTypes.Comparer.GetHashCode(a), Is.EqualTo(ArrowTypes.Comparer.GetHashCode(b)));
    }

    [TestCaseSource(nameof(DifferentPairs))]
    public void Equals_DifferentParameters_NotEqual(IArrowType a, IArrowType b)
    {
        Assert.That(ArrowTypes.Comparer.Equals(a, b), Is.False);
        Assert.That(ArrowTypes.Comparer.Equals(b, a), Is.False);
    }

    [Test]
    public void Equals_Null_OnlyEqualToNull()
    {
        Assert.That(ArrowTypes.Comparer.Equals(null, null), Is.True);
        Assert.That(ArrowTypes.Comparer.Equals(Int32Type.Default, null), Is.False);
    }

    [Test]
    public void Comparer_AsDictionaryKey_FindsStructurallyEqualTypes()
    {
        var names = new Dictionary<IArrowType, string>(ArrowTypes.Comparer) { [new TimestampType(TimeUnit.Nanosecond, "UTC")] = "instant" };

        Assert.That(names[new TimestampType(TimeUnit.Nanosecond, "UTC")], Is.EqualTo("instant"));
    }

    private static IEnumerable<TestCaseData> Descriptions()
    {
        yield return new TestCaseData(new TimestampType(TimeUnit.Nanosecond, "UTC"), "timestamp[ns, UTC]");
        yield return new TestCaseData(new TimestampType(TimeUnit.Second, (string?)null), "timestamp[s]");
        yield return new TestCaseData(DurationType.Microsecond, "duration[us]");
        yield return new TestCaseData(new Decimal128Type(38, 28), "decimal128(38, 28)");
        yield return new TestCaseData(new ListType(DoubleType.Default), "list<double>");
        yield return new TestCaseData(new StructType([new Field("x", Int32Type.Default, true), new Field("tags", new ListType(StringType.Default), true)]), "struct<x: int32, tags: list<utf8>>");
        yield return new TestCaseData(new DictionaryType(Int16Type.Default, StringType.Default, false), "dictionary<values=utf8, indices=int16>");
        yield return new TestCaseData(Int64Type.Default, "int64");
        yield return new TestCaseData(LargeStringType.Default, "large_utf8");
    }

    [TestCaseSource(nameof(Descriptions))]
    public void Describe_Type_ReadableNameWithParameters(IArrowType type, string expected) =>
        Assert.That(ArrowTypes.Describe(type), Is.EqualTo(expected));

    private static TestCaseData Pair(IArrowType a, IArrowType b, string name) => new TestCaseData(a, b).SetArgDisplayNames(name);
}
