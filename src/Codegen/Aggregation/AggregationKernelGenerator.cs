using System.Linq.Expressions;
using Dsl.Codegen.Columns;
using Dsl.Codegen.Compilation;
using Dsl.Lowering.Ir;

namespace Dsl.Codegen.Aggregation;

/// <summary>
/// Generates the segmented aggregation kernel of one relation: a single pass over the related rows in their batch order
/// that, for each row whose parent is in the run's range and sees it (event time at or before the parent's <c>Now</c>,
/// and inside each aggregate's window), evaluates every aggregate's filter and selector on the row's columns and
/// updates that parent's state; then one pass over the parents that turns each state into the aggregate's value (or its
/// error) in an output column. Each parent's rows are visited in the order LINQ visits its list, so every value —
/// floating-point sums included — is bit for bit LINQ's (the rules per kind are in <c>AggregateSteps</c>).
/// </summary>
/// <remarks>
/// An exception while a parent's element is evaluated (a filter that divides by zero, a checked sum that overflows) ends
/// that parent's aggregate as LINQ's enumeration would end: the exception is the aggregate's outcome for that parent,
/// recorded in its error sink, and later rows of that parent are not evaluated for it. Runs over disjoint parent ranges
/// starting at multiples of 64 may execute concurrently; each visits only the related rows of its parents (the
/// narrowed scan's row selection is shared among them, <see cref="SharedSelection"/>; the general scan reads every row).
/// The scan is compiled as a method of its own (<see cref="ScanMethod"/>): the kernel around it catches exceptions
/// (bounds, finishing), and in a method with exception handlers the JIT keeps the scan's locals on the stack.
/// </remarks>
internal static class AggregationKernelGenerator
{
    private static readonly System.Reflection.MethodInfo s_readLong = typeof(NativeAccess).GetMethod(nameof(NativeAccess.Read))!.MakeGenericMethod(typeof(long));

    /// <param name="aggregates">The relation's aggregates.</param>
    /// <param name="related">The layouts of the related columns the aggregates read.</param>
    /// <param name="parents">The layouts of the parent columns the aggregates read.</param>
    /// <param name="eventTime">The layout of the relation's event-time column (a timestamp), or null when it has none.</param>
    public static Expression<AggregationBody> Generate(
        IReadOnlyList<SegmentedAggregate> aggregates, IReadOnlyList<ColumnLayout> related, IReadOnlyList<ColumnLayout> parents, ColumnLayout? eventTime)
    {
        var frame = Expression.Parameter(typeof(AggregationFrame), "frame");
        var start = Expression.Parameter(typeof(int), "start");
        var end = Expression.Parameter(typeof(int), "end");
        var relatedColumns = related.Select((layout, k) => ColumnLocals.Declare(layout, "related" + k)).ToArray();
        var parentColumns = parents.Select((layout, k) => ColumnLocals.Declare(layout, "parent" + k)).ToArray();
        var scope = new KernelScope(relatedColumns, parentColumns, eventTime is null ? null : ColumnLocals.Declare(eventTime, "event"));
        var steps = aggregates.Select((aggregate, k) => new AggregateSteps(aggregate, k, scope)).ToArray();

        var variables = new List<ParameterExpression>(relatedColumns.SelectMany(c => c.Variables()));
        variables.AddRange(parentColumns.SelectMany(c => c.Variables()));
        variables.AddRange([scope.ParentOf, scope.NowTicks, scope.Count, scope.Row, scope.Parent, scope.Local, scope.At, scope.RowLong, scope.ParentLong,
            scope.EventUnit, scope.EventMin, scope.EventMax, scope.Safe]);
        var statements = new List<Expression>();
        var relatedViews = Expression.Property(frame, nameof(AggregationFrame.Related));
        for (var k = 0; k < relatedColumns.Length; k++) statements.AddRange(relatedColumns[k].Load(Expression.ArrayIndex(relatedViews, Expression.Constant(k))));
        var parentViews = Expression.Property(frame, nameof(AggregationFrame.Parents));
        for (var k = 0; k < parentColumns.Length; k++) statements.AddRange(parentColumns[k].Load(Expression.ArrayIndex(parentViews, Expression.Constant(k))));
        if (scope.Event is { } eventColumn)
        {
            variables.AddRange(eventColumn.Variables());
            statements.AddRange(eventColumn.Load(Expression.Property(frame, nameof(AggregationFrame.EventTime))));
            statements.Add(Expression.Assign(scope.EventUnit, Expression.Property(frame, nameof(AggregationFrame.EventUnit))));
            statements.Add(Expression.Assign(scope.EventMin, Expression.Property(frame, nameof(AggregationFrame.EventMin))));
            statements.Add(Expression.Assign(scope.EventMax, Expression.Property(frame, nameof(AggregationFrame.EventMax))));
        }

        statements.Add(Expression.Assign(scope.ParentOf, Expression.Property(frame, nameof(AggregationFrame.ParentOf))));
        statements.Add(Expression.Assign(scope.NowTicks, Expression.Property(frame, nameof(AggregationFrame.NowTicks))));
        statements.Add(Expression.Assign(scope.Count, Expression.Subtract(end, start)));
        SharedMoments.Share(steps);
        foreach (var step in steps) step.DeclareState();
        scope.State.Build();
        variables.AddRange(scope.State.Variables);
        var pool = Expression.Property(frame, nameof(AggregationFrame.StatePool));
        statements.AddRange(scope.State.Allocate(scope.Count, pool));

        // The scans are built before the bounds' prologue: building them registers the bounds. The first runs when no
        // bound threw and each is one instant for every parent of the run (one Now for the batch): it compares with
        // locals, and the fewer values the loop carries, the more of them stay in registers.
        scope.UniformBounds = true;
        var uniformScan = Scan(steps, scope, frame, start, safe: true);
        scope.UniformBounds = false;
        var safeScan = scope.Bounds.Count == 0 ? null : Scan(steps, scope, frame, start, safe: true);
        var generalScan = Scan(steps, scope, frame, start, safe: false);
        variables.AddRange(scope.Bounds.SelectMany(b => b.Variables));
        statements.Add(Bounds(scope, start));
        statements.AddRange(steps.Select(step => step.AllocateErrors()));
        var allUniform = scope.Bounds.Select(b => (Expression)b.Uniform).Aggregate((Expression)Expression.Constant(true), Expression.AndAlso);
        statements.Add(Expression.IfThenElse(scope.Safe,
            safeScan is null ? ScanMethod.Call(uniformScan, "SegmentedScan")
                : Expression.IfThenElse(allUniform, ScanMethod.Call(uniformScan, "SegmentedScan"), ScanMethod.Call(safeScan, "SegmentedScanPerParent")),
            ScanMethod.Call(generalScan, "SegmentedScanCatching")));
        statements.Add(Finish(steps, scope, frame, start, end, variables));
        statements.Add(scope.State.Release(pool));
        return Expression.Lambda<AggregationBody>(Expression.Block(typeof(void), variables, statements), "SegmentedAggregation", [frame, start, end]);
    }

