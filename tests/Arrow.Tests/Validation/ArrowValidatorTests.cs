using System.Runtime.InteropServices;
using Dsl.TestSupport.Columns;

namespace Dsl.ArrowExtensions.Tests.Validation;

/// <summary>Each rule of <see cref="ArrowValidator"/> on a hand-made array: the exception names column, buffer, row and rule.</summary>
public class ArrowValidatorTests
{
    private static IEnumerable<TestCaseData> WellFormedArrays()
    {
        yield return Case("double", () => new DoubleArray.Builder().Append(1).AppendNull().Append(double.NaN).Build());
        yield return Case("bool", () => new BooleanArray.Builder().AppendRange([true, false]).AppendNull().Append(true).Build());
        yield return Case("utf8", () => new StringArray.Builder().AppendRange(["a", null, "", "日本"]).Build());
        yield return Case("large_utf8", () => new LargeStringArray.Builder().AppendRange(["a", null, "bc"]).Build());
        yield return Case("binary", () => new BinaryArray.Builder().Append([1, 2]).AppendNull().Append([]).Build());
        yield return Case("timestamp", () => new TimestampArray.Builder().Append(DateTimeOffset.UnixEpoch).AppendNull().Append(DateTimeOffset.MaxValue).Build());
        yield return Case("empty utf8", () => new StringArray.Builder().Build());
        yield return Case("decimal128", () => new Decimal128Array.Builder(new Decimal128Type(5, 2)).Append(-999.99m).AppendNull().Append(0.01m).Build());
        yield return Case("list", () =>
        {
            var builder = new ListArray.Builder(Int64Type.Default).Append();
            ((Int64Array.Builder)builder.ValueBuilder).Append(1).Append(2);
            return builder.AppendNull().Append().Build();
        });
        yield return Case("struct", () => new StructArray(
            new StructType([new Field("x", Int8Type.Default, true)]), 2, [new Int8Array.Builder().Append(1).AppendNull().Build()], ArrowBuffer.Empty));
        yield return Case("dictionary", () => new DictionaryArray(
            new DictionaryType(Int32Type.Default, StringType.Default, false),
            new Int32Array.Builder().Append(1).AppendNull().Append(0).Build(),
            new StringArray.Builder().AppendRange(["a", "b"]).Build()));
        yield return Case("TestArrays list<utf8>, sliced at 3", () => TestArrays.Array(new ListType(StringType.Default), [new[] { "a", "b" }, null, System.Array.Empty<string>()], offset: 3));
        yield return Case("TestArrays timestamp with bitmap, sliced at 5", () => TestArrays.Array(new TimestampType(TimeUnit.Microsecond, "UTC"), [DateTime.UnixEpoch, null], offset: 5, alwaysBitmap: true));
    }

    [TestCaseSource(nameof(WellFormedArrays))]
    public void Validate_WellFormedArrayAndItsSlices_Passes(Func<IArrowArray> create)
    {
        var array = create();
        Assert.That(() => ArrowValidator.Validate(array), Throws.Nothing);
        for (var offset = 0; offset <= array.Length; offset++)
        {
            var slice = ArrowArrayFactory.Slice(array, offset, array.Length - offset);
            Assert.That(() => ArrowValidator.Validate(slice), Throws.Nothing, $"slice at {offset}");
        }
    }

    /// <summary>
    /// The case: offsets that point past the data buffer. Apache.Arrow's <c>StringArray.GetString</c> decodes
    /// from a raw pointer at <c>ValueOffsets[i]</c> for <c>ValueOffsets[i + 1] - ValueOffsets[i]</c> bytes without
    /// checking them against the buffer, so on this array it would read a gigabyte past a 3-byte buffer (a fault that
    /// takes the process down, or silently garbage). The validator refuses the array before anything reads it.
    /// </summary>
    [Test]
    public void Validate_StringOffsetsPastTheDataBuffer_CleanErrorWhereGetStringWouldReadOutOfBounds()
    {
        var strings = new StringArray(new ArrayData(StringType.Default, 2, 0, 0, [ArrowBuffer.Empty, Buffer(0, 3, 1 << 30), new ArrowBuffer("abc"u8.ToArray())]));
        var batch = new RecordBatch(new Schema([new Field("comment", StringType.Default, true)], null), [strings], 2);

        // What GetString(1) would read: from byte 3 for 2^30 - 3 bytes, in a buffer of 3 bytes.
        Assert.That(strings.ValueOffsets[1], Is.EqualTo(strings.ValueBuffer.Length));
        Assert.That(strings.ValueOffsets[2] - strings.ValueOffsets[1], Is.GreaterThan(strings.ValueBuffer.Length - strings.ValueOffsets[1]));
        Assert.That(strings.GetString(0), Is.EqualTo("abc"), "the first row is in bounds");

        var error = Assert.Throws<ArrowValidationException>(() => ArrowValidator.Validate(batch))!;
        Assert.That(error.Column, Is.EqualTo("column 0 ('comment')"));
        Assert.That(error.Buffer, Is.EqualTo("data"));
        Assert.That(error.Rule, Is.EqualTo("offsets-bound"));
        Assert.That(error.Row, Is.EqualTo(1));
        Assert.That(error.Message, Is.EqualTo($"column 0 ('comment'), data, row 1: the last offset is {1 << 30} but there are only 3 bytes in the data buffer (rule: offsets-bound)."));
    }

