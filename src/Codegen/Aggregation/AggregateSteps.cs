using System.Linq.Expressions;
using Dsl.Codegen.Columns;
using Dsl.Codegen.Compilation;
using Dsl.Lowering.Analyses;
using Dsl.Lowering.Ir;

namespace Dsl.Codegen.Aggregation;

/// <summary>
/// The code of one aggregate in a segmented kernel: its per-parent state arrays, the step run for each related row its
/// parent sees, and the finish that turns the state into the value. Each kind follows LINQ-to-objects on .NET 10 as
/// <c>ListAggregateExpression.Reduce</c> spells it out (its rules are the reference): sums left to right from zero
/// (checked for integers, <c>float</c> in <c>double</c>), averages from the first value, <c>Min</c> stopping at the first
/// NaN and <c>Max</c> letting leading NaNs go, strict comparisons so the first of equal values wins, nullable values
/// skipping nulls, <c>Any</c> without a filter never running the selector (LINQ counts a list), <c>Last</c> applying its
/// selector once to the row found; an empty non-nullable <c>Min</c>/<c>Max</c>/<c>Average</c>/<c>First</c>/<c>Last</c>
/// throws <see cref="InvalidOperationException"/> "Sequence contains no elements".
/// </summary>
internal sealed class AggregateSteps
{
    private readonly SegmentedAggregate _aggregate;
    private readonly ListAggregateExpression _node;
    private readonly KernelScope _scope;
    private StateField? _done;   // declared in PrepareState: a member of shared moments takes its owner's
    private StateField? _errors;
    private readonly bool _mayThrow;
    private readonly bool _mayThrowSafe;
    private readonly Dictionary<Expression, (ParentBound Bound, bool Above)> _eventComparisons = [];
    private bool _safe;

    public AggregateSteps(SegmentedAggregate aggregate, int index, KernelScope scope)
    {
        _aggregate = aggregate;
        _node = aggregate.Node;
        _scope = scope;
        Index = index;
        var outputType = ColumnTypes.ArrowTypeOf(aggregate.Type);
        Output = new OutputLocals(ColumnTypes.LayoutOf(outputType), aggregate.Type);
        Sink = Expression.Variable(typeof(AggregateErrorRun), "errors" + index);
        // Counts are checked too, but a parent cannot have 2^31 related rows: an int holds the related batch's row count.
        var checkedSum = _node.Kind is ListAggregateKind.Sum or ListAggregateKind.Average && Accumulator is var a && (a == typeof(int) || a == typeof(long) || a == typeof(decimal));
        // The element's members are read from columns, which cannot throw (t.Amount of a null t can, in C#; here no t is null).
        var columnReads = new ElementReadRemover(aggregate);
        _mayThrow = LambdasMayThrow(_node, columnReads.Visit) || checkedSum;
        FindEventComparisons();
        // With every bound computed without an exception, what is left of the lambdas may still throw (or not).
        var comparisons = new EventComparisonRemover(_eventComparisons);
        _mayThrowSafe = checkedSum || LambdasMayThrow(_node, e => columnReads.Visit(comparisons.Visit(e)));
        Moments = MomentsOf();
    }

    /// <summary>The rows this aggregate sums or counts, when it may share one sum and count with others (<see cref="SharedMoments"/>); else null.</summary>
    public MomentsKey? Moments { get; }

    // Set by ShareMoments: the state is Average's sum and count, updated by _momentsOwner's visit (this one's, when it is the owner).
    private bool _moments;
    private AggregateSteps? _momentsOwner;

    /// <summary>Keeps this aggregate's value in <paramref name="owner"/>'s sum and count, which only the owner's visit updates.</summary>
    public void ShareMoments(AggregateSteps owner)
    {
        if (_value is not null) throw new InvalidOperationException("The aggregate's state is already declared.");
        _moments = true;
        _momentsOwner = owner == this ? null : owner;
    }

    private MomentsKey? MomentsOf()
    {
        // A filter that may throw only where its event-time bound threw (W5's t.At > F.Now - 30 days) fails the same way for
        // every aggregate with that filter; anything else that may throw, or stop early, keeps its own state.
        if (_mayThrowSafe || StopsEarly || _node.Argument is not null || _node.Function is not null) return null;
        var counts = _node.Kind is ListAggregateKind.Count or ListAggregateKind.LongCount;
        var sums = _node.Kind is ListAggregateKind.Sum or ListAggregateKind.Average && ValueType == typeof(double) && _node.Type == typeof(double) && Accumulator == typeof(double);
        if (!counts && !(sums && _node.Selector is not null)) return null;
        return new MomentsKey(_aggregate.Window, SharedMoments.KeyOf(_node.Filter, _aggregate), counts ? null : SharedMoments.KeyOf(_node.Selector, _aggregate), counts);
    }

