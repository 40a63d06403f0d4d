using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;
using Dsl.Lowering.Analyses;
using Dsl.Lowering.Ir;

namespace Dsl.Lowering.Passes;

/// <summary>
/// Removes the arms that can never run: a conditional with a constant test becomes its arm, <c>&amp;&amp;</c>
/// and <c>||</c> with a constant operand shrink, a conditional with equal arms loses its test, and a
/// statement in a block that cannot throw (and so has no effect) is dropped. Invariant: nothing that may
/// throw is removed unless the same node is certainly evaluated anyway. The rewrite is context-free, so each
/// node of the (hash-consed, shared) DAG is rewritten once, by reference: the work is linear in the DAG's size.
/// </summary>
internal sealed class DeadBranchElimination
{
    private readonly IrFactory _ir;

    public DeadBranchElimination(IrFactory ir) => _ir = ir;

    public Expression Run(Expression node) => new Eliminator(_ir).Visit(node)!;

    private sealed class Eliminator(IrFactory ir) : ExpressionVisitor
    {
        private readonly Dictionary<Expression, Expression> _done = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<Expression, bool> _pure = new(ReferenceEqualityComparer.Instance);

        [return: NotNullIfNotNull(nameof(node))]
        public override Expression? Visit(Expression? node)
        {
            if (node is null) return null;
            if (_done.TryGetValue(node, out var known)) return known;
            var rewritten = base.Visit(node)!;
            _done[node] = rewritten;
            return rewritten;
        }

        protected override Expression VisitConditional(ConditionalExpression node)
        {
            var test = Visit(node.Test);
            if (test is ConstantExpression { Value: bool b }) return Visit(b ? node.IfTrue : node.IfFalse);
            var ifTrue = Visit(node.IfTrue);
            var ifFalse = Visit(node.IfFalse);
            if (node.Type == typeof(void)) return Expression.IfThenElse(test, ifTrue, ifFalse);
            return ir.Condition(test, ifTrue, ifFalse);
        }

        protected override Expression VisitBinary(BinaryExpression node)
        {
            var visited = base.VisitBinary(node);
            return visited switch
            {
                BinaryExpression { NodeType: ExpressionType.AndAlso } conjunction => ir.AndAlso(conjunction.Left, conjunction.Right),
                BinaryExpression { NodeType: ExpressionType.OrElse } disjunction => ir.OrElse(disjunction.Left, disjunction.Right),
                _ => visited,
            };
        }

        protected override Expression VisitBlock(BlockExpression node)
        {
            var statements = node.Expressions.Take(node.Expressions.Count - 1).Select(Visit).Where(s => s is not null && !IsPure(s)).ToList();
            var result = Visit(node.Result);
            return statements.Count == 0 && node.Variables.Count == 0
                ? result
                : Expression.Block(node.Type, node.Variables, statements.Append(result)!);
        }

        private bool IsPure(Expression statement)
        {
            if (_pure.TryGetValue(statement, out var known)) return known;
            var pure = statement is DefaultExpression || !ThrowAnalysis.CanThrow(statement) && EffectLog.Children(statement).All(IsPure);
            _pure[statement] = pure;
            return pure;
        }

        protected override Expression VisitLambda<T>(Expression<T> node) => node;
    }
}
