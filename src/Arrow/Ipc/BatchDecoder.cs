using Apache.Arrow;

namespace Dsl.ArrowExtensions.Ipc;

/// <summary>
/// Turns decoded messages and their bodies into validated record batches and dictionaries for one schema; shared by
/// the file and stream formats.
/// </summary>
internal sealed class BatchDecoder
{
    private readonly DictionaryMemo _dictionaries;

    public BatchDecoder(Schema schema, IReadOnlyList<DictionaryField> dictionaryFields, string where)
    {
        Schema = schema;
        _dictionaries = new DictionaryMemo(dictionaryFields, where);
    }

    public Schema Schema { get; }

    /// <summary>Decodes the schema of a Schema message.</summary>
    public static BatchDecoder FromSchemaMessage(IpcMessage message)
    {
        message.Expect(MessageHeaderKind.Schema);
        var (schema, dictionaries) = SchemaReader.Read(message.Header, message.MetadataLength);
        return new BatchDecoder(schema, dictionaries, message.Where);
    }

    /// <summary>A validated record batch whose arrays point into <paramref name="body"/> (or into decompressed copies).</summary>
    public RecordBatch ReadRecordBatch(IpcMessage message, ReadOnlyMemory<byte> body)
    {
        message.Expect(MessageHeaderKind.RecordBatch);
        var header = RecordBatchHeader.Decode(message.Header, message.Where);
        var columns = ArrayLoader.Load(Schema.FieldsList, header, body, _dictionaries, message.Where);
        return new RecordBatch(Schema, columns.Select(ArrowArrayFactory.BuildArray), (int)header.Length);
    }

    /// <summary>Reads a DictionaryBatch message into the dictionary memo.</summary>
    public void ReadDictionary(IpcMessage message, ReadOnlyMemory<byte> body)
    {
        message.Expect(MessageHeaderKind.DictionaryBatch);
        var id = message.Header.GetInt64(0, 0);
        var data = message.Header.GetTable(1, "data")
            ?? throw new ArrowFormatException($"{message.Where}: dictionary batch {id} has no data.");
        if (message.Header.GetBool(2, false))
        {
            throw new NotSupportedException($"{message.Where}: dictionary batch {id} is a delta; delta dictionaries are not supported.");
        }

        var field = _dictionaries.FieldOf(id, message.Where);
        var header = RecordBatchHeader.Decode(data, message.Where);
        var valueField = new Field(field.Path, field.Type.ValueType, nullable: true);
        var columns = ArrayLoader.Load([valueField], header, body, _dictionaries, $"{message.Where} (dictionary {id})");
        _dictionaries.Set(id, columns[0]);
    }
}
