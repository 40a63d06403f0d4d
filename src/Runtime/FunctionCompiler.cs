using System.Linq.Expressions;
using Dsl.Lowering;

namespace Dsl.Runtime;

/// <summary>
/// The entry point: turns a C# function of one row into a <see cref="CompiledFunction"/>. The function is
/// lowered to IR and, when that succeeds, compiled to a kernel over the Arrow types its parameters naturally
/// map to; when it cannot be lowered exactly, the result runs the original delegate row by row and says why.
/// </summary>
public static class FunctionCompiler
{
    /// <summary>Compiles a delegate (a lambda or a method group) by lowering its CIL.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="function"/> is null.</exception>
    public static CompiledFunction Compile(Delegate function, CompileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        options ??= CompileOptions.Default;
        return Create(function, () => Lowerer.Lower(function, LoweringOptionsFor(options)), options, null);
    }

    /// <summary>Compiles an expression tree; its compiled form is the row-by-row fallback.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="expression"/> is null.</exception>
    public static CompiledFunction Compile(LambdaExpression expression, CompileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(expression);
        options ??= CompileOptions.Default;
        var names = expression.Parameters.Select((p, i) => p.Name ?? $"arg{i}").ToArray();
        return Create(expression.Compile(), () => Lowerer.Lower(expression, LoweringOptionsFor(options)), options, names);
    }

    private static CompiledFunction Create(Delegate original, Func<LoweringResult> lower, CompileOptions options, IReadOnlyList<string>? names)
    {
        LoweringResult lowering;
        try
        {
            lowering = lower();
        }
        catch (Exception bug) when (bug is not OutOfMemoryException)
        {
            // A lowering defect must not cost the user their feature: the delegate still runs exactly, row by row.
            return new CompiledFunction(original, null, $"lowering failed ({bug.GetType().FullName}: {bug.Message})", options, names);
        }

        if (!lowering.Succeeded) return new CompiledFunction(original, null, lowering.Fallback.ToString(), options, names);

        var function = new CompiledFunction(original, lowering.Ir, null, options, names);
        if (function.NaturalInputTypes() is not { } inputTypes) return function;
        try
        {
            function.Prepare(ExecutionMode.Compiled, inputTypes);
            return function;
        }
        catch (Exception unsupported) when (unsupported is not OutOfMemoryException)
        {
            // Codegen accepts every IR by contract; if it does not, the delegate still runs exactly, and says why.
            return new CompiledFunction(original, null, $"no kernel for this IR ({unsupported.GetType().FullName}: {unsupported.Message})", options, names);
        }
    }

    private static LoweringOptions LoweringOptionsFor(CompileOptions options) =>
        options.GasLimit is { } gas ? new LoweringOptions { GasLimit = gas } : LoweringOptions.Default;
}
