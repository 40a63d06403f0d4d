using Dsl.Arrow.Types;

namespace Dsl.Arrow.Tests.Types;

public class ArrowTypeTests
{
    private static IEnumerable<TestCaseData> FixedWidthCases()
    {
        yield return new TestCaseData(BooleanType.Default, 1, "bool");
        yield return new TestCaseData(Int8Type.Default, 8, "int8");
        yield return new TestCaseData(Int16Type.Default, 16, "int16");
        yield return new TestCaseData(Int32Type.Default, 32, "int32");
        yield return new TestCaseData(Int64Type.Default, 64, "int64");
        yield return new TestCaseData(UInt8Type.Default, 8, "uint8");
        yield return new TestCaseData(UInt16Type.Default, 16, "uint16");
        yield return new TestCaseData(UInt32Type.Default, 32, "uint32");
        yield return new TestCaseData(UInt64Type.Default, 64, "uint64");
        yield return new TestCaseData(FloatType.Default, 32, "float");
        yield return new TestCaseData(DoubleType.Default, 64, "double");
        yield return new TestCaseData(Date32Type.Default, 32, "date32");
        yield return new TestCaseData(new TimestampType(TimeUnit.Second), 64, "timestamp[s]");
        yield return new TestCaseData(DurationType.Nanosecond, 64, "duration[ns]");
        yield return new TestCaseData(new Decimal128Type(38, 10), 128, "decimal128(38, 10)");
    }

    [TestCaseSource(nameof(FixedWidthCases))]
    public void FixedWidthType_BitWidthAndToString_MatchArrow(FixedWidthType type, int bitWidth, string text)
    {
        Assert.That(type.BitWidth, Is.EqualTo(bitWidth));
        Assert.That(type.ToString(), Is.EqualTo(text));
    }

    [Test]
    public void IntegerType_IsSigned_DistinguishesSignedFromUnsigned()
    {
        Assert.That(Int16Type.Default.IsSigned, Is.True);
        Assert.That(UInt16Type.Default.IsSigned, Is.False);
    }

    [Test]
    public void TimestampType_Equality_ComparesUnitAndTimezone()
    {
        Assert.That(new TimestampType(TimeUnit.Microsecond, "UTC"), Is.EqualTo(new TimestampType(TimeUnit.Microsecond, "UTC")));
        Assert.That(new TimestampType(TimeUnit.Microsecond, "UTC").GetHashCode(), Is.EqualTo(new TimestampType(TimeUnit.Microsecond, "UTC").GetHashCode()));
        Assert.That(new TimestampType(TimeUnit.Microsecond, "UTC"), Is.Not.EqualTo(new TimestampType(TimeUnit.Millisecond, "UTC")));
        Assert.That(new TimestampType(TimeUnit.Microsecond, "UTC"), Is.Not.EqualTo(new TimestampType(TimeUnit.Microsecond)));
        Assert.That(new TimestampType(TimeUnit.Microsecond, "UTC").ToString(), Is.EqualTo("timestamp[us, tz=UTC]"));
    }

    [Test]
    public void TimestampType_UndefinedUnit_Throws() =>
        Assert.That(() => new TimestampType((TimeUnit)7), Throws.TypeOf<ArgumentOutOfRangeException>());

    [Test]
    public void Decimal128Type_Equality_ComparesPrecisionAndScale()
    {
        Assert.That(new Decimal128Type(10, 2), Is.EqualTo(new Decimal128Type(10, 2)));
        Assert.That(new Decimal128Type(10, 2).GetHashCode(), Is.EqualTo(new Decimal128Type(10, 2).GetHashCode()));
        Assert.That(new Decimal128Type(10, 2), Is.Not.EqualTo(new Decimal128Type(11, 2)));
        Assert.That(new Decimal128Type(10, 2), Is.Not.EqualTo(new Decimal128Type(10, 3)));
    }