    public int Index { get; }

    public OutputLocals Output { get; }

    public ParameterExpression Sink { get; }

    private Type ValueType => _node.ValueType;

    private Type Core => Nullable.GetUnderlyingType(ValueType) ?? ValueType;

    private Type Accumulator => AggregateTypes.AccumulatorType(ValueType, average: _node.Kind == ListAggregateKind.Average);

    private bool StopsEarly => _node.Kind is ListAggregateKind.Any or ListAggregateKind.All or ListAggregateKind.First or ListAggregateKind.FirstOrDefault
        or ListAggregateKind.Contains or ListAggregateKind.Min;

    /// <summary>Adds the kind's state to the kernel's parent state (allocated by the kernel, once laid out).</summary>
    public void DeclareState() => PrepareState();

    /// <summary>
    /// The step for the visited row (skipped when outside the window or when the parent's aggregate is done). The safe
    /// step runs when no bound of the run's parents threw: it cannot meet a bound's exception, so it catches only when
    /// the rest of the lambdas may throw.
    /// </summary>
    /// <param name="safe">Whether no bound of the run's parents threw.</param>
    /// <param name="inWindow">Whether the caller has already tested that the row is in the aggregate's window (one test for every aggregate of that window).</param>
    public Expression Visit(bool safe, bool inWindow = false)
    {
        var local = _scope.Local;
        _safe = safe;
        if (_momentsOwner is not null) return Expression.Empty(); // the owner's visit updates the shared sum and count
        Expression step = Step();
        var mayThrow = safe ? _mayThrowSafe : _mayThrow;
        if (mayThrow)
        {
            var exception = Expression.Variable(typeof(Exception), "exception");
            step = Expression.TryCatch(Expression.Block(typeof(void), step),
                Expression.Catch(exception, Expression.Block(typeof(void),
                    Expression.Assign(Slot(_errors!), exception),
                    Expression.Assign(Slot(_done!), Expression.Constant(true)))));
        }

        if (_done is not null && (mayThrow || StopsEarly)) step = Expression.IfThen(Expression.Not(Slot(_done)), step);
        return inWindow ? step : InWindow(step);
    }

    /// <summary>The window the aggregate belongs to, when the kernel tests it (the relation has an event time); else null.</summary>
    public TimeSpan? TestedWindow => _scope.Event is null ? null : _aggregate.Window;

    /// <summary><paramref name="step"/>, run only for a row inside the aggregate's window (Now − window, Now].</summary>
    public Expression InWindow(Expression step) => TestedWindow is { } window
        ? Expression.IfThen(Expression.GreaterThan(_scope.At, _scope.WindowStart(window).Read(_scope.Local, _scope.UniformBounds)), step)
        : step;

    /// <summary>
    /// The bound the row's raw event time must be above before this aggregate evaluates anything for it — its window, or
    /// the first condition of its filter when that is an event-time comparison such as <c>t.At &gt; F.Now - w</c> — or null
    /// when the aggregate has none (a row below it is skipped without evaluating any of its lambdas, as LINQ's
    /// short-circuit would skip them).
    /// </summary>
    public ParentBound? LowerBound()
    {
        if (_aggregate.Window is { } window && _scope.Event is not null) return _scope.WindowStart(window);
        if (_node.Filter is null) return null;
        var first = _node.Filter.Body;
        while (first is BinaryExpression { NodeType: ExpressionType.AndAlso } both) first = both.Left;
        return _eventComparisons.TryGetValue(first, out var found) && found.Above ? found.Bound : null;
    }

    /// <summary>
    /// Allocates the per-parent exceptions once the bounds are computed, when the scan that runs may meet one: a filter
    /// such as <c>t.At &gt; F.Now - TimeSpan.FromDays(30)</c> may throw only where its bound did, and when no bound threw the
    /// scan that runs cannot (then no array of one reference per parent is allocated, filled with nulls and read back).
    /// </summary>
    public Expression AllocateErrors()
    {
        if (_errors is null || _momentsOwner is not null) return Expression.Empty(); // a member's errors are its owner's
        var array = _errors.Array!;
        var needed = _mayThrowSafe ? (Expression)Expression.Constant(true) : Expression.Not(_scope.Safe);
        return Expression.IfThen(needed, Expression.Assign(array, Expression.NewArrayBounds(typeof(Exception), _scope.Count)));
    }

