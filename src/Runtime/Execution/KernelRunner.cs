using System.Diagnostics;
using Apache.Arrow;
using Dsl.ArrowExtensions.Memory;
using Dsl.Codegen;

namespace Dsl.Runtime.Execution;

/// <summary>
/// Runs one kernel (generated or row by row) over bound input columns: allocates the output, splits the rows
/// into morsels on the requested threads, and turns the output and the error sink into an
/// <see cref="EvaluationResult"/>. Both paths go through here, so they share the output and error handling.
/// </summary>
internal static class KernelRunner
{
    /// <summary>Evaluates <paramref name="kernel"/> over <paramref name="rowCount"/> rows of <paramref name="inputs"/> (parameter order).</summary>
    public static EvaluationResult Run(IKernel kernel, IReadOnlyList<object> inputs, int rowCount, ExecutionMode mode, int threads, int morselRows)
    {
        var clock = Stopwatch.StartNew();
        var output = OutputColumn.Create(kernel.OutputType, rowCount, everyRowWritten: true); // the morsels cover every row
        try
        {
            var errors = new RowErrorSink();
            using (var frame = new KernelFrame(inputs, output, errors))
            {
                MorselScheduler.Run(rowCount, morselRows, threads, (start, length) => kernel.Run(frame, start, length), output.JoinsRangesInRowOrder);
            }

            var memory = new NativeBlockSet();
            var values = output.ToArray(memory);
            var report = errors.Errors.Select(e => new RowError(e.Row, e.ExceptionType, e.Message)).ToArray();
            clock.Stop();
            return new EvaluationResult(values, memory, report, mode, clock.Elapsed);
        }
        finally
        {
            output.Dispose();
        }
    }
}