    [Test]
    public void Validate_DecimalBeyondItsPrecision_ThrowsNamingTheRow()
    {
        var data = new ArrayData(new Decimal128Type(3, 1), 3, 0, 0, [ArrowBuffer.Empty, Buffer<Int128>(5, 1000, -999)]);

        AssertRejected(data, "values", 1, "decimal-precision", "100.0", alsoContains: "3 digits");
    }

    [Test]
    public void Validate_DecimalBeyondItsPrecisionInANullRow_Passes()
    {
        var data = new ArrayData(new Decimal128Type(3, 1), 2, 1, 0, [Bits(0b01), Buffer<Int128>(5, 1000)]);

        Assert.That(() => Validate(data), Throws.Nothing);
    }

    [TestCase(3, "the null count says 3 but the bitmap has 6 nulls")]
    [TestCase(-2, "null count -2")]
    public void Validate_WrongNullCount_Throws(int nullCount, string problem)
    {
        var data = new ArrayData(Int32Type.Default, 8, nullCount, 0, [Bits(0b0000_0011), Buffer(new int[8])]);

        AssertRejected(data, "validity bitmap", null, "null-count", problem);
    }

    [Test]
    public void Validate_NullCountWithoutABitmap_Throws()
    {
        var data = new ArrayData(Int32Type.Default, 2, 1, 0, [ArrowBuffer.Empty, Buffer(1, 2)]);

        AssertRejected(data, "validity bitmap", null, "null-count", "the null count says 1 but the bitmap has 0 nulls");
    }

    [Test]
    public void Validate_ValuesBufferTooSmallForTheOffset_Throws()
    {
        var data = new ArrayData(Int64Type.Default, 4, 0, 1, [ArrowBuffer.Empty, Buffer(new long[4])]);

        AssertRejected(data, "values", null, "buffer-size", "the buffer has 32 bytes; offset 1 + length 4 needs 40");
    }

    [Test]
    public void Validate_ValidityBitmapTooSmall_Throws()
    {
        var data = new ArrayData(UInt8Type.Default, 9, -1, 0, [Bits(0xFF), Buffer(new byte[9])]);

        AssertRejected(data, "validity bitmap", null, "buffer-size", "the bitmap has 1 bytes");
    }

    [TestCase(new[] { 0, 3, 2 }, "offsets", 1, "offsets-monotonic", "offsets decrease (3 then 2)")]
    [TestCase(new[] { -1, 0, 2 }, "offsets", 0, "offsets-start", "the first offset is negative (-1)")]
    [TestCase(new[] { 0, 2, 6 }, "data", 1, "offsets-bound", "the last offset is 6 but there are only 5 bytes")]
    public void Validate_BadStringOffsets_Throws(int[] offsets, string buffer, int row, string rule, string problem)
    {
        var data = new ArrayData(StringType.Default, 2, 0, 0, [ArrowBuffer.Empty, Buffer(offsets), new ArrowBuffer("abcde"u8.ToArray())]);

        AssertRejected(data, buffer, row, rule, problem);
    }

    [TestCase(1)]
    [TestCase(8)]
    [TestCase(33)]
    [TestCase(61)]
    public void Validate_DecreasingOffsetPastTheVectorWidth_FoundAtItsRow(int row)
    {
        var offsets = Enumerable.Range(0, 64).ToArray();
        offsets[row + 1] = offsets[row] - 1;
        offsets[^1] = 100;
        var data = new ArrayData(BinaryType.Default, 63, 0, 0, [ArrowBuffer.Empty, Buffer(offsets), new ArrowBuffer(new byte[100])]);

        AssertRejected(data, "offsets", row, "offsets-monotonic", $"offsets decrease ({offsets[row]} then {offsets[row + 1]})");
    }

    [Test]
    public void Validate_LargeStringOffsetsPastTheData_Throws()
    {
        var data = new ArrayData(LargeStringType.Default, 1, 0, 0, [ArrowBuffer.Empty, Buffer(0L, 5_000_000_000L), new ArrowBuffer("abc"u8.ToArray())]);

        AssertRejected(data, "data", 0, "offsets-bound", "the last offset is 5000000000");
    }

