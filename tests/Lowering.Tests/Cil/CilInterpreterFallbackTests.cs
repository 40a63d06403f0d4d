using Dsl.Lowering.Tests.Support;

namespace Dsl.Lowering.Tests.Cil;

[TestFixture]
public sealed class CilInterpreterFallbackTests
{
    private static int _counter;

    private sealed class Box(int value)
    {
        public int Value { get; } = value;
    }

    private abstract class Shape
    {
        public abstract double Area(double size);
    }

    private sealed class Square : Shape
    {
        public override double Area(double size) => size * size;
    }

    private static int Factorial(int n) => n <= 1 ? 1 : n * Factorial(n - 1);

    [Test]
    public void Lower_TryCatch_FallsBackWithReason()
    {
        var reason = LoweringAssert.FallsBack((Func<int, int, int>)((a, b) =>
        {
            try
            {
                return a / b;
            }
            catch (DivideByZeroException)
            {
                return 0;
            }
        }), "try-catch");
        Assert.That(reason.Line, Is.Not.Null);
        Assert.That(reason.SourceFile, Does.EndWith("CilInterpreterFallbackTests.cs"));
    }

    [Test]
    public void Lower_DataDependentLoop_FallsBackAtTheLoopLine()
    {
        var reason = LoweringAssert.FallsBack((Func<int, int>)(n =>
        {
            var steps = 0;
            while (n > 1)
            {
                n = n % 2 == 0 ? n / 2 : 3 * n + 1;
                steps++;
            }

            return steps;
        }), "loop");
        Assert.That(reason.IlOffset, Is.Not.Null);
        Assert.That(reason.Line, Is.GreaterThan(0));
    }

    [Test]
    public void Lower_NonDeterministicCalls_FallBack()
    {
        LoweringAssert.FallsBack((Func<double, bool>)(x => DateTime.Now.Hour > x), "non-deterministic");
        LoweringAssert.FallsBack((Func<int, int>)(x => Random.Shared.Next(x)), "non-deterministic");
        LoweringAssert.FallsBack((Func<int, bool>)(x => Guid.NewGuid().GetHashCode() > x), "non-deterministic");
        LoweringAssert.FallsBack((Func<int, int>)(x => Environment.ProcessorCount + x), "non-deterministic");
    }

    [Test]
    public void Lower_SideEffectsAndState_FallBack()
    {
        LoweringAssert.FallsBack((Func<int, int>)(x =>
        {
            Console.WriteLine(x);
            return x;
        }), "io");
        LoweringAssert.FallsBack((Func<int, int>)(x => x + _counter), "static-state");
        LoweringAssert.FallsBack((Func<int, int>)(x => _counter = x), "static-state");
    }

    [Test]
    public void Lower_UserObjectsAndVirtualCalls_FallBack()
    {
        LoweringAssert.FallsBack((Func<int, int>)(x => new Box(x).Value), "allocation");
        Shape shape = new Square();
        LoweringAssert.FallsBack((Func<double, double>)(x => shape.Area(x)), "virtual-call");
    }

    [Test]
    public void Lower_Recursion_FallsBack()
    {
        LoweringAssert.FallsBack((Func<int, int>)(x => Factorial(x)), "recursion");
    }

    [Test]
    public void Lower_CapturedVariableWrite_FallsBack()
    {
        var total = 0;
        LoweringAssert.FallsBack((Func<int, int>)(x => total += x), "closure-write");
    }

    [Test]
    public void Lower_MoreNodesThanTheGasLimit_FallsBackWithGas()
    {
        Func<int, int> unrolled = x =>
        {
            var total = 0;
            for (var i = 0; i < 1000; i++) total += x * i;
            return total;
        };
        var reason = LoweringAssert.FallsBack(unrolled, "gas", new LoweringOptions { GasLimit = 500 });
        Assert.That(reason.Message, Does.Contain("500"));
        Assert.That(Lowerer.Lower(unrolled, new LoweringOptions { GasLimit = 200_000 }).Succeeded, Is.True);
    }

    [Test]
    public void Lower_VoidMethod_FallsBack()
    {
        var method = typeof(Console).GetMethod(nameof(Console.WriteLine), [typeof(int)])!;
        var result = Lowerer.Lower(method, null);
        Assert.That(result.Succeeded, Is.False);
    }
}
