using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.Runtime.Files;

namespace Dsl.Runtime.Tests.Files;

/// <summary>A Parquet file is read column by column: a projection decodes only the columns asked for, in the file's order.</summary>
public class ParquetProjectionTests
{
    [Test]
    public void OpenRead_WithColumns_YieldsOnlyThoseColumns_InTheFilesOrder()
    {
        var path = Path.Combine(Path.GetTempPath(), $"projection-{Guid.NewGuid():N}.parquet");
        try
        {
            var schema = new Schema([
                new Field("a", DoubleType.Default, true), new Field("b", StringType.Default, true), new Field("c", Int64Type.Default, false)], null);
            var batch = new RecordBatch(schema, [
                new DoubleArray.Builder().Append(1.5).AppendNull().Build(),
                new StringArray.Builder().Append("x").Append("ÿ").Build(),
                new Int64Array.Builder().Append(7).Append(8).Build()], 2);
            using (var writer = BatchFiles.Create(path, schema)) writer.Write(batch);

            Assert.That(BatchFiles.ReadSchema(path).FieldsList.Select(f => f.Name), Is.EqualTo(new[] { "a", "b", "c" }));
            using var reader = BatchFiles.OpenRead(path, ["c", "a"]);
            using var read = reader.ReadNextRecordBatchAsync().AsTask().GetAwaiter().GetResult();
            Assert.That(read.Schema.FieldsList.Select(f => f.Name), Is.EqualTo(new[] { "a", "c" }));
            Assert.That(((DoubleArray)read.Column(0)).GetValue(1), Is.Null);
            Assert.That(((Int64Array)read.Column(1)).GetValue(1), Is.EqualTo(8));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
