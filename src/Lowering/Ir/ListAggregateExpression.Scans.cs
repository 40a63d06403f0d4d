using System.Linq.Expressions;

namespace Dsl.Lowering.Ir;

internal sealed partial class ListAggregateExpression
{
    /// <summary>
    /// The loops that visit the source's elements: an index loop over a static array, over an <see cref="IList{T}"/>
    /// at run time, or an enumerator (disposed in a <c>finally</c>, as <c>foreach</c> does). All start at
    /// <see cref="Skip"/>; a backward scan stops there.
    /// </summary>
    private sealed partial class Reducer
    {
        private Type ListType => typeof(IList<>).MakeGenericType(ElementType);

        private Type EnumerableType => typeof(IEnumerable<>).MakeGenericType(ElementType);

        private Type EnumeratorType => typeof(IEnumerator<>).MakeGenericType(ElementType);

        /// <summary>Visits every element front to back.</summary>
        private Expression Forward(Func<Expression, Expression> visit) =>
            _node.IsOverArray ? ArrayLoop(visit, backward: false) : ByRuntimeType(list => ListLoop(list, visit, backward: false), visit);

        /// <summary>
        /// An <see cref="IList{T}"/> loop when the runtime source is one (<paramref name="onList"/>), else the enumerator.
        /// A source that is exactly a <see cref="List{T}"/> or a <c>T[]</c> (the online path's related rows are a
        /// <see cref="List{T}"/>) is indexed through its own type: the same elements in the same order, without an
        /// interface dispatch per element, which cost a third of an online aggregate's time.
        /// </summary>
        private Expression ByRuntimeType(Func<Expression, Expression> onList, Func<Expression, Expression> visit)
        {
            var list = Variable(ListType, "list");
            Expression byType = IfThenElse(TypeIs(_source, ListType), Block([list], Assign(list, Convert(_source, ListType)), onList(list)), EnumeratorLoop(visit));
            foreach (var exact in new[] { ElementType.MakeArrayType(), typeof(List<>).MakeGenericType(ElementType) })
            {
                if (!_source.Type.IsAssignableFrom(exact) || _source.Type == exact) continue;
                var typed = Variable(exact, exact.IsArray ? "array" : "items");
                byType = IfThenElse(TypeEqual(_source, exact), Block([typed], Assign(typed, Convert(_source, exact)), onList(typed)), byType);
            }

            return byType;
        }

        /// <summary>The number of elements from <see cref="Skip"/> on, given the collection's count.</summary>
        private Expression Remaining(Expression count) =>
            _node.Skip == 0 ? count : Call(typeof(Math), nameof(Math.Max), null, Subtract(count, Constant(_node.Skip)), Constant(0));

        private Expression ArrayLoop(Func<Expression, Expression> visit, bool backward) =>
            IndexLoop(ArrayLength(_source), index => ArrayIndex(_source, index), visit, backward);

        private Expression ListLoop(Expression list, Func<Expression, Expression> visit, bool backward) =>
            IndexLoop(ListCount(list), index => list.Type.IsArray ? ArrayIndex(list, index) : Property(list, "Item", index), visit, backward);

        /// <summary>The count of <paramref name="list"/>: an array's length, a <see cref="List{T}"/>'s own Count, else <see cref="ICollection{T}.Count"/>.</summary>
        private Expression ListCount(Expression list) =>
            list.Type.IsArray ? ArrayLength(list)
            : list.Type.IsGenericType && list.Type.GetGenericTypeDefinition() == typeof(List<>) ? Property(list, nameof(List<int>.Count))
            : Property(list, typeof(ICollection<>).MakeGenericType(ElementType).GetProperty(nameof(ICollection<int>.Count))!);

        private Expression IndexLoop(Expression count, Func<Expression, Expression> read, Func<Expression, Expression> visit, bool backward)
        {
            var index = Variable(typeof(int), "i");
            var end = Label("scanned");
            var skip = Constant(_node.Skip);
            var step = backward
                ? Block(IfThen(LessThan(index, skip), Break(end)), Assign(_element, read(index)), PreDecrementAssign(index), visit(_element))
                : Block(IfThen(GreaterThanOrEqual(index, count), Break(end)), Assign(_element, read(index)), PreIncrementAssign(index), visit(_element));
            return Block([index], Assign(index, backward ? Subtract(count, Constant(1)) : skip), Loop(step, end));
        }

        private Expression EnumeratorLoop(Func<Expression, Expression> visit)
        {
            var enumerator = Variable(EnumeratorType, "enumerator");
            var position = Variable(typeof(int), "position");
            var end = Label("scanned");
            var moveNext = Call(enumerator, typeof(System.Collections.IEnumerator).GetMethod(nameof(System.Collections.IEnumerator.MoveNext))!);
            var visitAfterSkip = _node.Skip == 0
                ? visit(_element)
                : IfThenElse(LessThan(position, Constant(_node.Skip)), PreIncrementAssign(position), visit(_element));
            var loop = Loop(IfThenElse(moveNext, Block(Assign(_element, Property(enumerator, nameof(IEnumerator<int>.Current))), visitAfterSkip), Break(end)), end);
            return Block([enumerator, position],
                Assign(enumerator, Call(Convert(_source, EnumerableType), EnumerableType.GetMethod(nameof(IEnumerable<int>.GetEnumerator))!)),
                Assign(position, Constant(0)),
                TryFinally(loop, Call(enumerator, typeof(IDisposable).GetMethod(nameof(IDisposable.Dispose))!)));
        }

        /// <summary>
        /// <c>Last</c>: from the end where LINQ scans from the end (the first match found there is the last), otherwise
        /// front to back with <paramref name="forward"/> remembering each match.
        /// </summary>
        private Expression LastScan(Func<Expression, Expression> forward, Func<Expression, Expression> backward)
        {
            var rule = _node.LastScan;
            if (rule == Ir.LastScan.Forward) return Forward(forward);
            if (_node.IsOverArray)
            {
                // Every array is an IList<T>; only a covariant one (a U[] seen as T[]) is not exactly a T[].
                var exact = ElementType.IsValueType || ElementType.IsSealed || rule == Ir.LastScan.BackwardOverIList;
                return exact
                    ? ArrayLoop(backward, backward: true)
                    : IfThenElse(TypeEqual(_source, _source.Type), ArrayLoop(backward, backward: true), ArrayLoop(forward, backward: false));
            }

            var fromEnd = rule == Ir.LastScan.BackwardOverIList
                ? (Expression)Constant(true)
                : OrElse(TypeEqual(_source, ElementType.MakeArrayType()), TypeEqual(_source, typeof(List<>).MakeGenericType(ElementType)));
            return ByRuntimeType(list => IfThenElse(fromEnd, ListLoop(list, backward, backward: true), ListLoop(list, forward, backward: false)), forward);
        }

        /// <summary>Counts without visiting elements where nothing is evaluated per element and the size is known.</summary>
        private Expression CountOrVisit(ParameterExpression count, Func<Expression, Expression> visit)
        {
            if (_node.Filter is not null || _node.Selector is not null) return Forward(visit);
            Expression Set(Expression size) => Assign(count, count.Type == typeof(long) ? Convert(size, typeof(long)) : size);
            if (_node.IsOverArray) return Set(Remaining(ArrayLength(_source)));
            return ByRuntimeType(list => Set(Remaining(ListCount(list))), visit);
        }
    }
}
