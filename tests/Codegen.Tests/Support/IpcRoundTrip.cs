using Apache.Arrow;
using Dsl.ArrowExtensions.Ipc;

namespace Dsl.Codegen.Tests.Support;

/// <summary>Arrays as a reader of Arrow IPC sees them after Apache.Arrow's writer (through <see cref="ArrowBatchWriter"/>) wrote them.</summary>
internal static class IpcRoundTrip
{
    /// <summary>
    /// <paramref name="array"/> written as a one-column Arrow IPC stream and read back zero-copy (and validated) by
    /// <see cref="MappedArrowReader"/>: its buffers are 8-byte aligned slices of the stream's bytes. <paramref name="apacheWriter"/>
    /// writes with Apache.Arrow's writer alone instead of <see cref="ArrowBatchWriter"/>.
    /// </summary>
    public static IArrowArray Of(IArrowArray array, bool apacheWriter = false)
    {
        var schema = new Schema([new Field("column", array.Data.DataType, nullable: true)], null);
        var bytes = new MemoryStream();
        if (apacheWriter)
        {
            // Apache.Arrow's own writer, without ArrowBatchWriter's canonical layout: its quirks reach the reader as written.
            using var writer = new Apache.Arrow.Ipc.ArrowStreamWriter(bytes, schema, leaveOpen: true);
            writer.WriteRecordBatch(new RecordBatch(schema, [array], array.Length));
            writer.WriteEnd();
        }
        else
        {
            using var writer = ArrowBatchWriter.Create(bytes, schema, new ArrowWriteOptions { Format = ArrowIpcFormat.Stream }, leaveOpen: true);
            writer.Write(new RecordBatch(schema, [array], array.Length));
        }

        using var reader = MappedArrowReader.FromMemory(bytes.ToArray());
        return reader.ReadNextRecordBatch()!.Column(0);
    }
}
