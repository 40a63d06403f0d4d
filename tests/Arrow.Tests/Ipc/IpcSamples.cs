using Dsl.ArrowExtensions.Ipc;
using Dsl.ArrowExtensions.Tests.Support;
using Dsl.TestSupport.Columns;

namespace Dsl.ArrowExtensions.Tests.Ipc;

/// <summary>
/// Sample schemas and batches built with Apache.Arrow's builders (every type the reader supports, nulls, NaN,
/// extremes, non-ASCII strings, dictionaries, nested lists and structs) and helpers to write and read them.
/// </summary>
internal static class IpcSamples
{
    private static readonly string?[] s_words = ["", "a", null, "héllo", "日本語", "emoji 🎉", "tab\tnewline\n"];
    private static readonly double[] s_doubles = [double.NaN, -0.0, double.PositiveInfinity, double.NegativeInfinity, double.MaxValue, double.Epsilon, 1.5];
    private static readonly DictionaryType s_colors = new(Int32Type.Default, StringType.Default, ordered: false);
    private static readonly DictionaryType s_sizes = new(Int8Type.Default, StringType.Default, ordered: false);
    private static readonly StructType s_point = new([new Field("x", Int64Type.Default, true), new Field("label", StringType.Default, true)]);
    private static readonly Decimal128Type s_money = new(12, 2);

    /// <summary>Flat columns of every primitive type, strings and binary, with schema and field metadata.</summary>
    public static Schema FlatSchema { get; } = new(
        [
            new Field("i8", Int8Type.Default, true),
            new Field("i32", Int32Type.Default, true, new Dictionary<string, string> { ["unit"] = "cents" }),
            new Field("i64", Int64Type.Default, false),
            new Field("u16", UInt16Type.Default, true),
            new Field("u64", UInt64Type.Default, true),
            new Field("f32", FloatType.Default, true),
            new Field("f64", DoubleType.Default, true),
            new Field("flag", BooleanType.Default, true),
            new Field("name", StringType.Default, true),
            new Field("blob", BinaryType.Default, true),
        ],
        new Dictionary<string, string> { ["producer"] = "dsl", ["note"] = "ünïcode ✓" });

    /// <summary>Dictionary, list, struct, temporal, decimal and large_utf8 columns.</summary>
    public static Schema NestedSchema { get; } = new(
        [
            new Field("color", s_colors, true),
            new Field("ints", new ListType(Int32Type.Default), true),
            new Field("point", s_point, true),
            new Field("at", new TimestampType(TimeUnit.Nanosecond, "Europe/Paris"), true),
            new Field("day", Date32Type.Default, true),
            new Field("took", DurationType.Millisecond, true),
            new Field("text", LargeStringType.Default, true),
            new Field("price", s_money, true),
            new Field("size", s_sizes, true),
            new Field("points", new ListType(new Field("item", s_point, true)), true),
        ],
        null);

    /// <summary>A batch of <see cref="FlatSchema"/>; <paramref name="seed"/> shifts values and null positions.</summary>
    public static RecordBatch FlatBatch(int length, int seed = 0)
    {
        bool IsNull(int row, int column) => (row * 7 + seed + column * 3) % 5 == 0;
        var rows = Enumerable.Range(0, length).ToArray();
        return new RecordBatch(
            FlatSchema,
            [
                new Int8Array.Builder().AppendNullable(rows.Select(i => IsNull(i, 0) ? null : (sbyte?)(sbyte)(i * 37 + seed))).Build(),
                new Int32Array.Builder().AppendNullable(rows.Select(i => IsNull(i, 1) ? null : (int?)(i % 3 == 0 ? int.MinValue + i : i * 1000))).Build(),
                new Int64Array.Builder().AppendRange(rows.Select(i => i % 4 == 0 ? long.MaxValue - i : (long)i * -1_000_000_007L)).Build(),
                new UInt16Array.Builder().AppendNullable(rows.Select(i => IsNull(i, 3) ? null : (ushort?)(ushort)(i * 331))).Build(),
                new UInt64Array.Builder().AppendNullable(rows.Select(i => IsNull(i, 4) ? null : (ulong?)(ulong.MaxValue - (ulong)i))).Build(),
                new FloatArray.Builder().AppendNullable(rows.Select(i => IsNull(i, 5) ? null : (float?)(float)s_doubles[(i + seed) % s_doubles.Length])).Build(),
                new DoubleArray.Builder().AppendNullable(rows.Select(i => IsNull(i, 6) ? null : (double?)s_doubles[(i + seed) % s_doubles.Length])).Build(),
                new BooleanArray.Builder().AppendNullable(rows.Select(i => IsNull(i, 7) ? null : (bool?)((i + seed) % 3 == 0))).Build(),
                new StringArray.Builder().AppendNullable(rows.Select(i => IsNull(i, 8) ? null : s_words[(i + seed) % s_words.Length] + (i % 2 == 0 ? "" : i.ToString()))).Build(),
                new BinaryArray.Builder().AppendNullable(rows.Select(i => IsNull(i, 9) ? null : Enumerable.Range(0, i % 6).Select(k => (byte)(k * 41 + i)).ToArray())).Build(),
            ],
            length);
    }

