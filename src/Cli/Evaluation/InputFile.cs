using Dsl.Arrow;
using Dsl.Arrow.Ipc;

namespace Dsl.Cli.Evaluation;

/// <summary>An Arrow IPC file or stream being read; any failure to read it is bad input naming the file.</summary>
internal sealed class InputFile : IDisposable
{
    private readonly string _path;
    private readonly IArrowReader _reader;

    private InputFile(string path, IArrowReader reader)
    {
        _path = path;
        _reader = reader;
    }

    public static InputFile Open(string path)
    {
        try
        {
            return new InputFile(path, ArrowIpc.Open(path));
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
                batch = _reader.ReadNextRecordBatch();
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

    private static bool IsReadFailure(Exception e) =>
        e is IOException or UnauthorizedAccessException or ArrowFormatException or InvalidDataException or NotSupportedException
            or EndOfStreamException or ArgumentException or OverflowException or IndexOutOfRangeException;
}
