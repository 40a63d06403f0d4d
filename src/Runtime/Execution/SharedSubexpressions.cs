using System.Linq.Expressions;
using Dsl.Lowering.Ir;

namespace Dsl.Runtime.Execution;

/// <summary>
/// Finds subtrees that several features compute from the same columns and moves each into a hidden feature
/// computed once; the features then read the hidden feature's column through a new parameter.
/// </summary>
/// <remarks>
/// Invariant: every rewritten feature gives the same values, nulls and row errors as before. It holds because
/// only <see cref="ExpressionShape">pure</see> subtrees move (they cannot throw, so computing them on every row
/// is unobservable), and a rewritten feature keeps all its original parameters, so the rule "a null in a
/// non-nullable value-type parameter makes the row null" still applies to it: the hidden column is null only
/// on rows where one of those parameters, which the feature also has, is null.
/// Only costly subtrees move (a transcendental call, or at least <see cref="MinimumSize"/> nodes): writing and
/// reading back a column costs more memory traffic than recomputing a subtraction.
/// </remarks>
internal static class SharedSubexpressions
{
    /// <summary>The smallest subtree without a costly call worth materialising.</summary>
    public const int MinimumSize = 12;

    /// <summary>One feature's IR with the column each parameter reads.</summary>
    public sealed record Feature(string Name, LambdaExpression Ir, IReadOnlyDictionary<ParameterExpression, string> ColumnOf);

    /// <summary>The outcome: hidden features to compute first, then the features rewritten to read them.</summary>
    public sealed record Result(IReadOnlyList<Feature> Hidden, IReadOnlyList<Feature> Rewritten);

    /// <summary>Hoists shared subtrees whose type <paramref name="canMaterialize"/> accepts; hidden features are named <c>$shared{n}</c>.</summary>
    public static Result Hoist(IReadOnlyList<Feature> features, Func<Type, bool> canMaterialize)
    {
        var shapes = new ExpressionShape();
        var featuresContaining = new Dictionary<int, int>();
        foreach (var feature in features)
        {
            shapes.Visit(feature.Ir.Body, feature.ColumnOf);
            foreach (var id in PureIds(feature.Ir.Body, shapes)) featuresContaining[id] = featuresContaining.GetValueOrDefault(id) + 1;
        }

        var hidden = new Dictionary<int, (Feature Feature, ParameterExpression Column)>();
        var rewritten = new List<Feature>();
        foreach (var feature in features)
        {
            var rewriter = new Rewriter(shapes, feature, hidden, id => featuresContaining.GetValueOrDefault(id) >= 2, canMaterialize);
            var body = rewriter.Visit(feature.Ir.Body)!;
            if (rewriter.Added.Count == 0)
            {
                rewritten.Add(feature);
                continue;
            }
            var columnOf = new Dictionary<ParameterExpression, string>(feature.ColumnOf);
            foreach (var added in rewriter.Added) columnOf[added] = added.Name!;
            var ir = Expression.Lambda(body, feature.Ir.Name, feature.Ir.Parameters.Concat(rewriter.Added));
            rewritten.Add(new Feature(feature.Name, ir, columnOf));
        }
        return new Result(hidden.Values.Select(h => h.Feature).ToArray(), rewritten);
    }

    private static HashSet<int> PureIds(Expression body, ExpressionShape shapes)
    {
        var ids = new HashSet<int>();
        new NodeWalker(node =>
        {
            var shape = shapes[node];
            if (shape.IsPure) ids.Add(shape.Id);
        }).Visit(body);
        return ids;
    }

    /// <summary>Calls an action on every node the shape pass visited (it does not enter nested lambdas or reducible extensions).</summary>
    private sealed class NodeWalker(Action<Expression> onNode) : ExpressionVisitor
    {
        private readonly HashSet<Expression> _seen = new(ReferenceEqualityComparer.Instance);

        public override Expression? Visit(Expression? node)
        {
            // Each shared node once: the IR is a DAG, and a walk of it as a tree is exponential in its depth.
            if (node is null || node is LambdaExpression || !_seen.Add(node)) return node;
            onNode(node);
            return node.NodeType == ExpressionType.Extension && node.CanReduce ? node : base.Visit(node);
        }
    }

    private sealed class Rewriter(
        ExpressionShape shapes,
        Feature feature,
        Dictionary<int, (Feature Feature, ParameterExpression Column)> hidden,
        Func<int, bool> isShared,
        Func<Type, bool> canMaterialize) : MemoizingVisitor
    {
        private readonly Dictionary<int, ParameterExpression> _added = [];

        public IReadOnlyCollection<ParameterExpression> Added => _added.Values;

        protected override Expression Rewrite(Expression node)
        {
            if (node is LambdaExpression) return node;
            var shape = shapes[node];
            if (shape.IsPure && node is not ParameterExpression and not ConstantExpression && isShared(shape.Id)
                && (shape.HasCostlyCall || shape.Size >= MinimumSize) && canMaterialize(node.Type))
            {
                if (!hidden.TryGetValue(shape.Id, out var entry))
                {
                    var name = $"$shared{hidden.Count}";
                    entry = (Extract(name, node), Expression.Parameter(node.Type, name));
                    hidden[shape.Id] = entry;
                }
                if (!_added.TryGetValue(shape.Id, out var parameter))
                    _added[shape.Id] = parameter = Expression.Parameter(node.Type, entry.Column.Name);
                return parameter;
            }
            return node.NodeType == ExpressionType.Extension && node.CanReduce ? node : base.Rewrite(node);
        }

        /// <summary>The subtree as a lambda of fresh parameters, one per (column, type) it reads.</summary>
        private Feature Extract(string name, Expression subtree)
        {
            var fresh = new Dictionary<ParameterExpression, ParameterExpression>();
            var columnOf = new Dictionary<ParameterExpression, string>();
            var body = new ParameterReplacer(p =>
            {
                if (!feature.ColumnOf.TryGetValue(p, out var column)) return p;
                if (!fresh.TryGetValue(p, out var replacement))
                {
                    replacement = fresh.Values.FirstOrDefault(f => columnOf[f] == column && f.Type == p.Type)
                        ?? Expression.Parameter(p.Type, $"{name}_{fresh.Count}");
                    fresh[p] = replacement;
                    columnOf[replacement] = column;
                }
                return replacement;
            }).Visit(subtree)!;
            return new Feature(name, Expression.Lambda(body, name, fresh.Values.Distinct()), columnOf);
        }
    }

    private sealed class ParameterReplacer(Func<ParameterExpression, ParameterExpression> replace) : MemoizingVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => replace(node);
    }
}