    /// <summary>
    /// Every bound of every parent in [start, end), then whether each is the same for all of them, and whether none threw:
    /// then the scan runs without catching (<see cref="KernelScope.Safe"/>).
    /// </summary>
    private static Expression Bounds(KernelScope scope, ParameterExpression start)
    {
        var statements = new List<Expression>();
        var done = Expression.Label("bounded");
        foreach (var bound in scope.Bounds) statements.AddRange(bound.Allocate(scope.Count));
        var body = new List<Expression>
        {
            Expression.IfThen(Expression.GreaterThanOrEqual(scope.Local, scope.Count), Expression.Break(done)),
            Expression.Assign(scope.Parent, Expression.Add(start, scope.Local)),
            Expression.Assign(scope.ParentLong, Expression.Convert(scope.Parent, typeof(long))),
        };
        body.AddRange(scope.Bounds.Select(bound => bound.Compute(scope.Local, scope.EventUnit)));
        body.Add(Expression.PreIncrementAssign(scope.Local));
        if (scope.Bounds.Count > 0)
        {
            statements.Add(Expression.Assign(scope.Local, Expression.Constant(0)));
            statements.Add(Expression.Loop(Expression.Block(typeof(void), body), done));
        }

        statements.AddRange(scope.Bounds.Select(bound => bound.Summarize()));
        statements.Add(Expression.Assign(scope.Safe, scope.Bounds.Select(b => b.NoneFailed()).Aggregate((Expression)Expression.Constant(true), Expression.AndAlso)));
        return Expression.Block(typeof(void), statements);
    }

