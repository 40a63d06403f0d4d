using System.Numerics;
using FsCheck;
using FsCheck.Fluent;

namespace Dsl.ArrowExtensions.Tests.Values;

public class DecimalConversionsTests
{
    private static readonly Int128 s_2Pow96 = Int128.One << 96;

    [TestCase("12345", 2, "123.45")]
    [TestCase("-5", 0, "-5")]
    [TestCase("7", 28, "0.0000000000000000000000000007")]
    [TestCase("100", 1, "10.0")]
    [TestCase("0", 5, "0.00000")]
    [TestCase("79228162514264337593543950335", 0, "79228162514264337593543950335")]
    [TestCase("-79228162514264337593543950335", 3, "-79228162514264337593543950.335")]
    public void ToDecimal_FitsAtTheTypeScale_KeepsTheScale(string unscaled, int scale, string expected)
    {
        var value = DecimalConversions.ToDecimal(Int128.Parse(unscaled), scale);

        Assert.That(value.ToString(System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(expected));
        Assert.That(value.Scale, Is.EqualTo(scale));
    }

    [Test]
    public void ToDecimal_ScaleAbove28WithTrailingZeros_DropsZerosToScale28()
    {
        var value = DecimalConversions.ToDecimal((s_2Pow96 - 1) * 100, 30);

        Assert.That(value, Is.EqualTo(79228162514264337593543950335m / 10_000_000_000_000_000_000_000_000_000m));
        Assert.That(value.Scale, Is.EqualTo(28));
    }

    [Test]
    public void ToDecimal_MagnitudeBeyond96BitsWithTrailingZero_DropsItAndLowersTheScale()
    {
        var value = DecimalConversions.ToDecimal((s_2Pow96 - 1) * 10, 5);

        Assert.That(value, Is.EqualTo(7922816251426433759354395.0335m));
        Assert.That(value.Scale, Is.EqualTo(4));
    }

    [Test]
    public void ToDecimal_NegativeScale_MultipliesOut()
    {
        var value = DecimalConversions.ToDecimal(-123, -3);

        Assert.That(value, Is.EqualTo(-123000m));
        Assert.That(value.Scale, Is.EqualTo(0));
    }

    [TestCase("79228162514264337593543950336", 0)]
    [TestCase("-79228162514264337593543950336", 0)]
    [TestCase("99999999999999999999999999999999999999", 10)]
    [TestCase("1", 29)]
    [TestCase("79228162514264337593543950335", -1)]
    public void ToDecimal_NoExactDecimal_ThrowsOverflowNamingTheValue(string unscaled, int scale)
    {
        var expected = DecimalConversions.Format(Int128.Parse(unscaled), scale);

        Assert.That(() => DecimalConversions.ToDecimal(Int128.Parse(unscaled), scale),
            Throws.TypeOf<OverflowException>().With.Message.Contains(expected));
    }

    [Test]
    public void ToDecimal_MinValue_Throws() =>
        Assert.That(() => DecimalConversions.ToDecimal(Int128.MinValue, 0), Throws.TypeOf<OverflowException>());

    [TestCase("1.5", 38, 3, "1500")]
    [TestCase("1.500", 38, 1, "15")]
    [TestCase("-0.01", 5, 2, "-1")]
    [TestCase("0", 1, 0, "0")]
    [TestCase("-0.000", 1, 0, "0")]
    [TestCase("12300", 3, -2, "123")]
    [TestCase("79228162514264337593543950335", 38, 9, "79228162514264337593543950335000000000")]
    public void ToUnscaled_ExactAtTheScale_Rescales(string value, int precision, int scale, string expected) =>
        Assert.That(DecimalConversions.ToUnscaled(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture), precision, scale),
            Is.EqualTo(Int128.Parse(expected)));

    [TestCase("1.25", 10, 1, "beyond 1 after the point")]
    [TestCase("12350", 5, -2, "beyond -2 after the point")]
    [TestCase("100", 2, 0, "more than 2 digits")]
    [TestCase("1", 38, 38, "more than 38 digits")]
    [TestCase("79228162514264337593543950335", 38, 10, "more than 38 digits")]
    public void ToUnscaled_NotExactOrTooManyDigits_ThrowsOverflow(string value, int precision, int scale, string reason) =>
        Assert.That(() => DecimalConversions.ToUnscaled(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture), precision, scale),
            Throws.TypeOf<OverflowException>().With.Message.Contains(reason).And.Message.Contains(value));

    [TestCase("0", 0, "0")]
    [TestCase("-1", 3, "-0.001")]
    [TestCase("12", -3, "12000")]
    [TestCase("-170141183460469231731687303715884105728", 0, "-170141183460469231731687303715884105728")]
    public void Format_Renders(string unscaled, int scale, string expected) =>
        Assert.That(DecimalConversions.Format(Int128.Parse(unscaled), scale), Is.EqualTo(expected));

    [FsCheck.NUnit.Property(MaxTest = 300)]
    public Property ToUnscaledThenToDecimal_AtTheValuesOwnScale_GivesTheSameBits()
    {
        var values = Gen.Choose(int.MinValue, int.MaxValue).Three().Zip(Gen.Choose(0, 28))
            .Select(t => new decimal(t.Item1.Item1, t.Item1.Item2, t.Item1.Item3, t.Item1.Item1 < 0, (byte)t.Item2));
        return Prop.ForAll(values.ToArbitrary(), value =>
        {
            var back = DecimalConversions.ToDecimal(DecimalConversions.ToUnscaled(value, 38, value.Scale), value.Scale);
            return decimal.GetBits(back).SequenceEqual(decimal.GetBits(value == 0 ? new decimal(0, 0, 0, false, value.Scale) : value));
        });
    }

    [FsCheck.NUnit.Property(MaxTest = 300)]
    public Property ToDecimal_AnyUnscaledAndScale_IsExactOrThrows()
    {
        var cases = Gen.Choose(int.MinValue, int.MaxValue).Four().Zip(Gen.Choose(-5, 38));
        return Prop.ForAll(cases.ToArbitrary(), t =>
        {
            var (words, scale) = t;
            var unscaled = (Int128)(((UInt128)(uint)words.Item1 << 96) | ((UInt128)(uint)words.Item2 << 64) | ((UInt128)(uint)words.Item3 << 32) | (uint)words.Item4)
                >> (int)((uint)words.Item4 % 127);
            var exact = (BigInteger)unscaled * BigInteger.Pow(10, Math.Max(0, -scale));
            var denominator = BigInteger.Pow(10, Math.Max(0, scale));
            try
            {
                var value = DecimalConversions.ToDecimal(unscaled, scale);
                var bits = decimal.GetBits(value);
                var mantissa = (new BigInteger((uint)bits[2]) << 64) | (new BigInteger((uint)bits[1]) << 32) | (uint)bits[0];
                if (value < 0) mantissa = -mantissa;
                // mantissa / 10^value.Scale == exact / denominator
                return mantissa * denominator == exact * BigInteger.Pow(10, value.Scale);
            }
            catch (OverflowException)
            {
                // No decimal holds it: at scale ≤ 28 the magnitude would need more than 96 bits.
                var reduced = exact;
                var s = Math.Max(0, scale);
                while (s > 0 && (s > 28 || BigInteger.Abs(reduced) >= BigInteger.One << 96) && reduced % 10 == 0) { reduced /= 10; s--; }
                return s > 28 || BigInteger.Abs(reduced) >= BigInteger.One << 96;
            }
        });
    }
}
