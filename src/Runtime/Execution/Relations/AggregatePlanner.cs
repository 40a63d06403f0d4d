using System.Linq.Expressions;
using System.Reflection;
using Apache.Arrow.Types;
using Dsl.Codegen.Aggregation;
using Dsl.Codegen.Compilation;
using Dsl.Lowering.Ir;

namespace Dsl.Runtime.Execution.Relations;

/// <summary>
/// Moves the aggregates of compiled features over relations into segmented aggregation steps: each aggregate whose source
/// is a relation parameter, whose kind the segmented kernel computes and whose lambdas read only the element's members,
/// constants, batch columns and <c>Now</c> becomes a column computed once per parent row (<c>$agg0</c>, …), and the feature's
/// IR reads that column where it evaluated the aggregate. A feature with any other use of a relation keeps it and runs
/// row by row over materialized rows (see <see cref="RelatedRows"/>). Equal aggregates of several features (one node,
/// by hash-consing, and one window) are computed once.
/// </summary>
internal sealed class AggregatePlanner(RelationInputs relations)
{
    private readonly Dictionary<(Expression, TimeSpan?), PlannedAggregate> _planned = [];
    private int _names;

    /// <summary>Every aggregate planned so far, in order.</summary>
    public IReadOnlyCollection<PlannedAggregate> Aggregates => _planned.Values;

    /// <summary>
    /// The feature's IR with its relation aggregates read from aggregate columns, and its inputs; null when some use of a
    /// relation cannot be moved (the feature then reads materialized rows).
    /// </summary>
    /// <param name="ir">The feature's IR.</param>
    /// <param name="inputs">Per IR parameter, the input it reads.</param>
    /// <param name="window">The feature's window.</param>
    /// <param name="isColumn">Whether an input is a batch column (not another feature).</param>
    public (LambdaExpression Ir, string[] Inputs)? TryRewrite(LambdaExpression ir, IReadOnlyList<string> inputs, TimeSpan? window, Func<string, bool> isColumn)
    {
        var relationOf = new Dictionary<ParameterExpression, RelationInput>();
        var outer = new Dictionary<ParameterExpression, string>();
        for (var k = 0; k < ir.Parameters.Count; k++)
        {
            if (relations.RelationOf(inputs[k]) is { } relation) relationOf[ir.Parameters[k]] = relation;
            else if (inputs[k] == RelationInput.NowName || isColumn(inputs[k])) outer[ir.Parameters[k]] = inputs[k];
        }

        if (relationOf.Count == 0) return null;
        var rewriter = new Rewriter(this, relationOf, outer, window);
        var body = rewriter.Visit(ir.Body)!;
        if (rewriter.Failed || IrFacts.Of(body).Parameters.Any(relationOf.ContainsKey)) return null;
        foreach (var (key, aggregate) in rewriter.Found) _planned.TryAdd(key, aggregate);

        // Keep every non-relation parameter (the null rule reads them all), then the aggregate columns.
        var parameters = ir.Parameters.Where(p => !relationOf.ContainsKey(p)).ToList();
        var newInputs = ir.Parameters.Select((p, k) => (p, inputs[k])).Where(x => !relationOf.ContainsKey(x.p)).Select(x => x.Item2).ToList();
        foreach (var aggregate in rewriter.Found.Values.Distinct())
        {
            parameters.Add(rewriter.ValueParameter(aggregate));
            newInputs.Add(aggregate.ValueName);
            if (aggregate.CanFail)
            {
                parameters.Add(rewriter.ErrorParameter(aggregate));
                newInputs.Add(aggregate.ErrorName);
            }
        }

        return (Expression.Lambda(body, ir.Name, parameters), newInputs.ToArray());
    }

    /// <summary>
    /// The planned aggregate replacing <paramref name="key"/> — <paramref name="node"/> itself, or the read of
    /// <paramref name="projection"/> from the row it chooses — in <paramref name="window"/> (the one already planned, if any).
    /// </summary>
    private PlannedAggregate Plan(Expression key, ListAggregateExpression node, PropertyInfo? projection, RelationInput relation, TimeSpan? window,
        IReadOnlyDictionary<ParameterExpression, string> outer)
    {
        if (_planned.TryGetValue((key, window), out var known)) return known;
        var members = new HashSet<PropertyInfo>();
        var reads = new HashSet<ParameterExpression>();
        var index = _names++;
        return new PlannedAggregate(node, relation, window, $"$agg{index}", $"$aggerr{index}", members, reads, outer) { Projection = projection };
    }