    /// <summary>For each related row of a parent in [start, end) that the parent sees: every aggregate's step.</summary>
    private static Expression Scan(AggregateSteps[] steps, KernelScope scope, ParameterExpression frame, ParameterExpression start, bool safe)
    {
        var done = Expression.Label("scanned");
        var next = Expression.Label("next");
        // The first two statements find the row's parent; the selected scan replaces them (its selection carries the parent).
        var visit = new List<Expression>
        {
            Expression.Assign(scope.Parent, Expression.ArrayIndex(scope.ParentOf, scope.Row)),
            Expression.Assign(scope.Local, Expression.Subtract(scope.Parent, start)),
            // Unsigned: a row with no parent (-1) or another run's parent is outside [0, count).
            Expression.IfThen(Expression.GreaterThanOrEqual(Expression.Convert(scope.Local, typeof(uint)), Expression.Convert(scope.Count, typeof(uint))), Expression.Continue(next)),
            Expression.Assign(scope.RowLong, Expression.Convert(scope.Row, typeof(long))),
            Expression.Assign(scope.ParentLong, Expression.Convert(scope.Parent, typeof(long))),
        };
        if (scope.Event is { } eventColumn)
        {
            // A null event time is never visible; one outside DateTime's range fails the evaluation, as reading the row would.
            visit.Add(Expression.IfThen(Expression.Not(ColumnAccess.IsValid(eventColumn, scope.RowLong)), Expression.Continue(next)));
            visit.Add(Expression.Assign(scope.At, Expression.Call(s_readLong, eventColumn.Values, scope.RowLong)));
            visit.Add(Expression.IfThen(
                Expression.GreaterThan(Expression.Convert(Expression.Subtract(scope.At, scope.EventMin), typeof(ulong)), Expression.Convert(Expression.Subtract(scope.EventMax, scope.EventMin), typeof(ulong))),
                Expression.Block(Expression.Call(frame, nameof(AggregationFrame.ReportOutOfRange), null, scope.Row), Expression.Continue(next))));
            visit.Add(Expression.IfThen(Expression.GreaterThan(scope.At, scope.Visible.Read(scope.Local, scope.UniformBounds)), Expression.Continue(next))); // invisible: after Now
        }

        // The aggregates of one window are visited under one test of it (a windowed definition's sum, count and mean, and
        // several windows' worth of them, test each window once per row, not once per aggregate). Aggregates are independent
        // of one another, so visiting them in another order changes no value; each one's own rows stay in row order.
        foreach (var group in steps.GroupBy(step => step.TestedWindow))
        {
            if (group.Key is null) visit.AddRange(group.Select(step => step.Visit(safe)));
            else visit.Add(group.First().InWindow(Expression.Block(typeof(void), group.Select(step => step.Visit(safe, inWindow: true)))));
        }
        if (scope.UniformBounds && scope.Event is not null && steps.Length > 0 && steps.Select(s => s.LowerBound()).ToArray() is var lowers && lowers.All(b => b is not null))
            return SelectedScan(scope, frame, start, visit, next, lowers.Select(b => (Expression)b!.Scalar).Aggregate((a, b) => Expression.Call(typeof(Math), nameof(Math.Min), null, a, b)));

        return Expression.Block(
            Expression.Assign(scope.Row, Expression.Constant(0)),
            Expression.Loop(Expression.Block(typeof(void),
                visit.Prepend(Expression.IfThen(Expression.GreaterThanOrEqual(scope.Row, Expression.ArrayLength(scope.ParentOf)), Expression.Break(done)))
                    .Append(Expression.Label(next)).Append(Expression.PreIncrementAssign(scope.Row))), done));
    }

