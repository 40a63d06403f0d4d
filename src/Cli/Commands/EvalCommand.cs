using System.CommandLine;
using System.Globalization;
using Apache.Arrow;
using Dsl.ArrowExtensions.Ipc;
using Dsl.Cli.Evaluation;
using Dsl.Cli.FeatureSets;
using Dsl.Runtime;

namespace Dsl.Cli.Commands;

/// <summary>
/// <c>dsl eval (-e SOURCE | -f PATH) --input IN --output OUT [--mode auto|compiled|fallback]
/// [--bind PARAM=COLUMN]... [--threads N] [--name NAME] [--compression none|lz4|zstd]</c>: evaluates the lambda over
/// every row of an Arrow IPC (file or stream, compressed or not) or Parquet input and writes the two-column result
/// (<c>result</c> or NAME, and <c>error</c>) as Arrow IPC or Parquet, told by the output's extension.
/// <c>dsl eval --assembly PATH --feature-set NAME --input IN --output OUT [--related RELATION=FILE]... [--now TIME |
/// --now-column COLUMN]</c> evaluates a feature set instead (see <see cref="FeatureSetEvaluation"/>).
/// </summary>
/// <remarks>
/// Prints one line, <c>mode=&lt;compiled|fallback&gt; rows=&lt;n&gt; errors=&lt;n&gt; ms=&lt;t&gt;</c>, where
/// <c>ms</c> is the evaluation alone. Bad input exits 2 before anything runs; <c>--mode compiled</c> on
/// a lambda that cannot be lowered exits 3 with the reason.
/// </remarks>
internal static class EvalCommand
{
    public static Command Create()
    {
        var lambda = new LambdaOptions();
        var input = new Option<FileInfo>("--input") { Description = "Arrow IPC file or stream, or Parquet file, to read", HelpName = "IN", Required = true };
        var output = new Option<FileInfo>("--output") { Description = "File to write, the result and error columns: .parquet, .arrows (IPC stream) or else an Arrow IPC file", HelpName = "OUT", Required = true };
        var compression = new Option<string>("--compression") { Description = "Compression of an Arrow IPC output", DefaultValueFactory = _ => "none" };
        compression.AcceptOnlyFromAmong("none", "lz4", "zstd");
        var mode = new Option<string>("--mode") { Description = "auto: compiled when possible; compiled: fail (exit 3) if not; fallback: row by row", DefaultValueFactory = _ => "auto" };
        mode.AcceptOnlyFromAmong("auto", "compiled", "fallback");
        var bind = new Option<string[]>("--bind") { Description = "Bind a parameter to a column of another name", HelpName = "PARAM=COLUMN" };
        var threads = new Option<int?>("--threads") { Description = "Threads to evaluate with (default: all cores)", HelpName = "N" };
        var name = new Option<string>("--name") { Description = "Name of the result column", HelpName = "NAME", DefaultValueFactory = _ => "result" };
        var assembly = new Option<FileInfo>("--assembly") { Description = "Evaluate a feature set of this compiled assembly (.dll) instead of a lambda", HelpName = "PATH" };
        var featureSet = new Option<string>("--feature-set") { Description = "The feature set to evaluate (full or class name); with --assembly", HelpName = "NAME" };
        var related = new Option<string[]>("--related") { Description = "The rows of a relation, from an Arrow IPC or Parquet file (repeatable)", HelpName = "RELATION=FILE" };
        var now = new Option<string>("--now") { Description = "The time the features are computed for, ISO 8601 (2026-01-01T00:00:00Z)", HelpName = "TIME" };
        var nowColumn = new Option<string>("--now-column") { Description = "A timestamp column of the input giving each row its own time", HelpName = "COLUMN" };

        var command = new Command("eval", "Evaluate a C# lambda over an Arrow IPC or Parquet file; write results and per-row errors.");
        lambda.AddTo(command);
        foreach (var option in new Option[] { input, output, mode, bind, threads, name, compression, assembly, featureSet, related, now, nowColumn }) command.Add(option);
        command.SetAction(parsed => parsed.GetValue(assembly) is { } path
            ? RunFeatureSet(parsed, lambda, path, parsed.GetValue(featureSet),
                lambdaOnly: parsed.GetResult(bind) is not null || parsed.GetResult(name) is { Implicit: false }, new FeatureSetEvalRequest(
                null!,
                parsed.GetRequiredValue(input),
                parsed.GetRequiredValue(output),
                ParseMode(parsed.GetValue(mode)),
                parsed.GetValue(threads),
                ParseCompression(parsed.GetValue(compression)),
                parsed.GetValue(related) ?? [],
                parsed.GetValue(now),
                parsed.GetValue(nowColumn)))
            : Run(new EvalRequest(
            lambda,
            parsed,
            parsed.GetRequiredValue(input),
            parsed.GetRequiredValue(output),
            ParseMode(parsed.GetValue(mode)),
            ParseBindings(parsed.GetValue(bind) ?? []),
            parsed.GetValue(threads),
            parsed.GetValue(name) ?? "result",
            ParseCompression(parsed.GetValue(compression)),
            FeatureSetOnly: new Option[] { featureSet, related, now, nowColumn }.FirstOrDefault(o => parsed.GetResult(o) is not null)?.Name)));
        return command;
    }

    private static ArrowCompression ParseCompression(string? compression) =>
        compression switch { "lz4" => ArrowCompression.Lz4, "zstd" => ArrowCompression.Zstd, _ => ArrowCompression.None };

