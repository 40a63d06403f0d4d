using System.Linq.Expressions;
using Dsl.Lowering.Analyses;
using Dsl.Lowering.Intrinsics;
using Dsl.Lowering.Ir;

namespace Dsl.Lowering.Cil;

internal sealed partial class CilInterpreter
{
    /// <summary>
    /// One loop over a sequence being folded (see <see cref="TryFoldLoop"/>). Rules that keep the fold exact:
    /// <list type="bullet">
    /// <item>An index loop's counter starts at a constant k ≥ 0 and steps by one while it is below the sequence's
    /// length; the body reads no element but <c>xs[i]</c> (in range by the test) and uses the counter for nothing
    /// else. The fold visits elements k.. (<see cref="AggregateOrigin.Skip"/>).</item>
    /// <item>Loop-carried slots become one fold whose step first replays what the body may throw, in the body's order
    /// (the iteration's effect log, sealed), so an exception comes from the same element and evaluation.</item>
    /// <item>A path that leaves the loop must return (a <c>return</c> inside, or a <c>break</c> to code that returns);
    /// its condition <c>c</c> and value <c>v</c> may read the element and what does not change in the loop, not the
    /// counter or the carried slots. Every throwing evaluation on the paths that stay must be part of <c>c</c>, and on
    /// the path that returns part of <c>c</c> or <c>v</c>: then <c>Any(c)</c> throws where the loop throws before
    /// returning, and the fold (run only when nothing matched) cannot throw.</item>
    /// </list>
    /// </summary>
    private sealed class LoopFold
    {
        private readonly CilInterpreter _interpreter;
        private readonly MethodFrame _frame;
        private readonly BasicBlock _header;
        private readonly int _bodyTarget;
        private readonly SymbolicState _before;
        private readonly EnumeratorValue? _enumerator;
        private readonly MethodFrameInfo _where;
        private readonly Expression[] _seeds;
        private readonly Expression[] _symbols;

        public LoopFold(CilInterpreter interpreter, MethodFrame frame, BasicBlock header, int bodyTarget, SymbolicState before, EnumeratorValue? enumerator, MethodFrameInfo where)
        {
            _interpreter = interpreter;
            _frame = frame;
            _header = header;
            _bodyTarget = bodyTarget;
            _before = before;
            _enumerator = enumerator;
            _where = where;
            _seeds = before.Arguments.Concat(before.Locals).ToArray();
            // The interpreter's own values (an enumerator, a closure) stay themselves: the body calls them.
            _symbols = _seeds.Select((seed, k) => seed is InterpreterValue ? seed : Expression.Parameter(seed.Type, $"loop{k}")).ToArray();
        }

        private IrFactory Ir => _interpreter._ir;

        private SymbolicState Entry() =>
            new(_symbols[.._before.Arguments.Length].ToArray(), _symbols[_before.Arguments.Length..].ToArray());

        public Outcome Fold()
        {
            var item = _enumerator is null ? null : Expression.Parameter(SequenceTypes.ElementTypeOf(_enumerator.Source.Type)!, "item");
            var body = RunBody(item);
            var (after, exit) = body switch
            {
                FallsThrough falls => (falls.State, ((Expression Condition, Expression Value, EffectLog Effects)?)null),
                PartlyReturns partly => (partly.State, (partly.Condition, partly.Value, partly.Effects)),
                Returns returns => ((SymbolicState?)null, (Ir.True, returns.Value, returns.Effects)),
                _ => throw new InvalidOperationException("unknown outcome"),
            };
            var next = after is null ? _symbols : after.Arguments.Concat(after.Locals).ToArray();
            var carried = Enumerable.Range(0, _seeds.Length).Where(k => next[k] != _symbols[k]).ToList();
            if (carried.FirstOrDefault(k => _symbols[k] is InterpreterValue, -1) is var changed && changed >= 0)
                throw Refuse(_where, "the loop body replaces an enumerator or closure it holds");
            var unchanged = Enumerable.Range(0, _seeds.Length).Except(carried).Where(k => _symbols[k] is ParameterExpression).ToList();

            int? counter = null;
            Expression source;
            int skip = 0;
            if (_enumerator is not null)
            {
                source = _enumerator.Source;
            }
            else
            {
                (counter, source, skip) = IndexLoop(after, next, carried, unchanged);
                item = Expression.Parameter(SequenceTypes.ElementTypeOf(source.Type)!, "item");
            }

            var counterSymbol = counter is { } c ? (ParameterExpression)_symbols[c] : null;
            var space = new LoopSpace(Ir, unchanged.Select(k => (ParameterExpression)_symbols[k]).ToArray(), unchanged.Select(k => _seeds[k]).ToArray(), source, counterSymbol, item!);
            var origin = new AggregateOrigin(ListNullSource.ThrowsNullReference, skip);
            var (folded, overwritten) = Classify(space, next, carried.Where(k => k != counter).ToList());
            var result = _before.Clone();
            (Expression Found, Expression Value)? search = exit is { } e ? Search(space, e, after, source, item!, origin) : null;
            if (search is { } found) result.Effects = result.Effects.Observe(found.Found);
            if (folded.Count > 0) FoldCarried(space, after!, next, folded, counterSymbol, source, item!, origin, sealIterations: search is null, result);
            else if (search is null) RequireNothingThrows(space, after);
            if (folded.Count == 0 && search is null && _enumerator is not null)
                // Nothing else reads the source: its enumerator was still requested, which throws on null.
                result.Effects = result.Effects.Observe(Ir.InternTree(LoopAggregates.Aggregate(ListAggregateKind.Count, source, origin: origin)));
            foreach (var k in overwritten) Set(result, k, LastValue(space.Visit(next[k]), _seeds[k], source, item!, origin));
            if (counter is { } index) Set(result, index, Length(source, skip));
            if (search is not { } exited) return new FallsThrough(result);
            return new PartlyReturns(exited.Found, exited.Value, _before.Effects.Observe(exited.Found).Observe(exited.Value), result);
        }

