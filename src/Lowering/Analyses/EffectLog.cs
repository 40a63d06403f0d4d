using System.Collections.Immutable;
using System.Linq.Expressions;

namespace Dsl.Lowering.Analyses;

/// <summary>One possibly-throwing evaluation in a path's history.</summary>
internal abstract record EffectItem;

/// <summary><see cref="Node"/> was evaluated here and may throw.</summary>
internal sealed record NodeEffect(Expression Node) : EffectItem;

/// <summary>
/// The two paths of a branch on <see cref="Test"/> evaluated different throwing nodes; only the arm taken runs.
/// Normalised so that <see cref="Test"/> is never a negation.
/// </summary>
internal sealed record ConditionalEffect(Expression Test, ImmutableList<EffectItem> WhenTrue, ImmutableList<EffectItem> WhenFalse) : EffectItem
{
    public static ConditionalEffect Create(Expression test, ImmutableList<EffectItem> whenTrue, ImmutableList<EffectItem> whenFalse) =>
        test is UnaryExpression { NodeType: ExpressionType.Not } not && not.Operand.Type == typeof(bool)
            ? Create(not.Operand, whenFalse, whenTrue)
            : new ConditionalEffect(test, whenTrue, whenFalse);

    public bool Equals(ConditionalEffect? other) =>
        other is not null && Test == other.Test && EffectLog.SameItems(WhenTrue, other.WhenTrue) && EffectLog.SameItems(WhenFalse, other.WhenFalse);

    public override int GetHashCode() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(Test);
}

/// <summary>
/// The ordered history of possibly-throwing evaluations on one symbolic path, so that the IR throws the
/// same exception first as the delegate would, even for values the function computes and then drops.
/// <see cref="Seen"/> holds the nodes certainly evaluated already (re-evaluating a pure node that succeeded
/// succeeds again, so they are not logged twice). Immutable.
/// </summary>
/// <remarks>
/// The IR is a DAG and each arm of a branch is walked with its own copy of <see cref="Seen"/>, so a subtree shared
/// by both arms of nested branches is walked once per path to it, which can be exponential in the nesting. The
/// walks along one history are therefore counted (<see cref="Work"/>); past <see cref="WorkLimit"/> lowering
/// stops with <c>ir-too-large</c> and the function falls back, instead of analysing for ever.
/// </remarks>
internal sealed class EffectLog
{
    /// <summary>Node visits one history may spend on its walks before lowering gives up (ir-too-large).</summary>
    public const long WorkLimit = 250_000;

    public static EffectLog Empty { get; } = new(ImmutableList<EffectItem>.Empty, ImmutableHashSet.Create<Expression>(ReferenceEqualityComparer.Instance), 0);

    private EffectLog(ImmutableList<EffectItem> items, ImmutableHashSet<Expression> seen, long work)
    {
        Items = items;
        Seen = seen;
        Work = work;
    }

    /// <summary>Node visits spent on the walks that built this history (the longer branch's, after a merge).</summary>
    public long Work { get; }

    public ImmutableList<EffectItem> Items { get; }

    public ImmutableHashSet<Expression> Seen { get; }

    /// <summary>This history followed by evaluating <paramref name="value"/> in C# evaluation order.</summary>
    public EffectLog Observe(Expression value)
    {
        var items = Items.ToBuilder();
        var seen = Seen.ToBuilder();
        var walk = new Walk(Work);
        walk.Visit(value, items, seen);
        return items.Count == Items.Count && seen.Count == Seen.Count ? this : new EffectLog(items.ToImmutable(), seen.ToImmutable(), walk.Work);
    }

    /// <summary>The history of two paths that split on <paramref name="test"/> (after this common prefix) and meet again.</summary>
    public static EffectLog Merge(Expression test, EffectLog whenTrue, EffectLog whenFalse)
    {
        if (ReferenceEquals(whenTrue, whenFalse)) return whenTrue;
        var prefix = 0;
        while (prefix < whenTrue.Items.Count && prefix < whenFalse.Items.Count && ReferenceEquals(whenTrue.Items[prefix], whenFalse.Items[prefix]))
            prefix++;
        var items = whenTrue.Items.GetRange(0, prefix);
        var restTrue = whenTrue.Items.GetRange(prefix, whenTrue.Items.Count - prefix);
        var restFalse = whenFalse.Items.GetRange(prefix, whenFalse.Items.Count - prefix);
        if (restTrue.Count > 0 || restFalse.Count > 0) items = items.Add(ConditionalEffect.Create(test, restTrue, restFalse));
        return new EffectLog(items, whenTrue.Seen.Intersect(whenFalse.Seen), Math.Max(whenTrue.Work, whenFalse.Work));
    }