    /// <summary>Writes the parent's value (or records its error and writes a null).</summary>
    public Expression Finish()
    {
        var exception = Expression.Variable(typeof(Exception), "exception");
        Expression write = Expression.TryCatch(
            Expression.Block(typeof(void), OutputAccess.Write(Output, _scope.ParentLong, Value())),
            Expression.Catch(exception, Record(exception)));
        // An empty sequence's error is recorded without throwing: with many empty parents (short windows), throwing costs more than the scan.
        var emptyError = _node.Kind is ListAggregateKind.MinBy or ListAggregateKind.MaxBy ? (Exception)s_nullRow : s_noElements;
        if (EmptyFails() is { } empty) write = Expression.IfThenElse(empty, Record(Expression.Constant(emptyError, typeof(Exception))), write);
        if (_errors is null) return write;
        var error = Slot(_errors);
        return Expression.IfThenElse(
            Expression.AndAlso(Expression.NotEqual(_errors.Array!, Expression.Constant(null, _errors.Array!.Type)), Expression.NotEqual(error, Expression.Constant(null, typeof(Exception)))),
            Record(error), write);
    }

    /// <summary>LINQ's exception for an empty sequence, recorded (never thrown) for each parent that has none.</summary>
    private static readonly InvalidOperationException s_noElements = new("Sequence contains no elements");

    /// <summary>When the parent's sequence is empty and the kind throws for that (non-nullable Min, Max, Average, First, Last); else null.</summary>
    private Expression? EmptyFails()
    {
        var nullable = Nullable.GetUnderlyingType(_node.Type) is not null; // as Value()'s Empty(): only Nullable<T> results are null when empty
        return _node.Kind switch
        {
            ListAggregateKind.Average when !nullable => Expression.Equal(Slot(_count!), Expression.Constant(0L)),
            ListAggregateKind.Min or ListAggregateKind.Max when !nullable => Expression.Not(Slot(_count!)),
            ListAggregateKind.First or ListAggregateKind.Last => Expression.Not(Slot(_count!)),
            ListAggregateKind.MinBy or ListAggregateKind.MaxBy => Expression.Not(Slot(_seen!)),
            _ => null,
        };
    }

    /// <summary>Reading a member of MinBy/MaxBy's row when the sequence is empty (the row is null), recorded without being thrown.</summary>
    private static readonly NullReferenceException s_nullRow = new();

    private Expression Record(Expression exception) => Expression.Block(typeof(void),
        Expression.Call(Sink, nameof(AggregateErrorRun.Record), null, _scope.Parent, exception),
        OutputAccess.WriteNull(Output, _scope.ParentLong));

    // State of each kind (allocated per run, one slot per parent of the run).
    private StateField? _value;   // sum / best / first value / last row / found flag / count
    private StateField? _count;   // average count, min/max "any"
    private StateField? _sets;    // distinct values
    private StateField? _seen;    // MinBy/MaxBy: some row visited
    private StateField? _first;   // MinBy/MaxBy: the first row visited (the answer when every key is null)
    private StateField? _key;     // MinBy/MaxBy: the best key so far

    private void PrepareState()
    {
        if (_value is not null || _sets is not null) return;
        if (_momentsOwner is not null)
        {
            // The same filter fails for the same parent at the same row (only its shared bound may throw): the owner's error
            // and done flag are the member's too.
            _momentsOwner.PrepareState();
            (_value, _count, _errors, _done) = (_momentsOwner._value, _momentsOwner._count, _momentsOwner._errors, _momentsOwner._done);
            return;
        }

        if (_mayThrow) _errors = _scope.State.Add(typeof(Exception), $"error{Index}", ownArray: true);
        if (_mayThrow || StopsEarly) _done = StateArray(typeof(bool), "done");

        if (_moments)
        {
            _value = StateArray(typeof(double), "sum");
            _count = StateArray(typeof(long), "count");
            return;
        }

        switch (_node.Kind)
        {
            case ListAggregateKind.Sum: _value = StateArray(Accumulator, "sum"); break;
            case ListAggregateKind.Count: _value = StateArray(typeof(int), "count"); break;
            case ListAggregateKind.LongCount: _value = StateArray(typeof(long), "count"); break;
            case ListAggregateKind.Average: _value = StateArray(Accumulator, "sum"); _count = StateArray(typeof(long), "count"); break;
            case ListAggregateKind.Min or ListAggregateKind.Max: _value = StateArray(Core, "best"); _count = StateArray(typeof(bool), "any"); break;
            case ListAggregateKind.Any or ListAggregateKind.Contains: _value = StateArray(typeof(bool), "found"); break;
            case ListAggregateKind.All: _value = StateArray(typeof(bool), "failed"); break;
            case ListAggregateKind.First or ListAggregateKind.FirstOrDefault: _value = StateArray(ValueType, "first"); _count = StateArray(typeof(bool), "found"); break;
            case ListAggregateKind.Last or ListAggregateKind.LastOrDefault: _value = StateArray(typeof(int), "lastRow"); _count = StateArray(typeof(bool), "found"); break;
            case ListAggregateKind.CountDistinct: _sets = StateArray(typeof(HashSet<>).MakeGenericType(ValueType), "seen"); break;
            case ListAggregateKind.Fold: _value = StateArray(_node.Type, "accumulator"); _count = StateArray(typeof(bool), "started"); break;
            case ListAggregateKind.MinBy or ListAggregateKind.MaxBy:
                _value = StateArray(typeof(int), "bestRow");
                _count = StateArray(typeof(bool), "hasBest");
                _seen = StateArray(typeof(bool), "seen");
                _first = StateArray(typeof(int), "firstRow");
                _key = StateArray(Nullable.GetUnderlyingType(_node.Function!.ReturnType) ?? _node.Function!.ReturnType, "bestKey");
                break;
            default: throw new NotSupportedException($"The segmented kernel does not compute {_node.Kind}.");
        }
    }

