using System.Linq.Expressions;

namespace Dsl.Lowering.Ir;

/// <summary>Size measures of an IR tree, counting a shared node once.</summary>
internal static class IrMetrics
{
    public static int CountDistinctNodes(Expression root)
    {
        var seen = new HashSet<Expression>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<Expression>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            if (!seen.Add(node)) continue;
            foreach (var child in Analyses.EffectLog.Children(node)) pending.Push(child);
        }

        return seen.Count;
    }

    /// <summary>How many times each node is referenced from a distinct parent position in the tree.</summary>
    public static Dictionary<Expression, int> ReferenceCounts(Expression root)
    {
        var counts = new Dictionary<Expression, int>(ReferenceEqualityComparer.Instance);
        void Walk(Expression node)
        {
            counts[node] = counts.TryGetValue(node, out var count) ? count + 1 : 1;
            if (count > 0) return;
            foreach (var child in Analyses.EffectLog.Children(node)) Walk(child);
        }

        Walk(root);
        return counts;
    }
}
