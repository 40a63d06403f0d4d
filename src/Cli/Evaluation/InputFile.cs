using Apache.Arrow;
using Apache.Arrow.Ipc;
using Dsl.ArrowExtensions;
using Dsl.Runtime.Files;

namespace Dsl.Cli.Evaluation;

/// <summary>An Arrow IPC file or stream, or a Parquet file, being read; any failure to read it is bad input naming the file.</summary>
internal sealed class InputFile : IDisposable
{
    private readonly string _path;
    private readonly IArrowArrayStream _reader;

    private InputFile(string path, IArrowArrayStream reader)
    {
        _path = path;
        _reader = reader;
    }

    public static InputFile Open(string path)
    {
        try
        {
            return new InputFile(path, BatchFiles.OpenRead(path));
        }
        catch (Exception e) when (IsReadFailure(e))
        {
            throw CliException.BadInput($"cannot read input '{path}': {e.Message}", e);
        }
    }

    public Schema Schema => _reader.Schema;

    public IEnumerable<RecordBatch> Batches()
    {
        while (true)
        {
            RecordBatch? batch;
            try
            {
                batch = _reader.ReadNextRecordBatchAsync().AsTask().GetAwaiter().GetResult();
            }
            catch (Exception e) when (IsReadFailure(e))
            {
                throw CliException.BadInput($"cannot read input '{_path}': {e.Message}", e);
            }
            if (batch is null) yield break;
            yield return batch;
        }
    }

    public void Dispose() => _reader.Dispose();

    /// <summary>Whether <paramref name="e"/> is a failure to read the input (as opposed to a bug): bad input, exit code 2.</summary>
    internal static bool IsReadFailure(Exception e) =>
        e is IOException or UnauthorizedAccessException or ArrowFormatException or InvalidDataException or NotSupportedException
            or EndOfStreamException or ArgumentException or OverflowException or IndexOutOfRangeException or ParquetSharp.ParquetException;
}
