using System.Collections.Concurrent;
using System.Linq.Expressions;
using Apache.Arrow.Types;
using Dsl.ArrowExtensions.Types;
using Dsl.Codegen.Columns;
using Dsl.Codegen.Printing;
using Dsl.Codegen.Scalar;
using Dsl.Codegen.Vector;
using System.Runtime.Intrinsics;

namespace Dsl.Codegen.Compilation;

/// <summary>
/// Turns lowered IR into kernels: a vector kernel where the vector generator accepts the tree, otherwise the
/// row-loop kernel (which accepts every IR). Compiled kernels are cached by the IR's structural key, the input
/// column types and the options, so lowering the same function again reuses its kernel.
/// </summary>
internal static class KernelCompiler
{
    private const int CacheCapacity = 4096;
    private static readonly ConcurrentDictionary<CacheKey, Lazy<IKernel>> s_cache = new();

    /// <summary>Kernels currently cached.</summary>
    public static int CachedCount => s_cache.Count;

    /// <summary>
    /// Compiles <paramref name="ir"/> over columns of <paramref name="inputTypes"/> (one per parameter, in
    /// order). Throws <see cref="ArgumentException"/> naming the parameter and both types when a column cannot
    /// bind, and <see cref="NotSupportedException"/> when the result type has no Arrow column type.
    /// </summary>
    public static IKernel Compile(LambdaExpression ir, IReadOnlyList<IArrowType> inputTypes, KernelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(ir);
        ArgumentNullException.ThrowIfNull(inputTypes);
        options ??= KernelOptions.Default;
        CheckBindings(ir, inputTypes);
        var key = new CacheKey(StructuralKey.Of(ir), [.. inputTypes], options);
        if (s_cache.TryGetValue(key, out var cached)) return cached.Value;
        if (s_cache.Count >= CacheCapacity) s_cache.Clear();
        return s_cache.GetOrAdd(key, _ => new Lazy<IKernel>(() => Build(ir, inputTypes, options))).Value;
    }

    /// <summary>Compiles without consulting or filling the cache (to measure cold compilation).</summary>
    internal static IKernel CompileUncached(LambdaExpression ir, IReadOnlyList<IArrowType> inputTypes, KernelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(ir);
        ArgumentNullException.ThrowIfNull(inputTypes);
        CheckBindings(ir, inputTypes);
        return Build(ir, inputTypes, options ?? KernelOptions.Default);
    }

    /// <summary>
    /// A row-loop kernel that calls <paramref name="function"/> per row with typed column reads (no boxing), with
    /// the same null and error handling as compiled kernels: the runtime's fallback executor. Not cached.
    /// </summary>
    public static IKernel CompileDelegate(Delegate function, IReadOnlyList<IArrowType> inputTypes)
    {
        ArgumentNullException.ThrowIfNull(function);
        var method = function.Method;
        var parameters = method.GetParameters().Select(p => Expression.Parameter(p.ParameterType, p.Name)).ToArray();
        var call = Expression.Invoke(Expression.Constant(function), parameters);
        var ir = Expression.Lambda(call, parameters);
        CheckBindings(ir, inputTypes);
        return BuildRowLoop(ir, inputTypes);
    }

    /// <summary>The vector width used when <see cref="KernelOptions.VectorBits"/> is 0 (measured: docs/performance.md).</summary>
    internal const int DefaultVectorBits = 256;

