using System.Linq.Expressions;
using Apache.Arrow.Types;
using Dsl.Codegen.Compilation;
using Dsl.Codegen.Tests.Support;
using Dsl.Lowering;
using Dsl.TestSupport.Columns;

namespace Dsl.Codegen.Tests.Compilation;

[TestFixture]
public sealed class StackSpillGuardTests
{
    private static readonly DateTime s_leapDay = new(2024, 2, 29, 12, 30, 0, DateTimeKind.Utc);

    /// <summary><c>x => 1 + ((int?)x + (x > 0 ? (int?)x : throw …)).Value</c>: a throw inside the instance of <c>int?.Value</c>.</summary>
    private static Expression<Func<int, int>> ThrowInsideNullableValue()
    {
        var x = Expression.Parameter(typeof(int), "x");
        var nullableX = Expression.Convert(x, typeof(int?));
        var orThrow = Expression.Condition(Expression.GreaterThan(x, Expression.Constant(0)), nullableX,
            Expression.Throw(Expression.New(typeof(InvalidOperationException)), typeof(int?)));
        var value = Expression.Property(Expression.Add(nullableX, orThrow), nameof(Nullable<int>.Value));
        return Expression.Lambda<Func<int, int>>(Expression.Add(Expression.Constant(1), value), x);
    }

    [Test]
    public void Apply_ThrowInsideNullableValueInstance_CompilesWhereThePlainTreeDoesNot()
    {
        var ir = ThrowInsideNullableValue();
        Assert.That(() => ir.Compile(), Throws.TypeOf<NotSupportedException>().With.Message.Contains("TryExpression is not supported"),
            "the expression compiler's limit this guards against");

        var rewritten = (Func<int, int>)StackSpillGuard.Apply(ir).Compile();

        Assert.That(rewritten(5), Is.EqualTo(11));
        Assert.That(() => rewritten(0), Throws.InvalidOperationException);
    }

    [Test]
    public void Apply_TreeWithoutSpills_ReturnsTheSameTree()
    {
        Expression<Func<TimeSpan, int?, double>> plain = (t, n) => t.TotalDays + n.GetValueOrDefault();
        Assert.That(StackSpillGuard.Apply(plain), Is.SameAs(plain));
    }

    [Test]
    public void Kernel_ThrowInsideNullableValueInstance_EqualsTheDelegateRowByRow()
    {
        Func<int, int> reference = x => 1 + ((int?)x + (x > 0 ? (int?)x : throw new InvalidOperationException())).Value;
        var kernel = KernelCompiler.Compile(ThrowInsideNullableValue(), [Int32Type.Default]);
        var values = new object?[] { 1, 0, -1, null, int.MaxValue, int.MinValue, 7, 1000 };

        KernelHarness.AssertSame(KernelHarness.Reference(reference, [values], values.Length),
            KernelHarness.Run(kernel, [Int32Type.Default], [values], values.Length), "int?.Value over a throw");
    }

    /// <summary>
    /// The fuzzer's program (seed 7, program 345, shrunk): <c>p0</c> is assigned a <c>.Value</c> of a null
    /// <c>int?</c>, which lowering folds to a throw inside <c>(DateTime - DateTime).TotalDays</c>.
    /// </summary>
    [Test]
    public void Kernel_LoweredThrowInsideTimeSpanMemberAccess_CompilesAndEqualsTheDelegate()
    {
        Func<long, double> function = p0 =>
        {
            p0 = (long)(float)((int?)null)!.Value;
            return (s_leapDay - ((double)p0 < 6.5 ? s_leapDay : DateTime.UnixEpoch)).TotalDays;
        };
        var lowered = Lowerer.Lower(function);
        Assert.That(lowered.Succeeded, Is.True, () => lowered.Fallback!.ToString());
        var values = new object?[] { 0L, null, long.MaxValue, -1L };

        var kernel = KernelCompiler.Compile(lowered.Ir!, [Int64Type.Default]);

        var expected = KernelHarness.Reference(function, [values], values.Length);
        Assert.That(expected.Errors.Select(e => e.ExceptionType), Has.All.EqualTo(typeof(InvalidOperationException).FullName));
        KernelHarness.AssertSame(expected, KernelHarness.Run(kernel, [Int64Type.Default], [values], values.Length), "TimeSpan.TotalDays over a throw");
    }
}
