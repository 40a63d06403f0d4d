using System.Linq.Expressions;
using System.Reflection;
using Dsl.Lowering.Cil;
using Dsl.Lowering.Ir;

namespace Dsl.Lowering.Analyses;

/// <summary>
/// Checks that a lowered IR keeps the aggregate contract code generators rely on (<c>docs/lowering.md</c>, "The
/// aggregation IR"), and falls back with the reason when it does not:
/// <list type="bullet">
/// <item>An aggregate over related rows (a source that is not an array) ranges over one of the function's parameters or
/// a captured value (<c>relation-source</c>).</item>
/// <item>An aggregate's source and argument, and its lambdas apart from their own parameters, read only the function's
/// parameters: an aggregate inside a lambda does not depend on that lambda's element (<c>nested-aggregate</c>).</item>
/// <item>An entity value (a row) is used only by reading a member (an auto-property as <c>Property</c>, a public field as
/// <c>Field</c>), by a null test, as an arm of a conditional, or as the value a lambda, block or the function returns
/// (<c>entity-use</c>).</item>
/// </list>
/// Walks each node of the DAG once.
/// </summary>
internal static class AggregateContract
{
    public static void Check(Expression body, IReadOnlyCollection<ParameterExpression> parameters) => new Checker(parameters).Run(body);

    private sealed class Checker(IReadOnlyCollection<ParameterExpression> parameters)
    {
        private readonly Dictionary<Expression, HashSet<ParameterExpression>> _free = new(ReferenceEqualityComparer.Instance);
        private static readonly HashSet<ParameterExpression> s_none = [];

        public void Run(Expression root)
        {
            var seen = new HashSet<Expression>(ReferenceEqualityComparer.Instance);
            var pending = new Stack<Expression>([root]);
            while (pending.Count > 0)
            {
                var node = pending.Pop();
                if (!seen.Add(node)) continue;
                if (node is ListAggregateExpression aggregate) CheckAggregate(aggregate);
                var children = IrChildren.Of(node);
                foreach (var child in children)
                {
                    CheckEntityUse(node, child);
                    pending.Push(child);
                }
            }
        }

        private void CheckAggregate(ListAggregateExpression aggregate)
        {
            if (!aggregate.IsOverArray && aggregate.Source is not (ParameterExpression or ConstantExpression or MemberExpression { Expression: ConstantExpression or null }))
                throw new LoweringFailure("relation-source", $"{aggregate.Kind} over {IrPrinter.TypeName(aggregate.Source.Type)} computed inside the function; related rows are aggregated only from a parameter or captured value");
            foreach (var part in new[] { aggregate.Source, aggregate.Argument, aggregate.Filter, aggregate.Selector, aggregate.Function })
            {
                if (part is not null && Free(part).FirstOrDefault(p => !parameters.Contains(p)) is { } outer)
                    throw new LoweringFailure("nested-aggregate", $"{aggregate.Kind} inside a lambda reads that lambda's '{outer.Name}' (a nested loop over rows for each row); an aggregate inside a lambda may not depend on its element");
            }
        }

        private static void CheckEntityUse(Expression parent, Expression child)
        {
            if (!EntityMembers.IsEntityType(child.Type) || child is ConstantExpression || (child is ParameterExpression && parent is LambdaExpression)) return;
            var allowed = parent switch
            {
                MemberExpression member => member.Member is PropertyInfo { GetMethod: not null } || member.Member is FieldInfo { IsPublic: true },
                BinaryExpression { NodeType: ExpressionType.Equal or ExpressionType.NotEqual, Method: null } test =>
                    test.Left is ConstantExpression { Value: null } || test.Right is ConstantExpression { Value: null },
                LambdaExpression lambda => lambda.Body == child,
                ConditionalExpression conditional => conditional.Test != child,
                // A statement evaluated for its exception only (an effect replayed), or the block's value.
                BlockExpression => true,
                ListAggregateExpression => true,
                _ => false,
            };
            if (!allowed)
                throw new LoweringFailure("entity-use", $"a {child.Type.Name} row is used as {parent.NodeType} ({Describe(parent)}); a row may only have its members read, be tested for null, or be the value returned");
        }

        private static string Describe(Expression node) => node is MethodCallExpression call ? $"{call.Method.DeclaringType?.Name}.{call.Method.Name}" : node.GetType().Name;

        /// <summary>The parameters <paramref name="node"/> reads that it does not declare itself (a lambda's or block's own are bound).</summary>
        private HashSet<ParameterExpression> Free(Expression node)
        {
            if (_free.TryGetValue(node, out var known)) return known;
            HashSet<ParameterExpression> free;
            if (node is ParameterExpression parameter) free = [parameter];
            else
            {
                free = s_none;
                foreach (var child in IrChildren.Of(node))
                {
                    var inner = Free(child);
                    if (inner.Count == 0) continue;
                    free = free == s_none ? new HashSet<ParameterExpression>(inner) : free;
                    free.UnionWith(inner);
                }

                var bound = node switch
                {
                    LambdaExpression lambda => lambda.Parameters,
                    BlockExpression block => block.Variables,
                    _ => null,
                };
                if (bound is not null && free.Count > 0) free = free.Except(bound).ToHashSet();
            }

            _free[node] = free;
            return free;
        }
    }
}
