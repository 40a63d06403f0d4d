using System.Linq.Expressions;
using Dsl.Runtime.Tests.Support;
using Dsl.TestSupport;

namespace Dsl.Runtime.Tests;

public sealed class FunctionCompilerTests
{
    private static double Total(double subtotal, double? discount, double? taxRate, bool taxable)
    {
        if (discount is not null)
            subtotal = Math.Max(subtotal - discount.Value, 0.0);
        if (!taxable || taxRate is null)
            return subtotal;
        return subtotal * (1.0 + taxRate.Value);
    }

    private static int Guarded(int a, int b)
    {
        try
        {
            return a / b;
        }
        catch (DivideByZeroException)
        {
            return -1;
        }
    }

    [Test]
    public void Compile_ReferenceResolver_CompilesWithIrAndKernel()
    {
        var function = FunctionCompiler.Compile((Func<double, double?, double?, bool, double>)Total);

        Assert.That(function.Mode, Is.EqualTo(ExecutionMode.Compiled), function.FallbackReason);
        Assert.That(function.FallbackReason, Is.Null);
        Assert.That(function.Parameters.Select(p => (p.Name, p.Type)), Is.EqualTo(new[]
        {
            ("subtotal", typeof(double)), ("discount", typeof(double?)), ("taxRate", typeof(double?)), ("taxable", typeof(bool)),
        }));
        Assert.That(function.ReturnType, Is.EqualTo(typeof(double)));
        Assert.That(function.IrText, Does.Contain("subtotal"));
        Assert.That(function.KernelText, Is.Not.Empty);
    }

    [Test]
    public void Compile_ThrowFoldedInsideValueTypeMemberAccess_CompilesAndEveryPathThrowsLikeTheDelegate()
    {
        // Found by the fuzzer: lowering folds ((int?)null).Value to a throw inside (DateTime - DateTime).TotalDays,
        // which the expression compiler refuses unless the instance is evaluated into a local first.
        var day = new DateTime(2024, 2, 29, 0, 0, 0, DateTimeKind.Utc);
        Func<long, double> function = p0 =>
        {
            p0 = (long)(float)((int?)null)!.Value;
            return (day - ((double)p0 < 6.5 ? day : DateTime.UnixEpoch)).TotalDays;
        };
        var compiled = FunctionCompiler.Compile(function);
        using var batch = Batches.FromRows([("p0", typeof(long))], [[1L], [null], [long.MinValue]]);
        using var result = compiled.Evaluate(batch);

        Assert.That(compiled.Mode, Is.EqualTo(ExecutionMode.Compiled), compiled.FallbackReason);
        Assert.That(result.Errors.Select(e => (e.Row, e.ExceptionType)), Is.EqualTo(new[] { (0, "System.InvalidOperationException"), (2, "System.InvalidOperationException") }));
        Assert.That(() => compiled.Invoke(1L), Throws.InvalidOperationException);
        Assert.That(() => compiled.AsDelegate<Func<long, double>>()(1L), Throws.InvalidOperationException);
    }

    [Test]
    public void Compile_ReferenceResolver_BatchOnlineAndDelegateAgree()
    {
        Func<double, double?, double?, bool, double> total = Total;
        var function = FunctionCompiler.Compile(total);
        var rows = Enumerable.Range(0, 300).Select(i => new object?[]
        {
            i % 13 == 0 ? null : i * 7.5 - 100, i % 3 == 0 ? null : (i % 7) * 40.0, i % 5 == 0 ? null : i % 4 * 0.05, i % 10 < 7,
        }).ToArray();
        using var batch = Batches.FromRows([("subtotal", typeof(double)), ("discount", typeof(double)), ("taxRate", typeof(double)), ("taxable", typeof(bool))], rows);
        using var compiled = function.Evaluate(batch, new EvaluateOptions { Mode = EvaluationMode.Compiled, Threads = 2, MorselSize = 64 });
        using var fallback = function.Evaluate(batch, new EvaluateOptions { Mode = EvaluationMode.Fallback, Threads = 1 });
        var typed = function.AsDelegate<Func<double, double?, double?, bool, double>>();

        for (var i = 0; i < rows.Length; i++)
        {
            object? expected = rows[i][0] is null ? null : total((double)rows[i][0]!, (double?)rows[i][1], (double?)rows[i][2], (bool)rows[i][3]!);
            Assert.That(ExactComparer.AreEqual(expected, Batches.Value(compiled.Values, i, typeof(double))), Is.True, $"compiled row {i}");
            Assert.That(ExactComparer.AreEqual(expected, Batches.Value(fallback.Values, i, typeof(double))), Is.True, $"fallback row {i}");
            Assert.That(ExactComparer.AreEqual(expected, function.Invoke(rows[i])), Is.True, $"Invoke row {i}");
            if (expected is not null)
                Assert.That(ExactComparer.AreEqual(expected, typed((double)rows[i][0]!, (double?)rows[i][1], (double?)rows[i][2], (bool)rows[i][3]!)), Is.True, $"typed row {i}");
        }
    }

    [Test]
    public void Compile_UnsupportedConstruct_FallsBackWithAReasonAndStillEvaluates()
    {
        var function = FunctionCompiler.Compile((Func<int, int, int>)Guarded);

        Assert.That(function.Mode, Is.EqualTo(ExecutionMode.Fallback));
        Assert.That(function.FallbackReason, Is.Not.Empty);
        Assert.That(function.IrText, Is.Null);
        Assert.That(function.KernelText, Is.Null);
        using var batch = Batches.FromRows([("a", typeof(int)), ("b", typeof(int))], [[6, 3], [1, 0], [null, 1]]);
        using var result = function.Evaluate(batch);
        Assert.That(result.Mode, Is.EqualTo(ExecutionMode.Fallback));
        Assert.That(Batches.Values(result.Values, typeof(int)), Is.EqualTo(new object?[] { 2, -1, null }));
        Assert.That(() => function.Evaluate(batch, new EvaluateOptions { Mode = EvaluationMode.Compiled }),
            Throws.TypeOf<FunctionNotCompiledException>().With.Property(nameof(FunctionNotCompiledException.Reason)).EqualTo(function.FallbackReason));
    }

    [Test]
    public void Compile_ExpressionTree_KeepsItsParameterNames()
    {
        Expression<Func<long, long?, long>> sum = (left, right) => left + (right ?? 0);
        var function = FunctionCompiler.Compile(sum);
        Assert.That(function.Parameters.Select(p => p.Name), Is.EqualTo(new[] { "left", "right" }));
        Assert.That(function.Invoke(2L, null), Is.EqualTo(2L));
    }

    [Test]
    public void Compile_GasLimitTooSmall_FallsBack()
    {
        var function = FunctionCompiler.Compile((Func<double, double?, double?, bool, double>)Total, new CompileOptions { GasLimit = 1 });
        Assert.That(function.Mode, Is.EqualTo(ExecutionMode.Fallback));
    }
}