    private StateField StateArray(Type element, string name) => _scope.State.Add(element, $"{name}{Index}");

    private Expression Slot(StateField field) => _scope.State.Slot(field, _scope.Local);

    /// <summary>One row: the filter, then (for a taken row) the selector and the kind's update.</summary>
    private Expression Step()
    {
        var local = _scope.Local;
        var value = Expression.Variable(ValueType, "value");
        Expression Taken(Expression update, bool select = true)
        {
            var body = select ? Expression.Block(typeof(void), [value], Expression.Assign(value, Selected()), update) : update;
            return _node.Filter is null ? body : Expression.IfThen(Bind(_node.Filter.Body), body);
        }

        Expression Done() => Expression.Assign(Slot(_done!), Expression.Constant(true));
        switch (_node.Kind)
        {
            case ListAggregateKind.Sum or ListAggregateKind.Average when _moments:
                // The shared state is Average's: the sum from the first value, and the count (see SharedMoments).
                return Taken(Expression.Block(
                    Expression.Assign(Slot(_value!), Expression.Condition(Expression.Equal(Slot(_count!), Expression.Constant(0L)), value, Expression.Add(Slot(_value!), value))),
                    Expression.Assign(Slot(_count!), Expression.Increment(Slot(_count!)))));
            case ListAggregateKind.Sum:
                return Taken(OnPayload(value, v => Expression.Assign(Slot(_value!), Add(Slot(_value!), Expression.Convert(v, Accumulator)))));
            case ListAggregateKind.Count:
                return Taken(Expression.Assign(Slot(_value!), Expression.AddChecked(Slot(_value!), Expression.Constant(1))), select: false);
            case ListAggregateKind.LongCount:
                return Taken(Expression.Assign(Slot(_value!), Expression.AddChecked(Slot(_value!), Expression.Constant(1L))), select: false);
            case ListAggregateKind.Average:
                return Taken(OnPayload(value, v =>
                {
                    var x = Expression.Convert(v, Accumulator);
                    return Expression.Block(
                        Expression.Assign(Slot(_value!), Expression.Condition(Expression.Equal(Slot(_count!), Expression.Constant(0L)), x, Add(Slot(_value!), x))),
                        Expression.Assign(Slot(_count!), Expression.Increment(Slot(_count!))));
                }));
            case ListAggregateKind.Min or ListAggregateKind.Max:
                return Taken(OnPayload(value, MinMaxStep));
            case ListAggregateKind.Any:
                // Without a filter LINQ counts the list and never runs the selector; with one, the selector runs on the row found.
                return Taken(Expression.Block(Expression.Assign(Slot(_value!), Expression.Constant(true)), Done()), select: _node.Filter is not null && _node.Selector is not null);
            case ListAggregateKind.All:
                {
                    // The test reads the element when there is no selector, else the selected value.
                    var fails = Expression.Block(Expression.Assign(Slot(_value!), Expression.Constant(true)), Done());
                    return _node.Selector is null
                        ? Taken(Expression.IfThen(Expression.Not(Bind(_node.Function!.Body)), fails), select: false)
                        : Taken(Expression.IfThen(Expression.Not(Bind(Inline(_node.Function!, value))), fails));
                }
            case ListAggregateKind.First or ListAggregateKind.FirstOrDefault:
                return Taken(Expression.Block(Expression.Assign(Slot(_value!), value), Expression.Assign(Slot(_count!), Expression.Constant(true)), Done()));
            case ListAggregateKind.Last or ListAggregateKind.LastOrDefault:
                return Taken(Expression.Block(Expression.Assign(Slot(_value!), _scope.Row), Expression.Assign(Slot(_count!), Expression.Constant(true))), select: false);
            case ListAggregateKind.Contains:
                return Taken(Expression.IfThen(EqualityDefault(value, Bind(_node.Argument!)),
                    Expression.Block(Expression.Assign(Slot(_value!), Expression.Constant(true)), Done())));
            case ListAggregateKind.Fold:
                {
                    // acc = Function(acc, value), acc starting at the seed; without a selector the function reads the row's members.
                    // The kernel's own locals go in as KernelCode, which binding leaves as it is.
                    var accumulator = new KernelCode(Expression.Condition(Slot(_count!), Slot(_value!), Bind(_node.Argument!)));
                    var function = _node.Function!;
                    var step = _node.Selector is null
                        ? Lowering.Intrinsics.ParameterSubstitution.Replace(function.Body, [function.Parameters[0]], [accumulator])
                        : Lowering.Intrinsics.ParameterSubstitution.Replace(function.Body, function.Parameters, [accumulator, new KernelCode(value)]);
                    return Taken(Expression.Block(Expression.Assign(Slot(_value!), Bind(step)), Expression.Assign(Slot(_count!), Expression.Constant(true))),
                        select: _node.Selector is not null);
                }

            case ListAggregateKind.MinBy or ListAggregateKind.MaxBy:
                {
                    // LINQ's MinBy/MaxBy: the key of every row is computed; null keys are skipped (all null: the first row);
                    // Comparer<K>.Default orders the rest (NaN below every number) and only a strictly better key replaces the best.
                    var key = Expression.Variable(_node.Function!.ReturnType, "key");
                    var firstVisit = Expression.IfThen(Expression.Not(Slot(_seen!)),
                        Expression.Block(Expression.Assign(Slot(_seen!), Expression.Constant(true)), Expression.Assign(Slot(_first!), _scope.Row)));
                    var better = OnPayload(key, k => Expression.IfThen(
                        Expression.OrElse(Expression.Not(Slot(_count!)), Compare(k, Slot(_key!), below: _node.Kind == ListAggregateKind.MinBy)),
                        Expression.Block(Expression.Assign(Slot(_key!), k), Expression.Assign(Slot(_value!), _scope.Row), Expression.Assign(Slot(_count!), Expression.Constant(true)))));
                    return Taken(Expression.Block(typeof(void), [key], Expression.Assign(key, Bind(_node.Function.Body)), firstVisit, better), select: false);
                }

            default: // CountDistinct
                var set = Slot(_sets!);
                return Taken(Expression.Block(
                    Expression.IfThen(Expression.Equal(set, Expression.Constant(null, set.Type)), Expression.Assign(set, Expression.New(set.Type))),
                    Expression.Call(set, set.Type.GetMethod(nameof(HashSet<int>.Add))!, value)));
        }
    }

