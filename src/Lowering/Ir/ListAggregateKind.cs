namespace Dsl.Lowering.Ir;

/// <summary>
/// What a <see cref="ListAggregateExpression"/> computes over the values it takes (each taken element's
/// <see cref="ListAggregateExpression.Selector"/> value, or the element itself). The exact rules of each kind, all
/// LINQ-to-objects' own on .NET 10, are in <c>ListAggregateExpression.Reduce.cs</c> and <c>docs/lowering.md</c>.
/// </summary>
internal enum ListAggregateKind
{
    /// <summary>LINQ <c>Sum</c>: left to right from 0; checked for <c>int</c>/<c>long</c>/<c>decimal</c>; <c>float</c> accumulates in <c>double</c>; nullable values skip nulls and give 0 (not null) when none.</summary>
    Sum,

    /// <summary>LINQ <c>Count</c>: the number of elements taken, as <c>int</c> (checked).</summary>
    Count,

    /// <summary>LINQ <c>LongCount</c>: the number of elements taken, as <c>long</c>.</summary>
    LongCount,

    /// <summary>LINQ <c>Min</c>: strict <c>&lt;</c>, so the first of equal values wins; the first NaN met wins; empty throws <see cref="InvalidOperationException"/> (nullable values: skip nulls, empty gives null).</summary>
    Min,

    /// <summary>LINQ <c>Max</c>: strict <c>&gt;</c>, the first of equal values wins; leading NaNs are skipped, so NaN loses to any number; empty as <see cref="Min"/>.</summary>
    Max,

    /// <summary>LINQ <c>Average</c>: sum (checked in <c>long</c> for integers, <c>double</c> for <c>float</c>) over count; empty throws (nullable: null).</summary>
    Average,

    /// <summary>LINQ <c>Any</c>: true when some element is taken; stops at the first.</summary>
    Any,

    /// <summary>LINQ <c>All</c>: true when <see cref="ListAggregateExpression.Function"/> holds for every value taken; stops at the first that fails.</summary>
    All,

    /// <summary>LINQ <c>First</c>: the first value taken; throws <see cref="InvalidOperationException"/> when none.</summary>
    First,

    /// <summary>LINQ <c>FirstOrDefault</c>: the first value taken, or <see cref="ListAggregateExpression.Argument"/> (LINQ's default-value overload), or <c>default</c>.</summary>
    FirstOrDefault,

    /// <summary>LINQ <c>Last</c>: the last value taken (scan direction: <see cref="ListAggregateExpression.LastScan"/>); throws <see cref="InvalidOperationException"/> when none.</summary>
    Last,

    /// <summary>LINQ <c>LastOrDefault</c>: the last value taken, or <see cref="ListAggregateExpression.Argument"/>, or <c>default</c>.</summary>
    LastOrDefault,

    /// <summary>
    /// LINQ <c>MinBy</c>: the value whose key (<see cref="ListAggregateExpression.Function"/>) is smallest by
    /// <c>Comparer&lt;K&gt;.Default</c> (NaN below every number); the first of equal keys wins; null keys are skipped
    /// (all null: the first value); empty gives null for a reference type and throws for a value type.
    /// </summary>
    MinBy,

    /// <summary>LINQ <c>MaxBy</c>: as <see cref="MinBy"/> with the largest key.</summary>
    MaxBy,

    /// <summary>LINQ <c>Contains</c>: some value taken equals <see cref="ListAggregateExpression.Argument"/> by <c>EqualityComparer&lt;T&gt;.Default</c>.</summary>
    Contains,

    /// <summary><c>Distinct().Count()</c>: the number of distinct values taken by <c>EqualityComparer&lt;U&gt;.Default</c> (NaN equals NaN, +0 equals -0, null is a value).</summary>
    CountDistinct,

    /// <summary>A left fold: <c>acc = Argument; foreach taken v: acc = Function(acc, v)</c> (LINQ <c>Aggregate(seed, func)</c>, or an accumulator loop).</summary>
    Fold,

    /// <summary>Catalogue sample variance (<see cref="ListAggregateExpression.Method"/>): nulls skipped, null for fewer than two values.</summary>
    VarianceSample,

    /// <summary>Catalogue population variance: nulls skipped, null when empty.</summary>
    VariancePopulation,

    /// <summary>Catalogue sample standard deviation: the square root of <see cref="VarianceSample"/>.</summary>
    StandardDeviationSample,

    /// <summary>Catalogue population standard deviation: the square root of <see cref="VariancePopulation"/>.</summary>
    StandardDeviationPopulation,

    /// <summary>Catalogue exact percentile at fraction <see cref="ListAggregateExpression.Argument"/> (median: 0.5), by linear interpolation between closest ranks; null when empty.</summary>
    Percentile,
}
