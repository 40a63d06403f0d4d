using System.Globalization;
using Apache.Arrow.Types;

namespace Dsl.ArrowExtensions;

/// <summary>
/// Exact conversions between Arrow <c>decimal128</c> values (an unscaled 128-bit integer and the type's scale) and
/// <see cref="decimal"/>, shared by the validator, the code generator and the row-by-row readers, so that
/// every path converts (and fails) the same way. Nothing is ever rounded: a value that has no exact counterpart
/// throws <see cref="OverflowException"/> naming the value.
/// </summary>
/// <remarks>
/// Reading: the result keeps the type's scale when it can. A <see cref="decimal"/> holds a 96-bit magnitude and
/// a scale of 0 to 28, so a value whose unscaled magnitude needs more than 96 bits (or whose scale is above 28)
/// is read at the largest smaller scale at which it is still exact (trailing zeros are dropped one at a time);
/// a negative scale is read at scale 0. When no scale works (a magnitude of 2^96 or more, or a nonzero digit
/// beyond the 28th after the point) the read throws.
/// Writing: a value is rescaled to the type's scale, which must keep it exact (only zeros may be dropped) and
/// leave at most the type's precision digits.
/// </remarks>
public static class DecimalConversions
{
    /// <summary>The largest scale of a <see cref="decimal"/>.</summary>
    public const int MaxDecimalScale = 28;

    /// <summary>The largest precision of a decimal128 type (38 digits).</summary>
    public const int MaxPrecision = 38;

    private static readonly UInt128 s_mantissaLimit = UInt128.One << 96;
    private static readonly UInt128[] s_powersOfTen = PowersOfTen();

    /// <summary>The value <paramref name="unscaled"/> × 10^-<paramref name="scale"/> as a decimal (see the remarks for its scale).</summary>
    /// <exception cref="OverflowException">The value has no exact <see cref="decimal"/> counterpart.</exception>
    public static decimal ToDecimal(Int128 unscaled, int scale)
    {
        var negative = Int128.IsNegative(unscaled);
        var magnitude = Magnitude(unscaled);
        if (magnitude < s_mantissaLimit && (uint)scale <= MaxDecimalScale)
        {
            return Create(magnitude, negative, scale);
        }

        var exactScale = scale;
        for (; exactScale < 0; exactScale++)
        {
            if (magnitude >= s_mantissaLimit)
            {
                throw NoDecimal(unscaled, scale);
            }

            magnitude *= 10;
        }

        while (exactScale > MaxDecimalScale || magnitude >= s_mantissaLimit)
        {
            if (exactScale == 0 || magnitude % 10 != 0)
            {
                throw NoDecimal(unscaled, scale);
            }

            magnitude /= 10;
            exactScale--;
        }

        return Create(magnitude, negative, exactScale);
    }

    /// <summary>
    /// The unscaled integer of <paramref name="value"/> in a <c>decimal128(<paramref name="precision"/>,
    /// <paramref name="scale"/>)</c> column.
    /// </summary>
    /// <exception cref="OverflowException">
    /// The value has nonzero digits beyond <paramref name="scale"/> digits after the point, or more than
    /// <paramref name="precision"/> digits at that scale.
    /// </exception>
    public static Int128 ToUnscaled(decimal value, int precision, int scale)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var mantissa = ((UInt128)(uint)bits[2] << 64) | ((UInt128)(uint)bits[1] << 32) | (uint)bits[0];
        var valueScale = value.Scale;
        var limit = s_powersOfTen[Math.Clamp(precision, 1, MaxPrecision)];
        UInt128 magnitude;
        if (scale >= valueScale)
        {
            var factor = s_powersOfTen[scale - valueScale];
            if (mantissa != 0 && mantissa > (limit - 1) / factor)
            {
                throw TooManyDigits(value, precision, scale);
            }

            magnitude = mantissa * factor;
        }
        else
        {
            var drop = valueScale - scale;
            if (mantissa != 0 && (drop > MaxPrecision || mantissa % s_powersOfTen[drop] != 0))
            {
                throw new OverflowException(
                    $"The decimal {value.ToString(CultureInfo.InvariantCulture)} has nonzero digits beyond {scale} after the point, so decimal128({precision}, {scale}) cannot hold it exactly.");
            }

            magnitude = mantissa == 0 ? 0 : mantissa / s_powersOfTen[drop];
            if (magnitude >= limit)
            {
                throw TooManyDigits(value, precision, scale);
            }
        }

        return value < 0 ? -(Int128)magnitude : (Int128)magnitude;
    }

    /// <summary>Whether |<paramref name="unscaled"/>| &lt; 10^<paramref name="precision"/> (the value has at most that many digits).</summary>
    public static bool FitsPrecision(Int128 unscaled, int precision) =>
        Magnitude(unscaled) < s_powersOfTen[Math.Clamp(precision, 1, MaxPrecision)];

    /// <summary>The value <paramref name="unscaled"/> × 10^-<paramref name="scale"/> in invariant notation (<c>-12.50</c>, <c>1200</c>).</summary>
    public static string Format(Int128 unscaled, int scale)
    {
        var digits = Magnitude(unscaled).ToString(CultureInfo.InvariantCulture);
        var sign = Int128.IsNegative(unscaled) ? "-" : "";
        if (scale <= 0)
        {
            return sign + digits + (digits == "0" ? "" : new string('0', -scale));
        }

        digits = digits.PadLeft(scale + 1, '0');
        return sign + digits[..^scale] + "." + digits[^scale..];
    }

    private static UInt128 Magnitude(Int128 value) =>
        Int128.IsNegative(value) ? (UInt128)(-(value + 1)) + 1 : (UInt128)value;

    private static decimal Create(UInt128 magnitude, bool negative, int scale) =>
        new((int)(uint)magnitude, (int)(uint)(magnitude >> 32), (int)(uint)(magnitude >> 64), negative && magnitude != 0, (byte)scale);

    private static OverflowException NoDecimal(Int128 unscaled, int scale) =>
        new($"The decimal128 value {Format(unscaled, scale)} has no exact System.Decimal counterpart (at most 96 bits of digits and 28 after the point).");

    private static OverflowException TooManyDigits(decimal value, int precision, int scale) =>
        new($"The decimal {value.ToString(CultureInfo.InvariantCulture)} has more than {precision} digits at scale {scale}, so decimal128({precision}, {scale}) cannot hold it.");

    private static UInt128[] PowersOfTen()
    {
        var powers = new UInt128[MaxPrecision + 1];
        powers[0] = 1;
        for (var i = 1; i < powers.Length; i++)
        {
            powers[i] = powers[i - 1] * 10;
        }

        return powers;
    }
}
