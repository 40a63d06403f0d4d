using Apache.Arrow.Types;
using Dsl.ArrowExtensions.Types;
using Dsl.Codegen.Columns;

namespace Dsl.Codegen.Tests.Columns;

[TestFixture]
public sealed class ColumnTypesTests
{
    private static IEnumerable<TestCaseData> Pairs()
    {
        yield return new TestCaseData(DoubleType.Default, typeof(double));
        yield return new TestCaseData(FloatType.Default, typeof(float));
        yield return new TestCaseData(Int8Type.Default, typeof(sbyte));
        yield return new TestCaseData(Int16Type.Default, typeof(short));
        yield return new TestCaseData(Int32Type.Default, typeof(int));
        yield return new TestCaseData(Int64Type.Default, typeof(long));
        yield return new TestCaseData(UInt8Type.Default, typeof(byte));
        yield return new TestCaseData(UInt16Type.Default, typeof(ushort));
        yield return new TestCaseData(UInt32Type.Default, typeof(uint));
        yield return new TestCaseData(UInt64Type.Default, typeof(ulong));
        yield return new TestCaseData(BooleanType.Default, typeof(bool));
        yield return new TestCaseData(StringType.Default, typeof(string));
        yield return new TestCaseData(LargeStringType.Default, typeof(string));
        yield return new TestCaseData(new TimestampType(TimeUnit.Second, "Europe/Paris"), typeof(DateTime));
        yield return new TestCaseData(Date32Type.Default, typeof(DateOnly));
        yield return new TestCaseData(DurationType.Microsecond, typeof(TimeSpan));
        yield return new TestCaseData(new Decimal128Type(12, 2), typeof(decimal));
        yield return new TestCaseData(new Decimal128Type(38, -3), typeof(decimal));
        yield return new TestCaseData(new ListType(Int64Type.Default), typeof(long[]));
        yield return new TestCaseData(new ListType(new ListType(StringType.Default)), typeof(string[][]));
    }

    [TestCaseSource(nameof(Pairs))]
    public void CanBind_MappedPair_BindsPlainAndNullable(IArrowType arrow, Type clr)
    {
        Assert.That(ColumnTypes.CanBind(arrow, clr), Is.True);
        if (clr.IsValueType) Assert.That(ColumnTypes.CanBind(arrow, typeof(Nullable<>).MakeGenericType(clr)), Is.True);
        Assert.That(ColumnTypes.ClrTypeOf(arrow), Is.EqualTo(clr));
    }

    [TestCaseSource(nameof(Pairs))]
    public void ArrowTypeOf_MappedClrType_ReadsBackAsTheSameClrType(IArrowType arrow, Type clr)
    {
        Assert.That(ColumnTypes.ClrTypeOf(ColumnTypes.ArrowTypeOf(clr)), Is.EqualTo(clr));
    }

    [TestCase(typeof(char), typeof(UInt16Type))]
    [TestCase(typeof(DayOfWeek), typeof(Int32Type))]
    [TestCase(typeof(ConsoleColor?), typeof(Int32Type))]
    [TestCase(typeof(System.Security.SecurityRuleSet), typeof(UInt8Type))]
    public void ArrowTypeOf_CharAndEnums_IsTheStoredIntegerTypeWhichBindsBack(Type clr, Type arrow)
    {
        var type = ColumnTypes.ArrowTypeOf(clr);

        Assert.That(type, Is.TypeOf(arrow));
        Assert.That(ColumnTypes.CanBind(type, clr), Is.True);
        Assert.That(ColumnTypes.CanBind(new ListType(type), clr.MakeArrayType()), Is.True);
    }

    [Test]
    public void CanBind_CharOrEnumOnAnotherIntegerWidth_IsRefused()
    {
        Assert.That(ColumnTypes.CanBind(Int32Type.Default, typeof(char)), Is.False);
        Assert.That(ColumnTypes.CanBind(Int16Type.Default, typeof(char)), Is.False);
        Assert.That(ColumnTypes.CanBind(Int64Type.Default, typeof(DayOfWeek)), Is.False);
        Assert.That(ColumnTypes.CanBind(UInt32Type.Default, typeof(DayOfWeek?)), Is.False);
        Assert.That(ColumnTypes.ClrTypeOf(UInt16Type.Default), Is.EqualTo(typeof(ushort)), "uint16 still reads as ushort");
    }

    [Test]
    public void ArrowTypeOf_ValueTuple_IsAStructOfNullableItemFieldsThatNoParameterBinds()
    {
        var type = ColumnTypes.ArrowTypeOf(typeof((int, bool?, string, char)?));

        Assert.That(ArrowTypes.Describe(type), Is.EqualTo("struct<Item1: int32, Item2: bool, Item3: utf8, Item4: uint16>"));
        Assert.That(((StructType)type).Fields.Select(f => f.IsNullable), Is.All.True);
        Assert.That(ColumnTypes.CanBind(type, typeof((int, bool?, string, char))), Is.False, "struct columns are results only");
    }

    [Test]
    public void CanBind_IntColumnToLongParameter_IsRefused()
    {
        Assert.That(ColumnTypes.CanBind(Int32Type.Default, typeof(long)), Is.False);
        Assert.That(ColumnTypes.CanBind(new ListType(Int32Type.Default), typeof(long[])), Is.False);
    }

    [Test]
    public void CheckBinding_Mismatch_MessageNamesColumnAndBothTypes()
    {
        var error = Assert.Throws<ArgumentException>(() => ColumnTypes.CheckBinding("amount", Int64Type.Default, typeof(double?)));
        Assert.That(error!.Message, Is.EqualTo("Column 'amount' has Arrow type int64 (it reads as Int64), which cannot bind to parameter type Double?."));
    }

    [Test]
    public void ArrowTypeOf_Decimal_IsDecimal128WithScale28()
    {
        Assert.That(ColumnTypes.ArrowTypeOf(typeof(decimal?)), Is.EqualTo(new Decimal128Type(38, 28)).Using(ArrowTypes.Comparer));
    }

    [Test]
    public void LayoutOf_Decimal128_IsInt128WithTheTypesScale()
    {
        var layout = ColumnTypes.LayoutOf(new Decimal128Type(20, 4));

        Assert.That(layout.StorageType, Is.EqualTo(typeof(Int128)));
        Assert.That(layout.Temporal, Is.EqualTo(TemporalMeaning.Decimal128));
        Assert.That(layout.Scale, Is.EqualTo(4));
    }

    [Test]
    public void ArrowTypeOf_DateTime_IsNanosecondUtcTimestamp()
    {
        Assert.That(ColumnTypes.ArrowTypeOf(typeof(DateTime?)), Is.EqualTo(new TimestampType(TimeUnit.Nanosecond, "UTC")).Using(ArrowTypes.Comparer));
    }
}