    private Expression MinMaxStep(Expression v)
    {
        var isMin = _node.Kind == ListAggregateKind.Min;
        var best = Slot(_value!);
        var any = Slot(_count!);
        var first = Expression.Block(Expression.Assign(best, v), Expression.Assign(any, Expression.Constant(true)));
        if (Core != typeof(double) && Core != typeof(float))
            return Expression.IfThen(Expression.OrElse(Expression.Not(any), Compare(v, best, isMin)), first);
        Expression Done() => Expression.Assign(Slot(_done!), Expression.Constant(true));
        return isMin
            // The first NaN met is the answer (the parent's aggregate is done); otherwise strictly smaller values win.
            ? Expression.IfThenElse(Expression.Not(any), Expression.Block(first, Expression.IfThen(Expression.NotEqual(best, best), Done())),
                Expression.IfThenElse(Expression.LessThan(v, best), Expression.Assign(best, v),
                    Expression.IfThen(Expression.NotEqual(v, v), Expression.Block(Expression.Assign(best, v), Done()))))
            // Leading NaNs give way to the next value; then strictly larger values win.
            : Expression.IfThenElse(Expression.Not(any), first,
                Expression.IfThenElse(Expression.NotEqual(best, best), Expression.Assign(best, v), Expression.IfThen(Expression.GreaterThan(v, best), Expression.Assign(best, v))));
    }