    [TestCase(1, "a binary array has 1 buffers; its layout has 3")]
    [TestCase(2, "a binary array has 2 buffers; its layout has 3")]
    [TestCase(4, "a binary array has 4 buffers; its layout has 3")]
    public void Validate_WrongNumberOfBuffers_Throws(int count, string problem)
    {
        ArrowBuffer[] buffers = [ArrowBuffer.Empty, Buffer(0, 1), new ArrowBuffer(new byte[] { 7 }), ArrowBuffer.Empty];
        var data = new ArrayData(BinaryType.Default, 1, 0, 0, buffers[..count]);

        AssertRejected(data, "buffers", null, "buffer-count", problem);
    }

    [Test]
    public void Validate_NoBuffersAtAll_Throws()
    {
        var data = new ArrayData(Int32Type.Default, 0, 0, 0, (ArrowBuffer[]?)null);

        AssertRejected(data, "buffers", null, "buffer-count", "int32 array has 0 buffers; its layout has 2");
    }

    [Test]
    public void Validate_ListOffsetBeyondTheChild_Throws()
    {
        var child = new Int32Array.Builder().AppendRange([1, 2, 3]).Build();
        var data = new ArrayData(new ListType(Int32Type.Default), 2, 0, 0, [ArrowBuffer.Empty, Buffer(0, 1, 5)], [child.Data]);

        AssertRejected(data, "children", 1, "offsets-bound", "the last offset is 5 but there are only 3 child values");
    }

    [Test]
    public void Validate_ListChildTypeMismatch_Throws()
    {
        var child = new Int64Array.Builder().Append(1).Build();
        var data = new ArrayData(new ListType(Int32Type.Default), 1, 0, 0, [ArrowBuffer.Empty, Buffer(0, 1)], [child.Data]);

        AssertRejected(data, "children", null, "child-type", "the data is int64; the type says int32", column: "c > list values");
    }

    [Test]
    public void Validate_ListWithoutChild_Throws()
    {
        var data = new ArrayData(new ListType(Int32Type.Default), 1, 0, 0, [ArrowBuffer.Empty, Buffer(0, 0)], []);

        AssertRejected(data, "children", null, "child-count", "a list<int32> array needs 1 child arrays, not 0");
    }

    [Test]
    public void Validate_NestedProblem_NamesThePath()
    {
        var child = new ArrayData(Int32Type.Default, 2, 0, 0, [ArrowBuffer.Empty, new ArrowBuffer(new byte[1])]);
        var data = new ArrayData(new StructType([new Field("inner", Int32Type.Default, true)]), 2, 0, 0, [ArrowBuffer.Empty], [child]);

        AssertRejected(data, "values", null, "buffer-size", "the buffer has 1 bytes", column: "c > field 'inner'");
    }

    [Test]
    public void Validate_StructChildTooShort_Throws()
    {
        var child = new Int32Array.Builder().Append(1).Build();
        var data = new ArrayData(new StructType([new Field("a", Int32Type.Default, true)]), 2, 0, 0, [ArrowBuffer.Empty], [child.Data]);

        AssertRejected(data, "children", null, "child-length", "1 rows, fewer than the struct's offset 0 + length 2", column: "c > field 'a'");
    }

    [Test]
    public void Validate_DictionaryIndexOutOfRange_ThrowsUnlessTheRowIsNull()
    {
        var type = new DictionaryType(Int8Type.Default, Int32Type.Default, false);
        var dictionary = new Int32Array.Builder().AppendRange([10, 20]).Build().Data;
        var indices = Buffer<sbyte>(0, 2, -1);
        var nullsCover = new ArrayData(type, 3, 2, 0, [Bits(0b001), indices], dictionary: dictionary);
        var exposed = new ArrayData(type, 3, 0, 0, [ArrowBuffer.Empty, indices], dictionary: dictionary);

        Assert.That(() => Validate(nullsCover), Throws.Nothing);
        AssertRejected(exposed, "indices", 1, "dictionary-index", "the index 2 is outside a dictionary of 2 values");
    }

    [TestCase(ArrowTypeId.Int8, 127)]
    [TestCase(ArrowTypeId.UInt8, 255)]
    [TestCase(ArrowTypeId.Int16, 32767)]
    public void Validate_LargestIndexOfANarrowIndexTypeIntoALongerDictionary_Passes(ArrowTypeId indexType, int index)
    {
        var (type, indices) = indexType switch
        {
            ArrowTypeId.Int8 => ((IArrowType)Int8Type.Default, Buffer<sbyte>((sbyte)index)),
            ArrowTypeId.UInt8 => (UInt8Type.Default, Buffer<byte>((byte)index)),
            _ => (Int16Type.Default, Buffer<short>((short)index)),
        };
        var dictionary = new ArrayData(Int32Type.Default, 40_000, 0, 0, [ArrowBuffer.Empty, Buffer(new int[40_000])]);
        var data = new ArrayData(new DictionaryType(type, Int32Type.Default, false), 1, 0, 0, [ArrowBuffer.Empty, indices], dictionary: dictionary);

        Assert.That(() => Validate(data), Throws.Nothing);
    }

