namespace Dsl.Runtime;

/// <summary>Which path <see cref="CompiledFunction.Evaluate"/> must take.</summary>
public enum EvaluationMode
{
    /// <summary>The compiled kernel when the function lowered, otherwise the row-by-row fallback.</summary>
    Auto,

    /// <summary>
    /// The compiled kernel only; a function that fell back is refused with a
    /// <see cref="FunctionNotCompiledException"/> carrying the reason.
    /// </summary>
    Compiled,

    /// <summary>Always the original delegate, row by row, even when a kernel exists.</summary>
    Fallback,
}