    /// <summary>The aggregate's value for the parent (may throw: empty sequences, a selector applied at the end).</summary>
    private Expression Value()
    {
        var result = _node.Type;
        var resultCore = Nullable.GetUnderlyingType(result) ?? result;
        Expression Empty() => Nullable.GetUnderlyingType(result) is not null ? Expression.Default(result) : NoElements(result);
        switch (_node.Kind)
        {
            // From the shared state: LINQ's Sum is the average's sum + 0.0 (it differs only in a zero's sign), the count as is.
            case ListAggregateKind.Sum when _moments:
                return Expression.Add(Slot(_value!), Expression.Constant(0.0));
            case ListAggregateKind.Count when _moments:
                return Expression.Convert(Slot(_count!), typeof(int));
            case ListAggregateKind.LongCount when _moments:
                return Slot(_count!);
            case ListAggregateKind.Sum:
                return Expression.Convert(Expression.Convert(Slot(_value!), Core), result);
            case ListAggregateKind.Count or ListAggregateKind.LongCount or ListAggregateKind.Any or ListAggregateKind.Contains:
                return Slot(_value!);
            case ListAggregateKind.All:
                return Expression.Not(Slot(_value!));
            case ListAggregateKind.Average:
                {
                    var sum = Slot(_value!);
                    var count = Slot(_count!);
                    Expression quotient = resultCore == typeof(decimal)
                        ? Expression.Divide(sum, Expression.Convert(count, typeof(decimal)))
                        : Expression.Divide(Expression.Convert(sum, typeof(double)), Expression.Convert(count, typeof(double)));
                    return Expression.Condition(Expression.Equal(count, Expression.Constant(0L)), Empty(), Expression.Convert(Expression.Convert(quotient, resultCore), result));
                }

            case ListAggregateKind.Min or ListAggregateKind.Max:
                return Expression.Condition(Slot(_count!), Expression.Convert(Slot(_value!), result), Empty());
            case ListAggregateKind.First or ListAggregateKind.FirstOrDefault:
                return Expression.Condition(Slot(_count!), Expression.Convert(Slot(_value!), result), NoValue());
            case ListAggregateKind.Last or ListAggregateKind.LastOrDefault:
                {
                    // The selector runs once, on the row found (read at that row).
                    var found = _node.Selector is null ? throw new NotSupportedException("Last of an element has no column value.") : BindAt(_node.Selector.Body, Slot(_value!));
                    return Expression.Condition(Slot(_count!), Expression.Convert(found, result), NoValue());
                }

            case ListAggregateKind.Fold:
                return Expression.Condition(Slot(_count!), Slot(_value!), Bind(_node.Argument!));
            case ListAggregateKind.MinBy or ListAggregateKind.MaxBy:
                {
                    // The projected member, read at the chosen row (only reached when some row was seen).
                    var row = Expression.Condition(Slot(_count!), Slot(_value!), Slot(_first!));
                    return BindAt(Expression.Property(Expression.Parameter(_node.ElementType, "chosen"), _aggregate.Projection!), row);
                }
            default: // CountDistinct
                var set = Slot(_sets!);
                return Expression.Condition(Expression.Equal(set, Expression.Constant(null, set.Type)), Expression.Constant(0), Expression.Property(set, nameof(HashSet<int>.Count)));
        }
    }

    private Expression NoValue() => _node.Kind is ListAggregateKind.First or ListAggregateKind.Last
        ? NoElements(_node.Type)
        : _node.Argument is { } argument ? Expression.Convert(Bind(argument), _node.Type) : Expression.Default(_node.Type);

    private static Expression NoElements(Type type) =>
        Expression.Throw(Expression.New(typeof(InvalidOperationException).GetConstructor([typeof(string)])!, Expression.Constant("Sequence contains no elements")), type);

    /// <summary>The value of a taken row: the selector's, or the element itself (an element has no column value: refused by the planner).</summary>
    private Expression Selected() => _node.Selector is { } selector
        ? Bind(selector.Body)
        : throw new NotSupportedException($"{_node.Kind} over whole elements has no column value; the planner keeps such aggregates row by row.");

    private Expression OnPayload(ParameterExpression value, Func<Expression, Expression> step) => Nullable.GetUnderlyingType(value.Type) is not null
        ? Expression.IfThen(Expression.Property(value, "HasValue"), step(Expression.Call(value, "GetValueOrDefault", null)))
        : step(value);

    /// <summary>LINQ's addition: checked for <c>int</c>/<c>long</c> (decimal addition checks itself).</summary>
    private static Expression Add(Expression sum, Expression value) =>
        sum.Type == typeof(int) || sum.Type == typeof(long) ? Expression.AddChecked(sum, value) : Expression.Add(sum, value);

    private static Expression Compare(Expression a, Expression b, bool below)
    {
        var comparerType = typeof(Comparer<>).MakeGenericType(a.Type);
        var comparer = Expression.Property(null, comparerType.GetProperty(nameof(Comparer<int>.Default))!);
        var compare = Expression.Call(comparer, comparerType.GetMethod(nameof(Comparer<int>.Compare), [a.Type, a.Type])!, a, b);
        return below ? Expression.LessThan(compare, Expression.Constant(0)) : Expression.GreaterThan(compare, Expression.Constant(0));
    }

