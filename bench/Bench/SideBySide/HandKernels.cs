using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Dsl.Bench.SideBySide;

/// <summary>
/// Hand-written Vector256 kernels for W1, W2 and W4: the practical limit a compiled kernel can reach on this
/// machine. They read Arrow-style validity bitmaps (one bit per row) and write values plus, for W2, a result
/// bitmap. Each works on rows [start, start + length) with start a multiple of 64, so disjoint ranges can run
/// on different threads.
/// </summary>
internal static class HandKernels
{
    /// <summary>Lane masks for every 4-bit group of a validity bitmap: lane j is all ones when bit j is set.</summary>
    private static readonly Vector256<double>[] s_laneMasks = BuildLaneMasks();

    /// <summary>W1, the reference Total resolver; every output row is valid (subtotal is never null).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Total(NpyColumns c, double[] output, int start, int length)
    {
        var zero = Vector256<double>.Zero;
        var one = Vector256.Create(1.0);
        var end = start + length;
        var i = start;
        for (; i + 4 <= end; i += 4)
        {
            var subtotal = Vector256.Create(c.Subtotal.AsSpan(i, 4));
            var discount = Vector256.Create(c.Discount.AsSpan(i, 4));
            var taxRate = Vector256.Create(c.TaxRate.AsSpan(i, 4));
            var hasDiscount = LaneMask(c.DiscountValid, i);
            var taxed = LaneMask(c.Taxable, i) & LaneMask(c.TaxRateValid, i);
            // Vector256.Max follows IEEE 754:2019 maximum like Math.Max: NaN propagates, +0 > -0.
            subtotal = Vector256.ConditionalSelect(hasDiscount, Vector256.Max(subtotal - discount, zero), subtotal);
            Vector256.ConditionalSelect(taxed, subtotal * (one + taxRate), subtotal).CopyTo(output.AsSpan(i, 4));
        }
        for (; i < end; i++) output[i] = TotalScalar(c, i);
    }

    /// <summary>W2, <c>subtotal &gt; 1000</c>, written as a result bitmap (64 rows per word).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void OverThousand(NpyColumns c, ulong[] output, int start, int length)
    {
        var threshold = Vector256.Create(1000.0);
        var end = start + length;
        for (var word = start; word < end; word += 64)
        {
            ulong bits = 0;
            var rows = Math.Min(64, end - word);
            var k = 0;
            for (; k + 4 <= rows; k += 4)
            {
                var gt = Vector256.GreaterThan(Vector256.Create(c.Subtotal.AsSpan(word + k, 4)), threshold);
                bits |= (ulong)gt.ExtractMostSignificantBits() << k;
            }
            for (; k < rows; k++)
            {
                if (c.Subtotal[word + k] > 1000.0) bits |= 1UL << k;
            }
            output[word >> 6] = bits;
        }
    }

    /// <summary>
    /// W4, <c>Math.Clamp(Math.Log(1 + subtotal) * Math.Sqrt(amount), 0, 100)</c>. Vector256.Log is not
    /// guaranteed bit-identical to Math.Log, which is why this kernel is a speed reference and its checksum is
    /// compared with a relative tolerance; NaN passes through as Math.Clamp lets it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Score(NpyColumns c, double[] output, int start, int length)
    {
        var one = Vector256.Create(1.0);
        var lo = Vector256<double>.Zero;
        var hi = Vector256.Create(100.0);
        var end = start + length;
        var i = start;
        for (; i + 4 <= end; i += 4)
        {
            var x = Vector256.Log(one + Vector256.Create(c.Subtotal.AsSpan(i, 4))) * Vector256.Sqrt(Vector256.Create(c.Amount.AsSpan(i, 4)));
            var clamped = Vector256.Min(Vector256.Max(x, lo), hi);
            Vector256.ConditionalSelect(Vector256.IsNaN(x), x, clamped).CopyTo(output.AsSpan(i, 4));
        }
        for (; i < end; i++) output[i] = Math.Clamp(Math.Log(1 + c.Subtotal[i]) * Math.Sqrt(c.Amount[i]), 0, 100);
    }

    private static double TotalScalar(NpyColumns c, int i)
    {
        var subtotal = c.Subtotal[i];
        if (Bit(c.DiscountValid, i)) subtotal = Math.Max(subtotal - c.Discount[i], 0.0);
        if (!Bit(c.Taxable, i) || !Bit(c.TaxRateValid, i)) return subtotal;
        return subtotal * (1.0 + c.TaxRate[i]);
    }

    private static bool Bit(ulong[] bitmap, int row) => (bitmap[row >> 6] >> (row & 63) & 1) != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> LaneMask(ulong[] bitmap, int row) =>
        s_laneMasks[(int)(bitmap[row >> 6] >> (row & 63)) & 0xF];

    private static Vector256<double>[] BuildLaneMasks()
    {
        var masks = new Vector256<double>[16];
        for (var m = 0; m < 16; m++)
        {
            masks[m] = Vector256.Create(
                (m & 1) != 0 ? -1L : 0, (m & 2) != 0 ? -1L : 0, (m & 4) != 0 ? -1L : 0, (m & 8) != 0 ? -1L : 0).AsDouble();
        }
        return masks;
    }
}
