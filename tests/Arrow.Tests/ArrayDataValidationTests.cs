using Dsl.Arrow.Memory;
using Dsl.Arrow.Types;

namespace Dsl.Arrow.Tests;

public class ArrayDataValidationTests
{
    private static IEnumerable<TestCaseData> WellFormedArrays()
    {
        yield return new TestCaseData(new Func<IArrowArray>(() => new DoubleArray.Builder().Append(1).AppendNull().Build())).SetArgDisplayNames("double");
        yield return new TestCaseData(new Func<IArrowArray>(() => new BooleanArray.Builder().AppendRange([true, false]).AppendNull().Build())).SetArgDisplayNames("bool");
        yield return new TestCaseData(new Func<IArrowArray>(() => new StringArray.Builder().AppendRange(["a", null, ""]).Build())).SetArgDisplayNames("utf8");
        yield return new TestCaseData(new Func<IArrowArray>(() => new LargeStringArray.Builder().AppendRange(["a", null]).Build())).SetArgDisplayNames("large_utf8");
        yield return new TestCaseData(new Func<IArrowArray>(() => new TimestampArray.Builder().Append(5L).Build())).SetArgDisplayNames("timestamp");
        yield return new TestCaseData(new Func<IArrowArray>(() => new StringArray.Builder().Build())).SetArgDisplayNames("empty utf8");
        yield return new TestCaseData(new Func<IArrowArray>(() => new Decimal128Array.Builder(new Decimal128Type(5, 2)).Append(-999.99m).AppendNull().Append(0.01m).Build())).SetArgDisplayNames("decimal128");
        yield return new TestCaseData(new Func<IArrowArray>(() =>
        {
            var values = new Int64Array.Builder();
            var builder = new ListArray.Builder(values).Append();
            values.Append(1).Append(2);
            return builder.AppendNull().Build();
        })).SetArgDisplayNames("list");
        yield return new TestCaseData(new Func<IArrowArray>(() => new StructArray(
            new StructType([new Field("x", Int8Type.Default, true)]), 2, [new Int8Array.Builder().Append(1).AppendNull().Build()]))).SetArgDisplayNames("struct");
        yield return new TestCaseData(new Func<IArrowArray>(() => new DictionaryArray(
            new DictionaryType(Int32Type.Default, StringType.Default, false),
            new Int32Array.Builder().Append(1).AppendNull().Append(0).Build(),
            new StringArray.Builder().AppendRange(["a", "b"]).Build()))).SetArgDisplayNames("dictionary");
    }

    [Test]
    public void Validate_DecimalBeyondItsPrecision_ThrowsNamingTheRow()
    {
        var type = new Decimal128Type(3, 1);
        using var values = NativeBuffer.FromValues<Int128>([5, 1000, -999]);
        using var data = new ArrayData(type, 3, 0, 0, [ArrowBuffer.Empty, values.ToArrowBuffer()]);

        Assert.That(() => data.Validate("column 0 ('price')"), Throws.TypeOf<ArrowFormatException>()
            .With.Message.Contains("column 0 ('price')").And.Message.Contains("row 1").And.Message.Contains("100.0").And.Message.Contains("3 digits"));
    }

    [Test]
    public void Validate_DecimalBeyondItsPrecisionInANullRow_Passes()
    {
        var type = new Decimal128Type(3, 1);
        using var values = NativeBuffer.FromValues<Int128>([5, 1000]);
        using var validity = NativeBuffer.FromBytes([0b01]);
        using var data = new ArrayData(type, 2, 1, 0, [validity.ToArrowBuffer(), values.ToArrowBuffer()]);

        Assert.That(() => data.Validate(), Throws.Nothing);
    }

    [TestCaseSource(nameof(WellFormedArrays))]
    public void Validate_WellFormedArrayAndItsSlices_Passes(Func<IArrowArray> create)
    {
        using var array = create();
        Assert.That(() => array.Data.Validate(), Throws.Nothing);
        using var slice = array.Slice(array.Length > 0 ? 1 : 0, array.Length > 0 ? array.Length - 1 : 0);
        Assert.That(() => slice.Data.Validate(), Throws.Nothing);
    }

    [Test]
    public void Validate_WrongNullCount_Throws()
    {
        using var values = NativeBuffer.Allocate(8 * sizeof(int));
        using var validity = NativeBuffer.FromBytes([0b0000_0011]);
        using var data = new ArrayData(Int32Type.Default, 8, 3, 0, [validity.ToArrowBuffer(), values.ToArrowBuffer()]);

        Assert.That(() => data.Validate(), Throws.TypeOf<ArrowFormatException>().With.Message.Contains("null count says 3").And.Message.Contains("6 nulls"));
    }

    [Test]
    public void Validate_ValuesBufferTooSmallForOffset_Throws()
    {
        using var values = NativeBuffer.Allocate(4 * sizeof(long));
        using var data = new ArrayData(Int64Type.Default, 4, 0, 1, [ArrowBuffer.Empty, values.ToArrowBuffer()]);

        Assert.That(() => data.Validate("column 0 ('x')"), Throws.TypeOf<ArrowFormatException>().With.Message.StartsWith("column 0 ('x'): the values buffer"));
    }

    [Test]
    public void Validate_ValidityBitmapTooSmall_Throws()
    {
        using var values = NativeBuffer.Allocate(9);
        using var validity = NativeBuffer.FromBytes([0xFF]);
        using var data = new ArrayData(UInt8Type.Default, 9, -1, 0, [validity.ToArrowBuffer(), values.ToArrowBuffer()]);

        Assert.That(() => data.Validate(), Throws.TypeOf<ArrowFormatException>().With.Message.Contains("validity bitmap"));
    }

