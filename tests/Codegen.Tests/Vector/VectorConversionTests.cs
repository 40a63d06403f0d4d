using System.Runtime.Intrinsics;
using Dsl.Codegen.Vector;

namespace Dsl.Codegen.Tests.Vector;

/// <summary>
/// Proofs that the vector conversions the vector kernels use between lane widths give the bits of the
/// unchecked C# conversion, over edge values (MinValue/MaxValue, 2^24±1, 2^53±1, NaN, ±0, ±Infinity) and
/// random inputs, in every lane position, for 256- and 512-bit vectors.
/// </summary>
[TestFixture]
public sealed class VectorConversionTests
{
    private const int RandomCount = 50_000;

    private static IEnumerable<long> Longs()
    {
        long[] edges =
        [
            0, 1, -1, long.MinValue, long.MaxValue, long.MinValue + 1, long.MaxValue - 1, int.MinValue, int.MaxValue, uint.MaxValue,
            (1L << 53) - 1, 1L << 53, (1L << 53) + 1, (1L << 53) + 3, -(1L << 53) - 1, (1L << 54) + 2, (1L << 62) + 1,
            long.MaxValue - 511, long.MaxValue - 512, long.MaxValue - 1023, (1L << 24) + 1, -(1L << 24) - 1,
        ];
        foreach (var edge in edges) yield return edge;
        var random = new Random(7);
        for (int k = 0; k < RandomCount; k++) yield return random.NextInt64(long.MinValue, long.MaxValue) >> random.Next(64);
    }

    private static IEnumerable<double> Doubles()
    {
        double[] edges =
        [
            0.0, -0.0, double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.MaxValue, double.MinValue, double.Epsilon,
            float.MaxValue, (double)float.MaxValue * (1 + 1e-9), float.Epsilon, float.Epsilon / 2, 1e-46, 1.1, -3.4e38, 16777217.0,
        ];
        foreach (var edge in edges) yield return edge;
        var random = new Random(8);
        for (int k = 0; k < RandomCount; k++) yield return BitConverter.Int64BitsToDouble(random.NextInt64(long.MinValue, long.MaxValue));
    }

    /// <summary>Checks <paramref name="vector"/> against <paramref name="scalar"/> on each input in every lane of 4 and of 8.</summary>
    private static void AssertLanes<TIn, TOut>(IEnumerable<TIn> inputs, Func<TIn[], TOut[]> vector, Func<TIn, TOut> scalar, int lanes, Func<TOut, long> bits)
    {
        var batch = new List<TIn>();
        void Flush()
        {
            var block = batch.ToArray();
            var results = vector(block);
            for (int lane = 0; lane < lanes; lane++)
            {
                Assert.That(bits(results[lane]), Is.EqualTo(bits(scalar(block[lane]))), $"{block[lane]} in lane {lane}");
            }

            batch.Clear();
        }

        foreach (var input in inputs)
        {
            batch.Add(input);
            if (batch.Count == lanes) Flush();
        }
    }

    private static long Bits(double value) => double.IsNaN(value) ? -1 : BitConverter.DoubleToInt64Bits(value);

    private static long Bits(float value) => float.IsNaN(value) ? -1 : BitConverter.SingleToInt32Bits(value);

    [Test]
    public void ConvertToDouble_Int64Lanes_MatchesScalarCast()
    {
        AssertLanes(Longs(), a => ToArray(Vector256.ConvertToDouble(Vector256.Create(a))), a => (double)a, 4, Bits);
        AssertLanes(Longs(), a => ToArray(Vector512.ConvertToDouble(Vector512.Create(a))), a => (double)a, 8, Bits);
    }

    [Test]
    public void ConvertToDouble_UInt64Lanes_MatchesScalarCast()
    {
        var values = Longs().Select(v => unchecked((ulong)v)).Append(ulong.MaxValue).Append(1UL << 63).Append((1UL << 63) + 1);
        AssertLanes(values, a => ToArray(Vector256.ConvertToDouble(Vector256.Create(a))), a => (double)a, 4, Bits);
        AssertLanes(values, a => ToArray(Vector512.ConvertToDouble(Vector512.Create(a))), a => (double)a, 8, Bits);
    }

    [Test]
    public void ConvertToSingle_Int32AndUInt32Lanes_MatchesScalarCast()
    {
        var ints = Longs().Select(v => unchecked((int)v)).Append(16777217).Append(-16777217).Append(int.MaxValue).Append(int.MinValue);
        AssertLanes(ints, a => ToArray(Vector256.ConvertToSingle(Vector256.Create(a))), a => (float)a, 8, Bits);
        AssertLanes(ints, a => ToArray(Vector128.ConvertToSingle(Vector128.Create(a))), a => (float)a, 4, Bits);
        var uints = Longs().Select(v => unchecked((uint)v)).Append(uint.MaxValue).Append(16777217u).Append(0x8000_0081u);
        AssertLanes(uints, a => ToArray(Vector256.ConvertToSingle(Vector256.Create(a))), a => (float)a, 8, Bits);
        AssertLanes(uints, a => ToArray(Vector128.ConvertToSingle(Vector128.Create(a))), a => (float)a, 4, Bits);
    }

