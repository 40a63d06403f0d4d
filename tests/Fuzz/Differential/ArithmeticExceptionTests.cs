using NUnit.Framework;

namespace Dsl.Fuzz.Differential;

/// <summary>
/// Integer arithmetic whose exceptions a simplification could drop — <c>0 % x</c>, <c>0 / x</c>, <c>x * 0</c> over a
/// failing operand, <c>MinValue / -1</c>, checked arithmetic — in straight code, in shared conditionals and under
/// branches, each checked through every path (<see cref="DifferentialRunner"/>) on rows mixing 0, -1, the extremes
/// and random values, enough of them for whole vector blocks.
/// </summary>
[TestFixture]
public sealed class ArithmeticExceptionTests
{
    private static readonly long[] s_edges = [0, -1, 1, long.MinValue, long.MaxValue, int.MinValue, int.MaxValue, 2, -2];

    private static IEnumerable<TestCaseData> Functions()
    {
        yield return Case("0L % x", (Func<long, long, long>)((x, y) => 0L % x));
        yield return Case("0L / x", (Func<long, long, long>)((x, y) => 0L / x));
        yield return Case("0 % (int)x", (Func<long, long, long>)((x, y) => 0 % (int)x));
        yield return Case("0L % x lifted", (Func<long?, long, long?>)((x, y) => 0L % x));
        yield return Case("(x / y) % 1", (Func<long, long, long>)((x, y) => (x / y) % 1));
        yield return Case("(x / y) * 0", (Func<long, long, long>)((x, y) => (x / y) * 0));
        yield return Case("(x % y) & 0", (Func<long, long, long>)((x, y) => (x % y) & 0));
        yield return Case("x / y == x / y", (Func<long, long, bool>)((x, y) => x / y == x / y));
        yield return Case("MinValue / x", (Func<long, long, long>)((x, y) => long.MinValue / x));
        yield return Case("int MinValue % x", (Func<long, long, int>)((x, y) => int.MinValue % (int)x));
        yield return Case("x / -1", (Func<long, long, long>)((x, y) => x / -1L + (int)y / -1));
        yield return Case("x % -1", (Func<long, long, long>)((x, y) => x % -1L + (int)y % -1));
        yield return Case("checked 0 * (x / y)", (Func<long, long, long>)((x, y) => checked(0L * (x / y))));
        yield return Case("checked x * 2", (Func<long, long, long>)((x, y) => checked(x * 2L + y)));
        yield return Case("checked -x", (Func<long, long, long>)((x, y) => checked(-x - (int)y)));
        yield return Case("same arms", (Func<long, long, long>)((x, y) => y / x > 0 ? 1L : 1L));
        yield return Case("shared conditional", (Func<long, long, double>)((x, y) =>
        {
            double s = x % x != 0 ? 1.0 : y;
            return y > -3 ? (y < 4 ? 2.0 : s) : s;
        }));
        yield return Case("nested if", (Func<long, long, double>)((x, y) =>
        {
            if (y is > -3 and < 4)
            {
            }
            else
            {
                if ((0L % x) is 0L) return 0.0;
            }
            return y;
        }));
    }

    private static TestCaseData Case(string name, Delegate function) => new TestCaseData(function).SetArgDisplayNames(name);

    [TestCaseSource(nameof(Functions))]
    public void Function_AllEdgeAndRandomRows_AgreesOnEveryPath(Delegate function)
    {
        for (int seed = 0; seed < 5; seed++)
        {
            var random = new Random(seed);
            long Value() => random.Next(3) == 0 ? random.NextInt64(-10, 10) : s_edges[random.Next(s_edges.Length)];
            var rows = Enumerable.Range(0, 96).Select(_ => new object?[] { Value(), Value() }).ToArray();
            Assert.That(DifferentialRunner.Check(function, rows), Is.Null, $"seed {seed}");
        }
    }
}