        private Outcome RunBody(ParameterExpression? item)
        {
            if (_enumerator is not null)
            {
                if (_enumerator.Current is not null) throw Refuse(_where, "a loop inside a loop over the same enumerator");
                _enumerator.Current = item;
            }

            _interpreter._loops.Push(LoopRegion.Of(_frame, _header.Index, _bodyTarget));
            try
            {
                return _interpreter.Run(_frame, _bodyTarget, Entry(), _header.Index);
            }
            finally
            {
                _interpreter._loops.Pop();
                if (_enumerator is not null) _enumerator.Current = null;
            }
        }

        /// <summary>
        /// An index loop: the counter (a carried slot from a constant k ≥ 0, plus one per iteration) and the sequence
        /// whose length bounds it in the header's test, evaluated over the body's symbols.
        /// </summary>
        private (int Counter, Expression Source, int Skip) IndexLoop(SymbolicState? after, Expression[] next, List<int> carried, List<int> unchanged)
        {
            if (after is null) throw Refuse(_where, "a for loop whose body returns on every path");
            var counter = carried.FirstOrDefault(k => _seeds[k].Type == typeof(int)
                && next[k] is BinaryExpression { NodeType: ExpressionType.Add, Right: ConstantExpression { Value: 1 } } add && add.Left == _symbols[k], -1);
            var test = HeaderTest();
            var settle = new LoopSpace(Ir, unchanged.Select(k => (ParameterExpression)_symbols[k]).ToArray(), unchanged.Select(k => _seeds[k]).ToArray(), null, null, null);
            var bound = counter >= 0 && test is not null ? Bound(settle.Visit(test), _symbols[counter]) : null;
            if (counter < 0 || bound is null)
                throw Refuse(_where, "a loop over a sequence whose index does not step up by one to the sequence's length (only foreach and for (i = k; i < xs.Length/xs.Count; i++) are folded)");
            var source = bound switch
            {
                UnaryExpression { NodeType: ExpressionType.ArrayLength } length => length.Operand,
                ListAggregateExpression count => count.Source,
                _ => throw Refuse(_where, "a loop bound that is not a sequence's length"),
            };
            if (ParameterUse.Mentions(source, _symbols.OfType<ParameterExpression>().ToArray()))
                throw Refuse(_where, "a loop over a sequence that changes inside the loop");
            if (_seeds[counter] is not ConstantExpression { Value: int start })
                throw Refuse(_where, "a loop whose index starts at a value that depends on the input (Skip would need a constant)");
            if (start < 0) throw Refuse(_where, $"a loop whose index starts at {start}, outside the sequence");
            return (counter, source, start);
        }

        /// <summary>The header's test for staying in the loop, evaluated over the body's entry symbols.</summary>
        private Expression? HeaderTest()
        {
            var probe = Entry();
            var instructions = _frame.Graph.Instructions;
            for (var i = _header.FirstInstruction; i < _header.LastInstruction; i++) _interpreter.Execute(_frame, instructions[i], probe);
            var (cases, otherwise) = _interpreter.BranchCases(_frame, _header, instructions[_header.LastInstruction], probe);
            if (cases.Count != 1) return null;
            return cases[0].Target == _bodyTarget ? cases[0].Condition : otherwise == _bodyTarget ? Ir.Not(cases[0].Condition) : null;
        }

