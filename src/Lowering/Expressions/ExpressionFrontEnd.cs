using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;
using System.Reflection;
using Dsl.Lowering.Cil;
using Dsl.Lowering.Ir;

namespace Dsl.Lowering.Expressions;

/// <summary>
/// The expression-tree front end: checks that an <c>Expression&lt;Func&lt;...&gt;&gt;</c> uses only constructs with
/// an exact IR meaning, sends method calls and property reads through the same intrinsic table as the CIL
/// front end (so both front ends agree on semantics), and hash-conses the result. Lambdas passed to LINQ operators
/// are translated with their parameters in scope; an entity's auto-properties and public fields stay member reads. Closure reads stay
/// <c>Field(Constant(closure), f)</c>, read at evaluation time. A tree built by hand may share subtrees (a DAG);
/// each node is translated once, by reference, so the work is linear in the DAG's size.
/// </summary>
internal sealed class ExpressionFrontEnd : ExpressionVisitor
{
    private readonly IrFactory _ir;
    private readonly HashSet<ParameterExpression> _parameters;
    private readonly Dictionary<Expression, Expression> _done = new(ReferenceEqualityComparer.Instance);

    private ExpressionFrontEnd(IrFactory ir, IEnumerable<ParameterExpression> parameters)
    {
        _ir = ir;
        _parameters = new HashSet<ParameterExpression>(parameters);
    }

    public static Expression Translate(LambdaExpression lambda, IrFactory ir) =>
        ir.InternTree(new ExpressionFrontEnd(ir, lambda.Parameters).Visit(lambda.Body)!);

    [return: NotNullIfNotNull(nameof(node))]
    public override Expression? Visit(Expression? node)
    {
        if (node is null) return null;
        if (_done.TryGetValue(node, out var known)) return known;
        var translated = Translate(node);
        _done[node] = translated;
        return translated;
    }

    private Expression Translate(Expression node)
    {
        _ir.Charge();
        return node.NodeType switch
        {
            ExpressionType.Constant or ExpressionType.Default or ExpressionType.Conditional or ExpressionType.New
                or ExpressionType.Convert or ExpressionType.ConvertChecked or ExpressionType.Negate or ExpressionType.NegateChecked
                or ExpressionType.Not or ExpressionType.OnesComplement or ExpressionType.UnaryPlus or ExpressionType.ArrayLength
                or ExpressionType.Add or ExpressionType.AddChecked or ExpressionType.Subtract or ExpressionType.SubtractChecked
                or ExpressionType.Multiply or ExpressionType.MultiplyChecked or ExpressionType.Divide or ExpressionType.Modulo
                or ExpressionType.And or ExpressionType.Or or ExpressionType.ExclusiveOr or ExpressionType.LeftShift or ExpressionType.RightShift
                or ExpressionType.AndAlso or ExpressionType.OrElse or ExpressionType.Equal or ExpressionType.NotEqual
                or ExpressionType.LessThan or ExpressionType.LessThanOrEqual or ExpressionType.GreaterThan or ExpressionType.GreaterThanOrEqual
                or ExpressionType.ArrayIndex or ExpressionType.Parameter or ExpressionType.MemberAccess or ExpressionType.Call
                or ExpressionType.Coalesce or ExpressionType.Lambda => base.Visit(node),
            _ => throw new LoweringFailure("expression-node", $"the expression node {node.NodeType} is not supported"),
        };
    }

    protected override Expression VisitParameter(ParameterExpression node) =>
        _parameters.Contains(node) ? node : throw new LoweringFailure("expression-node", $"parameter '{node.Name}' is not one of the function's parameters");

    /// <summary>A lambda passed to a LINQ operator: its body is translated with its parameters in scope.</summary>
    protected override Expression VisitLambda<T>(Expression<T> node)
    {
        var added = node.Parameters.Where(_parameters.Add).ToList();
        try
        {
            var body = Visit(node.Body);
            return body == node.Body ? node : Expression.Lambda(node.Type, body, node.Name, node.Parameters);
        }
        finally
        {
            foreach (var parameter in added) _parameters.Remove(parameter);
        }
    }

    protected override Expression VisitBinary(BinaryExpression node)
    {
        if (node.NodeType == ExpressionType.Coalesce && node.Conversion is not null)
            throw new LoweringFailure("expression-node", "a ?? with a conversion lambda");
        if (node.Method is { } method && !method.DeclaringType!.IsPrimitive && method.DeclaringType != typeof(string))
        {
            if (node.IsLifted) return LiftedOperator(node, method);
            var lowered = Intrinsic(method, null, [Visit(node.Left)!, Visit(node.Right)!]);
            if (lowered is not null) return lowered;
        }

        return base.VisitBinary(node);
    }

