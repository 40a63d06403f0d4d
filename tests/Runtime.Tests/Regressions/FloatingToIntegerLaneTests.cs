using Dsl.Runtime.Tests.Support;
using Dsl.TestSupport.Roslyn;

namespace Dsl.Runtime.Tests.Regressions;

/// <summary>
/// Fuzz seed 42, program 40470: a vector kernel converting float lanes to long one lane at a time (four scalar
/// conversions feeding <c>Vector256.Create</c>) was JIT-compiled on this AVX-512 machine into an instruction
/// the processor faulted on (SIGILL: the process died). Floating → integer conversions now run in the row loop.
/// </summary>
public sealed class FloatingToIntegerLaneTests
{
    [Test]
    public void Evaluate_FloatToLongInAVectorizableFunction_EqualsRowByRow()
    {
        const string source = "(float? p0, int? p1) => ((((((bool?)null) | (p1 > 13)) | (!((bool?)false))) ^ (((long)((double)p0.GetValueOrDefault())) is 1L or 2L)) ?? false)";
        var lambda = (Func<float?, int?, bool>)CSharpLambda.Compile("Func<float?, int?, bool>", source, optimize: true).Function;
        var function = FunctionCompiler.Compile(lambda);
        Assert.That(function.Mode, Is.EqualTo(ExecutionMode.Compiled), function.FallbackReason);

        float?[] floats = [1.5f, 2f, null, float.NaN, 1e30f, -1e30f, 0f, -0f, 2.9f, float.PositiveInfinity, 1f];
        var rows = Enumerable.Range(0, 64).Select(i => new object?[] { floats[i % floats.Length], i % 5 == 0 ? null : i }).ToList();
        using var batch = Batches.FromRows([("p0", typeof(float?)), ("p1", typeof(int?))], rows);
        using var compiled = function.Evaluate(batch);
        using var rowByRow = function.Evaluate(batch, new EvaluateOptions { Mode = EvaluationMode.Fallback });

        Assert.That(Batches.Values(compiled.Values, typeof(bool)), Is.EqualTo(Batches.Values(rowByRow.Values, typeof(bool))));
    }
}
