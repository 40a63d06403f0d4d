using System.Linq.Expressions;

namespace Dsl.Codegen.Compilation;

/// <summary>
/// Facts about an IR body gathered in one walk (each shared node once): the CLR types of its nodes (constants
/// and conversions of constants excepted: generators fold them to where they are used; exceptions a throw builds excepted), the parameters and
/// variables it reads, and the variables it assigns (block variables count as assigned).
/// </summary>
internal sealed class IrFacts : SharingVisitor
{
    private IrFacts()
    {
    }

    public HashSet<Type> Types { get; } = [];

    public HashSet<ParameterExpression> Parameters { get; } = [];

    public HashSet<ParameterExpression> Assigned { get; } = [];

    public static IrFacts Of(Expression body)
    {
        var facts = new IrFacts();
        facts.Visit(body);
        return facts;
    }

    protected override Expression Rewrite(Expression node)
    {
        if (node is ConstantExpression || node is UnaryExpression { NodeType: ExpressionType.Convert, Operand: ConstantExpression }) return node;
        // The exception a throw builds is no value of the body (generators fail the lanes that reach the throw instead).
        if (!typeof(Exception).IsAssignableFrom(node.Type)) Types.Add(node.Type);
        return base.Rewrite(node);
    }

    protected override Expression VisitParameter(ParameterExpression node)
    {
        Parameters.Add(node);
        return node;
    }

    protected override Expression VisitBinary(BinaryExpression node)
    {
        if (node.NodeType == ExpressionType.Assign && node.Left is ParameterExpression target) Assigned.Add(target);
        return base.VisitBinary(node);
    }

    protected override Expression VisitBlock(BlockExpression node)
    {
        foreach (var variable in node.Variables) Assigned.Add(variable);
        return base.VisitBlock(node);
    }
}
