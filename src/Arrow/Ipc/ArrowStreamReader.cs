namespace Dsl.Arrow.Ipc;

/// <summary>
/// Reads the Arrow IPC stream format: a Schema message, then dictionary and record batch messages, until the
/// end-of-stream marker or the end of the input.
/// </summary>
/// <remarks>
/// Each batch's body is read into one 64-byte aligned native buffer and its arrays are slices of it. Every batch
/// is validated when read (see <see cref="ArrowFormatException"/>), so its arrays can be trusted by kernels.
/// Batches stay valid after the reader is disposed; dispose them when done.
/// </remarks>
public sealed class ArrowStreamReader : IArrowReader
{
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly StreamMessageReader _messages;
    private BatchDecoder? _decoder;
    private bool _ended;

    /// <summary>Reads from <paramref name="stream"/>, which is closed with the reader unless <paramref name="leaveOpen"/>.</summary>
    public ArrowStreamReader(Stream stream, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _leaveOpen = leaveOpen;
        _messages = new StreamMessageReader(stream);
    }

    /// <inheritdoc />
    public Schema Schema => Decoder.Schema;

    private BatchDecoder Decoder
    {
        get
        {
            if (_decoder is null)
            {
                var message = _messages.ReadMessage()
                    ?? throw new ArrowFormatException("Arrow stream: the input ends before the schema message (it is empty or starts with an end-of-stream marker).");
                ReadBodyAndDiscard(message);
                _decoder = BatchDecoder.FromSchemaMessage(message);
            }

            return _decoder;
        }
    }

    /// <inheritdoc />
    public RecordBatch? ReadNextRecordBatch()
    {
        var decoder = Decoder;
        while (!_ended)
        {
            var message = _messages.ReadMessage();
            if (message is null)
            {
                _ended = true;
                break;
            }

            using var body = _messages.ReadBody(message);
            switch (message.Kind)
            {
                case MessageHeaderKind.DictionaryBatch:
                    decoder.ReadDictionary(message, body.ToArrowBuffer());
                    break;
                case MessageHeaderKind.RecordBatch:
                    return decoder.ReadRecordBatch(message, body.ToArrowBuffer());
                default:
                    throw new ArrowFormatException($"{message.Where}: unexpected {message.Kind} message after the schema.");
            }
        }

        return null;
    }

    /// <summary>Releases the dictionaries and closes the stream unless it was left open; batches read stay valid.</summary>
    public void Dispose()
    {
        _decoder?.Dispose();
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    private void ReadBodyAndDiscard(IpcMessage message)
    {
        if (message.BodyLength > 0)
        {
            _messages.ReadBody(message).Dispose();
        }
    }
}
