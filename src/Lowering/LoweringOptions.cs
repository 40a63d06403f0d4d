namespace Dsl.Lowering;

/// <summary>Settings for lowering.</summary>
internal sealed record LoweringOptions
{
    public static LoweringOptions Default { get; } = new();

    /// <summary>
    /// The most IR nodes one function may lower to, counting unrolled loop iterations and inlined calls;
    /// past it, lowering falls back with construct <c>gas</c>.
    /// </summary>
    public int GasLimit { get; init; } = 20_000;
}
