using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Dsl.Bench.Codegen;

/// <summary>
/// The reference Total resolver written by hand with Vector256 over the same Arrow buffers the compiled
/// kernel reads (validity bitmaps at offset 0, bit-packed taxable) and writing the same output (values and a
/// validity bitmap): the baseline the generated kernel is measured against.
/// </summary>
internal static unsafe class HandWrittenTotal
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(nint subtotal, nint discount, nint discountValid, nint taxRate, nint taxRateValid, nint taxable,
        nint output, nint outputValid, int rows)
    {
        var lanes = Vector256.Create(1ul, 2ul, 4ul, 8ul);
        var zero = Vector256<double>.Zero;
        var one = Vector256.Create(1.0);
        double* s = (double*)subtotal, d = (double*)discount, t = (double*)taxRate, o = (double*)output;
        byte* dv = (byte*)discountValid, tv = (byte*)taxRateValid, tx = (byte*)taxable, ov = (byte*)outputValid;
        int i = 0;
        for (; i + 8 <= rows; i += 8)
        {
            int b = i >> 3;
            ulong hasDiscount = dv[b], taxed = (ulong)(tx[b] & tv[b]);
            for (int half = 0; half < 2; half++)
            {
                int r = i + half * 4;
                var discountMask = Vector256.Equals(Vector256.Create(hasDiscount >> (half * 4)) & lanes, lanes).AsDouble();
                var taxedMask = Vector256.Equals(Vector256.Create(taxed >> (half * 4)) & lanes, lanes).AsDouble();
                var value = Vector256.Load(s + r);
                value = Vector256.ConditionalSelect(discountMask, Vector256.Max(value - Vector256.Load(d + r), zero), value);
                Vector256.ConditionalSelect(taxedMask, value * (one + Vector256.Load(t + r)), value).Store(o + r);
            }

            ov[b] = 0xFF;
        }

        for (; i < rows; i++)
        {
            double value = s[i];
            if ((dv[i >> 3] >> (i & 7) & 1) != 0) value = Math.Max(value - d[i], 0.0);
            if ((tx[i >> 3] >> (i & 7) & 1) != 0 && (tv[i >> 3] >> (i & 7) & 1) != 0) value *= 1.0 + t[i];
            o[i] = value;
            ov[i >> 3] |= (byte)(1 << (i & 7));
        }
    }
}