        /// <summary>The length <c>n</c> in a test <c>i &lt; n</c> on <paramref name="counter"/>, when <c>n</c> is a sequence's length or count.</summary>
        private static Expression? Bound(Expression test, Expression counter)
        {
            var n = test switch
            {
                BinaryExpression { NodeType: ExpressionType.LessThan } less when less.Left == counter => less.Right,
                BinaryExpression { NodeType: ExpressionType.GreaterThan } greater when greater.Right == counter => greater.Left,
                UnaryExpression { NodeType: ExpressionType.Not, Operand: BinaryExpression { NodeType: ExpressionType.GreaterThanOrEqual } atLeast } when atLeast.Left == counter => atLeast.Right,
                _ => null,
            };
            return n is UnaryExpression { NodeType: ExpressionType.ArrayLength }
                or ListAggregateExpression { Kind: ListAggregateKind.Count, Filter: null, Selector: null, Skip: 0, NullSource: ListNullSource.ThrowsNullReference }
                ? n
                : null;
        }

        /// <summary>
        /// Splits the loop-carried slots: those whose next value depends on a previous iteration (their own or another
        /// such slot's value) are folded; the others are overwritten by every iteration (the foreach variable, a
        /// <c>last = t</c>), so after the loop they hold what the last element gave them (<see cref="LastValue"/>).
        /// </summary>
        private (List<int> Folded, List<int> Overwritten) Classify(LoopSpace space, Expression[] next, List<int> carried)
        {
            var mapped = carried.ToDictionary(k => k, k => space.Visit(next[k]));
            var folded = carried.Where(k => ParameterUse.Mentions(mapped[k], carried.Select(j => (ParameterExpression)_symbols[j]).ToArray())).ToHashSet();
            for (var changed = true; changed;)
            {
                changed = false;
                foreach (var j in carried.Where(j => !folded.Contains(j)))
                {
                    if (!folded.Any(k => ParameterUse.Mentions(mapped[k], [(ParameterExpression)_symbols[j]]))) continue;
                    folded.Add(j);
                    changed = true;
                }
            }

            return (carried.Where(folded.Contains).ToList(), carried.Where(k => !folded.Contains(k)).ToList());
        }

        /// <summary>
        /// A slot overwritten by every iteration, after the loop: <c>Any() ? value(Last()) : seed</c>. Its evaluation cannot
        /// throw where the loop did not (the loop evaluated the same value for the last element), so it is not logged.
        /// </summary>
        private Expression LastValue(Expression value, Expression seed, Expression source, ParameterExpression item, AggregateOrigin origin)
        {
            var any = LoopAggregates.Aggregate(ListAggregateKind.Any, source, origin: origin);
            var last = LoopAggregates.Aggregate(ListAggregateKind.Last, source, origin: origin);
            var atLast = ParameterSubstitution.Replace(value, [item], [last]);
            return Ir.InternTree(Expression.Condition(any, atLast, seed));
        }

        /// <summary>A loop that folds nothing and never returns early must not throw either: nothing would replay it.</summary>
        private void RequireNothingThrows(LoopSpace space, SymbolicState? after)
        {
            if (after is not null && after.Effects.Map(space.Visit, space.IsElementOrLength).Items.Count > 0)
                throw Refuse(_where, "the loop body may throw but computes nothing used after the loop");
        }

        /// <summary>The counter's value after the loop: the length, or the start when the sequence is shorter.</summary>
        private Expression Length(Expression source, int skip)
        {
            var length = source.Type.IsSZArray ? Ir.ArrayLength(source) : Ir.InternTree(ListAggregateExpression.Create(ListAggregateKind.Count, source, nullSource: ListNullSource.ThrowsNullReference));
            if (skip == 0) return length;
            var max = typeof(Math).GetMethod(nameof(Math.Max), [typeof(int), typeof(int)])!;
            return Ir.Call(null, max, [length, Ir.Constant(skip, typeof(int))]);
        }

        /// <summary>
        /// The loop-carried slots as one fold (a tuple when several). Without a search its step replays the iteration's
        /// effect log (sealed); with one, every throwing evaluation is part of the search's condition, already evaluated
        /// without throwing on every element when the fold runs.
        /// </summary>
        private void FoldCarried(LoopSpace space, SymbolicState after, Expression[] next, List<int> folded, ParameterExpression? counter,
            Expression source, ParameterExpression item, AggregateOrigin origin, bool sealIterations, SymbolicState result)
        {
            if (folded.Count > LoopAggregates.MaxVariables)
                throw Refuse(_where, $"the loop carries {folded.Count} variables from one iteration to the next (at most {LoopAggregates.MaxVariables} are folded)");
            var accumulators = folded.Select(k => (ParameterExpression)_symbols[k]).ToArray();
            var steps = folded.Select(k => space.Visit(next[k])).ToArray();
            var log = after.Effects.Map(space.Visit, space.IsElementOrLength);
            if (counter is not null && (steps.Any(s => ParameterUse.Mentions(s, [counter])) || log.Nodes().Any(n => ParameterUse.Mentions(n, [counter]))))
                throw Refuse(_where, "the loop body uses its index other than to read xs[i] (a computed index may be out of range)");
            Func<Expression, Expression>? seal = sealIterations ? log.Seal : null;
            var values = LoopAggregates.Fold(source, item, accumulators, folded.Select(k => _seeds[k]).ToArray(), steps, origin, seal);
            for (var i = 0; i < folded.Count; i++)
            {
                var value = Ir.InternTree(values[i]);
                Set(result, folded[i], value);
                result.Effects = result.Effects.Observe(value);
            }
        }

