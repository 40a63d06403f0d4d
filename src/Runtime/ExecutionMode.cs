namespace Dsl.Runtime;

/// <summary>How a function's rows were (or will be) computed.</summary>
public enum ExecutionMode
{
    /// <summary>Through a kernel generated from the lowered IR.</summary>
    Compiled,

    /// <summary>By calling the original delegate once per row.</summary>
    Fallback,
}
