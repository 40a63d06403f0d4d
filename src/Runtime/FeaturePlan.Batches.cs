using System.Diagnostics;
using System.Runtime.CompilerServices;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using Dsl.ArrowExtensions.Ipc;
using Dsl.Runtime.Files;

namespace Dsl.Runtime;

public sealed partial class FeaturePlan
{
    /// <summary>
    /// Evaluates every feature over each batch of <paramref name="input"/> in turn (an Arrow or Parquet file, a DuckDB
    /// result, any Apache.Arrow stream). Each result belongs to the caller: dispose it before taking the next to keep
    /// memory flat. Each input batch is disposed once the next one is asked for.
    /// </summary>
    public IEnumerable<FeatureSetResult> Evaluate(IArrowArrayStream input, EvaluateOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        while (input.ReadNextRecordBatchAsync().AsTask().GetAwaiter().GetResult() is { } batch)
        {
            using (batch)
            {
                yield return Evaluate(batch, options);
            }
        }
    }

    /// <summary>
    /// Evaluates every feature over each batch of an asynchronous sequence, such as DuckDB.NET's
    /// <c>DuckDBCommand.ExecuteArrowBatchesAsync()</c>. Results belong to the caller, as for <see cref="Evaluate(IArrowArrayStream, EvaluateOptions?)"/>.
    /// </summary>
    public async IAsyncEnumerable<FeatureSetResult> EvaluateAsync(
        IAsyncEnumerable<RecordBatch> batches, EvaluateOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batches);
        await foreach (var batch in batches.WithCancellation(cancellationToken))
        {
            using (batch)
            {
                yield return Evaluate(batch, options);
            }
        }
    }

    /// <summary>
    /// Evaluates every feature over the file <paramref name="inputPath"/> (Arrow IPC file or stream, or Parquet), batch by
    /// batch, and writes the features (after the input columns named in <see cref="FileEvaluationOptions.KeepColumns"/>)
    /// to <paramref name="outputPath"/> (its format from its extension: <c>.parquet</c>, <c>.arrows</c>, else an Arrow file).
    /// Memory stays flat whatever the file's size: each batch's results are written and released before the next is read.
    /// </summary>
    /// <exception cref="ColumnBindingException">An input column is missing or of the wrong type (before any row runs).</exception>
    /// <exception cref="ArrowExtensions.ArrowFormatException">The input is malformed; the message says where.</exception>
    public FileEvaluationSummary EvaluateFile(string inputPath, string outputPath, FileEvaluationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(inputPath);
        ArgumentNullException.ThrowIfNull(outputPath);
        options ??= new FileEvaluationOptions();
        var clock = Stopwatch.StartNew();
        using var input = BatchFiles.OpenRead(inputPath, schema => ColumnsRead(schema, options));
        var keep = options.KeepColumns.Select(name => KeptColumn(input.Schema, name)).ToArray();
        BatchFileWriter? writer = null;
        long rows = 0, batches = 0;
        var errors = Features.ToDictionary(f => f.Name, _ => 0L, StringComparer.Ordinal);
        try
        {
            foreach (var result in Evaluate(input, options.Evaluate))
            {
                using (result)
                {
                    var columns = keep.Select(k => k.Array(result)).Concat(result.Output.Arrays).ToArray();
                    var schema = new Schema(keep.Select(k => k.Field).Concat(result.Output.Schema.FieldsList), null);
                    writer ??= BatchFiles.Create(outputPath, schema, compression: options.Compression);
                    writer.Write(new RecordBatch(schema, columns, result.Output.Length));
                    rows += result.Output.Length;
                    batches++;
                    foreach (var (feature, featureErrors) in result.Errors) errors[feature] += featureErrors.Count;
                    options.Progress?.Report(rows);
                }
            }
        }
        finally
        {
            writer?.Dispose();
        }

        return new FileEvaluationSummary(batches, rows, errors, clock.Elapsed);
    }

    /// <summary>
    /// The columns of <paramref name="schema"/> that evaluating this plan reads (and those to keep), so that a columnar
    /// file decodes only them; null (read all) for plans over relations or a Now column, whose key and time columns
    /// are found by their own rules.
    /// </summary>
    private HashSet<string>? ColumnsRead(Schema schema, FileEvaluationOptions options)
    {
        if (_relationInputs.Relations.Count > 0 || options.Evaluate?.NowColumn is not null) return null;
        var names = schema.FieldsList.Select(f => f.Name).ToArray();
        var read = new HashSet<string>(options.KeepColumns, StringComparer.Ordinal);
        foreach (var input in _steps.Concat(_fallbackSteps).SelectMany(step => step.Inputs))
        {
            var index = Execution.ColumnNames.IndexOf(names, input);
            if (index >= 0) read.Add(names[index]);
        }
        return read;
    }

    private static KeptInput KeptColumn(Schema schema, string name)
    {
        var index = schema.GetFieldIndex(name);
        if (index < 0)
        {
            throw new ColumnBindingException(
                $"Column '{name}' to keep is not in the input; its columns are {string.Join(", ", schema.FieldsList.Select(f => f.Name))}.",
                name, name, typeof(object), null);
        }

        return new KeptInput(schema.FieldsList[index], index);
    }

    /// <summary>An input column copied to the output; read from the batch the result was computed over.</summary>
    private sealed record KeptInput(Field Field, int Index)
    {
        public IArrowArray Array(FeatureSetResult result) => result.Input.Column(Index);
    }
}

/// <summary>Options for <see cref="FeaturePlan.EvaluateFile"/>.</summary>
public sealed record FileEvaluationOptions
{
    /// <summary>Mode, threads and morsel size for every batch.</summary>
    public EvaluateOptions? Evaluate { get; init; }

    /// <summary>Input columns written before the features (keys and timestamps, typically), by exact name.</summary>
    public IReadOnlyList<string> KeepColumns { get; init; } = [];

    /// <summary>Buffer compression when the output is Arrow IPC.</summary>
    public ArrowCompression Compression { get; init; } = ArrowCompression.None;

    /// <summary>Receives the number of rows written so far after each batch.</summary>
    public IProgress<long>? Progress { get; init; }
}

/// <summary>What <see cref="FeaturePlan.EvaluateFile"/> did: batches and rows written, row errors per feature, time taken.</summary>
public sealed record FileEvaluationSummary(long Batches, long Rows, IReadOnlyDictionary<string, long> ErrorsByFeature, TimeSpan Elapsed);