    [Test]
    public void Validate_DictionaryMissing_Throws()
    {
        var data = new ArrayData(new DictionaryType(Int32Type.Default, StringType.Default, false), 1, 0, 0, [ArrowBuffer.Empty, Buffer(0)]);

        AssertRejected(data, "dictionary", null, "dictionary-missing", "no dictionary");
    }

    [Test]
    public void Validate_DictionaryOfAnotherType_Throws()
    {
        var dictionary = new Int64Array.Builder().Append(1).Build().Data;
        var data = new ArrayData(new DictionaryType(Int32Type.Default, StringType.Default, false), 1, 0, 0, [ArrowBuffer.Empty, Buffer(0)], dictionary: dictionary);

        AssertRejected(data, "dictionary", null, "dictionary-type", "the dictionary is int64; the type says utf8");
    }

    [Test]
    public void Validate_ColumnShorterThanTheBatch_Throws()
    {
        var schema = new Schema([new Field("a", Int32Type.Default, true), new Field("b", Int32Type.Default, true)], null);
        var batch = new RecordBatch(schema, [new Int32Array.Builder().AppendRange([1, 2]).Build(), new Int32Array.Builder().Append(1).Build()], 2);

        var error = Assert.Throws<ArrowValidationException>(() => ArrowValidator.Validate(batch))!;

        Assert.That((error.Column, error.Buffer, error.Rule), Is.EqualTo(("column 1 ('b')", "length", "column-length")));
        Assert.That(error.Message, Does.Contain("the column has 1 rows but the batch has 2"));
    }

    [Test]
    public void Validate_FewerColumnsThanTheSchema_Throws()
    {
        var schema = new Schema([new Field("a", Int32Type.Default, true), new Field("b", Int32Type.Default, true)], null);
        var batch = new RecordBatch(schema, [new Int32Array.Builder().Append(1).Build()], 1);

        var error = Assert.Throws<ArrowValidationException>(() => ArrowValidator.Validate(batch))!;

        Assert.That((error.Column, error.Buffer, error.Rule), Is.EqualTo(("record batch", "columns", "schema")));
    }

    [Test]
    public void ValidateColumn_BadColumn_NamesItByIndexAndName()
    {
        var strings = new StringArray(new ArrayData(StringType.Default, 1, 0, 0, [ArrowBuffer.Empty, Buffer(0, 9), new ArrowBuffer("abc"u8.ToArray())]));
        var batch = new RecordBatch(new Schema([new Field("n", Int32Type.Default, true), new Field("s", StringType.Default, true)], null), [new Int32Array.Builder().Append(1).Build(), strings], 1);

        Assert.That(() => ArrowValidator.ValidateColumn(batch, 0), Throws.Nothing);
        Assert.That(() => ArrowValidator.ValidateColumn(batch, 1), Throws.TypeOf<ArrowValidationException>().With.Message.StartsWith("column 1 ('s'), data, row 0: the last offset is 9"));
    }

    [Test]
    public void Validate_TypeWithoutRules_NotSupportedNamingIt()
    {
        var data = new ArrayData(new FixedSizeListType(Int32Type.Default, 2), 0, 0, 0, [ArrowBuffer.Empty], [new Int32Array.Builder().Build().Data]);

        Assert.That(() => ArrowValidator.Validate(ArrowArrayFactory.BuildArray(data), "pairs"), Throws.TypeOf<NotSupportedException>().With.Message.Contains("pairs").And.Message.Contains("fixed_size_list"));
    }

    private static void Validate(ArrayData data) => ArrayDataRules.Validate(data, "c");

    private static void AssertRejected(ArrayData data, string buffer, long? row, string rule, string problem, string column = "c", string? alsoContains = null)
    {
        var error = Assert.Throws<ArrowValidationException>(() => Validate(data))!;
        Assert.That((error.Column, error.Buffer, error.Row, error.Rule), Is.EqualTo((column, buffer, row, rule)), error.Message);
        Assert.That(error.Message, Does.StartWith($"{column}, {buffer}").And.Contain(problem).And.EndWith($"(rule: {rule})."));
        if (alsoContains is not null) Assert.That(error.Message, Does.Contain(alsoContains));
    }

    private static TestCaseData Case(string name, Func<IArrowArray> create) => new TestCaseData(create).SetArgDisplayNames(name);

    private static ArrowBuffer Buffer<T>(params T[] values)
        where T : unmanaged => new(MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    private static ArrowBuffer Bits(byte bits) => new(new[] { bits });
}
