using Dsl.Runtime;

namespace Dsl;

/// <summary>
/// What became of one computed feature: compiled to a kernel, or falling back to running its function row
/// by row, and why (the construct and, when known, the source line).
/// </summary>
public sealed record FeatureVerdict(string Feature, FeatureKind Kind, ExecutionMode Mode, string? Reason, CompiledFunction Function)
{
    /// <summary>True when the feature runs as a compiled kernel.</summary>
    public bool IsCompiled => Mode == ExecutionMode.Compiled;
}
