using System.Runtime.Intrinsics;
using Apache.Arrow.Types;
using Dsl.Codegen.Compilation;
using Dsl.Codegen.Tests.Support;
using Dsl.Codegen.Vector;
using FsCheck;
using FsCheck.Fluent;

namespace Dsl.Codegen.Tests.Vector;

/// <summary>
/// The 64-row groups of vector kernels: each input bitmap read as one word per group (at any bit offset, touching only
/// its bytes), lane masks made from that word, rows outside whole groups run by the scalar kernel, and blocks with a
/// failing lane rewritten by it after the group's words are stored.
/// </summary>
[TestFixture]
public sealed class VectorGroupTests
{
    private static readonly Config Quick = Config.QuickThrowOnFailure.WithMaxTest(300).WithQuietOnSuccess(true);

    [Test]
    public unsafe void ReadWord_AnyBitOffset_IsTheBitsOneByOne_AndReadsNoBytePastThem()
    {
        Prop.ForAll(Arb.From(Gen.Choose(0, 40)), Arb.From(Gen.ArrayOf(Gen.Choose(0, 255), 20)), (bitIndex, values) =>
        {
            var bytes = values.Select(v => (byte)v).ToArray();
            // The bitmap ends at the byte holding the word's last bit, right before an inaccessible page.
            using var memory = new PlacedMemory(bytes.AsSpan(0, (bitIndex + 63) / 8 + 1), Placement.EndsAtGuardPage);
            var word = VectorAccess.ReadWord(memory.Address, bitIndex);
            for (var k = 0; k < 64; k++)
            {
                var expected = (bytes[(bitIndex + k) >> 3] >> ((bitIndex + k) & 7) & 1) != 0;
                Assert.That((word >> k & 1) != 0, Is.EqualTo(expected), $"bit {k} of the word at bit {bitIndex}");
            }
        }).Check(Quick);
    }

    [Test]
    public void ReadWord_NoBitmap_IsEveryRowValid() => Assert.That(VectorAccess.ReadWord(0, 17), Is.EqualTo(ulong.MaxValue));

    [Test]
    public void LaneMasks_FromAWord_SetEachLaneByItsBit()
    {
        Prop.ForAll(Arb.From(Gen.Choose(int.MinValue, int.MaxValue).Two()), Arb.From(Gen.Choose(0, 15)), (halves, block) =>
        {
            var word = (ulong)(uint)halves.Item1 << 32 | (uint)halves.Item2;
            AssertLanes(VectorAccess.Mask256x64(word, block * 4), word, block * 4);
            AssertLanes(VectorAccess.Mask256x32(word, block / 2 * 8), word, block / 2 * 8);
            AssertLanes(VectorAccess.Mask512x64(word, block / 2 * 8), word, block / 2 * 8);
            AssertLanes(VectorAccess.Mask512x32(word, block / 4 * 16), word, block / 4 * 16);
        }).Check(Quick);
    }

    /// <summary>
    /// Division by zero on rows spread over several groups, on ranges that start off a multiple of 64 and inputs sliced
    /// at odd bit offsets: every failing row is reported once with the scalar exception, every other row has its value.
    /// </summary>
    [TestCase(256, 0, 0)]
    [TestCase(256, 37, 5)]
    [TestCase(512, 0, 3)]
    [TestCase(512, 37, 0)]
    [TestCase(512, 100, 11)]
    public void Kernel_FailingRowsInsideGroups_AreRescuedByTheScalarKernel(int bits, int rangeRows, int offset)
    {
        var (@case, kernel) = VectorKernel("IntDivide", bits);
        const int length = 700;
        var a = Enumerable.Range(0, length).Select(i => (object?)(i % 11 == 0 ? null : i * 7 - 300)).ToArray();
        var b = Enumerable.Range(0, length).Select(i => (object?)(i % 97 == 5 || i == 64 || i == 127 ? 0 : i % 13 == 0 ? null : i % 9 - 4)).ToArray();
        var actual = KernelHarness.Run(kernel, @case.Inputs, [a, b], length, offset, alwaysBitmap: true, rangeRows: rangeRows);
        KernelHarness.AssertSame(KernelHarness.Reference(@case.Ir.Compile(), [a, b], length), actual, $"{bits} bits, ranges {rangeRows}, offset {offset}");
        Assert.That(actual.Errors, Is.Not.Empty);
    }

    /// <summary>A boolean result over sliced inputs with nulls: value bits and validity bits gathered per group.</summary>
    [TestCase(256, 0, 0)]
    [TestCase(256, 64, 9)]
    [TestCase(512, 37, 1)]
    public void Kernel_BooleanResult_WritesEachGroupsWords(int bits, int rangeRows, int offset)
    {
        var (@case, kernel) = VectorKernel("LiftedToNullCompare", bits);
        Assert.That(@case.Inputs, Has.Length.EqualTo(2).And.All.TypeOf<DoubleType>());
        const int length = 1000;
        var x = Enumerable.Range(0, length).Select(i => (object?)(i % 7 == 3 ? null : (i * 37 % 101) - 50.0)).ToArray();
        var y = Enumerable.Range(0, length).Select(i => (object?)(i % 29 == 0 ? null : (i * 13 % 89) - 40.0)).ToArray();
        var actual = KernelHarness.Run(kernel, @case.Inputs, [x, y], length, offset, alwaysBitmap: true, rangeRows: rangeRows);
        KernelHarness.AssertSame(KernelHarness.Reference(@case.Ir.Compile(), [x, y], length), actual, $"{bits} bits, ranges {rangeRows}, offset {offset}");
    }

    /// <summary>The named IR case compiled as a vector kernel of <paramref name="bits"/> bits (asserted vectorized).</summary>
    private static (IrCase Case, IKernel Kernel) VectorKernel(string name, int bits)
    {
        var @case = IrCases.Named(name);
        var kernel = KernelCompiler.Compile(@case.Ir, @case.Inputs, new KernelOptions { VectorBits = bits });
        Assert.That(kernel.IsVectorized, Is.True, name);
        return (@case, kernel);
    }

    private static void AssertLanes<T>(Vector256<T> mask, ulong word, int shift) => AssertLanes(Lanes(mask), word, shift);

    private static void AssertLanes<T>(Vector512<T> mask, ulong word, int shift) => AssertLanes(Lanes(mask), word, shift);

    private static void AssertLanes(bool[] lanes, ulong word, int shift)
    {
        for (var j = 0; j < lanes.Length; j++)
            Assert.That(lanes[j], Is.EqualTo((word >> (shift + j) & 1) != 0), $"lane {j} of {lanes.Length} at bit {shift}");
    }

    private static bool[] Lanes<T>(Vector256<T> mask) => Enumerable.Range(0, Vector256<T>.Count).Select(j => (mask.ExtractMostSignificantBits() >> j & 1) != 0).ToArray();

    private static bool[] Lanes<T>(Vector512<T> mask) => Enumerable.Range(0, Vector512<T>.Count).Select(j => (mask.ExtractMostSignificantBits() >> j & 1) != 0).ToArray();
}
