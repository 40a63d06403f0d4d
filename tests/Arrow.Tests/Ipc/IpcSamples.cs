using System.Text.Json.Nodes;
using Dsl.Arrow.Ipc;
using Dsl.Arrow.Tests.Interop;
using Dsl.Arrow.Types;

namespace Dsl.Arrow.Tests.Ipc;

/// <summary>Sample schemas and batches (every type, nulls, NaN, extremes, non-ASCII strings) and IPC byte helpers.</summary>
internal static class IpcSamples
{
    public static Schema Schema { get; } = new(
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

    private static readonly string?[] s_words = ["", "a", null, "héllo", "日本語", "emoji 🎉", "tab\tnewline\n"];
    private static readonly double[] s_doubles = [double.NaN, -0.0, double.PositiveInfinity, double.NegativeInfinity, double.MaxValue, double.Epsilon, 1.5];

    /// <summary>A batch of <paramref name="length"/> rows; <paramref name="seed"/> shifts values and null positions.</summary>
    public static RecordBatch Batch(int length, int seed = 0)
    {
        bool IsNull(int row, int column) => (row * 7 + seed + column * 3) % 5 == 0;
        var rows = Enumerable.Range(0, length).ToArray();
        return new RecordBatch(
            Schema,
            [
                new Int8Array.Builder().AppendRange(rows.Select(i => IsNull(i, 0) ? null : (sbyte?)(sbyte)(i * 37 + seed))).Build(),
                new Int32Array.Builder().AppendRange(rows.Select(i => IsNull(i, 1) ? null : (int?)(i % 3 == 0 ? int.MinValue + i : i * 1000))).Build(),
                new Int64Array.Builder().AppendRange(rows.Select(i => i % 4 == 0 ? long.MaxValue - i : (long)i * -1_000_000_007L)).Build(),
                new UInt16Array.Builder().AppendRange(rows.Select(i => IsNull(i, 3) ? null : (ushort?)(ushort)(i * 331))).Build(),
                new UInt64Array.Builder().AppendRange(rows.Select(i => IsNull(i, 4) ? null : (ulong?)(ulong.MaxValue - (ulong)i))).Build(),
                new FloatArray.Builder().AppendRange(rows.Select(i => IsNull(i, 5) ? null : (float?)(float)s_doubles[(i + seed) % s_doubles.Length])).Build(),
                new DoubleArray.Builder().AppendRange(rows.Select(i => IsNull(i, 6) ? null : (double?)s_doubles[(i + seed) % s_doubles.Length])).Build(),
                new BooleanArray.Builder().AppendRange(rows.Select(i => IsNull(i, 7) ? null : (bool?)((i + seed) % 3 == 0))).Build(),
                new StringArray.Builder().AppendRange(rows.Select(i => IsNull(i, 8) ? null : s_words[(i + seed) % s_words.Length] + (i % 2 == 0 ? "" : i.ToString()))).Build(),
                new BinaryArray.Builder().AppendRange(rows.Select(i => IsNull(i, 9) ? null : Enumerable.Range(0, i % 6).Select(k => (byte)(k * 41 + i)).ToArray())).Build(),
            ],
            length);
    }

    private static readonly DictionaryType s_colors = new(Int32Type.Default, StringType.Default, isOrdered: false);
    private static readonly StructType s_point = new([new Field("x", Int64Type.Default, true), new Field("label", StringType.Default, true)]);

    /// <summary>Dictionary, list, struct, temporal and large_utf8 columns.</summary>
    public static Schema NestedSchema { get; } = new(
        [
            new Field("color", s_colors, true),
            new Field("ints", new ListType(Int32Type.Default), true),
            new Field("point", s_point, true),
            new Field("at", new TimestampType(TimeUnit.Nanosecond, "Europe/Paris"), true),
            new Field("day", Date32Type.Default, true),
            new Field("took", new DurationType(TimeUnit.Millisecond), true),
            new Field("text", LargeStringType.Default, true),
        ]);

    /// <summary>A batch of <see cref="NestedSchema"/>; the dictionary is the same for every seed.</summary>
    public static RecordBatch NestedBatch(int length, int seed = 0)
    {
        bool IsNull(int row, int column) => (row * 5 + seed + column) % 6 == 0;
        var rows = Enumerable.Range(0, length).ToArray();
        var ints = new ListArray.Builder(new Int32Array.Builder());
        foreach (var row in rows)
        {
            if (IsNull(row, 1))
            {
                ints.AppendNull();
                continue;
            }

            ints.Append();
            for (var k = 0; k < row % 4; k++)
            {
                ((Int32Array.Builder)ints.ValueBuilder).Append(k == 1 ? null : row * 10 + k);
            }
        }

        var point = new StructArray(
            s_point,
            length,
            [
                new Int64Array.Builder().AppendRange(rows.Select(i => IsNull(i, 2) ? null : (long?)(i * -3L))).Build(),
                new StringArray.Builder().AppendRange(rows.Select(i => IsNull(i, 3) ? null : $"p{i}")).Build(),
            ]);
        var colors = new DictionaryArray(
            s_colors,
            new Int32Array.Builder().AppendRange(rows.Select(i => IsNull(i, 0) ? null : (int?)((i + seed) % 4))).Build(),
            new StringArray.Builder().AppendRange(["red", "grün", "", "blue"]).Build());
        return new RecordBatch(
            NestedSchema,
            [
                colors,
                ints.Build(),
                point,
                new TimestampArray.Builder((TimestampType)NestedSchema.FieldsList[3].DataType).AppendRange(rows.Select(i => IsNull(i, 4) ? null : (long?)(1_700_000_000_123_456_789L + i))).Build(),
                new Date32Array.Builder().AppendRange(rows.Select(i => IsNull(i, 5) ? null : (int?)(19_000 - i))).Build(),
                new DurationArray.Builder((DurationType)NestedSchema.FieldsList[5].DataType).AppendRange(rows.Select(i => IsNull(i, 6) ? null : (long?)(i * 1000L))).Build(),
                new LargeStringArray.Builder().AppendRange(rows.Select(i => IsNull(i, 7) ? null : new string('x', i % 5) + "ü")).Build(),
            ],
            length);
    }

    /// <summary>The stream-format bytes of <paramref name="batches"/>.</summary>
    public static byte[] StreamBytes(Schema schema, params RecordBatch[] batches) => Write(new MemoryStream(), stream => new ArrowStreamWriter(stream, schema, leaveOpen: true), batches);

    /// <summary>The file-format bytes of <paramref name="batches"/>.</summary>
    public static byte[] FileBytes(Schema schema, params RecordBatch[] batches) => Write(new MemoryStream(), stream => new ArrowFileWriter(stream, schema, leaveOpen: true), batches);

    /// <summary>Reads every batch of <paramref name="reader"/> and renders it (then disposes the batches).</summary>
    public static JsonNode ReadAllAsJson(IArrowReader reader)
    {
        var batches = new List<RecordBatch>();
        try
        {
            while (reader.ReadNextRecordBatch() is { } batch)
            {
                batches.Add(batch);
            }

            return ArrowJson.Describe(reader.Schema, batches);
        }
        finally
        {
            batches.ForEach(batch => batch.Dispose());
        }
    }

    public static JsonNode Describe(Schema schema, params RecordBatch[] batches) => ArrowJson.Describe(schema, batches);

    private static byte[] Write(MemoryStream output, Func<Stream, ArrowStreamWriter> create, RecordBatch[] batches)
    {
        using (var writer = create(output))
        {
            foreach (var batch in batches)
            {
                writer.WriteRecordBatch(batch);
            }

            writer.WriteEnd();
        }

        return output.ToArray();
    }
}
