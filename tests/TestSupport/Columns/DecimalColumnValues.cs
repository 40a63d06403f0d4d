using System.Numerics;
using Apache.Arrow.Types;
using FsCheck;
using FsCheck.Fluent;

namespace Dsl.TestSupport.Columns;

/// <summary>
/// Values of decimal128 columns for differential tests, and an independent model (BigInteger arithmetic) of how
/// decimal128 values read as <see cref="decimal"/> and how decimals are stored, so tests do not check the library's
/// conversions against themselves. Generated values are what a reader sees: the type's scale, or a smaller one
/// where the magnitude needs more than 96 bits (so one column can hold 1.0000 and 10000000000000000000000.0).
/// </summary>
public static class DecimalColumnValues
{
    private static readonly BigInteger s_mantissaLimit = BigInteger.One << 96;

    /// <summary>Non-null values of a column of <paramref name="type"/>: edges (0, ±1, ±0.5, the type's extremes, ±decimal.MaxValue scaled, the smallest step) and random ones.</summary>
    public static Gen<object> Values(Decimal128Type type)
    {
        var limit = BigInteger.Pow(10, type.Precision);
        var one = type.Scale >= 0 ? BigInteger.Pow(10, type.Scale) : BigInteger.One;
        var largest = (s_mantissaLimit - 1) * BigInteger.Pow(10, Math.Max(0, type.Scale - 28));
        var edges = new[]
        {
            BigInteger.Zero, BigInteger.One, BigInteger.MinusOne, one, -one, one / 2, -one / 2, limit - 1, -(limit - 1), largest, -largest,
            largest * 10, (s_mantissaLimit - 1) / 10 * 10, 100, -12_345,
        };
        var small = Gen.Choose(-100_000, 100_000).Select(i => new BigInteger(i));
        var wide = Gen.Choose(int.MinValue, int.MaxValue).Four().Select(t =>
        {
            var bits = (new BigInteger((uint)t.Item1) << 96) | (new BigInteger((uint)t.Item2) << 64) | (new BigInteger((uint)t.Item3) << 32) | (uint)t.Item4;
            var value = bits % limit >> (int)((uint)t.Item4 % 100);
            return t.Item1 < 0 ? -value : value;
        });
        return Gen.Frequency((5, small), (3, Gen.Elements(edges)), (2, wide))
            .Select(unscaled => BigInteger.Abs(unscaled) < limit ? ReadBack(unscaled, type.Scale) : null)
            .Where(value => value is not null)
            .Select(value => (object)value!.Value);
    }

    /// <summary>
    /// The decimal a reader gives for <paramref name="unscaled"/> × 10^-<paramref name="scale"/>: at that scale when
    /// it fits 96 bits and scale ≤ 28, else at the largest smaller exact scale (negative scales at 0); null when none.
    /// </summary>
    public static decimal? ReadBack(BigInteger unscaled, int scale)
    {
        var magnitude = BigInteger.Abs(unscaled);
        if (scale < 0)
        {
            magnitude *= BigInteger.Pow(10, -scale);
            scale = 0;
        }

        while ((scale > 28 || magnitude >= s_mantissaLimit) && scale > 0 && magnitude % 10 == 0)
        {
            magnitude /= 10;
            scale--;
        }

        if (scale > 28 || magnitude >= s_mantissaLimit) return null;
        var words = magnitude.ToByteArray(isUnsigned: true, isBigEndian: false);
        System.Array.Resize(ref words, 12);
        return new decimal(BitConverter.ToInt32(words, 0), BitConverter.ToInt32(words, 4), BitConverter.ToInt32(words, 8), unscaled.Sign < 0, (byte)scale);
    }

    /// <summary>The unscaled integer of <paramref name="value"/> at <paramref name="scale"/>, or null when that drops a nonzero digit.</summary>
    public static BigInteger? Unscaled(decimal value, int scale)
    {
        var bits = decimal.GetBits(value);
        var mantissa = (new BigInteger((uint)bits[2]) << 64) | (new BigInteger((uint)bits[1]) << 32) | (uint)bits[0];
        var valueScale = value.Scale;
        BigInteger magnitude;
        if (scale >= valueScale)
        {
            magnitude = mantissa * BigInteger.Pow(10, scale - valueScale);
        }
        else
        {
            var divisor = BigInteger.Pow(10, valueScale - scale);
            if (mantissa % divisor != 0) return null;
            magnitude = mantissa / divisor;
        }

        return value < 0 ? -magnitude : magnitude;
    }

    /// <summary>
    /// What a decimal128(<paramref name="precision"/>, <paramref name="scale"/>) column reads back after
    /// <paramref name="value"/> is written to it, or null when the column cannot hold it exactly.
    /// </summary>
    public static decimal? StoredAs(decimal value, int precision, int scale) =>
        Unscaled(value, scale) is { } unscaled && BigInteger.Abs(unscaled) < BigInteger.Pow(10, precision) ? ReadBack(unscaled, scale) : null;
}
