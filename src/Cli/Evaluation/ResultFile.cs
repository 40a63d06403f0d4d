using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.ArrowExtensions.Ipc;
using Dsl.Runtime;
using Dsl.Runtime.Files;

namespace Dsl.Cli.Evaluation;

/// <summary>
/// The output of <c>dsl eval</c>: an Arrow IPC file or stream, or a Parquet file (by its extension), with exactly two
/// nullable columns, the result (named <c>result</c> or as asked) and <c>error</c> (utf8: null where the row succeeded,
/// else the exception type's full name). One output batch per input batch.
/// </summary>
internal sealed class ResultFile : IDisposable
{
    public const string ErrorColumn = "error";

    private readonly string _path;
    private readonly string _resultName;
    private readonly IArrowType _resultType;
    private readonly ArrowCompression _compression;
    private BatchFileWriter? _writer;
    private Schema? _schema;

    /// <summary>Prepares the file; a return type with no Arrow column type is bad input, found before anything runs.</summary>
    public ResultFile(string path, string resultName, Type returnType, ArrowCompression compression)
    {
        _path = path;
        _resultName = resultName;
        _compression = compression;
        try
        {
            _resultType = Codegen.Columns.ColumnTypes.ArrowTypeOf(returnType);
        }
        catch (NotSupportedException e)
        {
            throw CliException.BadInput($"the lambda returns {TypeNames.CSharpName(returnType)}, which has no Arrow column type", e);
        }
    }

    public void Write(EvaluationResult result, int rows)
    {
        using var errors = ErrorArray(result.Errors, rows);
        var writer = _writer ??= Open(result.Values.Data.DataType);
        // The batch borrows the arrays; the result and the error builder own them.
        var batch = new RecordBatch(_schema!, [result.Values, errors], rows);
        Guard(() => writer.Write(batch));
    }

    /// <summary>Ends the file; with no batches written, the schema comes from the lambda's return type.</summary>
    public void Complete()
    {
        var writer = _writer ??= Open(_resultType);
        _writer = null;
        Guard(writer.Dispose);
    }

    public void Dispose() => _writer?.Dispose();

    private BatchFileWriter Open(IArrowType resultType)
    {
        _schema = new Schema([new Field(_resultName, resultType, nullable: true), new Field(ErrorColumn, StringType.Default, nullable: true)], null);
        BatchFileWriter? writer = null;
        Guard(() => writer = BatchFiles.Create(_path, _schema, compression: _compression));
        return writer!;
    }

    private static StringArray ErrorArray(IReadOnlyList<RowError> errors, int rows)
    {
        var builder = new StringArray.Builder();
        var next = 0;
        for (var row = 0; row < rows; row++)
        {
            string? error = null;
            while (next < errors.Count && errors[next].Row <= row)
            {
                if (errors[next].Row == row) error = errors[next].ExceptionType;
                next++;
            }
            builder.Append(error);
        }
        return builder.Build();
    }

    private void Guard(Action write)
    {
        try
        {
            write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ParquetSharp.ParquetException)
        {
            throw CliException.BadInput($"cannot write output '{_path}': {e.Message}", e);
        }
    }
}
