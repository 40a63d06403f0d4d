using Dsl.Lowering;
using Dsl.Lowering.Ir;

namespace Dsl;

public static partial class F
{
    // Statistics over related rows that LINQ does not have. Each method is the reference semantics of its aggregate:
    // lowering recognises it by [AggregateIntrinsic] and its reduction calls it. Values are read once, in order.

    /// <summary>
    /// The sample variance: Σ(v − mean)² / (n − 1), with mean = (Σ v) / n, both sums taken left to right from 0;
    /// null when there are fewer than two values. NaN or an infinity among the values gives NaN (as the arithmetic does).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    [AggregateIntrinsic(ListAggregateKind.VarianceSample)]
    public static double? VarianceSample(IEnumerable<double> values) => Variance(Present(values), sample: true);

    /// <summary>The sample variance of the non-null values (see <see cref="VarianceSample(IEnumerable{double})"/>); nulls are skipped.</summary>
    [AggregateIntrinsic(ListAggregateKind.VarianceSample)]
    public static double? VarianceSample(IEnumerable<double?> values) => Variance(Present(values), sample: true);

    /// <summary>The population variance: Σ(v − mean)² / n; null when there are no values.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    [AggregateIntrinsic(ListAggregateKind.VariancePopulation)]
    public static double? VariancePopulation(IEnumerable<double> values) => Variance(Present(values), sample: false);

    /// <summary>The population variance of the non-null values; nulls are skipped, null when none is left.</summary>
    [AggregateIntrinsic(ListAggregateKind.VariancePopulation)]
    public static double? VariancePopulation(IEnumerable<double?> values) => Variance(Present(values), sample: false);

    /// <summary>The sample standard deviation: <see cref="Math.Sqrt"/> of <see cref="VarianceSample(IEnumerable{double})"/>; null for fewer than two values.</summary>
    [AggregateIntrinsic(ListAggregateKind.StandardDeviationSample)]
    public static double? StandardDeviationSample(IEnumerable<double> values) => Root(Variance(Present(values), sample: true));

    /// <summary>The sample standard deviation of the non-null values.</summary>
    [AggregateIntrinsic(ListAggregateKind.StandardDeviationSample)]
    public static double? StandardDeviationSample(IEnumerable<double?> values) => Root(Variance(Present(values), sample: true));

    /// <summary>The population standard deviation: <see cref="Math.Sqrt"/> of <see cref="VariancePopulation(IEnumerable{double})"/>; null when empty.</summary>
    [AggregateIntrinsic(ListAggregateKind.StandardDeviationPopulation)]
    public static double? StandardDeviationPopulation(IEnumerable<double> values) => Root(Variance(Present(values), sample: false));

    /// <summary>The population standard deviation of the non-null values.</summary>
    [AggregateIntrinsic(ListAggregateKind.StandardDeviationPopulation)]
    public static double? StandardDeviationPopulation(IEnumerable<double?> values) => Root(Variance(Present(values), sample: false));

    /// <summary>
    /// The exact percentile at <paramref name="fraction"/> (0 = smallest, 1 = largest): the values sorted ascending by
    /// <see cref="double.CompareTo(double)"/> (NaN first), ties broken by their bits (−0 before +0), so the order is unique;
    /// then, with rank h = fraction × (n − 1), the value at ⌊h⌋ when h is whole or the two neighbours are equal, otherwise
    /// lo + (h − ⌊h⌋) × (hi − lo) with lo, hi the values at ⌊h⌋ and ⌊h⌋ + 1 (linear interpolation between closest ranks,
    /// as Excel's PERCENTILE.INC). Null when there are no values.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fraction"/> is NaN or outside [0, 1] (checked before the values are read).</exception>
    [AggregateIntrinsic(ListAggregateKind.Percentile)]
    public static double? Percentile(IEnumerable<double> values, double fraction) => Percentile(CheckFraction(fraction, values), fraction, Present);

    /// <summary>The exact percentile of the non-null values (see <see cref="Percentile(IEnumerable{double}, double)"/>); nulls are skipped.</summary>
    [AggregateIntrinsic(ListAggregateKind.Percentile)]
    public static double? Percentile(IEnumerable<double?> values, double fraction) => Percentile(CheckFraction(fraction, values), fraction, Present);

    /// <summary>The median: <see cref="Percentile(IEnumerable{double}, double)"/> at 0.5 (the mean of the two middle values for an even count).</summary>
    [AggregateIntrinsic(ListAggregateKind.Percentile, Fraction = 0.5)]
    public static double? Median(IEnumerable<double> values) => Percentile(values, 0.5);

    /// <summary>The median of the non-null values.</summary>
    [AggregateIntrinsic(ListAggregateKind.Percentile, Fraction = 0.5)]
    public static double? Median(IEnumerable<double?> values) => Percentile(values, 0.5);

    private static List<double> Present(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return [.. values];
    }

    private static List<double> Present(IEnumerable<double?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var present = new List<double>();
        foreach (var value in values)
            if (value is { } v) present.Add(v);
        return present;
    }

    private static double? Variance(List<double> values, bool sample)
    {
        if (values.Count < (sample ? 2 : 1)) return null;
        var sum = 0.0;
        foreach (var value in values) sum += value;
        var mean = sum / values.Count;
        var squares = 0.0;
        foreach (var value in values)
        {
            var deviation = value - mean;
            squares += deviation * deviation;
        }

        return squares / (sample ? values.Count - 1 : values.Count);
    }

    private static double? Root(double? variance) => variance is { } v ? Math.Sqrt(v) : null;

    private static T CheckFraction<T>(double fraction, T values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (!(fraction >= 0 && fraction <= 1)) throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "A percentile's fraction must be between 0 and 1.");
        return values;
    }

    private static double? Percentile<T>(T values, double fraction, Func<T, List<double>> present)
    {
        var sorted = present(values);
        if (sorted.Count == 0) return null;
        sorted.Sort(static (a, b) => a.CompareTo(b) is var order && order != 0 ? order : BitConverter.DoubleToInt64Bits(a).CompareTo(BitConverter.DoubleToInt64Bits(b)));
        var rank = fraction * (sorted.Count - 1);
        var below = (int)Math.Floor(rank);
        var low = sorted[below];
        if (rank == below || below + 1 >= sorted.Count) return low;
        var high = sorted[below + 1];
        return low == high ? low : low + (rank - below) * (high - low);
    }
}
