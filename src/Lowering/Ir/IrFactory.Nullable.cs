using System.Linq.Expressions;
using System.Reflection;
using Dsl.Lowering.Analyses;

namespace Dsl.Lowering.Ir;

internal sealed partial class IrFactory
{
    /// <summary>
    /// <c>x.HasValue</c>, decided when the nullability analysis or a path fact knows the answer, and pushed
    /// into conditionals (<c>(c ? a : null).HasValue</c> is <c>c &amp;&amp; a.HasValue</c>). A decided answer drops
    /// the evaluation of <c>x</c>, so the analysis decides only when that drops no exception (see
    /// <see cref="Decidable"/>); <paramref name="operandEvaluatedAnyway"/> says the caller's IR evaluates <c>x</c>
    /// anyway, or the CIL interpreter already logged it in its effect history.
    /// </summary>
    public Expression HasValue(Expression nullable, PathFacts facts, bool operandEvaluatedAnyway = false)
    {
        switch (Decidable(nullable, facts, operandEvaluatedAnyway))
        {
            case Nullability.Never: return True;
            case Nullability.Always: return False;
        }

        if (nullable is ConditionalExpression conditional)
            return Condition(conditional.Test, HasValue(conditional.IfTrue, facts, operandEvaluatedAnyway), HasValue(conditional.IfFalse, facts, operandEvaluatedAnyway));
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
        // The payload read evaluates the nullable; the throw replacing a null one does not, so it needs the strict answer.
        if (HasValue(nullable, facts, operandEvaluatedAnyway: true) is ConstantExpression { Value: true }) return GetValueOrDefault(nullable);
        var underlying = Nullable.GetUnderlyingType(nullable.Type)!;
        if (HasValue(nullable, facts) is ConstantExpression { Value: false })
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

    /// <summary>
    /// <c>x == null</c> for a reference, decided by nullability and path facts when they know and deciding drops no
    /// exception (<see cref="Decidable"/>, <see cref="HasValue"/>).
    /// </summary>
    public Expression IsNull(Expression reference, PathFacts facts, bool operandEvaluatedAnyway = false)
    {
        switch (Decidable(reference, facts, operandEvaluatedAnyway))
        {
            case Nullability.Never: return False;
            case Nullability.Always: return True;
        }

        return NullTestNode(reference) is var node && facts.TryGet(node) is { } known ? Constant(known, typeof(bool)) : NullTestNode(reference);
    }

    /// <summary>
    /// What the nullability analysis knows about <paramref name="operand"/>, when a null test may be replaced by that
    /// constant: the constant does not evaluate the operand, so it may replace the test only when evaluating the
    /// operand cannot throw, or when <paramref name="operandEvaluatedAnyway"/>. Otherwise the exception would be lost:
    /// <c>(p.Replace(".", "") + "x") != null</c> is never false, yet throws NullReferenceException for a null
    /// <c>p</c> (fuzz seed 11, program 7271). A path fact on the test node itself still decides it (below, in the
    /// callers): the test was evaluated on the path, so its operand did not throw there.
    /// </summary>
    private Nullability Decidable(Expression operand, PathFacts facts, bool operandEvaluatedAnyway)
    {
        var known = NullabilityAnalysis.Of(operand, facts, this);
        return known == Nullability.Maybe || operandEvaluatedAnyway || !ThrowAnalysis.SubtreeCanThrow(operand) ? known : Nullability.Maybe;
    }

    /// <summary>The canonical <c>x == null</c> node for a reference; path facts about nullness are keyed by it.</summary>
    public Expression NullTestNode(Expression reference) => Intern(Expression.ReferenceEqual(reference, Constant(null, reference.Type)));

    /// <summary>The canonical <c>x.HasValue</c> node for a nullable value; path facts are keyed by it.</summary>
    public Expression HasValueNode(Expression nullable) => Property(nullable, nullable.Type.GetProperty(nameof(Nullable<int>.HasValue))!);

    private static MethodInfo GetValueOrDefaultMethod(Type nullableType) =>
        nullableType.GetMethod(nameof(Nullable<int>.GetValueOrDefault), Type.EmptyTypes)!;
}
