using Dsl.Arrow;
using Dsl.Arrow.Ipc;
using Dsl.Arrow.Types;
using Dsl.Runtime;

namespace Dsl.Cli.Evaluation;

/// <summary>
/// The output of <c>dsl eval</c>: an Arrow IPC file with exactly two nullable columns, the result (named
/// <c>result</c> or as asked) and <c>error</c> (utf8: null where the row succeeded, else the exception
/// type's full name). One output batch per input batch.
/// </summary>
internal sealed class ResultFile : IDisposable
{
    public const string ErrorColumn = "error";

    private readonly string _path;
    private readonly string _resultName;
    private readonly IArrowType _resultType;
    private FileStream? _stream;
    private ArrowFileWriter? _writer;

    /// <summary>Prepares the file; a return type with no Arrow column type is bad input, found before anything runs.</summary>
    public ResultFile(string path, string resultName, Type returnType)
    {
        _path = path;
        _resultName = resultName;
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
        var writer = _writer ??= Open(result.Values.DataType);
        // The batch borrows the arrays; the result and the error builder own them.
        var batch = new RecordBatch(writer.Schema, [result.Values, errors], rows);
        Guard(() => writer.WriteRecordBatch(batch));
    }

    /// <summary>Ends the file; with no batches written, the schema comes from the lambda's return type.</summary>
    public void Complete()
    {
        var writer = _writer ??= Open(_resultType);
        Guard(writer.WriteEnd);
    }

    public void Dispose()
    {
        _writer?.Dispose();
        _stream?.Dispose();
    }

    private ArrowFileWriter Open(IArrowType resultType)
    {
        var schema = new Schema([new Field(_resultName, resultType, nullable: true), new Field(ErrorColumn, StringType.Default, nullable: true)]);
        Guard(() => _stream = new FileStream(_path, FileMode.Create, FileAccess.Write));
        return new ArrowFileWriter(_stream!, schema, leaveOpen: true);
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
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CliException.BadInput($"cannot write output '{_path}': {e.Message}", e);
        }
    }
}