    private static Expression EqualityDefault(Expression a, Expression b)
    {
        var comparerType = typeof(EqualityComparer<>).MakeGenericType(a.Type);
        var comparer = Expression.Property(null, comparerType.GetProperty(nameof(EqualityComparer<int>.Default))!);
        return Expression.Call(comparer, comparerType.GetMethod(nameof(EqualityComparer<int>.Equals), [a.Type, a.Type])!, a, Expression.Convert(b, a.Type));
    }

    /// <summary><paramref name="lambda"/>'s body with its parameter replaced by <paramref name="argument"/>.</summary>
    private static Expression Inline(LambdaExpression lambda, Expression argument) =>
        Lowering.Intrinsics.ParameterSubstitution.Replace(lambda.Body, lambda.Parameters, [argument]);

    /// <summary>
    /// A lambda body with element member reads as reads of the visited row, outer parameters as reads of its parent, and
    /// comparisons of the event time with an element-independent instant as comparisons of the row's raw event time with
    /// the parent's bound (which throws the instant's exception, when computing it threw, exactly where it is compared).
    /// </summary>
    private Expression Bind(Expression body) => BindAt(_eventComparisons.Count == 0 ? body : new EventComparisonBinder(this).Visit(body)!, _scope.Row);

    private Expression BindAt(Expression body, Expression row) =>
        ExtensionReducer.Reduce(new ReferenceBinder(_aggregate, _scope, Expression.Convert(row, typeof(long))).Visit(body)!);

    private static bool LambdasMayThrow(ListAggregateExpression node, Func<Expression, Expression?> rewrite) =>
        new[] { node.Filter, node.Selector, node.Function }.Any(l => l is not null && ThrowAnalysis.SubtreeCanThrow(rewrite(l.Body)!))
        || (node.Argument is not null && ThrowAnalysis.SubtreeCanThrow(node.Argument));

    /// <summary>
    /// Finds the comparisons (&lt;, ≤, &gt;, ≥) of the element's event time with an instant that does not depend on the element
    /// (<c>t.At &gt; F.Now - TimeSpan.FromDays(30)</c>) and gives each a per-parent bound: the instant is computed once per
    /// parent, not per row, and the row's raw timestamp is compared with it.
    /// </summary>
    private void FindEventComparisons()
    {
        if (_scope.Event is null || _aggregate.EventTime is null) return;
        var lambdas = new List<LambdaExpression>();
        if (_node.Filter is not null) lambdas.Add(_node.Filter);
        if (_node.Selector is not null) lambdas.Add(_node.Selector);
        if (_node.Function is not null && _node.Selector is null) lambdas.Add(_node.Function); // else it reads the selected value
        // The element is a fold's second parameter (its first is the accumulator), every other lambda's only one.
        foreach (var lambda in lambdas) new EventComparisonFinder(this, lambda.Parameters[^1]).Visit(lambda.Body);
    }

    private void AddEventComparison(BinaryExpression comparison, Expression instant, bool eventOnLeft)
    {
        if (_eventComparisons.ContainsKey(comparison)) return;
        // at > X ⟺ raw > last(X); at ≥ X ⟺ raw > last(X − 1 tick); at < X ⟺ raw ≤ last(X − 1 tick); at ≤ X ⟺ raw ≤ last(X).
        var kind = eventOnLeft ? comparison.NodeType : comparison.NodeType switch
        {
            ExpressionType.GreaterThan => ExpressionType.LessThan,
            ExpressionType.GreaterThanOrEqual => ExpressionType.LessThanOrEqual,
            ExpressionType.LessThan => ExpressionType.GreaterThan,
            _ => ExpressionType.GreaterThanOrEqual,
        };
        Expression ticks = Expression.Property(ExtensionReducer.Reduce(new ReferenceBinder(_aggregate, _scope, _scope.RowLong).Visit(instant)!), nameof(DateTime.Ticks));
        if (kind is ExpressionType.GreaterThanOrEqual or ExpressionType.LessThan) ticks = Expression.Subtract(ticks, Expression.Constant(1L));
        var bound = _scope.Shared(ticks, ThrowAnalysis.SubtreeCanThrow(instant));
        _eventComparisons[comparison] = (bound, kind is ExpressionType.GreaterThan or ExpressionType.GreaterThanOrEqual);
    }

    /// <summary>Finds event-time comparisons in a lambda body whose element is <paramref name="element"/>.</summary>
    private sealed class EventComparisonFinder(AggregateSteps steps, ParameterExpression element) : ExpressionVisitor
    {
        protected override Expression VisitBinary(BinaryExpression node)
        {
            if (node.NodeType is ExpressionType.GreaterThan or ExpressionType.GreaterThanOrEqual or ExpressionType.LessThan or ExpressionType.LessThanOrEqual
                && node.Left.Type == typeof(DateTime) && node.Right.Type == typeof(DateTime))
            {
                if (IsEventTime(node.Left) && IsIndependent(node.Right)) steps.AddEventComparison(node, node.Right, eventOnLeft: true);
                else if (IsEventTime(node.Right) && IsIndependent(node.Left)) steps.AddEventComparison(node, node.Left, eventOnLeft: false);
            }

            return base.VisitBinary(node);
        }

