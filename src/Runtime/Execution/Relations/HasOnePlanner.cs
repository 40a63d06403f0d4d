using System.Linq.Expressions;
using System.Reflection;
using Dsl.Codegen.Columns;
using Dsl.Codegen.Compilation;

namespace Dsl.Runtime.Execution.Relations;

/// <summary>
/// Rewrites a compiled feature that reads has-one related rows so that it reads columns instead of objects: each read of
/// a member of the related row (<c>User.Country</c>) becomes a column gathered from the related batch by joined row
/// (<c>$one:User.Country</c>), and each test of the related row against null (<c>User == null</c>) a boolean column
/// saying whether the row has its related row (<c>$one:User?</c>). A member read where there is no related row throws
/// <see cref="NullReferenceException"/>, as the C# read does. Any other use of the related row (passed on, compared with
/// another object, a member that is not a column) keeps the feature on objects (<see cref="HasOneRows.Objects"/>).
/// </summary>
internal static class HasOnePlanner
{
    /// <summary>The rewritten IR and its inputs, or null when some use of a has-one row cannot be read from columns.</summary>
    /// <param name="ir">The feature's IR.</param>
    /// <param name="inputs">Per IR parameter, the input it reads.</param>
    /// <param name="relations">The plan's relation inputs, which learn the new column inputs' names.</param>
    public static (LambdaExpression Ir, string[] Inputs)? TryRewrite(LambdaExpression ir, IReadOnlyList<string> inputs, RelationInputs relations)
    {
        var relationOf = new Dictionary<ParameterExpression, RelationInput>();
        for (var k = 0; k < ir.Parameters.Count; k++)
        {
            if (relations.HasOneOf(inputs[k]) is { } relation) relationOf[ir.Parameters[k]] = relation;
        }

        if (relationOf.Count == 0) return null;
        var rewriter = new Rewriter(relationOf);
        var body = rewriter.Visit(ir.Body)!;
        if (rewriter.Failed || IrFacts.Of(body).Parameters.Any(relationOf.ContainsKey)) return null;

        var parameters = ir.Parameters.Where(p => !relationOf.ContainsKey(p)).ToList();
        var newInputs = ir.Parameters.Select((p, k) => (p, inputs[k])).Where(x => !relationOf.ContainsKey(x.p)).Select(x => x.Item2).ToList();
        foreach (var ((relation, member), parameter) in rewriter.Columns)
        {
            parameters.Add(parameter);
            newInputs.Add(member is null ? relations.PresenceInput(relation) : relations.MemberInput(relation, member));
        }

        return (Expression.Lambda(body, ir.Name, parameters), newInputs.ToArray());
    }

    /// <summary>Whether a member's values can come from a gathered column: a settable property or field of a gatherable type.</summary>
    private static bool IsColumnMember(MemberInfo member, Type elementType)
    {
        var (type, settable) = member switch
        {
            PropertyInfo p => (p.PropertyType, p.SetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0),
            FieldInfo f => (f.FieldType, f.IsPublic && !f.IsInitOnly && !f.IsStatic),
            _ => (typeof(void), false),
        };
        if (!settable || !member.DeclaringType!.IsAssignableFrom(elementType)) return false;
        try
        {
            return ColumnGather.CanGather(ColumnTypes.ArrowTypeOf(Nullable.GetUnderlyingType(type) ?? type));
        }
        catch (NotSupportedException)
        {
            return false;
        }
    }

    private sealed class Rewriter(Dictionary<ParameterExpression, RelationInput> relationOf) : Lowering.Ir.MemoizingVisitor
    {
        /// <summary>The column parameters introduced, by relation and member (null: the presence column), in first-use order.</summary>
        public Dictionary<(RelationInput Relation, MemberInfo? Member), ParameterExpression> Columns { get; } = [];

        public bool Failed { get; private set; }

        protected override Expression VisitMember(MemberExpression node)
        {
            if (node.Expression is not ParameterExpression p || !relationOf.TryGetValue(p, out var relation)) return base.VisitMember(node);
            if (!IsColumnMember(node.Member, relation.ElementType))
            {
                Failed = true;
                return node;
            }

            // The column holds a null where there is no related row, so its parameter is nullable; the read throws there.
            var type = node.Type;
            var stored = type.IsValueType && Nullable.GetUnderlyingType(type) is null ? typeof(Nullable<>).MakeGenericType(type) : type;
            var value = Column(relation, node.Member, stored, $"{relation.Name}.{node.Member.Name}");
            return Expression.Condition(Present(relation),
                stored == type ? value : Expression.Convert(value, type),
                Expression.Throw(Expression.New(typeof(NullReferenceException)), type));
        }

        protected override Expression VisitBinary(BinaryExpression node)
        {
            if (node.NodeType is ExpressionType.Equal or ExpressionType.NotEqual && node.Method is null
                && (Related(node.Left, node.Right) ?? Related(node.Right, node.Left)) is { } relation)
            {
                var present = Present(relation);
                return node.NodeType == ExpressionType.NotEqual ? present : Expression.Not(present);
            }

            return base.VisitBinary(node);
        }

        protected override Expression VisitParameter(ParameterExpression node)
        {
            if (relationOf.ContainsKey(node)) Failed = true; // the related row used whole
            return node;
        }

        protected override Expression VisitExtension(Expression node)
        {
            // Aggregates and other extension nodes keep their shape; one that reads a has-one row keeps the feature on objects.
            if (IrFacts.Of(node).Parameters.Any(relationOf.ContainsKey)) Failed = true;
            return node;
        }

        /// <summary>The relation when <paramref name="side"/> is a has-one parameter and <paramref name="other"/> the null constant.</summary>
        private RelationInput? Related(Expression side, Expression other) =>
            side is ParameterExpression p && relationOf.TryGetValue(p, out var relation)
            && other is ConstantExpression { Value: null } or DefaultExpression ? relation : null;

        private ParameterExpression Present(RelationInput relation) => Column(relation, null, typeof(bool), $"{relation.Name}?");

        private ParameterExpression Column(RelationInput relation, MemberInfo? member, Type type, string name)
        {
            if (!Columns.TryGetValue((relation, member), out var parameter)) Columns[(relation, member)] = parameter = Expression.Parameter(type, name);
            return parameter;
        }
    }
}
