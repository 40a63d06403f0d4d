using NUnit.Framework;

namespace Dsl.Fuzz.Differential;

/// <summary>
/// Every mismatch the fuzzer found, as its shrunk lambda and the row that showed it. Each is checked through
/// every path (<see cref="DifferentialRunner"/>), so a fix in one path that breaks the agreement fails here.
/// Found by <c>dotnet run --project tests/Fuzz -- --programs 5000 --seed 42</c> on 2026-11-21 (see
/// <see cref="Dsl.TestSupport.OutputRepresentation"/> for the two output-type limits they exposed).
/// </summary>
[TestFixture]
public sealed class RegressionTests
{
    private static readonly DateTime LeapDay = new(2024, 2, 29, 12, 30, 0, DateTimeKind.Utc);

    [Test]
    public void AddDays_PastYear2262_FailsWithOverflowOnEveryPath()
    {
        Func<int, double, DateTime> function = (int p0, double p1) => LeapDay.AddDays(p1);

        Assert.That(DifferentialRunner.Check(function, [0, 483493.2155917172], [1, 1.5]), Is.Null);
    }

    [Test]
    public void AddHours_PastYear2262_FailsWithOverflowOnEveryPath()
    {
        Func<double, DateTime> function = (double p0) => DateTime.UnixEpoch.AddHours((int)p0);

        Assert.That(DifferentialRunner.Check(function, [4958585.747000036], [-3.0]), Is.Null);
    }

    [Test]
    public void GetValueOrDefault_DefaultDateTime_FailsWithOverflowOnEveryPath()
    {
        Func<DateTime?, DateTime> function = (DateTime? p0) => ((DateTime?)null).GetValueOrDefault();

        Assert.That(DifferentialRunner.Check(function, [null], [LeapDay]), Is.Null);
    }

    [Test]
    public void Substring_SplittingASurrogatePair_WritesReplacementCharacterOnEveryPath()
    {
        Func<string, int?, float?, long, string> prefix = (string p0, int? p1, float? p2, long p3) => p0.Substring(0, (int)p3);
        Func<int?, string, string> suffix = (int? p1, string p2) => p2.Substring(Math.Min(p1.GetValueOrDefault(), p2.Length));

        Assert.That(DifferentialRunner.Check(prefix, ["\uD83D\uDE42", -18, null, -9223372036854775807L], ["ab", 1, 1f, 1L]), Is.Null);
        Assert.That(DifferentialRunner.Check(suffix, [1, "\uD83D\uDE42"], [28, "abc"]), Is.Null);
    }

    /// <summary>
    /// Found by the 100,000-program run (seed 42): <c>0.0 / 0.0</c> computed at run time is a NaN with the sign
    /// bit set, but the JIT folded the delegate's copy differently, so <c>double.IsNegative</c> of the negated
    /// NaN answered differently in the kernel and in the delegate. The call must fall back (nan-sign).
    /// </summary>
    [Test]
    public void IsNegative_OfAComputedNaN_FallsBackOnEveryPath()
    {
        Func<int, int> function = (int p0) =>
        {
            for (int i6 = 0; i6 < 1; i6++)
            {
                if (double.IsNegative(0.0 + (-(0.0 / (double)i6)))) return 0;
            }

            return "ABC".IndexOf('.');
        };

        var compiled = Dsl.Runtime.FunctionCompiler.Compile(function);

        Assert.That(compiled.FallbackReason, Does.Contain("nan-sign"));
        Assert.That(DifferentialRunner.Check(function, [83], [0]), Is.Null);
    }