        private bool IsEventTime(Expression side) =>
            side is MemberExpression { Expression: ParameterExpression p } member && p == element && member.Member.Name == steps._aggregate.EventTime!.Name
            && member.Member.DeclaringType!.IsAssignableFrom(steps._node.ElementType);

        /// <summary>Whether <paramref name="side"/> reads only the aggregate's outer parameters (columns of the parent, Now) and constants.</summary>
        private bool IsIndependent(Expression side)
        {
            var census = new ParameterCensus();
            census.Visit(side);
            return !census.Other && census.Parameters.All(steps._aggregate.Outer.ContainsKey);
        }
    }

    private sealed class ParameterCensus : ExpressionVisitor
    {
        public HashSet<ParameterExpression> Parameters { get; } = [];

        public bool Other { get; private set; }

        protected override Expression VisitParameter(ParameterExpression node)
        {
            Parameters.Add(node);
            return node;
        }

        protected override Expression VisitLambda<T>(Expression<T> node)
        {
            Other = true;
            return node;
        }

        protected override Expression VisitExtension(Expression node)
        {
            if (node is ListAggregateExpression || !node.CanReduce) Other = true;
            else Visit(node.Reduce());
            return node;
        }
    }

    /// <summary>The event-time comparisons as comparisons of the row's raw event time with the parent's bound.</summary>
    private sealed class EventComparisonBinder(AggregateSteps steps) : ExpressionVisitor
    {
        public override Expression? Visit(Expression? node)
        {
            if (node is null || !steps._eventComparisons.TryGetValue(node, out var found)) return base.Visit(node);
            var local = steps._scope.Local;
            var bound = found.Bound.Read(local, steps._scope.UniformBounds);
            Expression compare = found.Above ? Expression.GreaterThan(steps._scope.At, bound) : Expression.LessThanOrEqual(steps._scope.At, bound);
            return new KernelCode(steps._safe ? compare : found.Bound.ThrowIfFailed(local, compare));
        }
    }

    /// <summary>Code built on the kernel's own locals, which binding leaves as it is (and reduction unwraps).</summary>
    private sealed class KernelCode(Expression code) : Expression
    {
        public override ExpressionType NodeType => ExpressionType.Extension;

        public override Type Type => code.Type;

        public override bool CanReduce => true;

        public override Expression Reduce() => code;

        protected override Expression VisitChildren(ExpressionVisitor visitor) => this;
    }

    /// <summary>The lambdas with their event-time comparisons taken as not throwing (what may throw once the bounds did not).</summary>
    private sealed class EventComparisonRemover(Dictionary<Expression, (ParentBound Bound, bool Above)> comparisons) : ExpressionVisitor
    {
        public override Expression? Visit(Expression? node) =>
            node is not null && comparisons.ContainsKey(node) ? Expression.Constant(false) : base.Visit(node);
    }

    /// <summary>Element member reads (column reads in the kernel, which never throw) as values, for the throw analysis.</summary>
    private sealed class ElementReadRemover(SegmentedAggregate aggregate) : ExpressionVisitor
    {
        protected override Expression VisitMember(MemberExpression node) =>
            node.Expression is ParameterExpression element && element.Type == aggregate.Node.ElementType && aggregate.Members.ContainsKey(node.Member)
                ? Expression.Default(node.Type)
                : base.VisitMember(node);
    }

    /// <summary>Replaces element member reads and outer parameters by typed column reads.</summary>
    private sealed class ReferenceBinder(SegmentedAggregate aggregate, KernelScope scope, Expression row) : ExpressionVisitor
    {
        protected override Expression VisitMember(MemberExpression node)
        {
            if (node.Expression is ParameterExpression element && element.Type == aggregate.Node.ElementType && aggregate.Members.TryGetValue(node.Member, out var column))
            {
                return ColumnAccess.Read(scope.Related[column], row, node.Type);
            }

            return base.VisitMember(node);
        }

        protected override Expression VisitParameter(ParameterExpression node) =>
            aggregate.Outer.TryGetValue(node, out var column)
                ? ColumnAccess.Read(scope.Parents[column], scope.ParentLong, node.Type)
                : throw new NotSupportedException($"The aggregate reads '{node.Name}', which the segmented kernel cannot bind.");
    }
}
