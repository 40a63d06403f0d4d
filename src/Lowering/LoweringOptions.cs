using System.Reflection;

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

    /// <summary>
    /// The portable PDB image of the module that defines the function, for assemblies loaded from memory
    /// (Roslyn compilations) whose PDB is not on disk. Fallback reasons then carry file, line and column.
    /// Without it, the PDB beside the assembly file or embedded in it is used.
    /// </summary>
    public ReadOnlyMemory<byte>? PortablePdb { get; init; }

    /// <summary>The module <see cref="PortablePdb"/> belongs to; null means the lowered function's module.</summary>
    public Module? PdbModule { get; init; }
}
