using System.Runtime.Intrinsics;

namespace Dsl.Codegen.Tests.Vector;

/// <summary>
/// Proofs that the vector operations the vector kernels use return the same bits as the scalar operations
/// the IR performs, over edge values and random inputs (lane by lane, in every lane position).
/// </summary>
[TestFixture]
public sealed class VectorMathTests
{
    private static readonly double[] s_edges =
    [
        0.0, -0.0, 1.0, -1.0, double.NaN, -double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.MaxValue,
        double.MinValue, double.Epsilon, -double.Epsilon, 2.5, -2.5, 0.5, 1e-310, BitConverter.Int64BitsToDouble(0x7FF0000000000001),
        BitConverter.Int64BitsToDouble(unchecked((long)0xFFF8000000000123)),
    ];

    private static IEnumerable<(double, double)> Pairs()
    {
        foreach (var a in s_edges) foreach (var b in s_edges) yield return (a, b);
        var random = new Random(42);
        for (int i = 0; i < 20_000; i++) yield return (BitConverter.Int64BitsToDouble(random.NextInt64()), random.NextDouble() * 1e6 - 5e5);
    }

    private static void AssertBinary(Func<Vector256<double>, Vector256<double>, Vector256<double>> vector, Func<double, double, double> scalar)
    {
        foreach (var (a, b) in Pairs())
        {
            var result = vector(Vector256.Create(a, b, a, b), Vector256.Create(b, a, a, b));
            Assert.That(BitConverter.DoubleToInt64Bits(result[0]), Is.EqualTo(BitConverter.DoubleToInt64Bits(scalar(a, b))), $"({a}, {b})");
            Assert.That(BitConverter.DoubleToInt64Bits(result[1]), Is.EqualTo(BitConverter.DoubleToInt64Bits(scalar(b, a))), $"({b}, {a})");
        }
    }

    private static void AssertUnary(Func<Vector256<double>, Vector256<double>> vector, Func<double, double> scalar)
    {
        foreach (var (a, b) in Pairs())
        {
            var result = vector(Vector256.Create(a, b, -a, -b));
            double[] inputs = [a, b, -a, -b];
            for (int lane = 0; lane < 4; lane++)
            {
                Assert.That(BitConverter.DoubleToInt64Bits(result[lane]), Is.EqualTo(BitConverter.DoubleToInt64Bits(scalar(inputs[lane]))), $"{inputs[lane]}");
            }
        }
    }

    [Test] public void Max_Vector256_MatchesMathMaxBits() => AssertBinary(Vector256.Max, Math.Max);

    [Test] public void Min_Vector256_MatchesMathMinBits() => AssertBinary(Vector256.Min, Math.Min);

    [Test] public void Add_Vector256_MatchesScalarBits() => AssertBinary(Vector256.Add, (a, b) => a + b);

    [Test] public void Subtract_Vector256_MatchesScalarBits() => AssertBinary(Vector256.Subtract, (a, b) => a - b);

    [Test] public void Multiply_Vector256_MatchesScalarBits() => AssertBinary(Vector256.Multiply, (a, b) => a * b);

    [Test] public void Divide_Vector256_MatchesScalarBits() => AssertBinary(Vector256.Divide, (a, b) => a / b);

    [Test] public void Sqrt_Vector256_MatchesMathSqrtBits() => AssertUnary(Vector256.Sqrt, Math.Sqrt);

    [Test] public void Abs_Vector256_MatchesMathAbsBits() => AssertUnary(Vector256.Abs, Math.Abs);

    [Test] public void Floor_Vector256_MatchesMathFloorBits() => AssertUnary(Vector256.Floor, Math.Floor);

    [Test] public void Ceiling_Vector256_MatchesMathCeilingBits() => AssertUnary(Vector256.Ceiling, Math.Ceiling);

    [Test] public void Negate_Vector256_MatchesScalarBits() => AssertUnary(Vector256.Negate, x => -x);

    private static void AssertBinary512(Func<Vector512<double>, Vector512<double>, Vector512<double>> vector, Func<double, double, double> scalar)
    {
        foreach (var (a, b) in Pairs())
        {
            var result = vector(Vector512.Create(a, b, a, b, b, a, a, b), Vector512.Create(b, a, a, b, a, b, a, b));
            Assert.That(BitConverter.DoubleToInt64Bits(result[0]), Is.EqualTo(BitConverter.DoubleToInt64Bits(scalar(a, b))), $"({a}, {b})");
            Assert.That(BitConverter.DoubleToInt64Bits(result[1]), Is.EqualTo(BitConverter.DoubleToInt64Bits(scalar(b, a))), $"({b}, {a})");
        }
    }

    private static void AssertUnary512(Func<Vector512<double>, Vector512<double>> vector, Func<double, double> scalar)
    {
        foreach (var (a, b) in Pairs())
        {
            var result = vector(Vector512.Create(a, b, -a, -b, a, b, -a, -b));
            double[] inputs = [a, b, -a, -b];
            for (int lane = 0; lane < 4; lane++)
            {
                Assert.That(BitConverter.DoubleToInt64Bits(result[lane]), Is.EqualTo(BitConverter.DoubleToInt64Bits(scalar(inputs[lane]))), $"{inputs[lane]}");
            }
        }
    }

    [Test] public void Max_Vector512_MatchesMathMaxBits() => AssertBinary512(Vector512.Max, Math.Max);

    [Test] public void Min_Vector512_MatchesMathMinBits() => AssertBinary512(Vector512.Min, Math.Min);

    [Test] public void Add_Vector512_MatchesScalarBits() => AssertBinary512(Vector512.Add, (a, b) => a + b);

    [Test] public void Subtract_Vector512_MatchesScalarBits() => AssertBinary512(Vector512.Subtract, (a, b) => a - b);

    [Test] public void Multiply_Vector512_MatchesScalarBits() => AssertBinary512(Vector512.Multiply, (a, b) => a * b);

    [Test] public void Divide_Vector512_MatchesScalarBits() => AssertBinary512(Vector512.Divide, (a, b) => a / b);

    [Test] public void Sqrt_Vector512_MatchesMathSqrtBits() => AssertUnary512(Vector512.Sqrt, Math.Sqrt);

    [Test] public void Abs_Vector512_MatchesMathAbsBits() => AssertUnary512(Vector512.Abs, Math.Abs);

    [Test] public void Floor_Vector512_MatchesMathFloorBits() => AssertUnary512(Vector512.Floor, Math.Floor);

    [Test] public void Ceiling_Vector512_MatchesMathCeilingBits() => AssertUnary512(Vector512.Ceiling, Math.Ceiling);

    [Test] public void Negate_Vector512_MatchesScalarBits() => AssertUnary512(Vector512.Negate, x => -x);

    [Test] public void Exp_Vector256_IsNotBitIdenticalToMathExp_SoKernelsCallMathExpPerLane()
    {
        var differs = Pairs().Select(p => p.Item2 / 1e4).Any(x => BitConverter.DoubleToInt64Bits(Vector256.Exp(Vector256.Create(x))[0]) != BitConverter.DoubleToInt64Bits(Math.Exp(x)));
        Assert.That(differs, Is.True, "If Vector256.Exp became exact, kernels could use it.");
    }
}
