using Dsl.Arrow.Types;

namespace Dsl.Arrow.Ipc;

/// <summary>
/// Writes the Arrow IPC stream format: the schema, then for each batch the dictionaries it needs (when new or
/// changed) and the batch; <see cref="WriteEnd"/> writes the end-of-stream marker.
/// </summary>
/// <remarks>
/// Buffers are written straight from the arrays' memory; sliced arrays are rebased (bitmaps shifted to bit 0,
/// offsets starting at 0) so the output holds only the rows of the slice. Body buffers are 8-byte aligned and the
/// metadata version is V5, as readers of the Arrow format require. <see cref="Dispose"/> does not write the end
/// marker: call <see cref="WriteEnd"/> when the data is complete.
/// </remarks>
public class ArrowStreamWriter : IDisposable
{
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly Dictionary<long, (int Length, byte[] Bytes)> _writtenDictionaries = [];
    private bool _started;
    private bool _ended;

    /// <summary>Writes batches of <paramref name="schema"/> to <paramref name="stream"/>, closed with the writer unless <paramref name="leaveOpen"/>.</summary>
    public ArrowStreamWriter(Stream stream, Schema schema, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(schema);
        _stream = stream;
        _leaveOpen = leaveOpen;
        Schema = schema;
        DictionaryFields = SchemaWriter.DictionaryIds(schema);
    }

    /// <summary>The schema every batch must have.</summary>
    public Schema Schema { get; }

    internal IReadOnlyList<DictionaryField> DictionaryFields { get; }

    /// <summary>Bytes written so far (file offsets of the blocks).</summary>
    private protected long Position { get; private set; }

    private protected Stream Stream => _stream;

    /// <summary>Writes <paramref name="batch"/> (and its dictionaries when they are new or changed).</summary>
    /// <exception cref="ArgumentException">The batch's schema differs from <see cref="Schema"/>.</exception>
    /// <exception cref="InvalidOperationException"><see cref="WriteEnd"/> was called.</exception>
    public void WriteRecordBatch(RecordBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (_ended)
        {
            throw new InvalidOperationException("The Arrow writer was ended; no more batches can be written.");
        }

        CheckSchema(batch.Schema);
        Start();
        var columns = batch.Arrays.Select(array => array.Data).ToList();
        WriteDictionaries(columns);
        var body = BatchBody.Of(columns);
        WriteMessage(MessageSerializer.RecordBatch(batch.Length, body), body, MessageHeaderKind.RecordBatch);
    }

    /// <summary>Writes the schema if nothing was written yet, then the end of the stream (or file). Idempotent.</summary>
    public void WriteEnd()
    {
        if (_ended)
        {
            return;
        }

        Start();
        _ended = true;
        OnEnd();
        _stream.Flush();
    }

    /// <summary>Closes the stream unless it was left open; does not write the end marker.</summary>
    public void Dispose()
    {
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Writes what precedes the first message (the file magic).</summary>
    private protected virtual void OnStart()
    {
    }

    /// <summary>Records a message written at <paramref name="block"/>.</summary>
    private protected virtual void OnMessage(MessageHeaderKind kind, FileBlock block)
    {
    }

    /// <summary>Writes what follows the last message.</summary>
    private protected virtual void OnEnd() => MessageSerializer.WriteEndOfStream(Stream);

    private protected void Advance(long bytes) => Position += bytes;

    private void Start()
    {
        if (_started)
        {
            return;
        }

        _started = true;
        OnStart();
        WriteMessage(MessageSerializer.Schema(Schema, DictionaryFields), null, MessageHeaderKind.Schema);
    }

    private void WriteMessage(byte[] metadata, BatchBody? body, MessageHeaderKind kind)
    {
        var start = Position;
        var metadataLength = MessageSerializer.Write(_stream, metadata, body);
        var bodyLength = body?.Length ?? 0;
        Position += metadataLength + bodyLength;
        OnMessage(kind, new FileBlock(start, metadataLength, bodyLength));
    }

    private void WriteDictionaries(List<ArrayData> columns)
    {
        if (DictionaryFields.Count == 0)
        {
            return;
        }

        var dictionaries = new Dictionary<Field, ArrayData>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < columns.Count; i++)
        {
            CollectDictionaries(Schema.FieldsList[i], columns[i], dictionaries);
        }

        foreach (var field in DictionaryFields)
        {
            var values = dictionaries[field.Field];
            var body = BatchBody.Of([values]);
            using var bytes = new MemoryStream();
            body.WriteTo(bytes);
            var content = (values.Length, bytes.ToArray());
            if (_writtenDictionaries.TryGetValue(field.Id, out var previous)
                && previous.Length == content.Length && previous.Bytes.AsSpan().SequenceEqual(content.Item2))
            {
                continue;
            }

            var isReplacement = _writtenDictionaries.ContainsKey(field.Id);
            if (isReplacement && !AllowsDictionaryReplacement)
            {
                throw new NotSupportedException($"Field {field.Path}: the Arrow file format allows one dictionary per field, but this batch has a different dictionary than an earlier one. Use the stream format, or unify the dictionaries.");
            }

            _writtenDictionaries[field.Id] = content;
            WriteMessage(MessageSerializer.DictionaryBatch(field.Id, values.Length, body, isDelta: false), body, MessageHeaderKind.DictionaryBatch);
        }
    }

    /// <summary>Whether a changed dictionary may be sent again (the stream format allows it, the file format does not).</summary>
    private protected virtual bool AllowsDictionaryReplacement => true;

    private static void CollectDictionaries(Field field, ArrayData data, Dictionary<Field, ArrayData> result)
    {
        switch (field.DataType)
        {
            case DictionaryType:
                result[field] = data.Dictionary ?? throw new ArgumentException($"Dictionary-encoded column '{field.Name}' has no dictionary.");
                break;
            case NestedType nested:
                for (var i = 0; i < nested.Fields.Count; i++)
                {
                    CollectDictionaries(nested.Fields[i], data.Children[i], result);
                }

                break;
        }
    }

    private void CheckSchema(Schema schema)
    {
        if (ReferenceEquals(schema, Schema))
        {
            return;
        }

        if (schema.FieldCount != Schema.FieldCount)
        {
            throw new ArgumentException($"The batch has {schema.FieldCount} columns; the writer's schema has {Schema.FieldCount}.", nameof(schema));
        }

        for (var i = 0; i < schema.FieldCount; i++)
        {
            if (!schema.FieldsList[i].DataType.Equals(Schema.FieldsList[i].DataType))
            {
                throw new ArgumentException($"Column {i} ('{schema.FieldsList[i].Name}') is {schema.FieldsList[i].DataType}; the writer's schema says {Schema.FieldsList[i].DataType}.", nameof(schema));
            }
        }
    }
}
