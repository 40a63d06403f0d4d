namespace Dsl.Runtime;

/// <summary>How a <see cref="FeaturePlan"/> computes a feature that reads related rows (see <see cref="FeaturePlan.DescribeRelations"/>).</summary>
public enum RelationStrategy
{
    /// <summary>
    /// Every aggregate of the feature runs in the relation's segmented kernel (filters and selectors over the related
    /// batch's columns, accumulated into per-parent slots in row order, all windows in one pass); the feature's compiled
    /// kernel then reads one value per parent.
    /// </summary>
    Segmented,

    /// <summary>The related rows are materialized as one collection per parent and the feature's compiled kernel runs over them.</summary>
    MaterializedCompiled,

    /// <summary>The related rows are materialized as one collection per parent and the feature's delegate runs row by row over them.</summary>
    MaterializedRowByRow,
}

/// <summary>One feature of a plan that reads related rows: how it runs, and the aggregates the segmented kernel computes for it.</summary>
/// <param name="Feature">The feature's name (<c>Spend[7d]</c>).</param>
/// <param name="Strategy">How the plan computes it.</param>
/// <param name="Relations">The relations it reads.</param>
/// <param name="Window">Its window, for one window of a windowed feature.</param>
/// <param name="Aggregates">The aggregates computed by the segmented kernel (empty unless <see cref="RelationStrategy.Segmented"/>).</param>
public sealed record RelationFeaturePlan(
    string Feature, RelationStrategy Strategy, IReadOnlyList<RelationInput> Relations, TimeSpan? Window, IReadOnlyList<PlannedAggregateInfo> Aggregates);

/// <summary>One aggregate a plan computes with the segmented kernel, once for every feature that reads it.</summary>
/// <param name="Column">The per-parent column it fills (<c>$agg0</c>), which the features' kernels read.</param>
/// <param name="Aggregate">The aggregation IR node as LINQ-like text (<c>Transactions.Select(x =&gt; x.Amount).Sum()</c>).</param>
/// <param name="Relation">The relation it aggregates over: name, join keys and event time.</param>
/// <param name="Window">Its window, or null: related rows with <c>Now − Window &lt; EventTime ≤ Now</c>.</param>
/// <param name="CanFail">Whether it can end in an exception for a parent (an empty non-nullable <c>Average</c>, a checked sum, a selector that throws).</param>
public sealed record PlannedAggregateInfo(string Column, string Aggregate, RelationInput Relation, TimeSpan? Window, bool CanFail);