    /// <summary>
    /// A user-defined operator lifted to nullable operands (<c>DateTime? &gt; DateTime</c>, <c>DateTime? - TimeSpan</c>), as C#
    /// defines it: both operands are evaluated, then the operator runs on their values when both have one; otherwise a
    /// comparison is false, <c>==</c> is true only when both are null (<c>!=</c> the opposite), and any other operator is null.
    /// </summary>
    private Expression LiftedOperator(BinaryExpression node, MethodInfo method)
    {
        var left = Visit(node.Left)!;
        var right = Visit(node.Right)!;
        Expression HasValue(Expression operand) => Nullable.GetUnderlyingType(operand.Type) is null
            ? Expression.Constant(true)
            : Expression.Property(operand, nameof(Nullable<int>.HasValue));
        Expression ValueOf(Expression operand) => Nullable.GetUnderlyingType(operand.Type) is null
            ? operand
            : Expression.Call(operand, nameof(Nullable<int>.GetValueOrDefault), null);
        var lowered = Intrinsic(method, null, [ValueOf(left), ValueOf(right)])
            ?? throw new LoweringFailure("unknown-call", $"call to {MethodFrame.Describe(method)}, which has no exact lowering");
        // And, not AndAlso: C# evaluates the right operand even when the left one is null.
        var both = Expression.And(HasValue(left), HasValue(right));
        var otherwise = node.NodeType switch
        {
            ExpressionType.Equal when !node.IsLiftedToNull => Expression.Equal(HasValue(left), HasValue(right)),
            ExpressionType.NotEqual when !node.IsLiftedToNull => Expression.NotEqual(HasValue(left), HasValue(right)),
            _ => (Expression)Expression.Default(node.Type),
        };
        return Expression.Condition(both, lowered.Type == node.Type ? lowered : Expression.Convert(lowered, node.Type), otherwise);
    }

    protected override Expression VisitMember(MemberExpression node)
    {
        var instance = Visit(node.Expression);
        switch (node.Member)
        {
            case FieldInfo field when instance is null or ConstantExpression or MemberExpression { Expression: ConstantExpression }:
                if (instance is null && !field.IsInitOnly && !field.IsLiteral)
                    throw new LoweringFailure("static-state", $"read of the mutable static field {field.DeclaringType?.Name}.{field.Name}");
                return node.Update(instance);
            case FieldInfo field when instance is not null && instance.Type.IsValueType:
                return node.Update(instance);
            case PropertyInfo property when property.DeclaringType is { IsGenericType: true } declaring && declaring.GetGenericTypeDefinition() == typeof(Nullable<>):
                return node.Update(instance);
            case PropertyInfo property when instance is not null && EntityMembers.IsEntityType(property.DeclaringType) && property.GetMethod is { } getter:
                return EntityProperty(node, instance, property, getter);
            case FieldInfo { IsPublic: true, IsStatic: false } field when instance is not null && EntityMembers.IsEntityType(field.DeclaringType):
                return node.Update(instance);
            case PropertyInfo { GetMethod: { } getter }:
                return Intrinsic(getter, instance, []) ?? throw new LoweringFailure("unknown-call", $"property {node.Member.DeclaringType?.Name}.{node.Member.Name} has no exact lowering");
            default:
                throw new LoweringFailure("object-field", $"read of {node.Member.Name}");
        }
    }

    /// <summary>
    /// An entity's property: an auto-property stays a property read (a column for code generators); a computed one is
    /// its getter's IL lowered by the CIL front end over the instance, behind a null check (the call throws on null).
    /// </summary>
    private Expression EntityProperty(MemberExpression node, Expression instance, PropertyInfo property, MethodInfo getter)
    {
        if (EntityMembers.IsOverridable(getter))
            throw new LoweringFailure("virtual-call", $"{property.DeclaringType!.Name}.{property.Name} is virtual: the override that runs is not known at plan time");
        if (EntityMembers.IsAutoProperty(property)) return node.Update(instance);
        var value = new CilInterpreter(_ir).Interpret(getter, [instance]);
        var first = Analyses.EffectLog.Empty.Observe(value).Items.FirstOrDefault();
        if (instance.Type.IsValueType || instance is ConstantExpression { Value: not null }
            || (first is Analyses.NodeEffect { Node: var read } && CilInterpreter.Dereferences(read, instance)))
            return value;
        return Expression.Condition(Expression.ReferenceEqual(instance, Expression.Constant(null, instance.Type)),
            Expression.Throw(Expression.New(typeof(NullReferenceException)), value.Type), value);
    }

    protected override Expression VisitMethodCall(MethodCallExpression node)
    {
        var instance = Visit(node.Object);
        var arguments = node.Arguments.Select(a => Visit(a)!).ToArray();
        if (node.Method.DeclaringType is { IsGenericType: true } declaring && declaring.GetGenericTypeDefinition() == typeof(Nullable<>)
            && node.Method.Name == nameof(Nullable<int>.GetValueOrDefault))
            return node.Update(instance, arguments);
        return Intrinsic(node.Method, instance, arguments)
            ?? throw new LoweringFailure("unknown-call", $"call to {MethodFrame.Describe(node.Method)}, which has no exact lowering");
    }

    protected override Expression VisitNew(NewExpression node)
    {
        var type = node.Type;
        var isTuple = type.IsGenericType && type.FullName!.StartsWith("System.ValueTuple`", StringComparison.Ordinal);
        var isNullable = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Nullable<>);
        if (node.Constructor is null || !(isTuple || isNullable))
        {
            var lowered = node.Constructor is null ? null : Intrinsic(node.Constructor, null, node.Arguments.Select(a => Visit(a)!).ToArray());
            return lowered ?? throw new LoweringFailure("allocation", $"new {type.Name}(...) is not lowered");
        }

        return base.VisitNew(node);
    }

    private Expression? Intrinsic(MethodBase method, Expression? instance, Expression[] arguments)
    {
        var answer = IntrinsicGateway.TryLower(method, instance, arguments, _ir);
        if (answer.Unsupported is { } refused) throw new LoweringFailure(refused.Construct, refused.Message);
        return answer.Value;
    }
}
