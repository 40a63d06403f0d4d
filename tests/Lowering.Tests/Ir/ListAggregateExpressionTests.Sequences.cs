using System.Collections.ObjectModel;
using System.Linq.Expressions;
using Dsl.Lowering.Ir;
using Dsl.Lowering.Tests.Support;
using Dsl.TestSupport;
using Dsl.TestSupport.Relations;
using NUnit.Framework;

namespace Dsl.Lowering.Tests.Ir;

/// <summary>The node over sequences other than arrays: element types, shape checks, hash-consing, and LINQ's scan rules.</summary>
[TestFixture]
internal sealed class ListAggregateExpressionSequenceTests
{
    [TestCase(typeof(double[]), typeof(double))]
    [TestCase(typeof(IReadOnlyList<Transaction>), typeof(Transaction))]
    [TestCase(typeof(IEnumerable<double?>), typeof(double?))]
    [TestCase(typeof(IList<string>), typeof(string))]
    [TestCase(typeof(List<Transaction>), typeof(Transaction))]
    [TestCase(typeof(ICollection<long>), typeof(long))]
    [TestCase(typeof(IReadOnlyCollection<DateTime>), typeof(DateTime))]
    public void Create_AnySequenceType_ExposesItsElementType(Type sourceType, Type elementType)
    {
        var node = ListAggregateExpression.Create(ListAggregateKind.Count, Expression.Parameter(sourceType, "xs"));

        Assert.That(node.ElementType, Is.EqualTo(elementType));
        Assert.That(node.IsOverArray, Is.EqualTo(sourceType.IsArray));
    }

    [Test]
    public void Create_ShapesAKindCannotTake_Throw()
    {
        var text = Expression.Parameter(typeof(string), "text");
        var rows = Expression.Parameter(typeof(IReadOnlyList<Transaction>), "rows");
        var row = Expression.Parameter(typeof(Transaction), "t");

        Assert.That(() => ListAggregateExpression.Create(ListAggregateKind.Count, text), Throws.ArgumentException, "a string is not a sequence here");
        Assert.That(() => ListAggregateExpression.Create(ListAggregateKind.VarianceSample, rows), Throws.ArgumentException, "a statistic needs its method");
        Assert.That(() => ListAggregateExpression.Create(ListAggregateKind.MinBy, rows, function: Expression.Lambda(Expression.Property(row, nameof(Transaction.Merchant)), row)),
            Throws.ArgumentException, "string keys order by culture");
        Assert.That(() => ListAggregateExpression.Create(ListAggregateKind.CountDistinct, rows), Throws.ArgumentException, "rows have no value equality");
        Assert.That(() => ListAggregateExpression.Create(ListAggregateKind.Contains, rows, nullSource: ListNullSource.IsEmpty), Throws.ArgumentException);
    }

    [Test]
    public void InternAggregate_EqualAggregatesWrittenApart_AreOneNode()
    {
        var ir = new IrFactory(10_000);
        var rows = Expression.Parameter(typeof(IReadOnlyList<Transaction>), "rows");
        ListAggregateExpression SumOfAmounts(string name)
        {
            var row = Expression.Parameter(typeof(Transaction), name);
            return ListAggregateExpression.Create(ListAggregateKind.Sum, rows, selector: Expression.Lambda(Expression.Property(row, nameof(Transaction.Amount)), row));
        }

        var first = ir.InternAggregate(SumOfAmounts("a"));
        var second = ir.InternAggregate(SumOfAmounts("b"));
        var count = ir.InternAggregate(ListAggregateExpression.Create(ListAggregateKind.Count, rows));

        Assert.That(second, Is.SameAs(first));
        Assert.That(count, Is.Not.SameAs(first));
        Assert.That(first.Selector!.Parameters[0], Is.SameAs(ir.LambdaParameter(typeof(Transaction), 0)));
    }

    [Test]
    public void InternAggregate_InnerLambdaReadingTheOuterElement_IsRefused()
    {
        var ir = new IrFactory(10_000);
        var rows = Expression.Parameter(typeof(IReadOnlyList<Transaction>), "rows");
        var outer = Expression.Parameter(typeof(Transaction), "t");
        var inner = Expression.Parameter(typeof(Transaction), "u");
        var amount = typeof(Transaction).GetProperty(nameof(Transaction.Amount))!;
        var larger = ListAggregateExpression.Create(ListAggregateKind.Count, rows,
            filter: Expression.Lambda(Expression.GreaterThan(Expression.Property(inner, amount), Expression.Property(outer, amount)), inner));
        var correlated = ListAggregateExpression.Create(ListAggregateKind.Count, rows, filter: Expression.Lambda(Expression.GreaterThan(larger, Expression.Constant(1)), outer));

        Assert.That(() => ir.InternAggregate(correlated), Throws.TypeOf<LoweringFailure>().With.Property(nameof(LoweringFailure.Construct)).EqualTo("nested-aggregate"));
    }

    [TestCase(LastScan.BackwardOverArrayOrList)]
    [TestCase(LastScan.BackwardOverIList)]
    [TestCase(LastScan.Forward)]
    public void Reduce_LastWithThrowingFilter_ScansAsLinqDoesForEachCollection(LastScan scan)
    {
        var xs = Expression.Parameter(typeof(IReadOnlyList<int>), "xs");
        var x = Expression.Parameter(typeof(int), "x");
        var filter = Expression.Lambda(Expression.GreaterThan(Expression.Divide(Expression.Constant(100), x), Expression.Constant(3)), x);
        var node = ListAggregateExpression.Create(ListAggregateKind.Last, xs, filter, origin: new AggregateOrigin(LastScan: scan, ChainedQuery: scan != LastScan.BackwardOverIList));
        var reduced = Expression.Lambda<Func<IReadOnlyList<int>, int>>(node, xs).Compile();
        Func<IReadOnlyList<int>, int> linq = scan switch
        {
            LastScan.BackwardOverIList => values => values.Last(v => 100 / v > 3),
            LastScan.BackwardOverArrayOrList => values => values.Where(v => 100 / v > 3).Last(),
            _ => values => values.Select(v => v).Where(v => 100 / v > 3).Last(),
        };

        foreach (var values in new IReadOnlyList<int>[] { new[] { 0, 5 }, new List<int> { 0, 5 }, new ReadOnlyCollection<int>([0, 5]) })
            Assert.That(Outcome.Capture(() => reduced(values)), Is.EqualTo(Outcome.Capture(() => linq(values))).Using<Outcome>((a, b) => a.Matches(b)), values.GetType().Name);
        DifferentialCheck.Run(scan.ToString(), linq, reduced, 300);
    }

    [Test]
    public void Reduce_SelectThenAny_RunsTheSelectorOnlyWhereLinqDoes()
    {
        var xs = Expression.Parameter(typeof(IEnumerable<int>), "xs");
        var x = Expression.Parameter(typeof(int), "x");
        var node = ListAggregateExpression.Create(ListAggregateKind.Any, xs, selector: Expression.Lambda(Expression.Divide(Expression.Constant(1), x), x),
            origin: new AggregateOrigin(ChainedQuery: true));
        var reduced = Expression.Lambda<Func<IEnumerable<int>, bool>>(node, xs).Compile();

        DifferentialCheck.Run("Select(1 / x).Any()", (Func<IEnumerable<int>, bool>)(values => values.Select(v => 1 / v).Any()), reduced, 300);
        Assert.That(reduced(new[] { 0 }), Is.True, "an array is counted, not enumerated");
        Assert.That(() => reduced(new EnumerableOnly<int>([0])), Throws.TypeOf<DivideByZeroException>());
    }
}
