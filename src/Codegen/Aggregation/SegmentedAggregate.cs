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
    /// <summary>The relation's event-time member, when it has one: comparisons of it with a per-parent instant read the raw timestamps.</summary>
    public MemberInfo? EventTime { get; init; }

    /// <summary>For <c>MinBy</c>/<c>MaxBy</c>: the member of the chosen row that is the aggregate's value; else null.</summary>
    public PropertyInfo? Projection { get; init; }

    /// <summary>The type of the aggregate's value: the projected member's, else the node's.</summary>
    public Type Type => Projection?.PropertyType ?? Node.Type;

    /// <summary>
    /// The kinds the segmented kernel computes (<c>MinBy</c>/<c>MaxBy</c> only for a member of the chosen row,
    /// <paramref name="projection"/>); any other aggregate runs row by row over materialized rows.
    /// </summary>
    public static bool Supports(ListAggregateExpression node, PropertyInfo? projection = null) => node.Skip == 0 && node.Kind switch
    {
        ListAggregateKind.MinBy or ListAggregateKind.MaxBy => projection is not null && node.Selector is null,
        // LINQ's Select(f).Count() runs f on every element; the kernel counts without it, so f must not be able to throw.
        ListAggregateKind.Count or ListAggregateKind.LongCount => node.Selector is null || !Lowering.Analyses.ThrowAnalysis.SubtreeCanThrow(node.Selector.Body),
        ListAggregateKind.Sum or ListAggregateKind.Average
            or ListAggregateKind.Min or ListAggregateKind.Max or ListAggregateKind.Any or ListAggregateKind.All
            or ListAggregateKind.First or ListAggregateKind.FirstOrDefault or ListAggregateKind.Contains or ListAggregateKind.CountDistinct => true,
        // The seed is evaluated where the fold starts and where it is empty: it must not be able to throw (LINQ evaluates it once, first).
        ListAggregateKind.Fold => !Lowering.Analyses.ThrowAnalysis.SubtreeCanThrow(node.Argument!),
        // Forward scans only: LINQ scans an IList backwards for Last with a predicate, which differs only when the predicate throws.
        ListAggregateKind.Last or ListAggregateKind.LastOrDefault => node.Filter is null || !Lowering.Analyses.ThrowAnalysis.SubtreeCanThrow(node.Filter.Body),
        _ => false,
    };
}

/// <summary>
/// What one run of a segmented aggregation kernel works on: the related rows' parent (<see cref="ParentOf"/>, -1 for rows
/// no parent sees), the event-time column (raw timestamps, its unit and the range that converts to a DateTime) and each
/// parent's <c>Now</c> as ticks (for visibility and windows), the bound related and parent columns, and one output and
/// error sink per aggregate. Parent ranges of it may run concurrently when they start at multiples of 64.
/// </summary>
internal sealed class AggregationFrame(
    int[] parentOf, ColumnView? eventTime, Apache.Arrow.Types.TimeUnit eventUnit, long[]? nowTicks, ColumnView[] related, ColumnView[] parents, OutputColumn[] outputs, AggregateErrors[] errors)
{
    private int _outOfRange = int.MaxValue;

    public int[] ParentOf { get; } = parentOf;

    public ColumnView? EventTime { get; } = eventTime;

    public Apache.Arrow.Types.TimeUnit EventUnit { get; } = eventUnit;

    /// <summary>The smallest raw event time that converts to a DateTime.</summary>
    public long EventMin { get; } = ArrowExtensions.TemporalConversions.TimestampRange(eventUnit).Min;

    /// <summary>The largest raw event time that converts to a DateTime.</summary>
    public long EventMax { get; } = ArrowExtensions.TemporalConversions.TimestampRange(eventUnit).Max;

    public long[]? NowTicks { get; } = nowTicks;

    public ColumnView[] Related { get; } = related;

    public ColumnView[] Parents { get; } = parents;

    public OutputColumn[] Outputs { get; } = outputs;

    public AggregateErrors[] Errors { get; } = errors;

    /// <summary>Where runs take their interleaved parent state from and give it back (the plan's, kept across evaluations).</summary>
    public StatePool StatePool { get; init; } = new();

    /// <summary>
    /// The row selection the runs over this frame's parent ranges share (each selects a share of the chunks), or null: each
    /// run selects its rows itself (one run, or no event time).
    /// </summary>
    public SharedSelection? Selection { get; init; }

    /// <summary>Where the run starting at parent <paramref name="start"/> records the errors of aggregate <paramref name="aggregate"/>.</summary>
    public AggregateErrorRun ErrorRun(int aggregate, int start) => Errors[aggregate].Run(start);

    /// <summary>The first related row a parent sees whose event time is outside DateTime's range, or -1.</summary>
    public int OutOfRangeRow => _outOfRange == int.MaxValue ? -1 : _outOfRange;

    /// <summary>Records a row a parent sees whose event time converts to no DateTime (the evaluation fails, as reading it would).</summary>
    public void ReportOutOfRange(int row)
    {
        var seen = Volatile.Read(ref _outOfRange);
        while (row < seen)
        {
            var previous = Interlocked.CompareExchange(ref _outOfRange, row, seen);
            if (previous == seen) return;
            seen = previous;
        }
    }
}

/// <summary>The compiled form of a segmented aggregation: computes every aggregate for the parents [start, end).</summary>
internal delegate void AggregationBody(AggregationFrame frame, int start, int end);