    /// <summary>
    /// Found by the seed-42 long run: an <c>if</c> whose two ways give the same value was lowered without its test,
    /// so the test's exception (a checked conversion of +Infinity, a division by zero) was lost.
    /// </summary>
    [Test]
    public void If_WithEqualOutcomesAndAThrowingTest_StillThrowsOnEveryPath()
    {
        Func<DateTime?, double?> checkedConversion = (DateTime? p0) =>
        {
            double v0 = Math.Max(double.NegativeInfinity, double.NegativeInfinity) / (-0.0);
            if (checked((long)v0 - (-1L)) < 0L) v0 *= v0;
            return (double?)v0;
        };
        Func<double?, double> division = (double? p1) =>
        {
            if (0L >= ((long)((double?)null).GetValueOrDefault()) / 0L)
            {
            }
            else
            {
                return new double[] { 3.0 }.Length > 0 ? new double[] { 3.0 }[0] : 0.0;
            }
            return Math.Floor(new double[] { 3.0 }.Length > 0 ? new double[] { 3.0 }[0] : 0.0);
        };

        Assert.That(DifferentialRunner.Check(checkedConversion, [new DateTime(1949, 3, 30, 6, 20, 42, DateTimeKind.Utc)], [null]), Is.Null);
        Assert.That(DifferentialRunner.Check(division, [-97.5], [null]), Is.Null);
    }
    /// <summary>
    /// Found by the seed-42 long run (41,000 programs): the optimizing JIT folds <c>Math.Max(double.NaN, x)</c> to NaN
    /// and drops <c>x</c>'s IndexOutOfRangeException (dotnet/runtime#133718), so the optimized delegate returned null
    /// where a kernel threw. The call must fall back (jit-nan-minmax). In a debug build the delegate throws, so the
    /// fallback reason is asserted too: the mismatch itself shows only when the test assembly is optimized.
    /// </summary>
    [Test]
    public void MaxOfNaNConstant_AndAThrowingArgument_FallsBackOnEveryPath()
    {
        Func<int, int?> function = (int p1) =>
        {
            double? v4 = ((double?)Math.Max(double.NaN, (new double[] { 3.0 })[p1]));
            return ((int?)null);
        };

        // The 100,000-program run found the same program with NaN / (double)p1, which the JIT folds to NaN first.
        Func<int, int?> folded = (int p1) =>
        {
            double? v4 = ((double?)Math.Max((double.NaN / ((double)p1)), (new double[] { 3.0 })[p1]));
            return ((int?)null);
        };

        Assert.That(Dsl.Runtime.FunctionCompiler.Compile(function).FallbackReason, Does.Contain("jit-nan-minmax"));
        Assert.That(Dsl.Runtime.FunctionCompiler.Compile(folded).FallbackReason, Does.Contain("jit-nan-minmax"));
        Assert.That(DifferentialRunner.Check(function, [469764945], [0]), Is.Null);
        Assert.That(DifferentialRunner.Check(folded, [469764945], [0]), Is.Null);
    }
    /// <summary>
    /// Found by the 100,000-program run (seed 42): a foreach whose body reads another element, <c>p0[(int)x1]</c>,
    /// only to compute a value that is not used, was lowered to a fold without that read, so its
    /// IndexOutOfRangeException ((int)+Infinity saturates to int.MaxValue) was lost. Such a loop must fall back.
    /// </summary>
    [Test]
    public void ForeachReadingAComputedIndex_ThrowsOnEveryPath()
    {
        Func<double[], int?, int?, int?> function = (double[] p0, int? p1, int? p2) =>
        {
            foreach (var x1 in p0)
            {
                p2 = (double.IsFinite(p0[((int)x1)]) ? p1 : p1);
            }
            return ((int?)null);
        };

        Assert.That(DifferentialRunner.Check(function, [new[] { double.PositiveInfinity, -75.875, -38.875 }, null, null], [new[] { 0.0 }, 1, 2]), Is.Null);
    }
    /// <summary>
    /// Found by the seed-7 run (10,000 programs): <c>0L % p0</c> with <c>p0 = 0</c>, tested in an <c>if</c> nested in
    /// the other arm of an <c>if</c> on another column. The compiled kernel returned the value the test gives when the
    /// remainder is 0 where the function throws DivideByZeroException.
    /// </summary>
    [Test]
    public void RemainderOfZeroByAZeroColumn_InANestedIf_ThrowsOnEveryPath()
    {
        Func<long, double, double> function = (long p0, double p1) =>
        {
            if (p1 is > -3.5 and < 4.5)
            {
            }
            else
            {
                if ((0L % p0) is 0L) return 0.0;
            }
            return p1;
        };

        // Enough rows for whole vector blocks, the failing row among rows that do not fail.
        object?[][] rows = [.. Enumerable.Range(0, 64).Select(i => i == 22 ? [0L, -1.7976931348623157E+308] : new object?[] { (long)i + 1, i % 3 == 0 ? 1.0 : 10.0 * i })];
        Assert.That(DifferentialRunner.Check(function, rows), Is.Null);
    }

    /// <summary>
    /// Found by the seed-11 run (program 7271, generator seed 11007304): a concatenation is never null, so its null
    /// test was folded to a constant, dropping the NullReferenceException of <c>p2.Replace</c> for a null <c>p2</c>.
    /// The compiled kernel answered true where the function throws.
    /// </summary>
    [Test]
    public void NullTestOfAConcatenationOfANullString_ThrowsOnEveryPath()
    {
        Func<bool?, double, string, bool?> function = (bool? p0, double p1, string p2) =>
            (bool?)(string.IsNullOrEmpty("") && (p2.Replace(".", "") + "Été") != null);

        Assert.That(DifferentialRunner.Check(function, [null, 7.31849089081657E+109, null], [true, 1.0, "a.b"]), Is.Null);
    }

    /// <summary>
    /// Found by the seed-11 run (program 8906) with vector kernels gathering bit-packed outputs in a word: on AVX-512 a
    /// negated compare left bits above the block's four lanes in the extracted mask, and they were or-ed into the next
    /// block's rows, so row 4 answered true. Rows that are neither -1 nor 4 in whole 64-row words show it.
    /// </summary>
    [Test]
    public void NegatedCompareOfABooleanResult_SetsNoBitOfTheNextBlock()
    {
        // Compiled by Roslyn with optimizations, as the fuzzer compiles its programs: a debug build's IL lowers to other IR.
        var function = Dsl.TestSupport.Roslyn.CSharpLambda.Compile("Func<int?, bool>", "(int? p0) => ((long)p0.GetValueOrDefault()) is -1L or 4L", optimize: true).Function;

        object?[][] rows = [.. Enumerable.Range(0, 128).Select(i => new object?[] { i == 70 ? 4 : i % 9 == 0 ? null : 2062613111 - i })];
        Assert.That(DifferentialRunner.Check(function, rows), Is.Null);
    }
}
