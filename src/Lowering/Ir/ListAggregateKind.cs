namespace Dsl.Lowering.Ir;

/// <summary>What a <see cref="ListAggregateExpression"/> computes over the elements it takes.</summary>
internal enum ListAggregateKind
{
    /// <summary>LINQ <c>Sum</c>: checked for integers, sequential left-to-right for floating point, 0 when empty.</summary>
    Sum,

    /// <summary>LINQ <c>Count</c>: the number of elements taken.</summary>
    Count,

    /// <summary>LINQ <c>Min</c>: throws <see cref="InvalidOperationException"/> when empty; the first NaN wins.</summary>
    Min,

    /// <summary>LINQ <c>Max</c>: throws <see cref="InvalidOperationException"/> when empty; NaN is below every number.</summary>
    Max,

    /// <summary>LINQ <c>Average</c>: throws <see cref="InvalidOperationException"/> when empty.</summary>
    Average,

    /// <summary>LINQ <c>Any</c>: true when some element is taken; stops at the first.</summary>
    Any,

    /// <summary>LINQ <c>All</c>: true when <see cref="ListAggregateExpression.Function"/> holds for every element taken.</summary>
    All,

    /// <summary>LINQ <c>First</c>: the first element taken; throws <see cref="InvalidOperationException"/> when none.</summary>
    First,

    /// <summary>LINQ <c>FirstOrDefault</c>: the first element taken, or <c>default</c>.</summary>
    FirstOrDefault,

    /// <summary>LINQ <c>Contains</c>: some element taken equals <see cref="ListAggregateExpression.Argument"/> by <c>EqualityComparer&lt;T&gt;.Default</c>.</summary>
    Contains,

    /// <summary>A left fold: <c>acc = Argument; foreach taken v: acc = Function(acc, v)</c> (LINQ <c>Aggregate(seed, func)</c>, or an accumulator loop).</summary>
    Fold,
}
