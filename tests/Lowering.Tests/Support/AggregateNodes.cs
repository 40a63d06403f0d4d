using System.Linq.Expressions;
using Dsl.Lowering.Ir;

namespace Dsl.Lowering.Tests.Support;

/// <summary>The distinct aggregate nodes of an IR (by reference), nested ones included.</summary>
internal static class AggregateNodes
{
    public static IReadOnlyList<ListAggregateExpression> In(Expression root)
    {
        var found = new List<ListAggregateExpression>();
        var seen = new HashSet<Expression>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<Expression>([root]);
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            if (!seen.Add(node)) continue;
            if (node is ListAggregateExpression aggregate) found.Add(aggregate);
            foreach (var child in IrChildren.Of(node)) pending.Push(child);
        }

        return found;
    }
}
