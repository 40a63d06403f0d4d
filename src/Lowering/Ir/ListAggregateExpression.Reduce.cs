using System.Linq.Expressions;
using System.Reflection;

namespace Dsl.Lowering.Ir;

/// <summary>
/// The exact loop of each aggregate kind. Rules, all measured on LINQ-to-objects on .NET 10:
/// <list type="bullet">
/// <item>Null source: a span method sees a null array as empty. A loop (<see cref="ListNullSource.ThrowsNullReference"/>)
/// evaluates the source, then the argument, then reads the length or enumerator: <see cref="NullReferenceException"/>.
/// LINQ evaluates the source, checks it for null when an operator ran before the aggregate
/// (<see cref="AggregateOrigin.ChainedQuery"/>), evaluates the argument, then checks the source:
/// <see cref="ArgumentNullException"/>.</item>
/// <item>Enumeration: a static array is indexed; any other source is indexed through <see cref="IList{T}"/> when the
/// runtime object is one, else enumerated (and the enumerator disposed), which visits the same elements in the same order.</item>
/// <item><c>Sum</c> of <c>int</c>/<c>long</c> and <c>Average</c> of any type over the source itself (no filter,
/// selector or skip) call <see cref="Enumerable"/>: over a <c>T[]</c> or <see cref="List{T}"/> LINQ adds in vector lanes
/// (overflow is detected per lane, not per prefix) and <c>Average</c> sums from +0 (so <c>Average([-0.0])</c> is +0), while
/// over any other collection it adds sequentially and <c>Average</c> starts from the first value (-0).</item>
/// <item><c>Sum</c> otherwise adds left to right from 0 (checked for <c>int</c>/<c>long</c>; <c>decimal</c> addition
/// checks itself; <c>float</c> in <c>double</c>, rounded once); nullable values skip nulls and give 0 when none.
/// <c>Average</c> otherwise starts from the first value; integers accumulate checked in <c>long</c>.</item>
/// <item><c>Min</c>/<c>Max</c>: strict comparisons, so the first of equal values (+0 and -0) wins. <c>Min</c> returns the
/// first NaN it meets; <c>Max</c> skips leading NaNs and then compares with <c>&gt;</c>, so NaN loses to any number and
/// an all-NaN list gives its last NaN. Other types compare with <c>Comparer&lt;T&gt;.Default</c>. Empty: throws, or null
/// for nullable values (nulls are skipped).</item>
/// <item><c>Last</c> scans as <see cref="LastScan"/> says and applies the selector once, to the value found.
/// <c>Select(f).Any()</c> without a filter does not run <c>f</c> on an <see cref="IList{T}"/> (LINQ counts it) and runs
/// it on the first element of any other source.</item>
/// <item><c>MinBy</c>/<c>MaxBy</c> run the key on every value, skip null keys, keep the first of equal keys.</item>
/// <item><c>Contains</c> and <c>Distinct().Count()</c> compare with <c>EqualityComparer&lt;T&gt;.Default</c>: NaN equals
/// NaN, +0 equals -0, strings ordinally, decimals by value.</item>
/// <item>Statistics call their catalogue <see cref="Method"/> on <c>source.Skip(k).Where(f).Select(s)</c>.</item>
/// </list>
/// </summary>
internal sealed partial class ListAggregateExpression
{
    private static readonly ConstructorInfo s_argumentNull = typeof(ArgumentNullException).GetConstructor([typeof(string)])!;
    private static readonly ConstructorInfo s_invalidOperation = typeof(InvalidOperationException).GetConstructor([typeof(string)])!;

    /// <summary>
    /// True when <see cref="Reduce"/> calls the <see cref="Enumerable"/> method itself because LINQ's answer depends on
    /// the runtime collection: <c>Sum</c> of <c>int</c>/<c>long</c> (vector lanes over a <c>T[]</c>/<see cref="List{T}"/>)
    /// and <c>Average</c> (lanes, and +0 start over those), both over the source itself (no operator ran before, no
    /// predicate or selector overload). A code generator must do what
    /// LINQ does for the collection the row-by-row path receives.
    /// </summary>
    public bool CallsEnumerableDirectly =>
        NullSource == ListNullSource.ThrowsArgumentNull && Filter is null && Selector is null && Skip == 0 && !Origin.ChainedQuery
        && (Kind == ListAggregateKind.Average || (Kind == ListAggregateKind.Sum && (ElementType == typeof(int) || ElementType == typeof(long))));

    public override Expression Reduce()
    {
        if (CallsEnumerableDirectly) return Call(LinqMethod(Kind.ToString(), ElementType), Source);
        if (Method is not null) return Call(Method, Method.GetParameters().Length == 1 ? [LinqChain()] : [LinqChain(), Argument!]);
        return new Reducer(this).Build();
    }

