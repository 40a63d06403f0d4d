using Apache.Arrow;
using Dsl.Runtime.Tests.Support;
using Dsl.TestSupport.Roslyn;

namespace Dsl.Runtime.Tests.Regressions;

/// <summary>
/// A generated resolver (fuzz seed 7) whose lowered IR shares many subexpressions that may throw. Those stay
/// in place, so the expression compiler emits them at every use: the row loop expanded to 386,671 nodes and
/// its compiled method overflowed the stack on entry, killing the process. It must fall back instead.
/// </summary>
public sealed class ExpandedSizeLimitTests
{
    [Test]
    public void Compile_IrExpandingBeyondTheKernelLimit_FallsBackAndEvaluatesRowByRow()
    {
        var source = File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "Regressions", "DeepThrowingSharing.cs.txt"));
        var lambda = (Func<double?, double?>)CSharpLambda.Compile("Func<double?, double?>", source, optimize: true).Function;

        var function = FunctionCompiler.Compile(lambda);

        Assert.That(function.Mode, Is.EqualTo(ExecutionMode.Fallback));
        Assert.That(function.FallbackReason, Does.Contain("ir-too-large"));
        double?[] inputs = [null, 0.0, 1.0, -1.0, 3.5, 47.0, 62.0, 1e300, double.NaN, double.PositiveInfinity, -0.0];
        using var batch = Batches.FromRows([("p0", typeof(double?))], inputs.Select(v => new object?[] { v }).ToList());
        using var result = function.Evaluate(batch);
        for (int row = 0; row < inputs.Length; row++)
        {
            Exception? expectedError = null;
            double? expected = null;
            try { expected = lambda(inputs[row]); } catch (Exception e) { expectedError = e; }
            var error = result.Errors.FirstOrDefault(e => e.Row == row);
            Assert.That(error?.ExceptionType, Is.EqualTo(expectedError?.GetType().FullName), $"row {row}");
            if (expectedError is null) Assert.That(Batches.Value(result.Values, row, typeof(double?)), Is.EqualTo(expected), $"row {row}");
        }
    }
}
