using System.Linq.Expressions;
using System.Reflection;
using Dsl.Lowering.Analyses;

namespace Dsl.Lowering.Ir;

internal sealed partial class IrFactory
{
    /// <summary>
    /// <c>x.HasValue</c>, decided when the nullability analysis or a path fact knows the answer, and pushed
    /// into conditionals (<c>(c ? a : null).HasValue</c> is <c>c &amp;&amp; a.HasValue</c>).
    /// </summary>
    public Expression HasValue(Expression nullable, PathFacts facts)
    {
        switch (NullabilityAnalysis.Of(nullable, facts, this))
        {
            case Nullability.Never: return True;
            case Nullability.Always: return False;
        }

        if (nullable is ConditionalExpression conditional)
            return Condition(conditional.Test, HasValue(conditional.IfTrue, facts), HasValue(conditional.IfFalse, facts));
        var node = Property(nullable, nullable.Type.GetProperty(nameof(Nullable<int>.HasValue))!);
        return facts.TryGet(node) is { } known ? Constant(known, typeof(bool)) : node;
    }

    /// <summary>
    /// <c>x.Value</c>: where <c>x</c> is proven non-null it reads the payload with no check
    /// (<c>GetValueOrDefault()</c>); where it is proven null it throws <see cref="InvalidOperationException"/>;
    /// otherwise it stays a checked <c>Value</c> read that throws like the BCL.
    /// </summary>
    public Expression NullableValue(Expression nullable, PathFacts facts)
    {
        var hasValue = HasValue(nullable, facts);
        if (hasValue is ConstantExpression { Value: true }) return GetValueOrDefault(nullable);
        var underlying = Nullable.GetUnderlyingType(nullable.Type)!;
        if (hasValue is ConstantExpression { Value: false })
            return Throw<InvalidOperationException>("Nullable object must have a value.", underlying);
        return Property(nullable, nullable.Type.GetProperty(nameof(Nullable<int>.Value))!);
    }

    /// <summary><c>x.GetValueOrDefault()</c>: never throws; simplified through conversions and conditionals.</summary>
    public Expression GetValueOrDefault(Expression nullable)
    {
        var underlying = Nullable.GetUnderlyingType(nullable.Type)!;
        switch (nullable)
        {
            case UnaryExpression { NodeType: ExpressionType.Convert } wrap when wrap.Operand.Type == underlying:
                return wrap.Operand;
            case ConstantExpression { Value: null }:
                return Default(underlying);
            case ConstantExpression constant:
                return Constant(constant.Value, underlying);
            case ConditionalExpression conditional:
                return Condition(conditional.Test, GetValueOrDefault(conditional.IfTrue), GetValueOrDefault(conditional.IfFalse));
        }

        return Intern(Expression.Call(nullable, GetValueOrDefaultMethod(nullable.Type)));
    }

    /// <summary><c>x.GetValueOrDefault(fallback)</c>, that is <c>x.HasValue ? x.GetValueOrDefault() : fallback</c>.</summary>
    public Expression GetValueOrDefault(Expression nullable, Expression fallback, PathFacts facts) =>
        Condition(HasValue(nullable, facts), GetValueOrDefault(nullable), fallback);

    /// <summary><c>x == null</c> for a reference, decided by nullability and path facts when they know.</summary>
    public Expression IsNull(Expression reference, PathFacts facts)
    {
        switch (NullabilityAnalysis.Of(reference, facts, this))
        {
            case Nullability.Never: return False;
            case Nullability.Always: return True;
        }

        return NullTestNode(reference) is var node && facts.TryGet(node) is { } known ? Constant(known, typeof(bool)) : NullTestNode(reference);
    }

    /// <summary>The canonical <c>x == null</c> node for a reference; path facts about nullness are keyed by it.</summary>
    public Expression NullTestNode(Expression reference) => Intern(Expression.ReferenceEqual(reference, Constant(null, reference.Type)));

    /// <summary>The canonical <c>x.HasValue</c> node for a nullable value; path facts are keyed by it.</summary>
    public Expression HasValueNode(Expression nullable) => Property(nullable, nullable.Type.GetProperty(nameof(Nullable<int>.HasValue))!);

    private static MethodInfo GetValueOrDefaultMethod(Type nullableType) =>
        nullableType.GetMethod(nameof(Nullable<int>.GetValueOrDefault), Type.EmptyTypes)!;
}