    /// <summary>The feature-set form: no lambda, no --bind or --name (each feature binds its own inputs and names its column).</summary>
    private static int RunFeatureSet(ParseResult parsed, LambdaOptions lambda, FileInfo assembly, string? featureSet, bool lambdaOnly, FeatureSetEvalRequest request)
    {
        if (parsed.GetValue(lambda.Source) is not null || parsed.GetValue(lambda.File) is not null)
            throw CliException.BadInput("give either a lambda (-e or -f) or --assembly with --feature-set, not both");
        if (lambdaOnly)
            throw CliException.BadInput("--bind and --name apply to a lambda; a feature set binds and names its features itself");
        if (featureSet is null) throw CliException.BadInput("--assembly needs --feature-set NAME");
        if (request.Threads is < 1) throw CliException.BadInput($"--threads must be at least 1, got {request.Threads}");
        return FeatureSetEvaluation.Run(request with { Features = FeatureAssembly.Load(assembly).Compile(featureSet) });
    }

    private sealed record EvalRequest(
        LambdaOptions Lambda, ParseResult Parsed, FileInfo Input, FileInfo Output, EvaluationMode Mode,
        IReadOnlyDictionary<string, string> Bindings, int? Threads, string ResultName, ArrowCompression Compression, string? FeatureSetOnly);

    private static int Run(EvalRequest request)
    {
        if (request.FeatureSetOnly is { } option) throw CliException.BadInput($"{option} applies to a feature set: give --assembly PATH --feature-set NAME");
        if (request.Threads is < 1) throw CliException.BadInput($"--threads must be at least 1, got {request.Threads}");
        if (request.ResultName.Length == 0 || request.ResultName == ResultFile.ErrorColumn)
            throw CliException.BadInput($"--name must be non-empty and not '{ResultFile.ErrorColumn}'");

        var lambda = request.Lambda.Compile(request.Parsed);
        using var input = InputFile.Open(request.Input.FullName);
        using var results = new ResultFile(request.Output.FullName, request.ResultName, lambda.ReturnType, request.Compression);
        var function = FunctionCompiler.Compile(lambda.Function);
        var options = new EvaluateOptions { Bindings = request.Bindings, Mode = request.Mode, Threads = request.Threads };

        var rows = 0L;
        var errors = 0L;
        var elapsed = TimeSpan.Zero;
        var mode = request.Mode == EvaluationMode.Fallback ? ExecutionMode.Fallback : function.Mode;
        var first = true;
        foreach (var batch in input.Batches())
        {
            using (batch)
            {
                if (first)
                {
                    CheckBindings(function, batch, options);
                    if (request.Mode == EvaluationMode.Compiled && function.Mode != ExecutionMode.Compiled)
                        throw new CliException(ExitCodes.NotCompiled, $"the lambda cannot be compiled: {lambda.Describe(function.FallbackReason)}");
                    first = false;
                }
                using var result = EvaluateBatch(function, batch, options, request.Input.FullName);
                results.Write(result, batch.Length);
                rows += batch.Length;
                errors += result.Errors.Count;
                elapsed += result.Elapsed;
                mode = result.Mode;
            }
        }
        if (first && request.Mode == EvaluationMode.Compiled && function.Mode != ExecutionMode.Compiled)
            throw new CliException(ExitCodes.NotCompiled, $"the lambda cannot be compiled: {lambda.Describe(function.FallbackReason)}");
        results.Complete();

        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"mode={InspectCommand.ModeName(mode)} rows={rows} errors={errors} ms={elapsed.TotalMilliseconds:0.###}"));
        return ExitCodes.Success;
    }

    /// <summary>Evaluates one batch; a malformed batch (it fails validation before any row runs) is bad input naming the file.</summary>
    private static EvaluationResult EvaluateBatch(CompiledFunction function, RecordBatch batch, EvaluateOptions options, string path)
    {
        try
        {
            return function.Evaluate(batch, options);
        }
        catch (ArrowExtensions.ArrowFormatException e)
        {
            throw CliException.BadInput($"cannot read input '{path}': {e.Message}", e);
        }
    }

    /// <summary>Binds on an empty slice first, so a bad binding is reported as bad input before anything runs.</summary>
    private static void CheckBindings(CompiledFunction function, RecordBatch batch, EvaluateOptions options)
    {
        try
        {
            var empty = batch.Slice(0, 0); // shares the batch's buffers without a reference of its own: not disposed
            using var _ = function.Evaluate(empty, options with { Mode = EvaluationMode.Fallback });
        }
        catch (ColumnBindingException e)
        {
            throw CliException.BadInput(e.Message, e);
        }
    }

    private static EvaluationMode ParseMode(string? mode) => mode switch
    {
        "compiled" => EvaluationMode.Compiled,
        "fallback" => EvaluationMode.Fallback,
        _ => EvaluationMode.Auto,
    };

    private static Dictionary<string, string> ParseBindings(string[] bindings)
    {
        var parsed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var binding in bindings)
        {
            var equals = binding.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || equals == binding.Length - 1)
                throw CliException.BadInput($"--bind expects PARAM=COLUMN, got '{binding}'");
            var parameter = binding[..equals];
            if (!parsed.TryAdd(parameter, binding[(equals + 1)..]))
                throw CliException.BadInput($"--bind names parameter '{parameter}' twice");
        }
        return parsed;
    }
}