    /// <summary>
    /// The value the function returns with this history: <paramref name="value"/> alone when evaluating it
    /// reproduces the history's throwing evaluations in the same order, else a block that first replays
    /// the history as statements (only the part before what the value itself evaluates last).
    /// </summary>
    public Expression Seal(Expression value)
    {
        var full = Observe(value).Items;
        var natural = Empty.Observe(value).Items;
        if (SameItems(full, natural)) return value;
        // When the history ends with what the value evaluates anyway, only the part before it is replayed.
        var prefix = full.Count > natural.Count && SameItems(full.GetRange(full.Count - natural.Count, natural.Count), natural)
            ? full.GetRange(0, full.Count - natural.Count)
            : full;
        return Expression.Block(prefix.Select(ToStatement).Append(value));
    }

    /// <summary>
    /// This history with every logged node rewritten by <paramref name="map"/> (a loop body's symbols replaced by the
    /// loop's values); a rewritten node for which <paramref name="drop"/> holds is left out (an element read known to be
    /// in range), and so is a branch whose arms end up empty.
    /// </summary>
    public EffectLog Map(Func<Expression, Expression> map, Func<Expression, bool> drop)
    {
        ImmutableList<EffectItem> MapItems(ImmutableList<EffectItem> items)
        {
            var mapped = ImmutableList.CreateBuilder<EffectItem>();
            foreach (var item in items)
            {
                switch (item)
                {
                    case NodeEffect node when map(node.Node) is var rewritten && !drop(rewritten):
                        mapped.Add(new NodeEffect(rewritten));
                        break;
                    case ConditionalEffect conditional when MapItems(conditional.WhenTrue) is var whenTrue && MapItems(conditional.WhenFalse) is var whenFalse
                                                            && (whenTrue.Count > 0 || whenFalse.Count > 0):
                        mapped.Add(ConditionalEffect.Create(map(conditional.Test), whenTrue, whenFalse));
                        break;
                }
            }

            return mapped.ToImmutable();
        }

        var seen = ImmutableHashSet.CreateRange<Expression>(ReferenceEqualityComparer.Instance, Seen.Select(map));
        return new EffectLog(MapItems(Items), seen, Work);
    }

    /// <summary>Every node this history logs as evaluated, on any branch.</summary>
    public IEnumerable<Expression> Nodes()
    {
        static IEnumerable<Expression> Of(ImmutableList<EffectItem> items) => items.SelectMany(item => item switch
        {
            NodeEffect node => [node.Node],
            ConditionalEffect conditional => Of(conditional.WhenTrue).Concat(Of(conditional.WhenFalse)),
            _ => [],
        });
        return Of(Items);
    }

    internal static bool SameItems(ImmutableList<EffectItem> a, ImmutableList<EffectItem> b)
    {
        if (a.Count != b.Count) return false;
        for (var i = 0; i < a.Count; i++)
        {
            var same = (a[i], b[i]) switch
            {
                (NodeEffect x, NodeEffect y) => x.Node == y.Node,
                (ConditionalEffect x, ConditionalEffect y) => x.Equals(y),
                _ => false,
            };
            if (!same) return false;
        }

        return true;
    }

    private static Expression ToStatement(EffectItem item) => item switch
    {
        NodeEffect node => node.Node,
        ConditionalEffect conditional => Expression.IfThenElse(conditional.Test, ToBlock(conditional.WhenTrue), ToBlock(conditional.WhenFalse)),
        _ => throw new InvalidOperationException("unknown effect item"),
    };

    private static Expression ToBlock(ImmutableList<EffectItem> items) =>
        items.Count == 0 ? Expression.Empty() : Expression.Block(typeof(void), items.Select(ToStatement));

    /// <summary>One walk over a value, counting its node visits on top of the history's (<see cref="WorkLimit"/>).</summary>
    private sealed class Walk(long work)
    {
        public long Work { get; private set; } = work;

