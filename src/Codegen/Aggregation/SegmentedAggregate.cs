using System.Linq.Expressions;
using System.Reflection;
using Dsl.Codegen.Columns;
using Dsl.Lowering.Ir;

namespace Dsl.Codegen.Aggregation;

/// <summary>
/// One aggregate over a relation's related rows that the segmented kernel computes for every parent: the IR node, the
/// window of the feature it belongs to, and where its lambdas' references come from — each element member read is a
/// column of the related batch (<see cref="Members"/>), each other parameter a column of the parent batch
/// (<see cref="Outer"/>, <c>Now</c> included).
/// </summary>
internal sealed record SegmentedAggregate(
    ListAggregateExpression Node,
    TimeSpan? Window,
    IReadOnlyDictionary<MemberInfo, int> Members,
    IReadOnlyDictionary<ParameterExpression, int> Outer)
{
    /// <summary>The kinds the segmented kernel computes; any other aggregate runs row by row over materialized rows.</summary>
    public static bool Supports(ListAggregateExpression node) => node.Skip == 0 && node.Kind switch
    {
        // LINQ's Select(f).Count() runs f on every element; the kernel counts without it, so f must not be able to throw.
        ListAggregateKind.Count or ListAggregateKind.LongCount => node.Selector is null || !Lowering.Analyses.ThrowAnalysis.SubtreeCanThrow(node.Selector.Body),
        ListAggregateKind.Sum or ListAggregateKind.Average
            or ListAggregateKind.Min or ListAggregateKind.Max or ListAggregateKind.Any or ListAggregateKind.All
            or ListAggregateKind.First or ListAggregateKind.FirstOrDefault or ListAggregateKind.Contains or ListAggregateKind.CountDistinct => true,
        // Forward scans only: LINQ scans an IList backwards for Last with a predicate, which differs only when the predicate throws.
        ListAggregateKind.Last or ListAggregateKind.LastOrDefault => node.Filter is null || !Lowering.Analyses.ThrowAnalysis.SubtreeCanThrow(node.Filter.Body),
        _ => false,
    };
}

/// <summary>
/// What one run of a segmented aggregation kernel works on: the related rows' parent (<see cref="ParentOf"/>, -1 for rows
/// no parent sees), event times and each parent's <c>Now</c> as ticks (for visibility and windows), the bound related and
/// parent columns, and one output and error sink per aggregate. Parent ranges of it may run concurrently when they start
/// at multiples of 64.
/// </summary>
internal sealed class AggregationFrame(
    int[] parentOf, long[]? eventTicks, long[]? nowTicks, ColumnView[] related, ColumnView[] parents, OutputColumn[] outputs, RowErrorSink[] errors)
{
    public int[] ParentOf { get; } = parentOf;

    public long[]? EventTicks { get; } = eventTicks;

    public long[]? NowTicks { get; } = nowTicks;

    public ColumnView[] Related { get; } = related;

    public ColumnView[] Parents { get; } = parents;

    public OutputColumn[] Outputs { get; } = outputs;

    public RowErrorSink[] Errors { get; } = errors;
}

/// <summary>The compiled form of a segmented aggregation: computes every aggregate for the parents [start, end).</summary>
internal delegate void AggregationBody(AggregationFrame frame, int start, int end);
