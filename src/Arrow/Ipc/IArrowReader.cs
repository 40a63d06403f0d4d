namespace Dsl.Arrow.Ipc;

/// <summary>Reads record batches one after another: what <see cref="ArrowStreamReader"/> and <see cref="ArrowFileReader"/> share.</summary>
public interface IArrowReader : IDisposable
{
    /// <summary>The schema of every batch.</summary>
    /// <exception cref="ArrowFormatException">The input is not valid Arrow IPC data.</exception>
    Schema Schema { get; }

    /// <summary>The next record batch (validated; the caller disposes it), or null after the last one.</summary>
    /// <exception cref="ArrowFormatException">The input is malformed; the message says what and where.</exception>
    /// <exception cref="NotSupportedException">The input uses an Arrow feature this library does not read (compression, an unsupported type).</exception>
    RecordBatch? ReadNextRecordBatch();
}
