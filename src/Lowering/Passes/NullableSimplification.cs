using System.Linq.Expressions;
using System.Reflection;
using Dsl.Lowering.Analyses;
using Dsl.Lowering.Ir;

namespace Dsl.Lowering.Passes;

/// <summary>
/// Simplifies null tests and nullable reads with the path facts that hold where they are evaluated: inside
/// <c>c ? a : b</c> the arm <c>a</c> knows <c>c</c> and <c>b</c> knows <c>!c</c>; the right of <c>&amp;&amp;</c>
/// knows its left, the right of <c>||</c> its left's negation. With those facts <c>HasValue</c> and
/// <c>x == null</c> become constants, <c>Value</c> becomes an unchecked <c>GetValueOrDefault()</c>,
/// <c>x ?? y</c> with a non-null <c>x</c> becomes <c>x</c>'s payload. Invariant: the result evaluates to the
/// same value (or exception) as the input for every argument tuple.
/// </summary>
internal sealed class NullableSimplification
{
    /// <summary>How deep <see cref="Simplify"/> looks into a branch condition (the interpreter calls it at every branch).</summary>
    private const int ConditionDepth = 8;

    private readonly IrFactory _ir;
    private readonly int _maxDepth;
    private readonly Dictionary<(Expression, PathFacts), Expression> _done = new();

    public NullableSimplification(IrFactory ir)
        : this(ir, int.MaxValue)
    {
    }

    private NullableSimplification(IrFactory ir, int maxDepth)
    {
        _ir = ir;
        _maxDepth = maxDepth;
    }

    /// <summary>
    /// Simplifies a whole tree. Only null-related facts are carried (a shared subtree is visited once per
    /// distinct fact set, so carrying every branch condition would revisit a chain of n ifs 2^n times).
    /// </summary>
    public Expression Run(Expression node) => Visit(node, PathFacts.Empty, 0);

    /// <summary>Simplifies one condition under the facts of the path it is evaluated on.</summary>
    public static Expression Simplify(Expression condition, PathFacts facts, IrFactory ir) =>
        new NullableSimplification(ir, ConditionDepth).Visit(condition, facts, 0);

    private PathFacts Assume(PathFacts facts, Expression condition, bool value) =>
        _maxDepth == int.MaxValue ? facts.Assume(condition, value, IsNullFact) : facts.Assume(condition, value);

    private static bool IsNullFact(Expression condition) =>
        condition is MemberExpression { Member.Name: nameof(Nullable<int>.HasValue) } || condition is BinaryExpression { NodeType: ExpressionType.Equal, Right: ConstantExpression { Value: null } };

    private Expression Visit(Expression node, PathFacts facts, int depth)
    {
        if (node.Type == typeof(bool) && facts.TryGet(node) is { } known) return _ir.Constant(known, typeof(bool));
        if (depth > _maxDepth || node is ParameterExpression or ConstantExpression) return node;
        if (_done.TryGetValue((node, facts), out var done)) return done;
        var result = VisitUncached(node, facts, depth + 1);
        _done[(node, facts)] = result;
        return result;
    }

    private Expression VisitUncached(Expression node, PathFacts facts, int depth)
    {
        switch (node)
        {
            case ConditionalExpression conditional:
            {
                var test = Visit(conditional.Test, facts, depth);
                if (test is ConstantExpression { Value: bool b }) return Visit(b ? conditional.IfTrue : conditional.IfFalse, facts, depth);
                return _ir.Condition(test, Visit(conditional.IfTrue, Assume(facts, test, true), depth), Visit(conditional.IfFalse, Assume(facts, test, false), depth));
            }

            case BinaryExpression { NodeType: ExpressionType.AndAlso } conjunction:
            {
                var left = Visit(conjunction.Left, facts, depth);
                return _ir.AndAlso(left, Visit(conjunction.Right, Assume(facts, left, true), depth));
            }

            case BinaryExpression { NodeType: ExpressionType.OrElse } disjunction:
            {
                var left = Visit(disjunction.Left, facts, depth);
                return _ir.OrElse(left, Visit(disjunction.Right, Assume(facts, left, false), depth));
            }

            case UnaryExpression { NodeType: ExpressionType.Not } not when not.Type == typeof(bool):
                return _ir.Not(Visit(not.Operand, facts, depth));
            case MemberExpression { Member: PropertyInfo property } member when IsNullableMember(property.DeclaringType) && member.Expression is { } instance:
            {
                var target = Visit(instance, facts, depth);
                return property.Name == nameof(Nullable<int>.HasValue) ? _ir.HasValue(target, facts) : _ir.NullableValue(target, facts);
            }

            case MethodCallExpression { Method.Name: nameof(Nullable<int>.GetValueOrDefault) } call when IsNullableMember(call.Method.DeclaringType) && call.Object is { } instance:
            {
                var target = Visit(instance, facts, depth);
                return call.Arguments.Count == 0 ? _ir.GetValueOrDefault(target) : _ir.GetValueOrDefault(target, Visit(call.Arguments[0], facts, depth), facts);
            }

            case BinaryExpression { NodeType: ExpressionType.Equal or ExpressionType.NotEqual, Method: null } test when IsNullLiteral(test.Right) || IsNullLiteral(test.Left):
            {
                var operand = Visit(IsNullLiteral(test.Right) ? test.Left : test.Right, facts, depth);
                var isNull = Nullable.GetUnderlyingType(operand.Type) is not null ? _ir.Not(_ir.HasValue(operand, facts))
                    : !operand.Type.IsValueType ? _ir.IsNull(operand, facts) : null;
                if (isNull is null) break;
                return test.NodeType == ExpressionType.Equal ? isNull : _ir.Not(isNull);
            }

            case BinaryExpression { NodeType: ExpressionType.Coalesce, Conversion: null } coalesce when Nullable.GetUnderlyingType(coalesce.Left.Type) is not null:
            {
                var left = Visit(coalesce.Left, facts, depth);
                var right = Visit(coalesce.Right, facts, depth);
                var payload = right.Type == left.Type ? left : _ir.GetValueOrDefault(left);
                // The payload evaluates the left; the right alone does not, so choosing it needs the strict answer.
                if (_ir.HasValue(left, facts, operandEvaluatedAnyway: true) is ConstantExpression { Value: true }) return payload;
                return _ir.HasValue(left, facts) is ConstantExpression { Value: false } ? right : _ir.Intern(Expression.Coalesce(left, right));
            }
        }

        return Rebuild(node, facts, depth);
    }

    private static bool IsNullLiteral(Expression node) => node is ConstantExpression { Value: null };

    private static bool IsNullableMember(Type? declaring) => declaring is { IsGenericType: true } && declaring.GetGenericTypeDefinition() == typeof(Nullable<>);

    /// <summary>Visits the children of a node the rules above do not know, under the same facts.</summary>
    private Expression Rebuild(Expression node, PathFacts facts, int depth) => new ChildVisitor(this, facts, depth).VisitChildren(node)!;

    private sealed class ChildVisitor(NullableSimplification owner, PathFacts facts, int depth) : ExpressionVisitor
    {
        private bool _atRoot = true;

        public Expression VisitChildren(Expression node) => Visit(node)!;

        public override Expression? Visit(Expression? node)
        {
            if (node is null) return null;
            if (_atRoot)
            {
                _atRoot = false;
                return owner._ir.InternTree(base.Visit(node)!);
            }

            return owner.Visit(node, facts, depth);
        }

        protected override Expression VisitLambda<T>(Expression<T> node) => node;

        protected override Expression VisitBlock(BlockExpression node) => node;
    }
}
