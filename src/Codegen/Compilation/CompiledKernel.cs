using Apache.Arrow.Types;
using Dsl.ArrowExtensions.Types;
using Dsl.Codegen.Scalar;

namespace Dsl.Codegen.Compilation;

/// <summary>An <see cref="IKernel"/> over a compiled <see cref="KernelBody"/>; checks the range it is asked to run.</summary>
internal sealed class CompiledKernel(KernelBody body, IArrowType outputType, bool isVectorized, string text) : IKernel
{
    public string Text { get; } = text;

    public IArrowType OutputType { get; } = outputType;

    public bool IsVectorized { get; } = isVectorized;

    public void Run(KernelFrame frame, int start, int length)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (start < 0 || length < 0 || start > frame.RowCount - length)
        {
            throw new ArgumentOutOfRangeException(nameof(start), $"Rows [{start}, {start}+{length}) are outside the frame's {frame.RowCount} rows.");
        }

        if (!ArrowTypes.Comparer.Equals(frame.Output.Type, OutputType))
        {
            throw new ArgumentException($"The frame's output is {ArrowTypes.Describe(frame.Output.Type)}, but this kernel writes {ArrowTypes.Describe(OutputType)}.", nameof(frame));
        }

        if (length > 0) body(frame, start, start + length);
    }
}
