using System.Linq.Expressions;
using Apache.Arrow.Types;
using Dsl.ArrowExtensions.Types;
using Dsl.Codegen;
using Dsl.Codegen.Columns;
using Dsl.Codegen.Compilation;

namespace Dsl.Runtime.Execution;

/// <summary>
/// One column a feature plan computes: a feature (through its function, or through its IR rewritten to read
/// shared subexpressions) or a hidden shared subexpression. <see cref="Inputs"/> name, per kernel parameter, the
/// batch column or earlier step it reads.
/// </summary>
internal sealed class PlanStep
{
    private readonly Func<IArrowType[], IKernel> _compile;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<IArrowType[], IKernel> _kernels = new(ArrowTypes.Lists);
    private readonly Lock _gate = new();

    private PlanStep(string name, int featureIndex, IReadOnlyList<FunctionParameter> parameters, IReadOnlyList<string> inputs,
        Type returnType, ExecutionMode mode, Func<IArrowType[], IKernel> compile)
    {
        Name = name;
        FeatureIndex = featureIndex;
        Parameters = parameters;
        Inputs = inputs;
        ReturnType = returnType;
        OutputType = ColumnTypes.ArrowTypeOf(returnType);
        Mode = mode;
        _compile = compile;
    }

    /// <summary>The output column's name (a feature's, or <c>$sharedN</c>).</summary>
    public string Name { get; }

    /// <summary>The feature's index in definition order, or -1 for a hidden step.</summary>
    public int FeatureIndex { get; }

    public bool IsHidden => FeatureIndex < 0;

    /// <summary>The kernel's parameters, in order.</summary>
    public IReadOnlyList<FunctionParameter> Parameters { get; }

    /// <summary>Per parameter, the name of the input it reads (already resolved against the plan's features).</summary>
    public IReadOnlyList<string> Inputs { get; }

    public Type ReturnType { get; }

    public IArrowType OutputType { get; }

    public ExecutionMode Mode { get; }

    /// <summary>The step's kernel for these input column types (compiled once per type list; found again without a lock).</summary>
    public IKernel KernelFor(IArrowType[] inputTypes)
    {
        if (_kernels.TryGetValue(inputTypes, out var kernel)) return kernel;
        lock (_gate)
        {
            return _kernels.TryGetValue(inputTypes, out kernel) ? kernel : _kernels[inputTypes] = _compile(inputTypes);
        }
    }

    /// <summary>A feature computed by its function on the given path.</summary>
    public static PlanStep ForFunction(string name, int featureIndex, CompiledFunction function, IReadOnlyList<string> inputs, ExecutionMode mode) =>
        new(name, featureIndex, function.Parameters, inputs, function.ReturnType, mode, types => function.KernelFor(mode, types));

    /// <summary>A compiled step from IR (a rewritten feature, or a hidden shared subexpression when <paramref name="featureIndex"/> is -1).</summary>
    public static PlanStep ForIr(string name, int featureIndex, LambdaExpression ir, IReadOnlyList<string> inputs, CompileOptions options) =>
        new(name, featureIndex, ir.Parameters.Select(p => new FunctionParameter(p.Name ?? name, p.Type)).ToArray(), inputs,
            ir.ReturnType, ExecutionMode.Compiled, types => KernelCompiler.Compile(ir, types, CompiledFunction.KernelOptionsFor(options)));
}
