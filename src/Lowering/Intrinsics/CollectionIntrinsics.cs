using System.Linq.Expressions;
using System.Reflection;
using Dsl.Lowering.Ir;

namespace Dsl.Lowering.Intrinsics;

/// <summary>
/// Members of the collection interfaces a function receives related rows as (<see cref="IReadOnlyList{T}"/>,
/// <see cref="IReadOnlyCollection{T}"/>, <see cref="IList{T}"/>, <see cref="ICollection{T}"/>, <see cref="List{T}"/>):
/// <c>Count</c> becomes a <see cref="ListAggregateKind.Count"/> aggregate of the source (reading it on null throws
/// <see cref="NullReferenceException"/>, as the property does), so "the number of related rows" has one IR form; the
/// indexer <c>xs[i]</c> stays the very call (inside a loop over the list the interpreter turns it into the element).
/// </summary>
internal static class CollectionIntrinsics
{
    public static IntrinsicCall TryLower(MethodBase method, Expression? instance, IReadOnlyList<Expression> arguments)
    {
        if (instance is null || method is not MethodInfo { IsStatic: false } info || !SequenceTypes.IsListLike(info.DeclaringType!)
            || ListQuery.From(instance) is not { FilterBody: null, SelectorBody: null, Shape: QueryShape.Source } query)
            return IntrinsicCall.NotIntrinsic;
        return info.Name switch
        {
            "get_Count" when arguments.Count == 0 =>
                IntrinsicCall.Lowered(ListAggregateExpression.Create(ListAggregateKind.Count, query.Source, nullSource: ListNullSource.ThrowsNullReference)),
            "get_Item" when arguments is [{ Type: var t }] && t == typeof(int) => IntrinsicCall.Lowered(Expression.Call(instance, info, arguments[0])),
            _ => IntrinsicCall.NotIntrinsic,
        };
    }
}
