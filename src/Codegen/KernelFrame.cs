using Apache.Arrow;
using Dsl.Codegen.Columns;

namespace Dsl.Codegen;

/// <summary>
/// What one kernel evaluation works on: the bound input columns (validated native views), the output being
/// written and the sink of row errors. One frame per batch; ranges of it may run concurrently. Disposing the frame
/// unpins the inputs' buffers (kernels read the caller's memory in place, pinned for the frame's lifetime).
/// </summary>
internal sealed class KernelFrame : IDisposable
{
    private readonly ColumnPins? _pins;

    /// <summary>
    /// Binds Apache.Arrow input arrays (already validated by the caller: see <c>ArrowValidator</c>), pinning their
    /// buffers and checking their lengths against the output's.
    /// </summary>
    public KernelFrame(IReadOnlyList<IArrowArray> inputs, OutputColumn output, RowErrorSink errors)
        : this(Bind([.. inputs], out var pins), output, errors)
    {
        Inputs = inputs;
        _pins = pins;
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

    /// <summary>Unpins the input buffers.</summary>
    public void Dispose() => _pins?.Dispose();

    /// <summary>Binds inputs that are Apache.Arrow arrays or in-memory <see cref="ObjectColumn"/>s (a relation's rows per parent).</summary>
    public KernelFrame(IReadOnlyList<object> inputs, OutputColumn output, RowErrorSink errors)
        : this(Bind(inputs, out var pins), output, errors)
    {
        Inputs = inputs.OfType<IArrowArray>().ToArray();
        _pins = pins;
    }

    private static ColumnView[] Bind(IReadOnlyList<object> inputs, out ColumnPins pins)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        pins = new ColumnPins();
        try
        {
            var views = new ColumnView[inputs.Count];
            for (int k = 0; k < views.Length; k++)
            {
                views[k] = inputs[k] switch
                {
                    IArrowArray array => ArrowColumns.View(array, pins),
                    ObjectColumn objects => ColumnView.ForObjects(objects),
                    var other => throw new ArgumentException($"Input {k} is a {other?.GetType().Name ?? "null"}, not an Arrow array or an object column."),
                };
            }

            return views;
        }
        catch
        {
            pins.Dispose();
            throw;
        }
    }
}
