using Dsl.Lowering.Ir;

namespace Dsl.Lowering.Tests.Support;

/// <summary>
/// Statistics marked like the catalogue's (<see cref="AggregateIntrinsicAttribute"/>), so the lowering of such calls is
/// tested without the Dsl assembly: each becomes an aggregate whose reduction calls the method.
/// </summary>
internal static class TestCatalogue
{
    [AggregateIntrinsic(ListAggregateKind.VariancePopulation)]
    public static double? Spread(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var list = values.ToList();
        if (list.Count == 0) return null;
        var mean = list.Sum() / list.Count;
        return list.Sum(v => (v - mean) * (v - mean)) / list.Count;
    }

    [AggregateIntrinsic(ListAggregateKind.Percentile)]
    public static double? Rank(IEnumerable<double?> values, double fraction)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (!(fraction is >= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(fraction));
        var sorted = values.Where(v => v.HasValue).Select(v => v!.Value).Order().ToList();
        return sorted.Count == 0 ? null : sorted[(int)Math.Round(fraction * (sorted.Count - 1))];
    }

    [AggregateIntrinsic(ListAggregateKind.Percentile, Fraction = 0.5)]
    public static double? Middle(IEnumerable<double?> values) => Rank(values, 0.5);
}
