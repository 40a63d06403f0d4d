using System.Linq.Expressions;

namespace Dsl.Lowering.Ir;

internal sealed partial class ListAggregateExpression
{
    /// <summary>Each kind as (initial statements, the scan that visits the elements, the value when the scan ends).</summary>
    private sealed partial class Reducer
    {
        private (IEnumerable<Expression> Init, Expression Scan, Expression End) Parts()
        {
            switch (_node.Kind)
            {
                case ListAggregateKind.Sum: return SumParts();
                case ListAggregateKind.Count or ListAggregateKind.LongCount: return CountParts();
                case ListAggregateKind.Min or ListAggregateKind.Max: return MinMaxParts();
                case ListAggregateKind.Average: return AverageParts();
                case ListAggregateKind.Any: return AnyParts();
                case ListAggregateKind.All:
                    return ([], Forward(Taking(IfThen(Not(Invoke(_function!, _value)), Exit(Constant(false))))), Constant(true));
                case ListAggregateKind.First or ListAggregateKind.FirstOrDefault:
                    return ([], Forward(Taking(Exit(_value))), NoValue());
                case ListAggregateKind.Last or ListAggregateKind.LastOrDefault: return LastParts();
                case ListAggregateKind.MinBy or ListAggregateKind.MaxBy: return ByKeyParts();
                case ListAggregateKind.Contains: return ContainsParts();
                case ListAggregateKind.CountDistinct: return CountDistinctParts();
                case ListAggregateKind.Fold:
                    var accumulator = Local(ResultType, "accumulator");
                    return ([Assign(accumulator, _argument!)], Forward(Taking(Assign(accumulator, Invoke(_function!, accumulator, _value)))), accumulator);
                default:
                    throw new InvalidOperationException($"{_node.Kind} has no loop of its own.");
            }
        }

        /// <summary>What <c>First</c>/<c>Last</c> give when nothing is taken: the default-value argument, <c>default</c>, or a throw.</summary>
        private Expression NoValue() => _node.Kind is ListAggregateKind.First or ListAggregateKind.Last
            ? ThrowNoElements(ResultType)
            : _argument ?? (Expression)Default(ResultType);

        /// <summary>Runs <paramref name="step"/> on the payload of a non-null value (nullable values skip nulls).</summary>
        private Expression OnPayload(Func<Expression, Expression> step) =>
            IsNullable(ValueType) ? IfThen(Property(_value, "HasValue"), step(Call(_value, "GetValueOrDefault", null))) : step(_value);

        private Type Core => Nullable.GetUnderlyingType(ValueType) ?? ValueType;

        private (IEnumerable<Expression>, Expression, Expression) SumParts()
        {
            var accumulatorType = AggregateTypes.AccumulatorType(ValueType, average: false);
            var sum = Local(accumulatorType, "sum");
            var step = OnPayload(v => Assign(sum, Add(sum, Convert(v, accumulatorType), accumulatorType)));
            return ([Assign(sum, Zero(accumulatorType))], Forward(Taking(step)), Convert(Convert(sum, Core), ResultType));
        }

        /// <summary>Addition as LINQ does it: checked for integers (decimal addition checks itself).</summary>
        private static Expression Add(Expression sum, Expression value, Type type) =>
            type == typeof(int) || type == typeof(long) ? AddChecked(sum, value) : Expression.Add(sum, value);

        private (IEnumerable<Expression>, Expression, Expression) CountParts()
        {
            var type = _node.Kind == ListAggregateKind.LongCount ? typeof(long) : typeof(int);
            var count = Local(type, "count");
            var one = type == typeof(long) ? Constant(1L) : Constant(1);
            return ([Assign(count, Zero(type))], CountOrVisit(count, Taking(Assign(count, AddChecked(count, one)))), count);
        }

