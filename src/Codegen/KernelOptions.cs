namespace Dsl.Codegen;

/// <summary>How kernels are generated.</summary>
internal sealed record KernelOptions
{
    public static KernelOptions Default { get; } = new();

    /// <summary>
    /// Opt-in: lets vector kernels use approximate vector math (<c>Vector256.Exp</c>, <c>Log</c>, …) whose
    /// results may differ from <see cref="Math"/> in the last bits. Never the default: by default every result is
    /// bit-for-bit the scalar function's.
    /// </summary>
    public bool FastMath { get; init; }

    /// <summary>Whether the vector generator may be used at all (false forces the row-loop kernel).</summary>
    public bool Vectorize { get; init; } = true;

    /// <summary>Whether vector kernels may use 512-bit vectors when the hardware accelerates them.</summary>
    public bool AllowVector512 { get; init; } = true;
}