    /// <summary>
    /// The scan when every aggregate first tests the row's event time against a lower bound that is one instant for the
    /// run (a window, <c>t.At &gt; F.Now - TimeSpan.FromDays(30)</c> as a filter's first condition): a row at or below the
    /// lowest of them reaches no aggregate, so the rows are first narrowed, a block at a time and without branching, to
    /// those above it (or outside DateTime's range, which must still be reported) whose parent is in the run; then only
    /// those are visited, in row order (<see cref="SelectedBlocks"/>: the runs of an evaluation on several threads share
    /// one narrowing, <see cref="SharedSelection"/>). The per-row branch that a random filter makes mispredict is gone,
    /// and with it the pipeline flushes that kept the parents' state loads from overlapping.
    /// </summary>
    private static Expression SelectedScan(KernelScope scope, ParameterExpression frame, ParameterExpression start, List<Expression> visit, LabelTarget next, Expression lowest)
    {
        var blocks = Expression.Variable(typeof(SelectedBlocks), "blocks");
        var selected = Expression.Variable(typeof(int[]), "selected");
        var locals = Expression.Variable(typeof(int[]), "selectedLocals");
        var blockEnd = Expression.Variable(typeof(int), "blockEnd");
        var k = Expression.Variable(typeof(int), "k");
        var (scanned, visited) = (Expression.Label("scanned"), Expression.Label("visited"));
        // The state of the parent PrefetchPad rows ahead is asked for before this row's branches (a slot past the
        // block's last selected row holds another row's parent, or none: a useless but harmless prefetch).
        var prefetch = scope.State.Prefetch(Expression.ArrayIndex(locals, Expression.Add(k, Expression.Constant(SelectedBlocks.PrefetchPad))));
        // The parent's index in the run comes with the row (the selection read the parent map already): the visit does not
        // read the parent map again, one stream of memory fewer per run.
        var locate = new Expression[]
        {
            Expression.Assign(scope.Local, Expression.ArrayIndex(locals, k)),
            Expression.Assign(scope.Parent, Expression.Add(scope.Local, start)),
        };
        var visitSelected = Expression.Loop(Expression.Block(typeof(void),
            locate.Concat(visit.Skip(2)).Prepend(prefetch).Prepend(Expression.Assign(scope.Row, Expression.ArrayIndex(selected, k)))
                .Prepend(Expression.IfThen(Expression.GreaterThanOrEqual(k, blockEnd), Expression.Break(visited)))
                .Append(Expression.Label(next)).Append(Expression.PreIncrementAssign(k))), visited);
        return Expression.Block(typeof(void), [blocks, selected, locals, blockEnd, k],
            Expression.Assign(blocks, Expression.Call(typeof(SelectedBlocks), nameof(SelectedBlocks.Start), null, frame, scope.Event!.Values, start, scope.Count, lowest)),
            Expression.Loop(Expression.Block(
                Expression.IfThen(Expression.Not(Expression.Call(blocks, nameof(SelectedBlocks.Next), null)), Expression.Break(scanned)),
                Expression.Assign(selected, Expression.Property(blocks, nameof(SelectedBlocks.Rows))),
                Expression.Assign(locals, Expression.Property(blocks, nameof(SelectedBlocks.Locals))),
                Expression.Assign(k, Expression.Property(blocks, nameof(SelectedBlocks.First))),
                Expression.Assign(blockEnd, Expression.Property(blocks, nameof(SelectedBlocks.End))),
                visitSelected), scanned));
    }

    /// <summary>For each parent in [start, end): every aggregate's value written to its output, or its error recorded.</summary>
    private static Expression Finish(AggregateSteps[] steps, KernelScope scope, ParameterExpression frame, ParameterExpression start, ParameterExpression end, List<ParameterExpression> variables)
    {
        var statements = new List<Expression>();
        var outputs = Expression.Property(frame, nameof(AggregationFrame.Outputs));
        foreach (var step in steps)
        {
            variables.AddRange(step.Output.Variables());
            variables.Add(step.Sink);
            statements.AddRange(step.Output.Load(Expression.ArrayIndex(outputs, Expression.Constant(step.Index)), start, end));
            statements.Add(Expression.Assign(step.Sink, Expression.Call(frame, nameof(AggregationFrame.ErrorRun), null, Expression.Constant(step.Index), start)));
        }

        var done = Expression.Label("finished");
        var body = new List<Expression>
        {
            Expression.IfThen(Expression.GreaterThanOrEqual(scope.Local, scope.Count), Expression.Break(done)),
            Expression.Assign(scope.Parent, Expression.Add(start, scope.Local)),
            Expression.Assign(scope.ParentLong, Expression.Convert(scope.Parent, typeof(long))),
        };
        body.AddRange(steps.Select(step => step.Finish()));
        body.Add(Expression.PreIncrementAssign(scope.Local));
        statements.Add(Expression.Assign(scope.Local, Expression.Constant(0)));
        statements.Add(Expression.Loop(Expression.Block(typeof(void), body), done));
        for (var k = 0; k < steps.Length; k++) statements.Add(steps[k].Output.Finish(Expression.ArrayIndex(outputs, Expression.Constant(k))));
        return Expression.Block(typeof(void), statements);
    }
}

/// <summary>The locals every aggregate's code shares: the columns, the row and parent being visited, the times and bounds.</summary>
internal sealed class KernelScope(ColumnLocals[] related, ColumnLocals[] parents, ColumnLocals? eventTime)
{
    private readonly List<ParentBound> _bounds = [];
    private readonly Dictionary<TimeSpan, ParentBound> _windows = [];
    private ParentBound? _visible;

    public ColumnLocals[] Related { get; } = related;