        private (IEnumerable<Expression>, Expression, Expression) AverageParts()
        {
            // Enumerated (a filter, selector or skip ran): LINQ starts the sum from the first value, not from 0.
            var accumulatorType = AggregateTypes.AccumulatorType(ValueType, average: true);
            var sum = Local(accumulatorType, "sum");
            var count = Local(typeof(long), "count");
            var step = OnPayload(v =>
            {
                var value = Convert(v, accumulatorType);
                return Block(Assign(sum, Condition(Equal(count, Constant(0L)), value, Add(sum, value, accumulatorType))), Assign(count, Increment(count)));
            });
            var resultCore = Nullable.GetUnderlyingType(ResultType) ?? ResultType;
            Expression quotient = resultCore == typeof(decimal)
                ? Divide(sum, Convert(count, typeof(decimal)))
                : Divide(Convert(sum, typeof(double)), Convert(count, typeof(double)));
            var empty = IsNullable(ResultType) ? Default(ResultType) : ThrowNoElements(ResultType);
            var end = Condition(Equal(count, Constant(0L)), empty, Convert(Convert(quotient, resultCore), ResultType));
            return ([Assign(sum, Zero(accumulatorType)), Assign(count, Constant(0L))], Forward(Taking(step)), end);
        }

        private (IEnumerable<Expression>, Expression, Expression) MinMaxParts()
        {
            var isMin = _node.Kind == ListAggregateKind.Min;
            var best = Local(Core, isMin ? "min" : "max");
            var any = Local(typeof(bool), "any");
            var isFloat = Core == typeof(double) || Core == typeof(float);
            Expression Step(Expression v)
            {
                var first = Block(Assign(best, v), Assign(any, Constant(true)));
                if (!isFloat) return IfThen(OrElse(Not(any), Compare(v, best, isMin)), first);
                return isMin
                    // The first NaN met is the answer; otherwise strictly smaller values win.
                    ? IfThenElse(Not(any), Block(first, IfThen(IsNaN(best), Exit(best))),
                        IfThenElse(LessThan(v, best), Assign(best, v), IfThen(IsNaN(v), Exit(v))))
                    // Leading NaNs are replaced by the next value; then strictly larger values win.
                    : IfThenElse(Not(any), first, IfThenElse(IsNaN(best), Assign(best, v), IfThen(GreaterThan(v, best), Assign(best, v))));
            }

            var empty = IsNullable(ResultType) ? Default(ResultType) : ThrowNoElements(ResultType);
            var end = Condition(any, Convert(best, ResultType), empty);
            return ([Assign(any, Constant(false)), Assign(best, Default(Core))], Forward(Taking(OnPayload(Step))), end);
        }

        /// <summary>
        /// <c>Comparer&lt;T&gt;.Default.Compare(a, b)</c> below (or above) zero: LINQ's generic <c>Min</c>/<c>Max</c>/<c>MinBy</c>/<c>MaxBy</c>
        /// test. For integers, decimals and the temporal types (total orders whose operators agree with the comparer) the
        /// operator itself, which costs no interface call per element.
        /// </summary>
        private static Expression Compare(Expression a, Expression b, bool below)
        {
            var type = a.Type;
            var hasOperator = (type.IsPrimitive && type != typeof(bool) && type != typeof(char) && type != typeof(float) && type != typeof(double))
                || type == typeof(decimal) || type == typeof(DateTime) || type == typeof(TimeSpan) || type == typeof(DateOnly) || type == typeof(TimeOnly);
            if (hasOperator) return below ? LessThan(a, b) : GreaterThan(a, b);
            var comparerType = typeof(Comparer<>).MakeGenericType(a.Type);
            var comparer = Property(null, comparerType.GetProperty(nameof(Comparer<int>.Default))!);
            var compare = Call(comparer, comparerType.GetMethod(nameof(Comparer<int>.Compare), [a.Type, a.Type])!, a, b);
            return below ? LessThan(compare, Constant(0)) : GreaterThan(compare, Constant(0));
        }

