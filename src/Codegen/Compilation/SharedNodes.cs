using System.Linq.Expressions;

namespace Dsl.Codegen.Compilation;

/// <summary>
/// Makes each shared IR node (one object reached by several paths: hash-consing shares equal subtrees) be
/// evaluated at most once per row, and only when some path that uses it is taken. Each shared node becomes
/// <c>computed ? value : (value = node, computed = true, value)</c>; the kernel clears the flags per row.
/// </summary>
/// <remarks>
/// Only nodes that read nothing but row parameters the IR never assigns are memoized: their value is fixed
/// for the row, so computing them once cannot change a result. Evaluation stays lazy, so an arm that would
/// throw is still evaluated only where the original tree evaluated it. A shared node that cannot throw at all
/// is instead computed eagerly into a local at the top of the row (<see cref="Result.Prelude"/>, children
/// first): the expression compiler emits code once per reference, so a lazy node's code is repeated at each of
/// its uses, which is exponential in the depth of a DAG whose levels share the one below.
/// </remarks>
internal sealed class SharedNodes : SharingVisitor
{
    private readonly HashSet<Expression> _shared;
    private readonly HashSet<ParameterExpression> _stable;
    private readonly Dictionary<Expression, bool> _readsOnlyStable = new(ReferenceEqualityComparer.Instance);
    private readonly List<ParameterExpression> _values = [];
    private readonly List<ParameterExpression> _flags = [];
    private readonly List<Expression> _prelude = [];

    private SharedNodes(HashSet<Expression> shared, HashSet<ParameterExpression> stable)
    {
        _shared = shared;
        _stable = stable;
    }

    /// <summary>
    /// The rewritten body, the value locals, the flag locals (to clear per row) and the assignments of the eagerly
    /// computed values (to run per row, in order, before the body).
    /// </summary>
    public sealed record Result(Expression Body, IReadOnlyList<ParameterExpression> Values, IReadOnlyList<ParameterExpression> Flags, IReadOnlyList<Expression> Prelude);

    public static Result Memoize(Expression body, IEnumerable<ParameterExpression> rowParameters)
    {
        var census = new Census();
        census.Visit(body);
        var stable = rowParameters.Where(p => !census.Assigned.Contains(p)).ToHashSet();
        var rewriter = new SharedNodes(census.Shared, stable);
        var rewritten = rewriter.Visit(body)!;
        return new Result(rewritten, rewriter._values, rewriter._flags, rewriter._prelude);
    }

    protected override Expression Rewrite(Expression node)
    {
        var inner = base.Rewrite(node);
        if (!_shared.Contains(node) || node.Type == typeof(void) || IsTrivial(node) || !ReadsOnlyStable(node)) return inner;
        var value = Expression.Variable(node.Type, $"shared{_values.Count}");
        _values.Add(value);
        if (!Lowering.Analyses.ThrowAnalysis.SubtreeCanThrow(node))
        {
            _prelude.Add(Expression.Assign(value, inner));
            return value;
        }

        var computed = Expression.Variable(typeof(bool), $"hasShared{_flags.Count}");
        _flags.Add(computed);
        return Expression.Condition(computed, value,
            Expression.Block(Expression.Assign(value, inner), Expression.Assign(computed, Expression.Constant(true)), value));
    }

    private static bool IsTrivial(Expression node) => node switch
    {
        ParameterExpression or ConstantExpression or DefaultExpression => true,
        MemberExpression member => member.Expression is null or ParameterExpression or ConstantExpression,
        UnaryExpression unary => unary.Operand is ParameterExpression or ConstantExpression,
        _ => false,
    };

    private bool ReadsOnlyStable(Expression node)
    {
        if (_readsOnlyStable.TryGetValue(node, out var known)) return known;
        var check = new StableCheck(this, node);
        check.Visit(node);
        _readsOnlyStable[node] = check.Ok;
        return check.Ok;
    }

    /// <summary>Counts how often each node object is reached and which variables are assigned.</summary>
    private sealed class Census : ExpressionVisitor
    {
        private readonly HashSet<Expression> _seen = new(ReferenceEqualityComparer.Instance);

        public HashSet<Expression> Shared { get; } = new(ReferenceEqualityComparer.Instance);

        public HashSet<ParameterExpression> Assigned { get; } = [];

        public override Expression? Visit(Expression? node)
        {
            if (node is null) return null;
            if (!_seen.Add(node))
            {
                Shared.Add(node);
                return node;
            }

            return base.Visit(node);
        }

        protected override Expression VisitBinary(BinaryExpression node)
        {
            if (IsAssignment(node.NodeType) && node.Left is ParameterExpression target) Assigned.Add(target);
            return base.VisitBinary(node);
        }

        protected override Expression VisitUnary(UnaryExpression node)
        {
            if (node.NodeType is ExpressionType.PreIncrementAssign or ExpressionType.PreDecrementAssign
                or ExpressionType.PostIncrementAssign or ExpressionType.PostDecrementAssign
                && node.Operand is ParameterExpression target)
            {
                Assigned.Add(target);
            }

            return base.VisitUnary(node);
        }

        private static bool IsAssignment(ExpressionType type) => type is ExpressionType.Assign
            or ExpressionType.AddAssign or ExpressionType.AddAssignChecked or ExpressionType.SubtractAssign
            or ExpressionType.SubtractAssignChecked or ExpressionType.MultiplyAssign or ExpressionType.MultiplyAssignChecked
            or ExpressionType.DivideAssign or ExpressionType.ModuloAssign or ExpressionType.AndAssign
            or ExpressionType.OrAssign or ExpressionType.ExclusiveOrAssign or ExpressionType.LeftShiftAssign
            or ExpressionType.RightShiftAssign or ExpressionType.PowerAssign;
    }

    /// <summary>
    /// Whether a subtree reads only stable row parameters and has no side effects on variables. Children are
    /// answered through <see cref="ReadsOnlyStable"/>, whose cache makes the check linear in the DAG's size.
    /// </summary>
    private sealed class StableCheck(SharedNodes owner, Expression root) : ExpressionVisitor
    {
        public bool Ok { get; private set; } = true;

        public override Expression? Visit(Expression? node)
        {
            if (!Ok || node is null) return node;
            if (node.NodeType is ExpressionType.Assign or ExpressionType.Block or ExpressionType.Loop or ExpressionType.Goto
                or ExpressionType.Label or ExpressionType.Lambda or ExpressionType.Try or ExpressionType.Extension)
            {
                Ok = false;
                return node;
            }

            if (!ReferenceEquals(node, root))
            {
                Ok = owner.ReadsOnlyStable(node);
                return node;
            }

            return base.Visit(node);
        }

        protected override Expression VisitParameter(ParameterExpression node)
        {
            if (!owner._stable.Contains(node)) Ok = false;
            return node;
        }
    }
}
