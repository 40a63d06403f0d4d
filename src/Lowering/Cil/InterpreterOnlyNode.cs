using System.Linq.Expressions;

namespace Dsl.Lowering.Cil;

/// <summary>
/// Checks the invariant that the interpreter's own values (<see cref="InterpreterValue"/>) never reach the IR: they
/// cannot be compiled, and a consumer would fail far from the cause. Visits each distinct node once (the IR is a DAG).
/// </summary>
internal sealed class InterpreterOnlyNode : ExpressionVisitor
{
    private readonly HashSet<Expression> _seen = new(ReferenceEqualityComparer.Instance);
    private Expression? _found;

    /// <summary>The first interpreter-only node in <paramref name="tree"/>, or null.</summary>
    public static Expression? FindIn(Expression tree)
    {
        var finder = new InterpreterOnlyNode();
        finder.Visit(tree);
        return finder._found;
    }

    public override Expression? Visit(Expression? node)
    {
        if (_found is not null || node is null || !_seen.Add(node)) return node;
        if (node is InterpreterValue)
        {
            _found = node;
            return node;
        }

        return base.Visit(node);
    }
}
