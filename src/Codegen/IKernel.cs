using Apache.Arrow.Types;

namespace Dsl.Codegen;

/// <summary>
/// A compiled feature over Arrow columns: the seam between Codegen and Runtime. Produced by
/// <see cref="Compilation.KernelCompiler"/> for every IR lowering can produce.
/// </summary>
/// <remarks>
/// Invariant: for every row, the output (value or null) and the recorded error equal what the IR, compiled as a
/// scalar function and called with the row's values, returns or throws; a row with a null in a column bound to
/// a non-nullable value-type parameter is null and is not evaluated; a row that throws is null and its error is
/// recorded in <see cref="KernelFrame.Errors"/>.
/// </remarks>
internal interface IKernel
{
    /// <summary>The generated kernel as readable code, for <c>dsl inspect</c>.</summary>
    string Text { get; }

    /// <summary>The Arrow type of the output column.</summary>
    IArrowType OutputType { get; }

    /// <summary>Whether the kernel runs SIMD lanes (otherwise a compiled row loop).</summary>
    bool IsVectorized { get; }

    /// <summary>
    /// Evaluates rows [<paramref name="start"/>, <paramref name="start"/> + <paramref name="length"/>) of the
    /// frame into its output. Disjoint ranges may run concurrently when each <paramref name="start"/> is a
    /// multiple of 64.
    /// </summary>
    void Run(KernelFrame frame, int start, int length);
}
