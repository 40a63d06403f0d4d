using System.Linq.Expressions;
using System.Reflection;
using Dsl.Lowering.Ir;

namespace Dsl.Lowering.Cil;

internal sealed partial class CilInterpreter
{
    /// <summary>
    /// The calls a <c>foreach</c> over a sequence makes on its enumerator: <c>GetEnumerator()</c> on the sequence gives
    /// an <see cref="EnumeratorValue"/>, <c>MoveNext()</c> a <see cref="MoveNextValue"/> that only a loop test may use (the
    /// loop is then folded), <c>Current</c> the element symbol while the body is folded. Anything else done with the
    /// enumerator falls back (<c>enumerator</c>). Null when the call is not on a sequence or an enumerator.
    /// </summary>
    private static Expression? TryEnumeratorCall(MethodInfo method, Expression? receiver, MethodFrameInfo where)
    {
        if (receiver is EnumeratorValue enumerator)
        {
            return method.Name switch
            {
                nameof(IEnumerator<int>.MoveNext) => new MoveNextValue(enumerator),
                "get_Current" => enumerator.Current
                    ?? throw new LoweringFailure("enumerator", "Current read outside the foreach loop over the enumerator", where.Method, where.Offset),
                _ => throw new LoweringFailure("enumerator", $"{method.Name} called on an enumerator: only a foreach over a collection is lowered", where.Method, where.Offset),
            };
        }

        if (receiver is null || method.Name != nameof(IEnumerable<int>.GetEnumerator) || method.GetParameters().Length != 0
            || Intrinsics.ListQuery.From(receiver) is not { Shape: QueryShape.Source } query || !EnumeratorDisposal.IsEnumeratorType(method.ReturnType))
            return null;
        return new EnumeratorValue(query.Source, method.ReturnType);
    }
}
