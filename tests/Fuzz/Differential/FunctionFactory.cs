using Dsl.Lowering;
using Dsl.Runtime;

namespace Dsl.Fuzz.Differential;

/// <summary>
/// Turns a generated delegate into a <see cref="CompiledFunction"/> the way the product does: lower its CIL;
/// with IR, the function runs compiled kernels; without, it runs the delegate row by row and says why. A
/// lowering exception is a lowering defect, and an IR that Codegen cannot compile is a codegen defect: as in
/// Runtime's <c>FunctionCompiler</c> (which replaces this once it is on main), the function then falls back
/// with the exception as its reason, so the long mode's report counts and names it (key "lowering failed" or
/// "no kernel for this IR").
/// </summary>
internal static class FunctionFactory
{
    public static CompiledFunction Compile(Delegate function)
    {
        LoweringResult lowered;
        try
        {
            lowered = Lowerer.Lower(function);
        }
        catch (Exception bug) when (bug is not OutOfMemoryException)
        {
            return new CompiledFunction(function, null, $"lowering failed ({bug.GetType().FullName}: {bug.Message})", CompileOptions.Default);
        }
        if (!lowered.Succeeded) return new CompiledFunction(function, null, lowered.Fallback!.ToString(), CompileOptions.Default);
        var compiled = new CompiledFunction(function, lowered.Ir, null, CompileOptions.Default);
        if (compiled.NaturalInputTypes() is not { } inputTypes) return compiled;
        try
        {
            compiled.Prepare(ExecutionMode.Compiled, inputTypes);
            return compiled;
        }
        catch (Exception bug) when (bug is not OutOfMemoryException)
        {
            return new CompiledFunction(function, null, $"no kernel for this IR ({bug.GetType().FullName}: {bug.Message})", CompileOptions.Default);
        }
    }
}
