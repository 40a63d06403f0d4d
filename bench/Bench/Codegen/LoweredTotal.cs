using System.Linq.Expressions;
using Dsl.Bench.Runtime;
using Dsl.Lowering;

namespace Dsl.Bench.Codegen;

/// <summary>
/// The reference Total resolver as the kernel benchmarks compile it: the C# method
/// (<see cref="ReferenceFeatures.Total"/>) lowered from its CIL by <see cref="Lowerer"/>, as
/// <c>FunctionCompiler</c> lowers a user's function, so the kernels measured are the ones users get.
/// </summary>
internal static class LoweredTotal
{
    /// <summary>The resolver as a delegate (what the fallback executor calls row by row).</summary>
    public static Func<double, double?, double?, bool, double> Delegate { get; } = ReferenceFeatures.Total;

    /// <summary>Lowers the resolver; throws with the reason if it does not lower (the benchmark would measure nothing real).</summary>
    public static LambdaExpression Ir()
    {
        var lowered = Lowerer.Lower(Delegate);
        return lowered.Succeeded ? lowered.Ir : throw new InvalidOperationException($"The reference Total resolver did not lower: {lowered.Fallback}");
    }
}
