using Dsl.Runtime;

namespace Dsl.Fuzz.Differential;

/// <summary>
/// Turns a generated delegate into a <see cref="CompiledFunction"/>. This is the one place that knows how the
/// product compiles a delegate: today CIL lowering is not on main, so every delegate gets the row-by-row
/// function (with that reason); when <c>Lowerer.Lower(Delegate)</c> lands, its IR goes here and the runner
/// compares the compiled path with the fallback path for every program that lowers.
/// </summary>
internal static class FunctionFactory
{
    public const string NoLowering = "CIL lowering of delegates is not on main yet";

    public static CompiledFunction Compile(Delegate function) =>
        new(function, ir: null, fallbackReason: NoLowering, CompileOptions.Default);
}
