using System.Linq.Expressions;
using System.Reflection;

namespace Dsl.Lowering.Ir;

/// <summary>
/// The exact loop of each aggregate kind. Rules, all taken from LINQ's behaviour on .NET 10:
/// <list type="bullet">
/// <item>A span method sees a null array as empty. A loop (<see cref="ListNullSource.ThrowsNullReference"/>) evaluates the source, then the seed, then reads the length: a null source throws
/// <see cref="NullReferenceException"/>. Otherwise the source is evaluated, then (when there is a filter or selector, i.e. a <c>Where</c>/<c>Select</c>
/// ran first) checked for null, then the argument is evaluated, then the source is checked for null:
/// a null source throws <see cref="ArgumentNullException"/>.</item>
/// <item><c>Sum</c>: integers add checked (<see cref="OverflowException"/>), floating point adds left to right
/// from +0 (so <c>Sum([-0.0])</c> is +0), <c>float</c> accumulates in <c>double</c> and rounds once at the end.
/// <c>int[]</c>/<c>long[]</c> summed directly call <see cref="Enumerable"/> (lane-wise overflow: see
/// <see cref="UsesLinqVectorizedSum"/>).</item>
/// <item><c>Average</c>: throws <see cref="InvalidOperationException"/> when empty. Over the array itself it is
/// <c>Sum / Length</c> (sum from +0); after a filter or selector LINQ enumerates and starts the sum from the first
/// value, so <c>Average([-0.0])</c> is +0 while <c>Where(_ =&gt; true).Average()</c> of it is -0. Integers
/// accumulate checked in <c>long</c>, <c>float</c> in <c>double</c>.</item>
/// <item><c>Min</c>/<c>Max</c>: throw <see cref="InvalidOperationException"/> when empty; among equal values
/// (+0 and -0) the first wins. <c>Min</c> returns the first NaN it meets (payload kept). <c>Max</c> skips leading
/// NaNs and then compares with <c>&gt;</c>, so NaN loses to any number and an all-NaN list gives its last NaN.</item>
/// <item><c>First</c> throws <see cref="InvalidOperationException"/> when nothing is taken; <c>FirstOrDefault</c>
/// gives <c>default</c>. <c>Any</c>/<c>All</c>/<c>First</c>/<c>Contains</c> stop at the deciding element.</item>
/// <item><c>Contains</c> compares with <c>EqualityComparer&lt;T&gt;.Default</c>: NaN equals NaN, +0 equals -0,
/// strings ordinally.</item>
/// </list>
/// </summary>
internal sealed partial class ListAggregateExpression
{
    private static readonly ConstructorInfo s_argumentNull = typeof(ArgumentNullException).GetConstructor([typeof(string)])!;
    private static readonly ConstructorInfo s_invalidOperation = typeof(InvalidOperationException).GetConstructor([typeof(string)])!;

    public override Expression Reduce()
    {
        if (UsesLinqVectorizedSum) return Call(LinqMethod(Kind == ListAggregateKind.Sum ? nameof(Enumerable.Sum) : nameof(Enumerable.Average)), Source);

        var source = Variable(Source.Type, "source");
        var index = Variable(typeof(int), "i");
        var element = Variable(ElementType, "element");
        var value = Variable(ValueType, "value");
        var done = Label(Type, "done");
        var loop = new LoopParts(source, index, element, value, done);

        // A loop reads source.Length first, which throws NullReferenceException on null by itself.
        var linq = NullSource == ListNullSource.ThrowsArgumentNull;
        var prologue = new List<Expression>
        {
            Assign(source, NullSource == ListNullSource.IsEmpty ? Coalesce(Source, NewArrayBounds(ElementType, Constant(0))) : Source),
        };
        if (linq && (Filter is not null || Selector is not null)) prologue.Add(ThrowIfNull(source));
        var argument = Argument is null ? null : Variable(Argument.Type, "argument");
        if (argument is not null) prologue.Add(Assign(argument, Argument!));
        if (linq) prologue.Add(ThrowIfNull(source));

        var (variables, init, step, end) = Kind switch
        {
            ListAggregateKind.Sum => SumParts(value),
            ListAggregateKind.Count => CountParts(),
            ListAggregateKind.Min or ListAggregateKind.Max => MinMaxParts(loop),
            ListAggregateKind.Average => AverageParts(value),
            ListAggregateKind.Any => ([], [], Break(done, Constant(true)), Constant(false)),
            ListAggregateKind.All => ([], [], IfThen(Not(Invoke(Function!, value)), Break(done, Constant(false))), Constant(true)),
            ListAggregateKind.First => ([], [], Break(done, value), ThrowNoElements(Type)),
            ListAggregateKind.FirstOrDefault => ([], [], Break(done, value), (Expression)Default(Type)),
            ListAggregateKind.Contains => ContainsParts(loop, argument!),
            ListAggregateKind.Fold => FoldParts(argument!, value),
            _ => throw new InvalidOperationException($"Unknown aggregate kind {Kind}."),
        };

        var body = new List<Expression>
        {
            IfThen(GreaterThanOrEqual(index, ArrayLength(source)), Break(done, end)),
            Assign(element, ArrayIndex(source, index)),
            PreIncrementAssign(index),
        };
        var take = Block(Assign(value, Selector is null ? element : Invoke(Selector, element)), step);
        body.Add(Filter is null ? take : IfThen(Invoke(Filter, element), take));

        var all = new List<ParameterExpression> { source, index, element, value };
        if (argument is not null) all.Add(argument);
        all.AddRange(variables);
        return Block(Type, all, prologue.Concat(init).Append(Assign(index, Constant(0))).Append(Loop(Block(body), done)));
    }