    [TestCase(0, 0)]
    [TestCase(39, 0)]
    [TestCase(10, 39)]
    [TestCase(10, -39)]
    public void Decimal128Type_PrecisionOrScaleOutOfRange_Throws(int precision, int scale) =>
        Assert.That(() => new Decimal128Type(precision, scale), Throws.TypeOf<ArgumentOutOfRangeException>());

    [Test]
    public void DurationType_Equality_ComparesUnit()
    {
        Assert.That(new DurationType(TimeUnit.Second), Is.EqualTo(DurationType.Second));
        Assert.That(DurationType.Second, Is.Not.EqualTo(DurationType.Millisecond));
        Assert.That(DurationType.Second, Is.Not.EqualTo(new TimestampType(TimeUnit.Second)));
    }

    [Test]
    public void ListType_FromValueType_HasNullableItemChild()
    {
        var type = new ListType(DoubleType.Default);

        Assert.That(type.ValueField.Name, Is.EqualTo("item"));
        Assert.That(type.ValueField.IsNullable, Is.True);
        Assert.That(type.ValueDataType, Is.SameAs(DoubleType.Default));
        Assert.That(type.ToString(), Is.EqualTo("list<double>"));
        Assert.That(type, Is.EqualTo(new ListType(new Field("item", DoubleType.Default, true))));
        Assert.That(type, Is.Not.EqualTo(new ListType(Int64Type.Default)));
        Assert.That(type, Is.Not.EqualTo(new ListType(new Field("item", DoubleType.Default, false))));
    }

    [Test]
    public void StructType_EqualityAndLookup_UseFieldsInOrder()
    {
        var a = new StructType([new Field("a", Int32Type.Default, true), new Field("b", StringType.Default, false)]);
        var same = new StructType([new Field("a", Int32Type.Default, true), new Field("b", StringType.Default, false)]);
        var swapped = new StructType([new Field("b", StringType.Default, false), new Field("a", Int32Type.Default, true)]);

        Assert.That(a, Is.EqualTo(same));
        Assert.That(a.GetHashCode(), Is.EqualTo(same.GetHashCode()));
        Assert.That(a, Is.Not.EqualTo(swapped));
        Assert.That(a.GetFieldIndex("b"), Is.EqualTo(1));
        Assert.That(a.GetFieldIndex("c"), Is.EqualTo(-1));
        Assert.That(a.ToString(), Is.EqualTo("struct<a: int32, b: utf8>"));
    }

    [Test]
    public void DictionaryType_NonIntegerIndex_Throws() =>
        Assert.That(
            () => new DictionaryType(DoubleType.Default, StringType.Default, false),
            Throws.ArgumentException.With.Message.Contains("integer"));

    [Test]
    public void DictionaryType_Equality_ComparesIndexValueAndOrdering()
    {
        var type = new DictionaryType(Int32Type.Default, StringType.Default, false);

        Assert.That(type, Is.EqualTo(new DictionaryType(Int32Type.Default, StringType.Default, false)));
        Assert.That(type, Is.Not.EqualTo(new DictionaryType(Int16Type.Default, StringType.Default, false)));
        Assert.That(type, Is.Not.EqualTo(new DictionaryType(Int32Type.Default, StringType.Default, true)));
        Assert.That(type.BitWidth, Is.EqualTo(32));
        Assert.That(type.ToString(), Is.EqualTo("dictionary<values=utf8, indices=int32, ordered=false>"));
    }

    [Test]
    public void SingletonTypes_DifferentKinds_AreNotEqual()
    {
        Assert.That(StringType.Default, Is.Not.EqualTo(LargeStringType.Default));
        Assert.That(StringType.Default, Is.Not.EqualTo(BinaryType.Default));
        Assert.That(Int32Type.Default.Equals((IArrowType)Int32Type.Default), Is.True);
        Assert.That(Int32Type.Default.Equals(null), Is.False);
    }
}
