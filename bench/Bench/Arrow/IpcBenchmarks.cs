using BenchmarkDotNet.Attributes;
using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.ArrowExtensions.Ipc;

namespace Dsl.Bench.Arrow;

/// <summary>
/// Arrow IPC file throughput on 10,000,000 rows × 6 columns (float64 with nulls, bool, utf8, timestamp[us],
/// int64, int32) in 10 batches, against a plain copy of the same file's bytes measured in the same run.
/// Reading is zero-copy: map the file, validate every batch, touch each array's metadata. The MB/s column is
/// the file's size over the mean time.
/// </summary>
[Config(typeof(ThroughputConfig))]
public class IpcBenchmarks
{
    public const int Rows = 10_000_000;
    private const int Batches = 10;

    /// <summary>The file every benchmark reads or copies; its size is the MB/s numerator.</summary>
    public static string SourcePath { get; } = Path.Combine(Path.GetTempPath(), "dsl-bench-ipc-source.arrow");

    private readonly string _copyPath = Path.Combine(Path.GetTempPath(), "dsl-bench-ipc-copy.arrow");
    private readonly string _writePath = Path.Combine(Path.GetTempPath(), "dsl-bench-ipc-written.arrow");
    private List<RecordBatch> _batches = [];

    private static readonly Schema s_schema = new(
    [
        new Field("amount", DoubleType.Default, true),
        new Field("flag", BooleanType.Default, true),
        new Field("name", StringType.Default, true),
        new Field("at", new TimestampType(TimeUnit.Microsecond, "UTC"), true),
        new Field("id", Int64Type.Default, false),
        new Field("count", Int32Type.Default, true),
    ], null);

    [GlobalSetup]
    public void CreateData()
    {
        _batches = Enumerable.Range(0, Batches).Select(b => Batch(b * (Rows / Batches), Rows / Batches)).ToList();
        using (var writer = ArrowBatchWriter.Create(SourcePath, s_schema)) _batches.ForEach(writer.Write);
        Console.WriteLine($"// {SourcePath}: {new FileInfo(SourcePath).Length:N0} bytes");
    }

    [GlobalCleanup]
    public void DisposeData()
    {
        _batches.ForEach(batch => batch.Dispose());
        File.Delete(_copyPath);
        File.Delete(_writePath);
    }

    [Benchmark(Baseline = true, Description = "plain file copy")]
    public void FileCopy() => File.Copy(SourcePath, _copyPath, overwrite: true);

    /// <summary>Opening alone: map the file, read its footer and schema; no batch is validated or touched yet.</summary>
    [Benchmark(Description = "open zero-copy (map, footer, schema)")]
    public int OpenMapped()
    {
        using var reader = MappedArrowReader.Open(SourcePath);
        return reader.Schema.FieldsList.Count;
    }

    [Benchmark(Description = "read zero-copy (map + validate)")]
    public long ReadMapped()
    {
        long touched = 0;
        using var reader = MappedArrowReader.Open(SourcePath);
        while (reader.ReadNextRecordBatch() is { } batch)
        {
            using (batch)
            {
                foreach (var array in batch.Arrays)
                {
                    touched += array.Length + array.NullCount + array.Data.Buffers[1].Length;
                }
            }
        }

        return touched;
    }

    [Benchmark(Description = "write file")]
    public void Write()
    {
        using var stream = new FileStream(_writePath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        using var writer = ArrowBatchWriter.Create(stream, s_schema);
        _batches.ForEach(writer.Write);
    }

    private static RecordBatch Batch(int start, int length)
    {
        var amount = new DoubleArray.Builder();
        var flag = new BooleanArray.Builder();
        var name = new StringArray.Builder();
        var at = new TimestampArray.Builder((TimestampType)s_schema.FieldsList[3].DataType);
        var id = new Int64Array.Builder();
        var count = new Int32Array.Builder();
        for (var row = start; row < start + length; row++)
        {
            amount.Append(row % 10 == 3 ? null : row * 0.25);
            flag.Append(row % 3 == 0);
            if (row % 50 == 7) name.AppendNull();
            else name.Append($"customer-{row % 100_000}");
            if (row % 97 == 0) at.AppendNull();
            else at.Append(DateTimeOffset.UnixEpoch.AddTicks((1_700_000_000_000_000L + row * 1_000L) * 10));
            id.Append(row);
            count.Append(row % 20 == 0 ? null : row % 1000);
        }

        return new RecordBatch(s_schema, [amount.Build(), flag.Build(), name.Build(), at.Build(), id.Build(), count.Build()], length);
    }
}
