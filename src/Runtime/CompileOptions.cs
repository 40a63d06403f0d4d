namespace Dsl.Runtime;

/// <summary>Settings for <see cref="FunctionCompiler"/>.</summary>
public sealed record CompileOptions
{
    /// <summary>The defaults: exact math, lowering's default gas limit.</summary>
    public static CompileOptions Default { get; } = new();

    /// <summary>
    /// The most IR nodes one function may lower to (counting unrolled loop iterations and inlined calls);
    /// past it the function falls back. Null keeps lowering's default.
    /// </summary>
    public int? GasLimit { get; init; }

    /// <summary>
    /// Opt-in: allow vectorized math approximations whose bits may differ from <see cref="Math"/>.
    /// Off by default, when every compiled result equals the row-by-row result exactly.
    /// </summary>
    public bool FastMath { get; init; }
}
