using System.Buffers;
using System.Text.Json;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using Dsl.Engine.Values;
using Dsl.Streams.Definition;

namespace Dsl.Streams.Processing;

/// <summary>
/// The messages a sink sends for the written rows of a batch: one JSON object per row keyed by fully qualified feature names,
/// or one Arrow IPC stream for the batch with a column per feature named by its fully qualified name.
/// </summary>
internal static class SinkEncoder
{
    public static IReadOnlyList<ReadOnlyMemory<byte>> Encode(StreamResolver resolver, StreamSink sink, RecordBatch output, IReadOnlyList<int> rows)
    {
        var features = sink.Features.Select(f => (Output: resolver.Outputs.First(o => o.Feature == f), Column: output.Column(f))).ToArray();
        return sink.Format == SinkFormat.Json ? Json(features, rows) : [ArrowIpc(features, rows)];
    }

    private static List<ReadOnlyMemory<byte>> Json((StreamOutput Output, IArrowArray Column)[] features, IReadOnlyList<int> rows)
    {
        var messages = new List<ReadOnlyMemory<byte>>(rows.Count);
        var buffer = new ArrayBufferWriter<byte>(256);
        foreach (var row in rows)
        {
            buffer.ResetWrittenCount();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                foreach (var (output, column) in features)
                {
                    writer.WritePropertyName(output.QualifiedName);
                    switch (ArrowCells.Read(column, row))
                    {
                        case null: writer.WriteNullValue(); break;
                        case string s: writer.WriteStringValue(s); break;
                        case bool b: writer.WriteBooleanValue(b); break;
                        case DateTime t: writer.WriteStringValue(DateTime.SpecifyKind(t, DateTimeKind.Utc)); break;
                        case double d when !double.IsFinite(d): writer.WriteStringValue(d.ToString(System.Globalization.CultureInfo.InvariantCulture)); break;
                        case float f when !float.IsFinite(f): writer.WriteStringValue(f.ToString(System.Globalization.CultureInfo.InvariantCulture)); break;
                        case var value: JsonSerializer.Serialize(writer, value, value.GetType()); break;
                    }
                }
                writer.WriteEndObject();
            }
            messages.Add(buffer.WrittenSpan.ToArray());
        }
        return messages;
    }

    private static ReadOnlyMemory<byte> ArrowIpc((StreamOutput Output, IArrowArray Column)[] features, IReadOnlyList<int> rows)
    {
        var columns = features.Select(f => (f.Output.QualifiedName, Nullable.GetUnderlyingType(f.Output.Type) ?? f.Output.Type,
            (IReadOnlyList<object?>)rows.Select(r => ArrowCells.Read(f.Column, r)).ToList())).ToList();
        var batch = ArrowColumns.Batch(columns, rows.Count);
        using var stream = new MemoryStream();
        using (var writer = new ArrowStreamWriter(stream, batch.Schema, leaveOpen: true))
        {
            writer.WriteRecordBatch(batch);
            writer.WriteEnd();
        }
        return stream.ToArray();
    }
}