        private (IEnumerable<Expression>, Expression, Expression) AnyParts()
        {
            var found = Exit(Constant(true));
            if (_node.Filter is not null) return ([], Forward(Taking(found)), Constant(false));
            // Without a filter LINQ counts an IList (a selector is not run) and otherwise runs the selector on the first element.
            Expression NonEmpty(Expression count) => IfThen(GreaterThan(Remaining(count), Constant(0)), found);
            var visit = Taking(found, select: _node.Selector is not null);
            var scan = _node.IsOverArray ? NonEmpty(ArrayLength(_source)) : ByRuntimeType(list => NonEmpty(ListCount(list)), visit);
            return ([], scan, Constant(false));
        }

        private (IEnumerable<Expression>, Expression, Expression) LastParts()
        {
            var last = Local(ElementType, "last");
            var found = Local(typeof(bool), "found");
            Expression Select(Expression element) => _selector is null ? element : Invoke(_selector, element);
            // The selector runs once, on the element found.
            Expression Forward(Expression element) => _filter is null
                ? Block(Assign(last, element), Assign(found, Constant(true)))
                : IfThen(Invoke(_filter, element), Block(Assign(last, element), Assign(found, Constant(true))));
            Expression Backward(Expression element) => _filter is null ? Exit(Select(element)) : IfThen(Invoke(_filter, element), Exit(Select(element)));
            var end = Condition(found, Select(last), NoValue());
            return ([Assign(found, Constant(false)), Assign(last, Default(ElementType))], LastScan(Forward, Backward), end);
        }

        private (IEnumerable<Expression>, Expression, Expression) ByKeyParts()
        {
            var key = _function!;
            var keyType = key.ReturnType;
            var best = Local(ValueType, "best");
            var bestKey = Local(keyType, "bestKey");
            var current = Local(keyType, "key");
            var any = Local(typeof(bool), "any");
            var below = _node.Kind == ListAggregateKind.MinBy;
            var replace = Block(Assign(best, _value), Assign(bestKey, current));
            Expression better = DefaultIsNull(keyType)
                // Null keys never win; a first value with a null key gives way to the first value with a key.
                ? IfThen(AndAlso(NotEqual(current, Constant(null, keyType)), OrElse(Equal(bestKey, Constant(null, keyType)), Compare(current, bestKey, below))), replace)
                : IfThen(Compare(current, bestKey, below), replace);
            var step = Block(Assign(current, Invoke(key, _value)), IfThenElse(Not(any), Block(Assign(any, Constant(true)), replace), better));
            var end = Condition(any, best, DefaultIsNull(ValueType) ? Default(ValueType) : ThrowNoElements(ValueType));
            return ([Assign(any, Constant(false)), Assign(best, Default(ValueType)), Assign(bestKey, Default(keyType))], Forward(Taking(step)), end);
        }

        private (IEnumerable<Expression>, Expression, Expression) ContainsParts()
        {
            var comparerType = typeof(EqualityComparer<>).MakeGenericType(ValueType);
            var comparer = Property(null, comparerType.GetProperty(nameof(EqualityComparer<int>.Default))!);
            var equals = comparerType.GetMethod(nameof(EqualityComparer<int>.Equals), [ValueType, ValueType])!;
            return ([], Forward(Taking(IfThen(Call(comparer, equals, _value, _argument!), Exit(Constant(true))))), Constant(false));
        }

        private (IEnumerable<Expression>, Expression, Expression) CountDistinctParts()
        {
            var setType = typeof(HashSet<>).MakeGenericType(ValueType);
            var set = Local(setType, "seen");
            var add = Call(set, setType.GetMethod(nameof(HashSet<int>.Add))!, _value);
            return ([Assign(set, New(setType))], Forward(Taking(add)), Property(set, nameof(HashSet<int>.Count)));
        }

        private static Expression Zero(Type type) => Constant(System.Convert.ChangeType(0, type, System.Globalization.CultureInfo.InvariantCulture), type);
    }
}
