namespace Dsl;

public static partial class F
{
    /// <summary>
    /// The value limited to [<paramref name="min"/>, <paramref name="max"/>]: <c>min</c> when below it,
    /// <c>max</c> when above it. NaN stays NaN; unlike <see cref="Math.Clamp(double, double, double)"/> it
    /// never throws (when <c>min &gt; max</c>, values below <c>min</c> give <c>min</c>).
    /// </summary>
    public static double Clamp(double value, double min, double max) => value < min ? min : value > max ? max : value;

    /// <summary>The value limited to [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static long Clamp(long value, long min, long max) => value < min ? min : value > max ? max : value;

    /// <summary>The value limited to [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static int Clamp(int value, int min, int max) => value < min ? min : value > max ? max : value;

    /// <summary>The absolute value (<see cref="Math.Abs(double)"/>).</summary>
    public static double Abs(double value) => Math.Abs(value);

    /// <summary>The absolute value; <see cref="OverflowException"/> for <see cref="long.MinValue"/>.</summary>
    public static long Abs(long value) => Math.Abs(value);

    /// <summary>The smaller value (<see cref="Math.Min(double, double)"/>: NaN if either is NaN).</summary>
    public static double Min(double left, double right) => Math.Min(left, right);

    /// <summary>The larger value (<see cref="Math.Max(double, double)"/>: NaN if either is NaN).</summary>
    public static double Max(double left, double right) => Math.Max(left, right);

    /// <summary>The smaller value.</summary>
    public static long Min(long left, long right) => Math.Min(left, right);

    /// <summary>The larger value.</summary>
    public static long Max(long left, long right) => Math.Max(left, right);

    /// <summary>Rounds to the nearest integer, halves to even (<see cref="Math.Round(double)"/>).</summary>
    public static double Round(double value) => Math.Round(value);

    /// <summary>Rounds to <paramref name="digits"/> decimals, halves to even; digits outside 0..15 throw.</summary>
    public static double Round(double value, int digits) => Math.Round(value, digits);

    /// <summary>The largest integer not above the value.</summary>
    public static double Floor(double value) => Math.Floor(value);

    /// <summary>The smallest integer not below the value.</summary>
    public static double Ceiling(double value) => Math.Ceiling(value);

    /// <summary>The square root (NaN for negative values).</summary>
    public static double Sqrt(double value) => Math.Sqrt(value);

    /// <summary>The natural logarithm (NaN below zero, -Infinity at zero).</summary>
    public static double Log(double value) => Math.Log(value);

    /// <summary>e raised to the value.</summary>
    public static double Exp(double value) => Math.Exp(value);

    /// <summary>The base raised to the exponent (<see cref="Math.Pow"/>).</summary>
    public static double Pow(double @base, double exponent) => Math.Pow(@base, exponent);

    /// <summary>The quotient, or null when the denominator is zero (instead of ±Infinity or NaN).</summary>
    public static double? SafeDivide(double numerator, double denominator) =>
        denominator == 0.0 ? null : numerator / denominator;
}