        public void Visit(Expression node, ImmutableList<EffectItem>.Builder items, ImmutableHashSet<Expression>.Builder seen)
        {
            if (seen.Contains(node)) return;
            if (++Work > WorkLimit)
                throw new LoweringFailure("ir-too-large", $"the IR shares subtrees under more than {WorkLimit} nested branch paths; tracking which exceptions each path may throw would not finish");
            if (!ThrowAnalysis.SubtreeCanThrow(node))
            {
                seen.Add(node);
                return;
            }

            switch (node)
            {
                case ConditionalExpression conditional:
                    Visit(conditional.Test, items, seen);
                    AddBranch(conditional.Test, conditional.IfTrue, conditional.IfFalse, items, seen);
                    break;
                case BinaryExpression { NodeType: ExpressionType.AndAlso } conjunction:
                    Visit(conjunction.Left, items, seen);
                    AddBranch(conjunction.Left, conjunction.Right, null, items, seen);
                    break;
                case BinaryExpression { NodeType: ExpressionType.OrElse } disjunction:
                    Visit(disjunction.Left, items, seen);
                    AddBranch(disjunction.Left, null, disjunction.Right, items, seen);
                    break;
                case BinaryExpression { NodeType: ExpressionType.Coalesce } or BlockExpression or LambdaExpression:
                    // Opaque: logged whole (something inside may throw).
                    items.Add(new NodeEffect(node));
                    break;
                default:
                    foreach (var child in Children(node)) Visit(child, items, seen);
                    if (node is Ir.ListAggregateExpression aggregate) DropChecksItRepeats(aggregate, items);
                    if (ThrowAnalysis.CanThrow(node)) items.Add(new NodeEffect(node));
                    break;
            }

            seen.Add(node);
        }

        /// <summary>
        /// A pending LINQ chain (<see cref="Ir.ListQueryExpression"/>) can fail only by its source being null
        /// (<see cref="ArgumentNullException"/>); an aggregate over the same source whose chain ran first checks that
        /// before anything else. Likewise a loop's test reads its source's length, which fails only on null
        /// (<see cref="NullReferenceException"/>), and so does the loop's aggregate. Such checks logged just before the
        /// aggregate are its own first step, not separate evaluations, and are dropped (so the natural evaluation of
        /// the aggregate reproduces the history).
        /// </summary>
        private static void DropChecksItRepeats(Ir.ListAggregateExpression aggregate, ImmutableList<EffectItem>.Builder items)
        {
            Func<Expression, bool>? repeated = aggregate.NullSource switch
            {
                Ir.ListNullSource.ThrowsArgumentNull when aggregate.Origin.ChainedQuery => node => node is Ir.ListQueryExpression query && query.Source == aggregate.Source,
                // A loop's aggregate reads its source's length (or enumerator) first, throwing NullReferenceException as the loop's test did.
                Ir.ListNullSource.ThrowsNullReference => node => IsLengthOf(node, aggregate.Source),
                _ => null,
            };
            while (repeated is not null && items.Count > 0 && items[^1] is NodeEffect { Node: var node } && repeated(node) && node != aggregate)
                items.RemoveAt(items.Count - 1);
        }

        private static bool IsLengthOf(Expression node, Expression source) => node switch
        {
            UnaryExpression { NodeType: ExpressionType.ArrayLength } length => length.Operand == source,
            Ir.ListAggregateExpression { Kind: Ir.ListAggregateKind.Count, NullSource: Ir.ListNullSource.ThrowsNullReference, Filter: null, Selector: null } count => count.Source == source,
            _ => false,
        };

        private void AddBranch(Expression test, Expression? whenTrue, Expression? whenFalse, ImmutableList<EffectItem>.Builder items, ImmutableHashSet<Expression>.Builder seen)
        {
            ImmutableList<EffectItem> Arm(Expression? arm)
            {
                if (arm is null) return ImmutableList<EffectItem>.Empty;
                var armItems = ImmutableList.CreateBuilder<EffectItem>();
                Visit(arm, armItems, seen.ToImmutable().ToBuilder());
                return armItems.ToImmutable();
            }

            var trueItems = Arm(whenTrue);
            var falseItems = Arm(whenFalse);
            if (trueItems.Count == 0 && falseItems.Count == 0) return;
            var effect = ConditionalEffect.Create(test, trueItems, falseItems);
            // Re-running the same guarded evaluations cannot throw if the first run did not: log them once.
            if (!items.Any(item => item is ConditionalEffect known && known.Equals(effect))) items.Add(effect);
        }
    }

    /// <summary>A node's operands in C# evaluation order.</summary>
    public static IEnumerable<Expression> Children(Expression node) => node switch
    {
        UnaryExpression u => [u.Operand],
        BinaryExpression b => [b.Left, b.Right],
        ConditionalExpression c => [c.Test, c.IfTrue, c.IfFalse],
        MemberExpression { Expression: { } instance } => [instance],
        MethodCallExpression m => m.Object is null ? m.Arguments : m.Arguments.Prepend(m.Object),
        NewExpression n => n.Arguments,
        NewArrayExpression a => a.Expressions,
        TypeBinaryExpression t => [t.Expression],
        BlockExpression block => block.Expressions,
        InvocationExpression i => i.Arguments.Prepend(i.Expression),
        // text.Split(...)[i] evaluates the Split call, then the index: the call logged when it was made is the
        // same node, so the part does not replay the split a second time.
        Ir.SplitPartExpression part => [part.Split, part.Index],
        _ => [],
    };
}
