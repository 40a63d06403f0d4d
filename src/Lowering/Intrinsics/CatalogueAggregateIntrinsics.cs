using System.Linq.Expressions;
using System.Reflection;
using Dsl.Lowering.Ir;

namespace Dsl.Lowering.Intrinsics;

/// <summary>
/// Calls of catalogue statistics (methods marked <see cref="AggregateIntrinsicAttribute"/>) over a sequence or a LINQ
/// chain (<c>F.Median(txns.Select(t =&gt; t.Amount))</c>): a <see cref="ListAggregateExpression"/> of the attribute's kind
/// whose <see cref="AggregateOrigin.Method"/> is the method, so its reduction is the method's own code.
/// </summary>
internal static class CatalogueAggregateIntrinsics
{
    public static IntrinsicCall TryLower(MethodBase method, Expression? instance, IReadOnlyList<Expression> arguments)
    {
        if (method is not MethodInfo { IsStatic: true } info || info.GetCustomAttribute<AggregateIntrinsicAttribute>() is not { } attribute)
            return IntrinsicCall.NotIntrinsic;
        if (arguments.Count is < 1 or > 2 || ListQuery.From(arguments[0]) is not { IsClosed: false } query)
            return IntrinsicCall.Refused("linq", $"{ExactCall.Describe(method)} is lowered over a sequence or a Where/Select chain of one.");
        Expression? argument = null;
        if (attribute.Kind == ListAggregateKind.Percentile)
            argument = arguments.Count == 2 ? arguments[1] : Expression.Constant(attribute.Fraction);
        try
        {
            var origin = query.Origin() with { Method = info };
            return IntrinsicCall.Lowered(ListAggregateExpression.Create(attribute.Kind, query.Source, query.Filter, query.Selector, argument, origin: origin));
        }
        catch (ArgumentException unsupported)
        {
            return IntrinsicCall.Refused("linq", $"{ExactCall.Describe(method)}: {unsupported.Message}");
        }
    }
}
