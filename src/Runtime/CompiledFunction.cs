using System.Linq.Expressions;
using Dsl.Lowering.Ir;
using Dsl.Runtime.Execution;

namespace Dsl.Runtime;

/// <summary>
/// A C# function of one row, ready to run over record batches (<see cref="Evaluate"/>) and over single rows
/// (<see cref="Invoke"/>, <see cref="AsDelegate{TDelegate}"/>). When the function lowered, both paths run
/// code generated from the same IR; otherwise both call the original delegate. Either way the answers,
/// nulls and row errors are those of the original function.
/// </summary>
/// <remarks>Thread-safe: one instance may evaluate many batches concurrently.</remarks>
public sealed partial class CompiledFunction
{
    private readonly LambdaExpression? _ir;
    private readonly Lazy<Func<object?[], object?>> _untyped;
    private readonly Lazy<string> _irText;
    private readonly Type[] _acceptedTypes;

    /// <param name="original">The delegate the fallback path calls.</param>
    /// <param name="ir">The lowered IR, or null on fallback.</param>
    /// <param name="fallbackReason">Why there is no IR, or null.</param>
    /// <param name="options">The compile options.</param>
    /// <param name="parameterNames">
    /// The parameters' names when neither the IR nor the delegate's method has them (a compiled expression tree's
    /// method does not).
    /// </param>
    internal CompiledFunction(Delegate original, LambdaExpression? ir, string? fallbackReason, CompileOptions options,
        IReadOnlyList<string>? parameterNames = null)
    {
        ArgumentNullException.ThrowIfNull(original);
        if ((ir is null) == (fallbackReason is null))
            throw new ArgumentException("A function has either an IR or a fallback reason.", nameof(ir));
        Original = original;
        _ir = ir;
        Options = options;
        FallbackReason = fallbackReason;
        var invoke = original.GetType().GetMethod("Invoke")!;
        var types = invoke.GetParameters();
        // The delegate type's own names are arg1, arg2...; the user's names are on the IR and on the target method
        // (after a closed-over first argument, if any).
        var declared = original.Method.GetParameters();
        var methodNames = declared.Skip(declared.Length - types.Length).Select(p => p.Name).ToArray();
        Parameters = types.Select((p, i) => new FunctionParameter(
            ir?.Parameters[i].Name ?? parameterNames?[i] ?? methodNames[i] ?? $"arg{i}", p.ParameterType)).ToArray();
        ReturnType = invoke.ReturnType;
        _acceptedTypes = OnlineInvoker.AcceptedTypes(Parameters);
        _irText = new(() => IrPrinter.Print(ir!));
        _untyped = new(() => ir is null ? OnlineInvoker.CompileUntyped(original) : OnlineInvoker.CompileUntyped(ir));
    }

    /// <summary><see cref="ExecutionMode.Compiled"/> when the function lowered to IR, else <see cref="ExecutionMode.Fallback"/>.</summary>
    public ExecutionMode Mode => _ir is null ? ExecutionMode.Fallback : ExecutionMode.Compiled;

    /// <summary>Why the function runs row by row (with the source line when known); null when it compiled.</summary>
    public string? FallbackReason { get; }

    /// <summary>The function's parameters in order; each binds to a column of the evaluated batch.</summary>
    public IReadOnlyList<FunctionParameter> Parameters { get; }

    /// <summary>The function's CLR return type; results come back as the matching nullable Arrow type.</summary>
    public Type ReturnType { get; }

    /// <summary>
    /// The generated kernel over the Arrow types the parameters map to, as readable code; null on fallback or when a
    /// parameter type has no Arrow column type.
    /// </summary>
    public string? KernelText =>
        _ir is null || NaturalInputTypes() is not { } types ? null : KernelFor(ExecutionMode.Compiled, types).Text;

    /// <summary>The IR as C#-like text (shared nodes printed once as <c>let</c>); null on fallback.</summary>
    public string? IrText => _ir is null ? null : _irText.Value;

    /// <summary>The options the function was compiled with.</summary>
    public CompileOptions Options { get; }

    /// <summary>The original delegate, which the fallback path calls row by row.</summary>
    internal Delegate Original { get; }

    /// <summary>The lowered IR, or null on fallback.</summary>
    internal LambdaExpression? Ir => _ir;
}