    /// <summary>Whether the segmented kernel can compute <paramref name="node"/>, collecting the members and outer parameters it reads.</summary>
    private static bool Segmentable(ListAggregateExpression node, IReadOnlyDictionary<ParameterExpression, string> outer, PlannedAggregate aggregate)
    {
        if (!SegmentedAggregate.Supports(node, aggregate.Projection)) return false;
        if (aggregate.Projection is { } projection) aggregate.Members.Add(projection);
        // Whole elements have no column value: only counts, Any, All, folds (whose functions read the element) and a member of MinBy/MaxBy's row go without a selector.
        if (node.Selector is null && aggregate.Projection is null
            && node.Kind is not (ListAggregateKind.Count or ListAggregateKind.LongCount or ListAggregateKind.Any or ListAggregateKind.All or ListAggregateKind.Fold))
            return false;
        var census = new Census(node.ElementType, outer);
        if (node.Filter is not null) census.Check(node.Filter.Body, node.Filter.Parameters[0], null);
        if (node.Selector is not null) census.Check(node.Selector.Body, node.Selector.Parameters[0], null);
        if (node.Function is not null)
        {
            // All's test and a fold's step read the element when there is no selector, else the selected value; a fold's accumulator is a value.
            var parameter = node.Function.Parameters[^1];
            var accumulator = node.Kind == ListAggregateKind.Fold ? node.Function.Parameters[0] : null;
            census.Check(node.Function.Body, node.Selector is null ? parameter : null, node.Selector is null ? null : parameter, accumulator);
        }

        if (node.Argument is not null) census.Check(node.Argument, null, null);
        if (census.Failed) return false;
        aggregate.Members.UnionWith(census.Members);
        aggregate.OuterReads.UnionWith(census.Outer);
        return true;
    }

    private sealed class Rewriter(AggregatePlanner planner, Dictionary<ParameterExpression, RelationInput> relationOf,
        Dictionary<ParameterExpression, string> outer, TimeSpan? window) : Lowering.Ir.MemoizingVisitor
    {
        private readonly Dictionary<PlannedAggregate, (ParameterExpression Value, ParameterExpression? Error)> _parameters = [];

        public Dictionary<(Expression, TimeSpan?), PlannedAggregate> Found { get; } = [];

        public bool Failed { get; private set; }

        public ParameterExpression ValueParameter(PlannedAggregate aggregate) => _parameters[aggregate].Value;

        public ParameterExpression ErrorParameter(PlannedAggregate aggregate) => _parameters[aggregate].Error!;

        protected override Expression VisitExtension(Expression node)
        {
            if (node is not ListAggregateExpression aggregate || aggregate.Source is not ParameterExpression source || !relationOf.TryGetValue(source, out var relation))
                return base.VisitExtension(node);
            return Replace(node, aggregate, null, relation);
        }

        /// <summary>A member of the row MinBy/MaxBy chooses (<c>MaxBy(t =&gt; t.At)!.Amount</c>): the aggregate's value is that member.</summary>
        protected override Expression VisitMember(MemberExpression node)
        {
            if (node.Expression is ListAggregateExpression { Kind: ListAggregateKind.MinBy or ListAggregateKind.MaxBy, Selector: null } aggregate
                && aggregate.Source is ParameterExpression source && relationOf.TryGetValue(source, out var relation)
                && node.Member is PropertyInfo property && property.DeclaringType!.IsAssignableFrom(aggregate.ElementType))
                return Replace(node, aggregate, property, relation);
            return base.VisitMember(node);
        }

        private Expression Replace(Expression node, ListAggregateExpression aggregate, PropertyInfo? projection, RelationInput relation)
        {
            var planned = Found.TryGetValue((node, window), out var found) ? found : planner.Plan(node, aggregate, projection, relation, window, outer);
            if (!Found.ContainsKey((node, window)))
            {
                if (!Segmentable(aggregate, outer, planned))
                {
                    Failed = true;
                    return node;
                }

                Found[(node, window)] = planned;
            }

            if (!_parameters.TryGetValue(planned, out var parameters))
            {
                var valueType = planned.CanFail && planned.Type.IsValueType && Nullable.GetUnderlyingType(planned.Type) is null
                    ? typeof(Nullable<>).MakeGenericType(planned.Type)
                    : planned.Type;
                parameters = (Expression.Parameter(valueType, planned.ValueName), planned.CanFail ? Expression.Parameter(typeof(string), planned.ErrorName) : null);
                _parameters[planned] = parameters;
            }

            if (parameters.Error is null) return parameters.Value;
            var read = !planned.Type.IsValueType ? nameof(AggregateOutcome.Reference)
                : Nullable.GetUnderlyingType(planned.Type) is not null ? nameof(AggregateOutcome.NullableValue)
                : nameof(AggregateOutcome.Value);
            var typeArgument = Nullable.GetUnderlyingType(planned.Type) ?? planned.Type;
            return Expression.Call(typeof(AggregateOutcome), read, [typeArgument], parameters.Value, parameters.Error);
        }
    }