    /// <summary>A batch of <see cref="NestedSchema"/>; the dictionaries are the same for every seed.</summary>
    public static RecordBatch NestedBatch(int length, int seed = 0)
    {
        bool IsNull(int row, int column) => (row * 5 + seed + column) % 6 == 0;
        var rows = Enumerable.Range(0, length).ToArray();
        var ints = new ListArray.Builder(Int32Type.Default);
        var intValues = (Int32Array.Builder)ints.ValueBuilder;
        foreach (var row in rows)
        {
            if (IsNull(row, 1))
            {
                ints.AppendNull();
                continue;
            }

            ints.Append();
            for (var k = 0; k < row % 4; k++) intValues.Append(k == 1 ? null : row * 10 + k);
        }

        var pointCount = rows.Sum(row => IsNull(row, 9) ? 0 : row % 3);
        var points = new ListArray(
            new ListType(new Field("item", s_point, true)),
            length,
            OffsetsOf(rows.Select(row => IsNull(row, 9) ? 0 : row % 3)),
            Points(pointCount, seed + 1),
            NullBitmap(rows.Select(row => !IsNull(row, 9)), out var pointListNulls),
            pointListNulls);
        return new RecordBatch(
            NestedSchema,
            [
                new DictionaryArray(
                    s_colors,
                    new Int32Array.Builder().AppendNullable(rows.Select(i => IsNull(i, 0) ? null : (int?)((i + seed) % 4))).Build(),
                    new StringArray.Builder().AppendNullable(["red", "grün", "", "blue"]).Build()),
                ints.Build(),
                Points(length, seed),
                TestArrays.Array(NestedSchema.FieldsList[3].DataType, [.. rows.Select(i => IsNull(i, 4) ? null : (object)new DateTime(2023, 11, 14, 22, 13, 20, DateTimeKind.Utc).AddTicks(1_234_567 + i))]),
                Dates(rows.Select(i => IsNull(i, 5) ? null : (DateOnly?)new DateOnly(2020, 1, 1).AddDays(i - seed))),
                TestArrays.Array(DurationType.Millisecond, [.. rows.Select(i => IsNull(i, 6) ? null : (object)TimeSpan.FromSeconds(i - 3))]),
                new LargeStringArray.Builder().AppendNullable(rows.Select(i => IsNull(i, 7) ? null : new string('x', i % 5) + "ü")).Build(),
                new Decimal128Array.Builder(s_money).AppendRange(rows.Select(i => (i * 12_345.67m) - 99_999.99m)).Build(),
                new DictionaryArray(
                    s_sizes,
                    new Int8Array.Builder().AppendNullable(rows.Select(i => IsNull(i, 8) ? null : (sbyte?)(sbyte)(i % 3))).Build(),
                    new StringArray.Builder().AppendNullable(["S", null, "L"]).Build()),
                points,
            ],
            length);
    }

    /// <summary>The IPC bytes of <paramref name="batches"/> written by <see cref="ArrowBatchWriter"/>.</summary>
    public static byte[] Write(Schema schema, IEnumerable<RecordBatch> batches, ArrowIpcFormat format, ArrowCompression compression = ArrowCompression.None)
    {
        var output = new MemoryStream();
        using (var writer = ArrowBatchWriter.Create(output, schema, new ArrowWriteOptions { Format = format, Compression = compression }, leaveOpen: true))
        {
            foreach (var batch in batches) writer.Write(batch);
        }

        return output.ToArray();
    }

    /// <summary>Every batch of <paramref name="reader"/>, in order.</summary>
    public static List<RecordBatch> ReadAll(MappedArrowReader reader)
    {
        var batches = new List<RecordBatch>();
        while (reader.ReadNextRecordBatch() is { } batch) batches.Add(batch);
        return batches;
    }

    /// <summary>Every value of every batch, rendered through Apache.Arrow's accessors.</summary>
    public static string Render(IEnumerable<RecordBatch> batches) =>
        string.Join("\n--\n", batches.Select(batch => $"{batch.Length} rows\n{Support.ArrayValues.Render(batch)}"));

    private static StructArray Points(int length, int seed)
    {
        var rows = Enumerable.Range(0, length).ToArray();
        return new StructArray(
            s_point,
            length,
            [
                new Int64Array.Builder().AppendNullable(rows.Select(i => (i + seed) % 5 == 0 ? null : (long?)(i * -3L))).Build(),
                new StringArray.Builder().AppendNullable(rows.Select(i => (i + seed) % 4 == 1 ? null : $"p{i}")).Build(),
            ],
            NullBitmap(rows.Select(i => (i + seed) % 7 != 3), out var nulls),
            nulls);
    }

    private static Date32Array Dates(IEnumerable<DateOnly?> values)
    {
        var builder = new Date32Array.Builder();
        foreach (var value in values)
        {
            if (value is { } date) builder.Append(date);
            else builder.AppendNull();
        }

        return builder.Build();
    }

    private static ArrowBuffer OffsetsOf(IEnumerable<int> lengths)
    {
        var offsets = new ArrowBuffer.Builder<int>().Append(0);
        var end = 0;
        foreach (var length in lengths) offsets.Append(end += length);
        return offsets.Build();
    }

    private static ArrowBuffer NullBitmap(IEnumerable<bool> valid, out int nullCount)
    {
        var bitmap = new ArrowBuffer.BitmapBuilder();
        foreach (var bit in valid) bitmap.Append(bit);
        nullCount = bitmap.UnsetBitCount;
        return bitmap.Build();
    }
}