    /// <summary>Every aggregate's per-parent state.</summary>
    public ParentState State { get; } = new();

    /// <summary>While a scan is built that runs only when every bound is the same for all parents of the run (and none threw).</summary>
    public bool UniformBounds { get; set; }

    public ColumnLocals[] Parents { get; } = parents;

    /// <summary>The relation's event-time column (raw timestamps), or null when it has none.</summary>
    public ColumnLocals? Event { get; } = eventTime;

    public ParameterExpression ParentOf { get; } = Expression.Variable(typeof(int[]), "parentOf");

    /// <summary>Per parent (absolute index), its Now as .NET ticks.</summary>
    public ParameterExpression NowTicks { get; } = Expression.Variable(typeof(long[]), "nowTicks");

    public ParameterExpression EventUnit { get; } = Expression.Variable(typeof(Apache.Arrow.Types.TimeUnit), "eventUnit");

    public ParameterExpression EventMin { get; } = Expression.Variable(typeof(long), "eventMin");

    public ParameterExpression EventMax { get; } = Expression.Variable(typeof(long), "eventMax");

    /// <summary>The parents of the run: end − start.</summary>
    public ParameterExpression Count { get; } = Expression.Variable(typeof(int), "count");

    public ParameterExpression Row { get; } = Expression.Variable(typeof(int), "r");

    public ParameterExpression Parent { get; } = Expression.Variable(typeof(int), "p");

    /// <summary>The parent's index in the run's state arrays: p − start.</summary>
    public ParameterExpression Local { get; } = Expression.Variable(typeof(int), "local");

    /// <summary>The visited row's raw event time (in its column's unit).</summary>
    public ParameterExpression At { get; } = Expression.Variable(typeof(long), "at");

    public ParameterExpression RowLong { get; } = Expression.Variable(typeof(long), "row");

    public ParameterExpression ParentLong { get; } = Expression.Variable(typeof(long), "parent");

    /// <summary>Whether no bound of the run's parents threw: the scan that cannot meet a bound's exception runs.</summary>
    public ParameterExpression Safe { get; } = Expression.Variable(typeof(bool), "safe");

    public IReadOnlyList<ParentBound> Bounds => _bounds;

    /// <summary>A row is visible to its parent when its raw event time is at or below this bound (the parent's Now).</summary>
    public ParentBound Visible => _visible ??= Add(Expression.ArrayIndex(NowTicks, Parent), mayThrow: false);

    /// <summary>A row is in the window (Now − <paramref name="window"/>, Now] when its raw event time is above this bound.</summary>
    public ParentBound WindowStart(TimeSpan window) => _windows.TryGetValue(window, out var bound)
        ? bound
        : _windows[window] = Add(Expression.Subtract(Expression.ArrayIndex(NowTicks, Parent), Expression.Constant(window.Ticks)), mayThrow: false);

    /// <summary>
    /// The bound at the instant <paramref name="ticks"/> computes, shared with every earlier bound whose ticks are computed the
    /// same way from the same columns: W5's three aggregates each filter on <c>t.At &gt; F.Now - TimeSpan.FromDays(30)</c>, and
    /// one bound per parent is computed once instead of three times. The same code on the same parent gives the same
    /// instant, or throws the same way (the one exception object is then each aggregate's outcome for that parent).
    /// </summary>
    public ParentBound Shared(Expression ticks, bool mayThrow)
    {
        // The kernel's locals the ticks read (columns, the parent) go in as constants that compare by reference: StructuralKey
        // names parameters by their order of appearance, so instants reading different parent columns would otherwise match.
        var locals = ScanMethod.FreeVariablesOf(ticks);
        var key = StructuralKey.Of(Expression.Lambda(Lowering.Intrinsics.ParameterSubstitution.Replace(ticks, locals,
            locals.Select(v => (Expression)Expression.Convert(Expression.Constant(v, typeof(object)), v.Type)).ToArray()))); // typed as the local, never compiled
        if (_shared.TryGetValue(key, out var bound)) return bound;
        return _shared[key] = Add(ticks, mayThrow);
    }

    private readonly Dictionary<StructuralKey, ParentBound> _shared = [];

    /// <summary>A bound at the instant whose ticks <paramref name="ticks"/> computes for the parent in <see cref="Parent"/>.</summary>
    public ParentBound Add(Expression ticks, bool mayThrow)
    {
        var bound = new ParentBound(_bounds.Count, ticks, mayThrow);
        _bounds.Add(bound);
        return bound;
    }
}
