using System.Linq.Expressions;
using System.Reflection;

namespace Dsl.Streams.Definition;

/// <summary>
/// Turns an <c>_</c> expression over a message, <c>m =&gt; m.ContactInfo.EmailAddress</c>, into a function of the message's
/// columns, <c>(string _ContactInfo_EmailAddress) =&gt; _ContactInfo_EmailAddress</c>, which the kernel compiler compiles:
/// each member read becomes a parameter bound to its column (<see cref="Bindings"/>). A nested record may only be read through
/// its members or compared with null (which reads its presence column). A string message is read whole: <c>m</c> is the
/// column <c>_</c>.
/// </summary>
internal sealed class MessageExpressionRewriter : ExpressionVisitor
{
    private static readonly MemberInfo s_now = typeof(F).GetProperty(nameof(F.Now))!;
    private readonly ParameterExpression _message;
    private readonly MessageShape _shape;
    private readonly IReadOnlyList<MessageColumn> _columns;
    private readonly Dictionary<int, ParameterExpression> _parameters = [];
    private string? _misuse;

    private MessageExpressionRewriter(ParameterExpression message, MessageShape shape, IReadOnlyList<MessageColumn> columns)
    {
        _message = message;
        _shape = shape;
        _columns = columns;
    }

    /// <summary>Parameter name → column name, for <see cref="Runtime.PlannedFeature.Bindings"/>.</summary>
    public IReadOnlyDictionary<string, string> Bindings => _parameters.ToDictionary(p => p.Value.Name!, p => _columns[p.Key].Name, StringComparer.Ordinal);

    /// <summary>The rewritten function and its bindings.</summary>
    /// <exception cref="StreamDefinitionException">The expression uses the message other than by reading members.</exception>
    public static (LambdaExpression Function, IReadOnlyDictionary<string, string> Bindings) Rewrite(
        LambdaExpression expression, MessageShape shape, IReadOnlyList<MessageColumn> columns, string resolver, string what)
    {
        if (expression.Parameters.Count != 1 || expression.Parameters[0].Type != shape.Type)
            throw new StreamDefinitionException(resolver, $"{what}: the expression must take one parameter, the message ({shape.Type.Name}).");
        var rewriter = new MessageExpressionRewriter(expression.Parameters[0], shape, columns);
        var body = rewriter.Visit(expression.Body);
        if (rewriter._misuse is not null) throw new StreamDefinitionException(resolver, $"{what}: {rewriter._misuse}.");
        var parameters = rewriter._parameters.OrderBy(p => p.Key).Select(p => p.Value).ToArray();
        return (Expression.Lambda(body, parameters), rewriter.Bindings);
    }

    protected override Expression VisitMember(MemberExpression node)
    {
        if (node.Expression is null && node.Member == s_now)
        {
            _misuse ??= "F.Now is not defined for a message; read the message's own time from one of its members";
            return node;
        }
        var path = Path(node);
        if (path is null) return base.VisitMember(node);
        if (path.Column >= 0) return Column(path.Column);
        _misuse ??= $"it reads {Describe(node)} as a whole; read its members ({Describe(node)}.{path.Nested!.Members.FirstOrDefault()?.Property.Name ?? "Member"}) or compare it with null";
        return node;
    }

    protected override Expression VisitBinary(BinaryExpression node)
    {
        if (node.NodeType is ExpressionType.Equal or ExpressionType.NotEqual && NullComparison(node) is { } member)
        {
            Expression present = member.PresenceColumn >= 0 ? Column(member.PresenceColumn) : Expression.Constant(true);
            return node.NodeType == ExpressionType.Equal ? Expression.Not(present) : present;
        }
        return base.VisitBinary(node);
    }

    protected override Expression VisitParameter(ParameterExpression node)
    {
        if (node != _message) return node;
        if (_shape.Members.Count == 0 && _columns.Count == 1) return Column(0);
        _misuse ??= $"the message '{node.Name}' is used other than by reading its members (write {node.Name}.Member)";
        return node;
    }

    /// <summary>The nested record compared with null in <paramref name="node"/>, or null when it is not such a comparison.</summary>
    private MessageMember? NullComparison(BinaryExpression node)
    {
        static bool IsNull(Expression e) => e is ConstantExpression { Value: null } || (e is UnaryExpression { NodeType: ExpressionType.Convert } c && IsNull(c.Operand));
        var other = IsNull(node.Right) ? node.Left : IsNull(node.Left) ? node.Right : null;
        while (other is UnaryExpression { NodeType: ExpressionType.Convert } convert) other = convert.Operand;
        return other is MemberExpression member && Path(member) is { Nested: not null } nested ? nested : null;
    }

    /// <summary>The member <paramref name="node"/> reads when it is a path of members from the message, else null.</summary>
    private MessageMember? Path(MemberExpression node)
    {
        MessageShape? shape;
        if (node.Expression == _message) shape = _shape;
        else if (node.Expression is MemberExpression parent && Path(parent) is { Nested: { } nested }) shape = nested;
        else return null;
        if (shape.Members.Count == 0) return null;
        var member = node.Member is PropertyInfo ? shape.Member(node.Member.Name) : null;
        if (member is null) _misuse ??= $"{Describe(node)} is not a property of {shape.Type.Name} that a message carries";
        return member;
    }

    private ParameterExpression Column(int column)
    {
        if (!_parameters.TryGetValue(column, out var parameter))
        {
            var type = _columns[column].Type;
            var declared = _columns[column].Nullable && type.IsValueType ? typeof(Nullable<>).MakeGenericType(type) : type;
            parameter = Expression.Parameter(declared, _columns[column].Name.Replace('.', '_').Replace('$', '_'));
            _parameters[column] = parameter;
        }
        return parameter;
    }

    private static string Describe(Expression node) => node.ToString();
}
