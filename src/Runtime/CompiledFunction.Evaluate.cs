using System.Collections.Concurrent;
using System.Linq.Expressions;
using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.ArrowExtensions;
using Dsl.ArrowExtensions.Types;
using Dsl.Codegen;
using Dsl.Codegen.Columns;
using Dsl.Codegen.Compilation;
using Dsl.Runtime.Execution;

namespace Dsl.Runtime;

public sealed partial class CompiledFunction
{
    private readonly ConcurrentDictionary<KernelKey, IKernel> _kernels = new();

    /// <summary>
    /// Evaluates the function on every row of <paramref name="batch"/>. Columns are bound and type-checked before
    /// any row runs; rows are split into morsels run on <see cref="EvaluateOptions.Threads"/> threads, and the
    /// result does not depend on the thread count or morsel size.
    /// </summary>
    /// <exception cref="ColumnBindingException">A parameter's column is missing, ambiguous or of another type.</exception>
    /// <exception cref="ArrowValidationException">A bound column is malformed; nothing was read from it.</exception>
    /// <exception cref="FunctionNotCompiledException"><see cref="EvaluationMode.Compiled"/> was requested but the function fell back.</exception>
    /// <exception cref="NotSupportedException">The return type has no Arrow column type results can be written as.</exception>
    public EvaluationResult Evaluate(RecordBatch batch, EvaluateOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(batch);
        options ??= EvaluateOptions.Default;
        var mode = ModeFor(options.Mode);
        var inputs = ColumnBinder.Bind(Parameters, options.Bindings, batch);
        var kernel = KernelFor(mode, inputs.Select(i => i.Data.DataType).ToArray());
        return KernelRunner.Run(kernel, inputs, batch.Length, mode,
            MorselScheduler.ThreadCount(options.Threads), MorselScheduler.MorselRows(options.MorselSize));
    }

    /// <summary>The path a request takes: compiled when asked for (refused on fallback) or automatic and available.</summary>
    internal ExecutionMode ModeFor(EvaluationMode requested) => requested switch
    {
        EvaluationMode.Fallback => ExecutionMode.Fallback,
        EvaluationMode.Compiled when _ir is null => throw new FunctionNotCompiledException(FallbackReason!),
        _ => Mode,
    };

    /// <summary>The kernel for <paramref name="mode"/> over columns of <paramref name="inputTypes"/>, compiled once per type list.</summary>
    internal IKernel KernelFor(ExecutionMode mode, IArrowType[] inputTypes) =>
        _kernels.GetOrAdd(new KernelKey(mode, inputTypes), key => key.Mode == ExecutionMode.Compiled
            ? KernelCompiler.Compile(_ir!, key.InputTypes, KernelOptionsFor(Options))
            : KernelCompiler.Compile(FallbackIr(), key.InputTypes, RowByRow));

    private static readonly KernelOptions RowByRow = new() { Vectorize = false };

    /// <summary>
    /// The fallback as IR: one call of the original delegate with the row's arguments. Compiled by the row-loop
    /// generator, it reads columns and writes results exactly as a generated kernel does, so both paths apply the
    /// same null rule and report errors identically. (The delegate constant keys the kernel cache by identity.)
    /// </summary>
    private LambdaExpression FallbackIr()
    {
        var parameters = Parameters.Select(p => Expression.Parameter(p.Type, p.Name)).ToArray();
        var call = Expression.Invoke(Expression.Constant(Original), parameters);
        return Expression.Lambda(call, "fallback", parameters);
    }

    /// <summary>The Arrow types the parameters map to, or null when one has no Arrow counterpart (online use only).</summary>
    internal IArrowType[]? NaturalInputTypes()
    {
        try
        {
            return Parameters.Select(p => ColumnTypes.ArrowTypeOf(p.Type)).ToArray();
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>Compiles (or finds) the kernel for these input types ahead of the first evaluation.</summary>
    internal IKernel Prepare(ExecutionMode mode, IArrowType[] inputTypes) => KernelFor(mode, inputTypes);

    internal static KernelOptions KernelOptionsFor(CompileOptions options) => new() { FastMath = options.FastMath };

    private sealed record KernelKey(ExecutionMode Mode, IArrowType[] InputTypes)
    {
        public bool Equals(KernelKey? other) => other is not null && Mode == other.Mode && ArrowTypes.Lists.Equals(InputTypes, other.InputTypes);

        public override int GetHashCode() => HashCode.Combine(Mode, ArrowTypes.Lists.GetHashCode(InputTypes));
    }
}
