using System.Linq.Expressions;
using System.Reflection;
using Dsl.Lowering.Intrinsics;

namespace Dsl.Lowering.Tests.Intrinsics;

/// <summary>
/// Test harness: rewrites every call, operator, property read and constructor of a C#-compiler-built expression
/// tree through <see cref="IntrinsicTable"/>, bottom-up, as the CIL interpreter does for the calls it meets. The
/// original tree compiled is the reference (the real BCL methods); the rewritten one is what lowering produces.
/// </summary>
internal sealed class IntrinsicRewriter : ExpressionVisitor
{
    private readonly List<string> _refusals = [];

    public int Lowered { get; private set; }

    public IReadOnlyList<string> Refusals => _refusals;

    public static (LambdaExpression Ir, IntrinsicRewriter Rewriter) Rewrite(LambdaExpression lambda)
    {
        var rewriter = new IntrinsicRewriter();
        var body = rewriter.Visit(lambda.Body);
        return (Expression.Lambda(lambda.Type, body, lambda.Parameters), rewriter);
    }

    protected override Expression VisitMethodCall(MethodCallExpression node)
    {
        var instance = Visit(node.Object);
        var arguments = Visit(node.Arguments);
        return Ask(node.Method, instance, arguments) ?? node.Update(instance, arguments);
    }

    protected override Expression VisitBinary(BinaryExpression node)
    {
        if (node.Method is null || node.NodeType is ExpressionType.AndAlso or ExpressionType.OrElse or ExpressionType.Coalesce)
            return base.VisitBinary(node);
        var left = Visit(node.Left);
        var right = Visit(node.Right);
        return Ask(node.Method, null, [left, right]) ?? node.Update(left, node.Conversion, right);
    }

    protected override Expression VisitUnary(UnaryExpression node)
    {
        if (node.Method is null) return base.VisitUnary(node);
        var operand = Visit(node.Operand);
        return Ask(node.Method, null, [operand]) ?? node.Update(operand);
    }

    protected override Expression VisitMember(MemberExpression node)
    {
        if (node.Member is not PropertyInfo { GetMethod: { } getter }) return base.VisitMember(node);
        var instance = Visit(node.Expression);
        return Ask(getter, instance, []) ?? node.Update(instance);
    }

    protected override Expression VisitNew(NewExpression node)
    {
        var arguments = Visit(node.Arguments);
        return node.Constructor is { } constructor ? Ask(constructor, null, arguments) ?? node.Update(arguments) : node.Update(arguments);
    }

    private Expression? Ask(MethodBase method, Expression? instance, IReadOnlyList<Expression> arguments)
    {
        var answer = IntrinsicTable.TryLower(method, instance, arguments);
        if (answer.Unsupported is { } reason) _refusals.Add($"{reason.Construct}: {reason.Message}");
        if (!answer.IsLowered) return null;
        Lowered++;
        return answer.Value;
    }
}