    /// <summary>What an aggregate's lambdas read: element members (properties), outer parameters that are columns or Now; anything else fails.</summary>
    private sealed class Census(Type elementType, IReadOnlyDictionary<ParameterExpression, string> outer) : ExpressionVisitor
    {
        private ParameterExpression? _element;
        private ParameterExpression? _value;
        private ParameterExpression? _accumulator;

        public HashSet<PropertyInfo> Members { get; } = [];

        public HashSet<ParameterExpression> Outer { get; } = [];

        public bool Failed { get; private set; }

        /// <summary>
        /// Checks a body whose <paramref name="element"/> may be read only through members and whose <paramref name="value"/>
        /// and <paramref name="accumulator"/> may be read whole.
        /// </summary>
        public void Check(Expression body, ParameterExpression? element, ParameterExpression? value, ParameterExpression? accumulator = null)
        {
            _element = element;
            _value = value;
            _accumulator = accumulator;
            Visit(body);
        }

        protected override Expression VisitMember(MemberExpression node)
        {
            if (node.Expression is ParameterExpression p && p == _element)
            {
                if (node.Member is PropertyInfo property && property.DeclaringType!.IsAssignableFrom(elementType)) Members.Add(property);
                else Failed = true;
                return node;
            }

            return base.VisitMember(node);
        }

        protected override Expression VisitParameter(ParameterExpression node)
        {
            if (node == _element) Failed = true; // the element used whole (passed on, compared): not a column value
            else if (node == _value || node == _accumulator) return node;
            else if (outer.ContainsKey(node)) Outer.Add(node);
            else Failed = true; // a feature's output, a relation, a lambda of another scope: not bound by the kernel
            return node;
        }

        protected override Expression VisitExtension(Expression node)
        {
            Failed = true; // nested aggregates run row by row
            return node;
        }

        protected override Expression VisitLambda<T>(Expression<T> node)
        {
            Failed = true; // nested lambdas (a sub-query) run row by row
            return node;
        }
    }
}

/// <summary>
/// One aggregate a plan computes with the segmented kernel: its node, relation and window, the names of its value and
/// error columns, and what its lambdas read.
/// </summary>
internal sealed record PlannedAggregate(
    ListAggregateExpression Node, RelationInput Relation, TimeSpan? Window, string ValueName, string ErrorName,
    HashSet<PropertyInfo> Members, HashSet<ParameterExpression> OuterReads, IReadOnlyDictionary<ParameterExpression, string> OuterInputs)
{
    // 0: not analysed yet, 1: cannot fail, 2: can fail (one int, so that threads racing to analyse it read whole answers).
    private int _canFail;

    /// <summary>
    /// Whether the aggregate can end with an exception for a parent: its lambdas may throw, it adds checked integers, or
    /// an empty sequence throws for its kind. Analysed once (every evaluation asks, several times per column it binds).
    /// </summary>
    public bool CanFail => (_canFail != 0 ? _canFail : _canFail = AnalyseCanFail() ? 2 : 1) == 2;

    private bool AnalyseCanFail() => Projection is not null || new[] { Node.Filter?.Body, Node.Selector?.Body, Node.Function?.Body, Node.Argument }.Any(e => e is not null && Lowering.Analyses.ThrowAnalysis.SubtreeCanThrow(e))
        || (Node.Kind is ListAggregateKind.Sum or ListAggregateKind.Average && (Nullable.GetUnderlyingType(Node.ValueType) ?? Node.ValueType) is var t && (t == typeof(int) || t == typeof(long) || t == typeof(decimal)))
        || (Node.Kind is ListAggregateKind.Min or ListAggregateKind.Max or ListAggregateKind.Average or ListAggregateKind.First or ListAggregateKind.Last
            && Node.Type.IsValueType && Nullable.GetUnderlyingType(Node.Type) is null);

    /// <summary>For <c>MinBy</c>/<c>MaxBy</c>: the member of the chosen row the aggregate's value is (null row: <see cref="NullReferenceException"/>); else null.</summary>
    public PropertyInfo? Projection { get; init; }

    /// <summary>The type of the aggregate's value: the projected member's, else the node's.</summary>
    public Type Type => Projection?.PropertyType ?? Node.Type;

    private IArrowType? _arrowType;

    /// <summary>The Arrow type of the aggregate's value column (worked out once: every evaluation makes the column).</summary>
    public IArrowType ArrowType => _arrowType ??= Dsl.Codegen.Columns.ColumnTypes.ArrowTypeOf(Type);

    public override int GetHashCode() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(this);

    public bool Equals(PlannedAggregate? other) => ReferenceEquals(this, other);
}
