using System.Linq.Expressions;
using System.Runtime.CompilerServices;

namespace Dsl.Lowering.Ir;

internal sealed partial class IrFactory
{
    private readonly Dictionary<ListAggregateExpression, ListAggregateExpression> _aggregates = new(AggregateComparer.Instance);
    private readonly Dictionary<(Type, int), ParameterExpression> _lambdaParameters = new();

    /// <summary>
    /// The canonical aggregate structurally equal to <paramref name="node"/>: its lambdas' parameters become the
    /// canonical parameter of their type and position (<see cref="LambdaParameter"/>) and their bodies are hash-consed,
    /// so two aggregates written separately (a mean inside a sum of squared deviations and the mean itself, two
    /// identical lambdas) are one object, and consumers may compute it once.
    /// </summary>
    /// <exception cref="LoweringFailure">A lambda holds an aggregate whose own lambda reads the outer lambda's element (a correlated nested loop).</exception>
    public ListAggregateExpression InternAggregate(ListAggregateExpression node)
    {
        var canonical = node.Update(node.Source, Canonical(node.Filter), Canonical(node.Selector), node.Argument, Canonical(node.Function));
        if (_aggregates.TryGetValue(canonical, out var existing)) return existing;
        Charge();
        _aggregates.Add(canonical, canonical);
        return canonical;
    }

    /// <summary>The parameter every aggregate lambda uses at <paramref name="position"/> for a value of <paramref name="type"/>.</summary>
    public ParameterExpression LambdaParameter(Type type, int position)
    {
        if (!_lambdaParameters.TryGetValue((type, position), out var parameter))
            _lambdaParameters[(type, position)] = parameter = Expression.Parameter(type, position == 0 ? "x" : $"x{position}");
        return parameter;
    }

    private LambdaExpression? Canonical(LambdaExpression? lambda)
    {
        if (lambda is null) return null;
        if (NestedLambdaReads(lambda.Body, lambda.Parameters))
            throw new LoweringFailure("nested-aggregate", "an aggregate inside a lambda reads that lambda's element (a nested loop over the rows for each row); only aggregates that do not depend on the element may appear inside a lambda");
        var parameters = lambda.Parameters.Select((p, i) => LambdaParameter(p.Type, i)).ToArray();
        var body = InternTree(Intrinsics.ParameterSubstitution.Replace(lambda.Body, lambda.Parameters, parameters));
        var funcType = Expression.GetFuncType([.. parameters.Select(p => p.Type), body.Type]);
        if (body == lambda.Body && parameters.SequenceEqual(lambda.Parameters) && lambda.Type == funcType) return lambda;
        return Expression.Lambda(funcType, body, parameters);
    }

    /// <summary>
    /// True when a lambda nested in <paramref name="body"/> reads one of <paramref name="parameters"/> (a nested lambda
    /// that declares the same parameter, as canonical ones do, reads its own there, not the outer one).
    /// </summary>
    private static bool NestedLambdaReads(Expression body, IReadOnlyList<ParameterExpression> parameters)
    {
        var finder = new NestedReadFinder(parameters);
        finder.Visit(body);
        return finder.Found;
    }

    /// <summary>Walks a DAG once per (node, parameters still visible, inside a nested lambda) triple.</summary>
    private sealed class NestedReadFinder(IReadOnlyList<ParameterExpression> parameters) : ExpressionVisitor
    {
        private readonly HashSet<(Expression, int, bool)> _seen = [];
        private int _visible = (1 << parameters.Count) - 1;
        private bool _nested;

        public bool Found { get; private set; }

        public override Expression? Visit(Expression? node)
        {
            if (Found || node is null || _visible == 0 || !_seen.Add((node, _visible, _nested))) return node;
            return base.Visit(node);
        }

        protected override Expression VisitParameter(ParameterExpression node)
        {
            var index = IndexOf(node);
            if (_nested && index >= 0 && (_visible & (1 << index)) != 0) Found = true;
            return node;
        }

        protected override Expression VisitLambda<T>(Expression<T> node)
        {
            var (visible, nested) = (_visible, _nested);
            foreach (var declared in node.Parameters)
                if (IndexOf(declared) is var index && index >= 0) _visible &= ~(1 << index);
            _nested = true;
            Visit(node.Body);
            (_visible, _nested) = (visible, nested);
            return node;
        }

        private int IndexOf(ParameterExpression node)
        {
            for (var i = 0; i < parameters.Count; i++)
                if (parameters[i] == node) return i;
            return -1;
        }
    }

    /// <summary>Aggregates equal by kind, origin, and children by reference (lambdas by parameters and body).</summary>
    private sealed class AggregateComparer : IEqualityComparer<ListAggregateExpression>
    {
        public static AggregateComparer Instance { get; } = new();

        public bool Equals(ListAggregateExpression? x, ListAggregateExpression? y)
        {
            if (ReferenceEquals(x, y)) return true;
            if (x is null || y is null) return false;
            return x.Kind == y.Kind && x.Type == y.Type && x.Origin == y.Origin && x.Source == y.Source && x.Argument == y.Argument
                && SameLambda(x.Filter, y.Filter) && SameLambda(x.Selector, y.Selector) && SameLambda(x.Function, y.Function);
        }

        public int GetHashCode(ListAggregateExpression node) => HashCode.Combine(
            node.Kind, node.Origin, Identity(node.Source), Identity(node.Argument), Identity(node.Filter?.Body), Identity(node.Selector?.Body), Identity(node.Function?.Body));

        private static bool SameLambda(LambdaExpression? a, LambdaExpression? b) =>
            ReferenceEquals(a, b) || (a is not null && b is not null && a.Body == b.Body && a.Type == b.Type && a.Parameters.SequenceEqual(b.Parameters));

        private static int Identity(object? node) => node is null ? 0 : RuntimeHelpers.GetHashCode(node);
    }
}