    private sealed record LoopParts(ParameterExpression Source, ParameterExpression Index, ParameterExpression Element, ParameterExpression Value, LabelTarget Done);

    private (ParameterExpression[] Variables, Expression[] Init, Expression Step, Expression End) SumParts(ParameterExpression current)
    {
        var accumulatorType = ValueType == typeof(float) ? typeof(double) : ValueType;
        var sum = Variable(accumulatorType, "sum");
        var value = Convert(current, accumulatorType);
        Expression step = ValueType == typeof(int) || ValueType == typeof(long) ? AddChecked(sum, value) : Add(sum, value);
        return ([sum], [Assign(sum, Zero(accumulatorType))], Assign(sum, step), Convert(sum, Type));
    }

    private (ParameterExpression[], Expression[], Expression, Expression) CountParts()
    {
        var count = Variable(typeof(int), "count");
        return ([count], [Assign(count, Constant(0))], Assign(count, AddChecked(count, Constant(1))), count);
    }

    private (ParameterExpression[], Expression[], Expression, Expression) AverageParts(ParameterExpression current)
    {
        // Over the array itself LINQ sums a span from zero; after Where/Select it enumerates and starts the sum
        // from the first value. The two differ only for a single -0.0 (and in what overflows first: never for long).
        var accumulatorType = ValueType == typeof(int) || ValueType == typeof(long) ? typeof(long) : typeof(double);
        var sum = Variable(accumulatorType, "sum");
        var count = Variable(typeof(long), "count");
        var value = Convert(current, accumulatorType);
        Expression add = accumulatorType == typeof(long) ? AddChecked(sum, value) : Add(sum, value);
        var fromFirst = Filter is not null || Selector is not null;
        var step = fromFirst
            ? Block(Assign(sum, Condition(Equal(count, Constant(0L)), value, add)), Assign(count, Increment(count)))
            : Block(Assign(sum, add), Assign(count, Increment(count)));
        var quotient = Divide(Convert(sum, typeof(double)), Convert(count, typeof(double)));
        var end = Condition(Equal(count, Constant(0L)), ThrowNoElements(Type), Convert(quotient, Type));
        return ([sum, count], [Assign(sum, Zero(accumulatorType)), Assign(count, Constant(0L))], step, end);
    }

    private (ParameterExpression[], Expression[], Expression, Expression) MinMaxParts(LoopParts loop)
    {
        var best = Variable(ValueType, Kind == ListAggregateKind.Min ? "min" : "max");
        var any = Variable(typeof(bool), "any");
        var value = loop.Value;
        var isFloat = ValueType == typeof(double) || ValueType == typeof(float);
        var first = Block(Assign(best, value), Assign(any, Constant(true)));
        Expression step;
        if (Kind == ListAggregateKind.Min)
        {
            var better = IfThen(LessThan(value, best), Assign(best, value));
            step = isFloat
                ? IfThenElse(Not(any),
                    Block(first, IfThen(IsNaN(best), Break(loop.Done, best))),
                    IfThenElse(LessThan(value, best), Assign(best, value), IfThen(IsNaN(value), Break(loop.Done, value))))
                : IfThenElse(Not(any), first, better);
        }
        else
        {
            var better = IfThen(GreaterThan(value, best), Assign(best, value));
            step = isFloat
                ? IfThenElse(Not(any), first, IfThenElse(IsNaN(best), Assign(best, value), better))
                : IfThenElse(Not(any), first, better);
        }

        var end = Condition(any, best, ThrowNoElements(Type));
        return ([best, any], [Assign(any, Constant(false)), Assign(best, Default(ValueType))], step, end);
    }

    private (ParameterExpression[], Expression[], Expression, Expression) ContainsParts(LoopParts loop, ParameterExpression argument)
    {
        var comparerType = typeof(EqualityComparer<>).MakeGenericType(ValueType);
        var comparer = Property(null, comparerType.GetProperty(nameof(EqualityComparer<int>.Default))!);
        var equals = comparerType.GetMethod(nameof(EqualityComparer<int>.Equals), [ValueType, ValueType])!;
        return ([], [], IfThen(Call(comparer, equals, loop.Value, argument), Break(loop.Done, Constant(true))), Constant(false));
    }

    private (ParameterExpression[], Expression[], Expression, Expression) FoldParts(ParameterExpression seed, ParameterExpression current)
    {
        var accumulator = Variable(Type, "accumulator");
        return ([accumulator], [Assign(accumulator, seed)], Assign(accumulator, Invoke(Function!, accumulator, current)), accumulator);
    }

    private static Expression IsNaN(Expression x) => NotEqual(x, x);

    private static Expression Zero(Type type) => Constant(System.Convert.ChangeType(0, type, System.Globalization.CultureInfo.InvariantCulture), type);

    private static Expression ThrowIfNull(ParameterExpression source) =>
        IfThen(ReferenceEqual(source, Constant(null, source.Type)), Throw(New(s_argumentNull, Constant("source"))));

    private static Expression ThrowNoElements(Type type) => Throw(New(s_invalidOperation, Constant("Sequence contains no elements")), type);

    private MethodInfo LinqMethod(string name) =>
        typeof(Enumerable).GetMethod(name, [typeof(IEnumerable<>).MakeGenericType(ElementType)])!;
}