        /// <summary>The paths that leave the loop, as a search (see <see cref="LoopAggregates.Search"/>), checked as the class documents.</summary>
        private (Expression Found, Expression Value) Search(LoopSpace space, (Expression Condition, Expression Value, EffectLog Effects) exit, SymbolicState? after,
            Expression source, ParameterExpression item, AggregateOrigin origin)
        {
            var condition = space.Visit(exit.Condition);
            var value = space.Visit(exit.Value);
            var loopOwn = _symbols.OfType<ParameterExpression>().Where(s => !space.Settles(s)).ToArray();
            if (ParameterUse.Mentions(condition, loopOwn) || ParameterUse.Mentions(value, loopOwn))
                throw Refuse(_where, "the loop returns early under a condition or with a value that depends on what the loop counts or accumulates (or on its index)");
            var conditionNodes = Nodes(condition);
            var valueNodes = Nodes(value);
            var staying = after?.Effects.Map(space.Visit, space.IsElementOrLength).Nodes() ?? [];
            var leaving = exit.Effects.Map(space.Visit, space.IsElementOrLength).Nodes();
            if (!staying.All(conditionNodes.Contains) || !leaving.All(n => conditionNodes.Contains(n) || valueNodes.Contains(n)))
                throw Refuse(_where, "the loop returns early, and its body may throw in something other than the return's condition and value (the search could not keep the order of exceptions)");
            var (found, result) = LoopAggregates.Search(source, item, condition, value, origin);
            return (Ir.InternTree(found), Ir.InternTree(result));
        }

        private static HashSet<Expression> Nodes(Expression root)
        {
            var seen = new HashSet<Expression>(ReferenceEqualityComparer.Instance);
            var pending = new Stack<Expression>([root]);
            while (pending.Count > 0)
            {
                var node = pending.Pop();
                if (seen.Add(node))
                    foreach (var child in EffectLog.Children(node)) pending.Push(child);
            }

            return seen;
        }

        private static void Set(SymbolicState state, int slot, Expression value)
        {
            if (slot < state.Arguments.Length) state.Arguments[slot] = value;
            else state.Locals[slot - state.Arguments.Length] = value;
        }
    }

    /// <summary>
    /// Maps a loop body's values to the loop's: symbols of slots the body leaves unchanged become their values before
    /// the loop, <c>xs[i]</c> of the loop's sequence and counter becomes the element symbol; rebuilt nodes are hash-consed
    /// (so the same body node always maps to the same object, and equal results are one node).
    /// </summary>
    private sealed class LoopSpace(IrFactory ir, ParameterExpression[] unchanged, Expression[] seeds, Expression? source, ParameterExpression? counter, ParameterExpression? element)
        : MemoizingVisitor
    {
        public bool Settles(ParameterExpression symbol) => Array.IndexOf(unchanged, symbol) >= 0;

        /// <summary>An element read or a read of the sequence's length: in range and non-null while the loop runs, so it cannot throw there.</summary>
        public bool IsElementOrLength(Expression node) => node == element
            || (source is not null && node switch
            {
                UnaryExpression { NodeType: ExpressionType.ArrayLength } length => length.Operand == source,
                ListAggregateExpression { Kind: ListAggregateKind.Count, Filter: null, Selector: null } count => count.Source == source,
                _ => false,
            });

        protected override Expression VisitParameter(ParameterExpression node)
        {
            var index = Array.IndexOf(unchanged, node);
            return index >= 0 ? seeds[index] : node;
        }

        protected override Expression Rewrite(Expression node)
        {
            var rebuilt = base.Rewrite(node);
            if (counter is not null && element is not null && IsElementRead(rebuilt)) return element;
            return rebuilt switch
            {
                ListAggregateExpression aggregate => ir.InternAggregate(aggregate),
                ParameterExpression or LambdaExpression or BlockExpression or { NodeType: ExpressionType.Extension } => rebuilt,
                _ => ir.Intern(rebuilt),
            };
        }

        private bool IsElementRead(Expression node) => node switch
        {
            BinaryExpression { NodeType: ExpressionType.ArrayIndex } read => read.Left == source && read.Right == counter,
            MethodCallExpression { Method.Name: "get_Item", Arguments: [var index] } call => call.Object == source && index == counter,
            _ => false,
        };
    }
}