    private static IKernel Build(LambdaExpression ir, IReadOnlyList<IArrowType> inputTypes, KernelOptions options)
    {
        var outputType = ColumnTypes.ArrowTypeOf(ir.ReturnType);
        var layouts = inputTypes.Select(ColumnTypes.LayoutOf).ToArray();
        var outputLayout = ColumnTypes.LayoutOf(outputType);
        var rowLoop = RowLoopGenerator.Generate(ir, layouts, outputLayout);
        CheckExpandedSize(rowLoop);
        var rowLoopText = KernelPrinter.Print(rowLoop);
        var scalar = rowLoop.Compile();
        if (!options.Vectorize) return new CompiledKernel(scalar, outputType, isVectorized: false, "// row loop (vectorization off)\n" + rowLoopText);
        try
        {
            var bits = options.VectorBits == 0 ? DefaultVectorBits : options.VectorBits;
            if (bits == 512 && !Vector512.IsHardwareAccelerated) bits = 256;
            var shape = new VectorShape(bits, VectorKernelGenerator.LaneBytes(ir));
            var vector = VectorKernelGenerator.Generate(ir, layouts, outputLayout, shape, scalar, options.FastMath);
            if (ExpandedSize.Of(vector) > MaxExpandedNodes) throw new NotVectorizableException("ir-too-large for a vector kernel");
            var text = KernelPrinter.Print(vector) + "\n// scalar path (tail rows and blocks with a failing lane):\n" + rowLoopText;
            return new CompiledKernel(vector.Compile(), outputType, isVectorized: true, text);
        }
        catch (NotVectorizableException reason)
        {
            return new CompiledKernel(scalar, outputType, isVectorized: false, $"// row loop (not vectorized: {reason.Message})\n" + rowLoopText);
        }
    }

    /// <summary>
    /// Most expression nodes a generated kernel may expand to (<see cref="ExpandedSize"/>). Far above real
    /// features (hundreds to a few thousand nodes); a DAG whose shared nodes may throw (and so stay in place,
    /// emitted at every use) can expand beyond it, and its method would be too large for the JIT: a
    /// 386,671-node row loop overflowed the stack on entry (fuzz seed 7). Such IR runs row by row instead.
    /// </summary>
    internal const int MaxExpandedNodes = 100_000;

    /// <summary>Throws <see cref="NotSupportedException"/> (reason <c>ir-too-large</c>) when <paramref name="kernel"/> would expand beyond <see cref="MaxExpandedNodes"/>.</summary>
    internal static void CheckExpandedSize(Expression kernel)
    {
        var size = ExpandedSize.Of(kernel);
        if (size > MaxExpandedNodes)
        {
            throw new NotSupportedException(
                $"ir-too-large: the generated code would expand to {size:N0} expression nodes (limit {MaxExpandedNodes:N0}), because shared subexpressions that may throw are emitted at each use");
        }
    }

    private static IKernel BuildRowLoop(LambdaExpression ir, IReadOnlyList<IArrowType> inputTypes)
    {
        var outputType = ColumnTypes.ArrowTypeOf(ir.ReturnType);
        var layouts = inputTypes.Select(ColumnTypes.LayoutOf).ToArray();
        var kernel = RowLoopGenerator.Generate(ir, layouts, ColumnTypes.LayoutOf(outputType));
        return new CompiledKernel(kernel.Compile(), outputType, isVectorized: false, KernelPrinter.Print(kernel));
    }

    private static void CheckBindings(LambdaExpression ir, IReadOnlyList<IArrowType> inputTypes)
    {
        if (inputTypes.Count != ir.Parameters.Count)
        {
            throw new ArgumentException($"The function has {ir.Parameters.Count} parameters but {inputTypes.Count} input column types were given.");
        }

        for (int k = 0; k < inputTypes.Count; k++)
        {
            var parameter = ir.Parameters[k];
            ColumnTypes.CheckBinding(parameter.Name ?? $"#{k}", inputTypes[k] ?? throw new ArgumentNullException(nameof(inputTypes)), parameter.Type);
        }
    }

    private sealed record CacheKey(StructuralKey Ir, IArrowType[] Inputs, KernelOptions Options)
    {
        public bool Equals(CacheKey? other) =>
            other is not null && Ir.Equals(other.Ir) && Options.Equals(other.Options) && Inputs.AsSpan().SequenceEqual(other.Inputs, ArrowTypes.Comparer);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            hash.Add(Ir);
            hash.Add(Options);
            foreach (var input in Inputs) hash.Add(input, ArrowTypes.Comparer);
            return hash.ToHashCode();
        }
    }
}
