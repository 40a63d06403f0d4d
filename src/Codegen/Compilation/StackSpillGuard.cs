using System.Linq.Expressions;
using System.Reflection;

namespace Dsl.Codegen.Compilation;

/// <summary>
/// Rewrites a tree that <c>LambdaExpression.Compile</c> would refuse into an equivalent one it accepts.
/// </summary>
/// <remarks>
/// <para>
/// The expression compiler enters a throw, try, loop, switch, goto or label only with an empty evaluation stack;
/// where the stack is not empty it first spills the stack into locals. It cannot do that when the node sits
/// inside the instance of a property read or inside the instance or an argument of a method call on a
/// non-primitive value type (<c>TimeSpan</c>, <c>DateTime</c>, <c>int?</c>, …): it throws
/// <see cref="NotSupportedException"/> "TryExpression is not supported as a child expression when accessing a
/// member on type …". Lowering yields such trees: a <c>.Value</c> of a null <c>int?</c> constant folds to a throw,
/// which can end up inside <c>(a - b).TotalDays</c> or <c>(x + y).Value</c> (found by the fuzzer, 2026-11-21).
/// </para>
/// <para>
/// The rewrite evaluates such a read's instance, or such a call's instance and arguments, into locals first, in
/// their original order, then reads or calls on the locals: the same values are computed in the same order, so
/// results and exceptions are the IR's own. A variable instance is kept as it is (a call still sees the variable,
/// not a copy). Shared nodes stay shared (<see cref="SharingVisitor"/>).
/// </para>
/// </remarks>
internal sealed class StackSpillGuard : SharingVisitor
{
    private readonly Dictionary<Expression, bool> _needsEmptyStack = new(ReferenceEqualityComparer.Instance);

    private StackSpillGuard()
    {
    }

    /// <summary>The rewritten tree (the same object when nothing needed rewriting).</summary>
    public static Expression Apply(Expression body) => new StackSpillGuard().Visit(body)!;

    /// <summary>The lambda with its body rewritten (the same lambda when nothing needed rewriting).</summary>
    public static LambdaExpression Apply(LambdaExpression lambda)
    {
        var body = Apply(lambda.Body);
        return ReferenceEquals(body, lambda.Body) ? lambda : Expression.Lambda(lambda.Type, body, lambda.Name, lambda.TailCall, lambda.Parameters);
    }

    protected override Expression VisitLambda<T>(Expression<T> node) => node;

    protected override Expression VisitMember(MemberExpression node)
    {
        var visited = (MemberExpression)base.VisitMember(node);
        if (visited.Expression is not { } instance || visited.Member is not PropertyInfo || !IsValueInstance(instance) || !NeedsEmptyStack(instance))
        {
            return visited;
        }

        var local = Expression.Variable(instance.Type, "instance");
        return Expression.Block(visited.Type, [local], Expression.Assign(local, instance), visited.Update(local));
    }

    protected override Expression VisitMethodCall(MethodCallExpression node)
    {
        var visited = (MethodCallExpression)base.VisitMethodCall(node);
        if (visited.Object is not { } instance || !IsValueInstance(instance)
            || !(NeedsEmptyStack(instance) || visited.Arguments.Any(NeedsEmptyStack))
            || visited.Method.GetParameters().Any(p => p.ParameterType.IsByRef))
        {
            return visited;
        }

        var locals = new List<ParameterExpression>();
        var assignments = new List<Expression>();
        Expression Evaluated(Expression value, string name)
        {
            if (value is ParameterExpression or ConstantExpression or DefaultExpression) return value;
            var local = Expression.Variable(value.Type, name);
            locals.Add(local);
            assignments.Add(Expression.Assign(local, value));
            return local;
        }

        var target = Evaluated(instance, "instance");
        var arguments = visited.Arguments.Select((argument, k) => Evaluated(argument, $"argument{k}")).ToArray();
        return Expression.Block(visited.Type, locals, assignments.Append(visited.Update(target, arguments)));
    }

    /// <summary>The compiler's own test: value types other than the primitive ones are accessed by reference.</summary>
    private static bool IsValueInstance(Expression instance) =>
        instance.Type.IsValueType && Type.GetTypeCode(instance.Type) == TypeCode.Object;

    /// <summary>Whether the subtree holds a node the compiler enters only with an empty stack (nested lambdas aside).</summary>
    private bool NeedsEmptyStack(Expression node)
    {
        if (_needsEmptyStack.TryGetValue(node, out var known)) return known;
        var result = node.NodeType is ExpressionType.Throw or ExpressionType.Try or ExpressionType.Loop or ExpressionType.Switch
                or ExpressionType.Goto or ExpressionType.Label or ExpressionType.Extension
            || (node.NodeType != ExpressionType.Lambda && Children(node).Any(NeedsEmptyStack));
        _needsEmptyStack[node] = result;
        return result;
    }

    private static List<Expression> Children(Expression node)
    {
        var collector = new ChildCollector();
        collector.Collect(node);
        return collector.Children;
    }

    /// <summary>Lists a node's direct children by letting the base visitor descend one level.</summary>
    private sealed class ChildCollector : ExpressionVisitor
    {
        private Expression? _root;

        public List<Expression> Children { get; } = [];

        public void Collect(Expression node)
        {
            _root = node;
            Visit(node);
        }

        public override Expression? Visit(Expression? node)
        {
            if (node is null) return null;
            if (ReferenceEquals(node, _root))
            {
                _root = null;
                return base.Visit(node);
            }

            Children.Add(node);
            return node;
        }
    }
}