    [TestCase(new[] { 0, 3, 2 }, "decrease at row 1")]
    [TestCase(new[] { -1, 0, 2 }, "first offset is negative")]
    [TestCase(new[] { 0, 2, 6 }, "last offset is 6")]
    public void Validate_BadStringOffsets_Throws(int[] offsetValues, string expected)
    {
        using var offsets = NativeBuffer.FromValues<int>(offsetValues);
        using var bytes = NativeBuffer.FromBytes("abcde"u8);
        using var data = new ArrayData(StringType.Default, 2, 0, 0, [ArrowBuffer.Empty, offsets.ToArrowBuffer(), bytes.ToArrowBuffer()]);

        Assert.That(() => data.Validate(), Throws.TypeOf<ArrowFormatException>().With.Message.Contains(expected));
    }

    [Test]
    public void Validate_OffsetsBufferMissing_Throws()
    {
        using var data = new ArrayData(BinaryType.Default, 1, 0, 0, [ArrowBuffer.Empty]);
        Assert.That(() => data.Validate(), Throws.TypeOf<ArrowFormatException>().With.Message.Contains("offsets buffer"));
    }

    [Test]
    public void Validate_ListOffsetBeyondChild_Throws()
    {
        using var offsets = NativeBuffer.FromValues<int>([0, 1, 5]);
        using var child = new Int32Array.Builder().AppendRange([1, 2, 3]).Build();
        using var data = new ArrayData(
            new ListType(Int32Type.Default), 2, 0, 0, [ArrowBuffer.Empty, offsets.ToArrowBuffer()], [child.Data.Slice(0, 3)]);

        Assert.That(() => data.Validate(), Throws.TypeOf<ArrowFormatException>().With.Message.Contains("only 3 child values"));
    }

    [Test]
    public void Validate_ListChildTypeMismatch_Throws()
    {
        using var offsets = NativeBuffer.FromValues<int>([0, 1]);
        using var child = new Int64Array.Builder().Append(1).Build();
        using var data = new ArrayData(
            new ListType(Int32Type.Default), 1, 0, 0, [ArrowBuffer.Empty, offsets.ToArrowBuffer()], [child.Data.Slice(0, 1)]);

        Assert.That(() => data.Validate(), Throws.TypeOf<ArrowFormatException>().With.Message.Contains("list values are int64"));
    }

    [Test]
    public void Validate_NestedProblem_NamesThePath()
    {
        using var badValues = NativeBuffer.Allocate(1);
        using var child = new ArrayData(Int32Type.Default, 2, 0, 0, [ArrowBuffer.Empty, badValues.ToArrowBuffer()]);
        using var data = new ArrayData(new StructType([new Field("inner", Int32Type.Default, true)]), 2, 0, 0, [ArrowBuffer.Empty], [child.Slice(0, 2)]);

        Assert.That(() => data.Validate("column 1 ('s')"), Throws.TypeOf<ArrowFormatException>().With.Message.StartsWith("column 1 ('s') > field 'inner': the values buffer"));
    }

    [Test]
    public void Validate_StructChildTooShort_Throws()
    {
        using var child = new Int32Array.Builder().Append(1).Build();
        using var data = new ArrayData(new StructType([new Field("a", Int32Type.Default, true)]), 2, 0, 0, [ArrowBuffer.Empty], [child.Data.Slice(0, 1)]);

        Assert.That(() => data.Validate(), Throws.TypeOf<ArrowFormatException>().With.Message.Contains("1 rows, fewer than"));
    }

    [Test]
    public void Validate_DictionaryIndexOutOfRange_ThrowsUnlessTheRowIsNull()
    {
        var type = new DictionaryType(Int8Type.Default, Int32Type.Default, false);
        using var dictionary = new Int32Array.Builder().AppendRange([10, 20]).Build();
        using var indices = NativeBuffer.FromValues<sbyte>([0, 2, -1]);
        using var validity = NativeBuffer.FromBytes([0b001]);
        using var nullsCover = new ArrayData(type, 3, 2, 0, [validity.ToArrowBuffer(), indices.ToArrowBuffer()], dictionary: dictionary.Data.Slice(0, 2));
        using var exposed = new ArrayData(type, 3, 0, 0, [ArrowBuffer.Empty, indices.ToArrowBuffer()], dictionary: dictionary.Data.Slice(0, 2));

        Assert.That(() => nullsCover.Validate(), Throws.Nothing);
        Assert.That(() => exposed.Validate(), Throws.TypeOf<ArrowFormatException>().With.Message.Contains("row 1 has dictionary index 2"));
    }

    [Test]
    public void Validate_DictionaryMissing_Throws()
    {
        using var indices = NativeBuffer.FromValues<int>([0]);
        using var data = new ArrayData(new DictionaryType(Int32Type.Default, StringType.Default, false), 1, 0, 0, [ArrowBuffer.Empty, indices.ToArrowBuffer()]);

        Assert.That(() => data.Validate(), Throws.TypeOf<ArrowFormatException>().With.Message.Contains("no dictionary"));
    }

    [Test]
    public void RecordBatchValidate_BadColumn_NamesIt()
    {
        using var offsets = NativeBuffer.FromValues<int>([0, 9]);
        using var bytes = NativeBuffer.FromBytes("abc"u8);
        var column = new StringArray(new ArrayData(StringType.Default, 1, 0, 0, [ArrowBuffer.Empty, offsets.ToArrowBuffer(), bytes.ToArrowBuffer()]));
        using var batch = new RecordBatch(new Schema([new Field("s", StringType.Default, true)]), [column], 1);

        Assert.That(() => batch.Validate(), Throws.TypeOf<ArrowFormatException>().With.Message.StartsWith("column 0 ('s'): the last offset is 9"));
    }
}
