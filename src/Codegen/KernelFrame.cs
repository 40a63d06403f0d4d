using Dsl.Arrow;
using Dsl.Codegen.Columns;

namespace Dsl.Codegen;

/// <summary>
/// What one kernel evaluation works on: the bound input columns (validated native views), the output being
/// written and the sink of row errors. One frame per batch; ranges of it may run concurrently.
/// </summary>
internal sealed class KernelFrame
{
    /// <summary>Binds Arrow input arrays, checking their lengths against the output's.</summary>
    public KernelFrame(IReadOnlyList<IArrowArray> inputs, OutputColumn output, RowErrorSink errors)
        : this(Bind(inputs), output, errors)
    {
        Inputs = inputs;
    }

    /// <summary>Builds a frame over already-validated views.</summary>
    internal KernelFrame(ColumnView[] views, OutputColumn output, RowErrorSink errors)
    {
        ArgumentNullException.ThrowIfNull(views);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        for (int k = 0; k < views.Length; k++)
        {
            if (views[k].Length < output.Length)
            {
                throw new ArgumentException($"Input {k} has {views[k].Length} rows, fewer than the {output.Length} rows of the output.");
            }
        }

        Views = views;
        Output = output;
        Errors = errors;
        Inputs = [];
    }

    /// <summary>The bound Arrow arrays (empty when the frame was built from views).</summary>
    public IReadOnlyList<IArrowArray> Inputs { get; }

    /// <summary>One validated view per kernel parameter, in parameter order.</summary>
    public ColumnView[] Views { get; }

    public OutputColumn Output { get; }

    public RowErrorSink Errors { get; }

    /// <summary>Rows in the batch (the output's length).</summary>
    public int RowCount => Output.Length;

    private static ColumnView[] Bind(IReadOnlyList<IArrowArray> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var views = new ColumnView[inputs.Count];
        for (int k = 0; k < views.Length; k++) views[k] = ArrowColumns.View(inputs[k]);
        return views;
    }
}
