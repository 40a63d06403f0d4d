using System.Linq.Expressions;
using System.Reflection;
using Dsl.Lowering.Analyses;

namespace Dsl.Lowering.Cil;

internal sealed partial class CilInterpreter
{
    /// <summary>
    /// A read of an auto-property of an entity (a related row, a row chosen by <c>MaxBy</c>): the IR is
    /// <c>Expression.Property(instance, property)</c>, which throws <see cref="NullReferenceException"/> on null as the
    /// getter call does, and which a code generator maps to the related table's column. Computed properties are inlined
    /// like other user methods; a virtual property whose override is unknown falls back.
    /// </summary>
    private Expression? TryEntityGetter(MethodInfo method, Expression? receiver, MethodFrameInfo where)
    {
        if (receiver is null or InterpreterValue || EntityMembers.PropertyOf(method) is not { } property || !EntityMembers.IsAutoProperty(property)) return null;
        if (EntityMembers.IsOverridable(method))
            throw new LoweringFailure("virtual-call", $"{method.DeclaringType!.Name}.{property.Name} is virtual: the override that runs is not known at plan time", where.Method, where.Offset);
        return _ir.Property(receiver, property);
    }

    /// <summary>
    /// A field read on an entity: a property's backing field (met when a computed getter is inlined) reads the property;
    /// a public field reads the field (<c>Expression.Field</c>). Null for closures and the other cases the caller knows.
    /// </summary>
    private Expression? TryEntityField(Expression instance, FieldInfo field, MethodFrameInfo where)
    {
        if (field.IsStatic || instance is InterpreterValue or ConstantExpression || !EntityMembers.IsEntityType(field.DeclaringType)) return null;
        if (EntityMembers.PropertyOfBackingField(field) is { } property) return _ir.Property(instance, property);
        if (field.IsPublic) return _ir.Field(instance, field);
        throw new LoweringFailure("object-field", $"read of the non-public field {field.DeclaringType!.Name}.{field.Name} of an object", where.Method, where.Offset);
    }

    /// <summary>
    /// Whether an inlined instance method of a user object needs <c>if (receiver == null) throw</c> first: calling it on
    /// null throws <see cref="NullReferenceException"/> even when its body never touches <c>this</c>. Not needed for a
    /// value type or a known object, nor when the body's first possibly-throwing evaluation (after
    /// <paramref name="before"/>) dereferences the receiver, which throws the same exception at the same point.
    /// </summary>
    private static bool NeedsReceiverGuard(Expression receiver, EffectLog before, EffectLog after)
    {
        if (receiver.Type.IsValueType || receiver is InterpreterValue || receiver is ConstantExpression { Value: not null }) return false;
        return after.Items.Count <= before.Items.Count || after.Items[before.Items.Count] is not NodeEffect { Node: var first } || !Dereferences(first, receiver);
    }

    /// <summary>True when evaluating <paramref name="node"/> first reads a member of <paramref name="receiver"/> (its first throwing step on null).</summary>
    internal static bool Dereferences(Expression node, Expression receiver) => node switch
    {
        MemberExpression member => member.Expression == receiver,
        MethodCallExpression { Object: { } target } => target == receiver,
        _ => false,
    };

    /// <summary><c>if (receiver == null) throw new NullReferenceException();</c></summary>
    internal static Expression NullGuard(Expression receiver) =>
        Expression.IfThen(Expression.ReferenceEqual(receiver, Expression.Constant(null, receiver.Type)), Expression.Throw(Expression.New(typeof(NullReferenceException))));
}
