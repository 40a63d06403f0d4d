namespace Dsl.Codegen;

/// <summary>How kernels are generated.</summary>
internal sealed record KernelOptions
{
    public static KernelOptions Default { get; } = new();

    /// <summary>
    /// Opt-in: lets vector kernels use approximate vector math (<c>Vector256.Exp</c>, <c>Log</c>, <c>Log2</c>,
    /// <c>Sin</c>, <c>Cos</c> on double) whose results may differ from <see cref="Math"/> in the last bits, so a
    /// fast-math kernel is no longer exactly the row-by-row path. Never the default: by default every result is
    /// bit-for-bit the scalar function's.
    /// </summary>
    public bool FastMath { get; init; }

    /// <summary>Whether the vector generator may be used at all (false forces the row-loop kernel).</summary>
    public bool Vectorize { get; init; } = true;

    /// <summary>
    /// Vector width of vector kernels: 256, 512 (used only when <c>Vector512.IsHardwareAccelerated</c>, else 256),
    /// or 0 for the measured default (see docs/performance.md, "Kernels").
    /// </summary>
    public int VectorBits { get; init; }
}