    /// <summary><c>source.Skip(k).Where(f).Select(s)</c> as real LINQ calls (lazy, exact): what a statistic receives.</summary>
    private Expression LinqChain()
    {
        Expression sequence = Source;
        if (Skip > 0) sequence = Call(typeof(Enumerable), nameof(Enumerable.Skip), [ElementType], sequence, Constant(Skip));
        if (Filter is not null) sequence = Call(typeof(Enumerable), nameof(Enumerable.Where), [ElementType], sequence, Filter);
        if (Selector is not null) sequence = Call(typeof(Enumerable), nameof(Enumerable.Select), [ElementType, ValueType], sequence, Selector);
        var type = typeof(IEnumerable<>).MakeGenericType(ValueType);
        return sequence.Type == type ? sequence : Convert(sequence, type);
    }

    private static MethodInfo LinqMethod(string name, Type elementType) =>
        typeof(Enumerable).GetMethod(name, [typeof(IEnumerable<>).MakeGenericType(elementType)])!;

    private static Expression IsNaN(Expression x) => NotEqual(x, x);

    private static Expression ThrowIfNull(ParameterExpression source) =>
        IfThen(ReferenceEqual(source, Constant(null, source.Type)), Throw(New(s_argumentNull, Constant("source"))));

    private static Expression ThrowNoElements(Type type) => Throw(New(s_invalidOperation, Constant("Sequence contains no elements")), type);

    private static bool IsNullable(Type type) => Nullable.GetUnderlyingType(type) is not null;

    /// <summary><c>default(T)</c> is null: a reference type or <c>Nullable&lt;T&gt;</c> (LINQ's empty <c>MinBy</c> and nullable <c>Min</c> give it).</summary>
    private static bool DefaultIsNull(Type type) => !type.IsValueType || IsNullable(type);

    /// <summary>Builds the block of one reduction: its variables, the prologue, the kind's scan and the value at the end.</summary>
    private sealed partial class Reducer
    {
        private readonly ListAggregateExpression _node;
        private readonly ParameterExpression _source;
        private readonly ParameterExpression _element;
        private readonly ParameterExpression _value;
        private readonly ParameterExpression? _argument;
        private readonly LabelTarget _done;
        private readonly List<ParameterExpression> _variables = [];
        private readonly LoopInvariants _invariants = new();
        private readonly LambdaExpression? _filter;
        private readonly LambdaExpression? _selector;
        private readonly LambdaExpression? _function;

        public Reducer(ListAggregateExpression node)
        {
            _node = node;
            _filter = _invariants.Hoist(node.Filter);
            _selector = _invariants.Hoist(node.Selector);
            _function = _invariants.Hoist(node.Function);
            _source = Variable(node.Source.Type, "source");
            _element = Variable(node.ElementType, "element");
            _value = Variable(node.ValueType, "value");
            _argument = node.Argument is null ? null : Variable(node.Argument.Type, "argument");
            _done = Label(node.Type, "done");
            _variables.AddRange([_source, _element, _value]);
            if (_argument is not null) _variables.Add(_argument);
        }

        private Type ElementType => _node.ElementType;

        private Type ValueType => _node.ValueType;

        private Type ResultType => _node.Type;

        public Expression Build()
        {
            var linq = _node.NullSource == ListNullSource.ThrowsArgumentNull;
            var body = new List<Expression>
            {
                Assign(_source, _node.NullSource == ListNullSource.IsEmpty ? Coalesce(_node.Source, NewArrayBounds(ElementType, Constant(0))) : _node.Source),
            };
            if (linq && _node.Origin.ChainedQuery) body.Add(ThrowIfNull(_source));
            if (_argument is not null) body.Add(Assign(_argument, _node.Argument!));
            if (linq) body.Add(ThrowIfNull(_source));
            var (init, scan, end) = Parts();
            body.AddRange(_invariants.Resets);
            _variables.AddRange(_invariants.Variables);
            body.AddRange(init);
            body.Add(scan);
            body.Add(Label(_done, end));
            return Block(ResultType, _variables, body);
        }

        private ParameterExpression Local(Type type, string name)
        {
            var variable = Variable(type, name);
            _variables.Add(variable);
            return variable;
        }

        /// <summary>Runs <paramref name="take"/> for each element the filter takes, with the selected value in <see cref="_value"/>.</summary>
        private Func<Expression, Expression> Taking(Expression take, bool select = true) => element =>
        {
            var body = select ? Block(Assign(_value, Apply(_selector, element)), take) : take;
            return _filter is null ? body : IfThen(Invoke(_filter, element), body);
        };

        private static Expression Apply(LambdaExpression? lambda, Expression argument) => lambda is null ? argument : Invoke(lambda, argument);

        private Expression Exit(Expression value) => Break(_done, value.Type == ResultType ? value : Convert(value, ResultType));
    }
}