    [Test]
    public void Narrow_DoubleLanes_RoundsAsScalarCastToFloat()
    {
        AssertLanes(Doubles(), a => ToArray(VectorAccess.Narrow(Vector256.Create(a))), a => (float)a, 4, Bits);
        AssertLanes(Doubles(), a => ToArray(VectorAccess.Narrow(Vector512.Create(a))), a => (float)a, 8, Bits);
    }

    [Test]
    public void Widen_FloatLanes_ConvertsAsScalarCastToDouble()
    {
        var floats = Doubles().Select(d => (float)d).Append(float.NaN).Append(-0f).Append(float.Epsilon);
        AssertLanes(floats, a => ToArray(VectorAccess.Widen(Vector128.Create(a))), a => (double)a, 4, Bits);
        AssertLanes(floats, a => ToArray(VectorAccess.Widen(Vector256.Create(a))), a => (double)a, 8, Bits);
    }

    [Test]
    public void WidenAndNarrow_IntegerLanes_ExtendAndTruncateAsUncheckedCasts()
    {
        var ints = Longs().Select(v => unchecked((int)v));
        AssertLanes(ints, a => ToArray(VectorAccess.Widen(Vector128.Create(a))), a => (long)a, 4, v => v);
        AssertLanes(ints, a => ToArray(VectorAccess.Widen(Vector256.Create(a))), a => (long)a, 8, v => v);
        var uints = Longs().Select(v => unchecked((uint)v));
        AssertLanes(uints, a => ToArray(VectorAccess.Widen(Vector128.Create(a))), a => (ulong)a, 4, v => unchecked((long)v));
        AssertLanes(Longs(), a => ToArray(VectorAccess.Narrow(Vector256.Create(a))), a => unchecked((int)a), 4, v => v);
        AssertLanes(Longs(), a => ToArray(VectorAccess.Narrow(Vector512.Create(a))), a => unchecked((int)a), 8, v => v);
        AssertLanes(Longs().Select(v => unchecked((ulong)v)), a => ToArray(VectorAccess.Narrow(Vector256.Create(a))), a => unchecked((uint)a), 4, v => v);
    }

    [Test]
    public void NarrowMaskAndWidenMask_RoundTripEveryLanePattern()
    {
        for (int pattern = 0; pattern < 256; pattern++)
        {
            var lanes = Enumerable.Range(0, 8).Select(lane => (pattern >> lane & 1) == 1 ? ulong.MaxValue : 0UL).ToArray();
            var wide = Vector512.Create(lanes);
            var narrow = VectorAccess.NarrowMask(wide);
            Assert.That(ToArray(narrow), Is.EqualTo(lanes.Select(l => (uint)l).ToArray()));
            Assert.That(VectorAccess.WidenMask(narrow), Is.EqualTo(wide));
            var wide256 = Vector256.Create(lanes[..4]);
            Assert.That(VectorAccess.WidenMask(VectorAccess.NarrowMask(wide256)), Is.EqualTo(wide256));
        }
    }

    [Test]
    public unsafe void LoadIntAndStoreInt_SmallIntegers_ExtendAndTruncateLikeCSharp()
    {
        sbyte[] signedBytes = [sbyte.MinValue, -1, 0, 1, sbyte.MaxValue, -100, 42, -2, 3, 4, 5, 6, 7, 8, 9, -10];
        short[] shorts = [short.MinValue, -1, 0, 1, short.MaxValue, -300, 420, -2, 3, 4, 5, 6, 7, 8, 9, -10];
        fixed (sbyte* s = signedBytes)
        fixed (short* h = shorts)
        {
            Assert.That(ToArray(VectorAccess.LoadInt512<sbyte>((nint)s, 0)), Is.EqualTo(signedBytes.Select(v => (int)v).ToArray()));
            Assert.That(ToArray(VectorAccess.LoadInt256<byte>((nint)s, 8)), Is.EqualTo(signedBytes[8..].Select(v => (int)unchecked((byte)v)).ToArray()));
            Assert.That(ToArray(VectorAccess.LoadInt128<short>((nint)h, 1)), Is.EqualTo(shorts[1..5].Select(v => (int)v).ToArray()));
            Assert.That(ToArray(VectorAccess.LoadInt512<ushort>((nint)h, 0)), Is.EqualTo(shorts.Select(v => (int)unchecked((ushort)v)).ToArray()));
        }

        var stored = new short[4];
        fixed (short* target = stored) VectorAccess.StoreInt128<short>((nint)target, 0, Vector128.Create(70000, -1, 32768, -32769));
        Assert.That(stored, Is.EqualTo(new short[] { unchecked((short)70000), -1, short.MinValue, short.MaxValue }));
    }

    private static T[] ToArray<T>(Vector128<T> vector) => Enumerable.Range(0, Vector128<T>.Count).Select(lane => vector[lane]).ToArray();

    private static T[] ToArray<T>(Vector256<T> vector) => Enumerable.Range(0, Vector256<T>.Count).Select(lane => vector[lane]).ToArray();

    private static T[] ToArray<T>(Vector512<T> vector) => Enumerable.Range(0, Vector512<T>.Count).Select(lane => vector[lane]).ToArray();
}
