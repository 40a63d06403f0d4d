using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.Codegen;
using Dsl.Codegen.Columns;
using DuckDB.NET.Data;
using ApacheStreamReader = Apache.Arrow.Ipc.ArrowStreamReader;
using ApacheStreamWriter = Apache.Arrow.Ipc.ArrowStreamWriter;

namespace Dsl.Runtime.Tests.Interop;

/// <summary>
/// Kernels read the caller's own buffers, in place, whatever produced the batch: Apache.Arrow's builders, Apache.Arrow's
/// stream reader over bytes in memory, DuckDB.NET and ParquetSharp. Each test binds the batch the way
/// <see cref="CompiledFunction.Evaluate"/> does (a <see cref="KernelFrame"/> over the bound arrays), checks that the view
/// the kernel reads points at the very memory of the caller's values buffer, and checks the evaluated results.
/// </summary>
public sealed class ZeroCopyInputTests
{
    private static readonly System.Linq.Expressions.Expression<Func<double, double?, double>> Net =
        (x, y) => y == null ? x : x - y.Value;

    [Test]
    public void ApacheBuilders_KernelReadsTheCallersBuffer()
    {
        var x = new DoubleArray.Builder().AppendRange(Enumerable.Range(0, 1000).Select(i => i * 1.5)).Build();
        var y = new DoubleArray.Builder();
        for (var i = 0; i < 1000; i++) y.Append(i % 3 == 0 ? null : i);
        using var batch = new RecordBatch(Schema(), [x, y.Build()], 1000);

        AssertReadInPlace(batch);
    }

    [Test]
    public void ApacheStreamReaderOverMemory_KernelReadsIntoTheCallersBytes()
    {
        using var source = new RecordBatch(Schema(), [Doubles(1000), Doubles(1000, nullEvery: 4)], 1000);
        var stream = new MemoryStream();
        using (var writer = new ApacheStreamWriter(stream, source.Schema, leaveOpen: true))
        {
            writer.WriteRecordBatch(source);
            writer.WriteEnd();
        }

        var bytes = stream.ToArray();
        using var reader = new ApacheStreamReader(new ReadOnlyMemory<byte>(bytes));
        using var batch = reader.ReadNextRecordBatch();

        AssertReadInPlace(batch);
        Assert.That(MemoryMarshal.TryGetArray(batch.Column(0).Data.Buffers[1].Memory, out var segment) && segment.Array == bytes,
            "Apache's reader over memory gives buffers that are slices of the caller's byte array");
    }

    [Test]
    public async Task DuckDb_KernelReadsTheBuffersDuckDbReturned()
    {
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT (i * 1.5)::DOUBLE AS x, CASE WHEN i % 3 = 0 THEN NULL ELSE i::DOUBLE END AS y FROM range(1000) t(i)";
        var batches = 0;
        await foreach (var batch in command.ExecuteArrowBatchesAsync(CancellationToken.None))
        {
            using (batch)
            {
                AssertReadInPlace(batch);
                batches++;
            }
        }

        Assert.That(batches, Is.GreaterThan(0));
    }

    [Test]
    public async Task ParquetSharp_KernelReadsTheBuffersParquetSharpReturned()
    {
        var path = Path.Combine(Path.GetTempPath(), $"dsl-zero-copy-{Guid.NewGuid():N}.parquet");
        try
        {
            using (var source = new RecordBatch(Schema(), [Doubles(1000), Doubles(1000, nullEvery: 3)], 1000))
            using (var writer = new ParquetSharp.Arrow.FileWriter(path, source.Schema))
            {
                writer.WriteRecordBatch(source);
                writer.Close();
            }

            using var file = new ParquetSharp.Arrow.FileReader(path);
            using var batches = file.GetRecordBatchReader();
            using var batch = await batches.ReadNextRecordBatchAsync();
            AssertReadInPlace(batch);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>The kernel's view of each column starts at the caller's values buffer (offset applied), and results are right.</summary>
    private static unsafe void AssertReadInPlace(RecordBatch batch)
    {
        var function = FunctionCompiler.Compile(Net);
        Assert.That(function.Mode, Is.EqualTo(ExecutionMode.Compiled), function.FallbackReason);
        var inputs = Dsl.Runtime.Execution.ColumnBinder.Bind(function.Parameters, null, batch);
        using var output = OutputColumn.Create(DoubleType.Default, batch.Length);
        using (var frame = new KernelFrame(inputs, output, new RowErrorSink()))
        {
            for (var k = 0; k < inputs.Length; k++)
            {
                var data = inputs[k].Data;
                using var pin = data.Buffers[1].Memory.Pin();
                var expected = (nint)pin.Pointer + data.Offset * sizeof(double);
                Assert.That(frame.Views[k].Values, Is.EqualTo(expected), $"column {k}: the kernel reads the caller's values buffer");
            }
        }

        using var result = function.Evaluate(batch);
        var x = (DoubleArray)batch.Column(0);
        var y = (DoubleArray)batch.Column(1);
        var values = (DoubleArray)result.Values;
        for (var i = 0; i < batch.Length; i++)
        {
            var want = y.GetValue(i) is { } d ? x.GetValue(i)!.Value - d : x.GetValue(i)!.Value;
            Assert.That(values.GetValue(i), Is.EqualTo(want), $"row {i}");
        }
    }

    private static Schema Schema() => new([new Field("x", DoubleType.Default, false), new Field("y", DoubleType.Default, true)], null);

    private static DoubleArray Doubles(int count, int nullEvery = 0)
    {
        var builder = new DoubleArray.Builder();
        for (var i = 0; i < count; i++)
        {
            if (nullEvery > 0 && i % nullEvery == 0) builder.AppendNull();
            else builder.Append(i * 0.25);
        }

        return builder.Build();
    }
}
