using System.Linq.Expressions;
using Dsl.Lowering.Ir;
using Dsl.TestSupport;
using NUnit.Framework;

namespace Dsl.Lowering.Tests.Ir;

[TestFixture]
internal sealed class ListAggregateExpressionTests
{
    private static Outcome Run<T>(ListAggregateExpression node, ParameterExpression source, T[]? values) =>
        Outcome.Capture(() => Expression.Lambda(node, source).Compile().DynamicInvoke([values]));

    [Test]
    public void Reduce_IntSumWhoseLanesOverflow_ThrowsLikeLinq()
    {
        // Sequentially MaxValue - MaxValue + MaxValue fits; LINQ's vectorized lanes see MaxValue + MaxValue and throw.
        var values = new int[64];
        values[0] = int.MaxValue;
        values[1] = -int.MaxValue;
        values[8] = int.MaxValue;
        var xs = Expression.Parameter(typeof(int[]), "xs");
        var node = ListAggregateExpression.Create(ListAggregateKind.Sum, xs);

        Assert.That(Run(node, xs, values), Is.EqualTo(Outcome.Capture(() => values.Sum())));
        Assert.That(node.CallsEnumerableDirectly, Is.True);
    }

    [TestCase(ListNullSource.ThrowsArgumentNull, "System.ArgumentNullException")]
    [TestCase(ListNullSource.ThrowsNullReference, "System.NullReferenceException")]
    [TestCase(ListNullSource.IsEmpty, null)]
    public void Reduce_NullSource_FollowsOrigin(ListNullSource origin, string? exceptionType)
    {
        var xs = Expression.Parameter(typeof(double[]), "xs");
        var node = ListAggregateExpression.Create(ListAggregateKind.Contains, xs, argument: Expression.Constant(1.0), nullSource: origin);

        var outcome = Run<double>(node, xs, null);

        Assert.That(outcome.ExceptionType, Is.EqualTo(exceptionType));
    }

    [Test]
    public void Reduce_AverageOfNegativeZero_DependsOnWhetherLinqEnumerates()
    {
        var xs = Expression.Parameter(typeof(double[]), "xs");
        var x = Expression.Parameter(typeof(double), "x");
        var direct = ListAggregateExpression.Create(ListAggregateKind.Average, xs);
        var filtered = ListAggregateExpression.Create(ListAggregateKind.Average, xs, filter: Expression.Lambda(Expression.Constant(true), x));
        double[] values = [-0.0];

        Assert.That(Run(direct, xs, values), Is.EqualTo(Outcome.Capture(() => values.Average())).Using<Outcome>(Same));
        Assert.That(Run(filtered, xs, values), Is.EqualTo(Outcome.Capture(() => values.Where(_ => true).Average())).Using<Outcome>(Same));
    }

    [Test]
    public void Reduce_FoldAsLoop_WrapsAroundLikeUncheckedAddition()
    {
        var xs = Expression.Parameter(typeof(int[]), "xs");
        var acc = Expression.Parameter(typeof(int), "acc");
        var x = Expression.Parameter(typeof(int), "x");
        var node = ListAggregateExpression.Create(ListAggregateKind.Fold, xs, argument: Expression.Constant(0),
            function: Expression.Lambda(Expression.Add(acc, x), acc, x), nullSource: ListNullSource.ThrowsNullReference);

        var outcome = Run(node, xs, new[] { int.MaxValue, 1 });

        Assert.That(outcome.Value, Is.EqualTo(int.MinValue));
    }

    [Test]
    public void Create_FilterOfWrongType_Throws()
    {
        var xs = Expression.Parameter(typeof(double[]), "xs");
        var wrong = Expression.Lambda(Expression.Constant(true), Expression.Parameter(typeof(int), "i"));

        Assert.That(() => ListAggregateExpression.Create(ListAggregateKind.Count, xs, filter: wrong), Throws.ArgumentException);
    }

    [Test]
    public void Create_SumOverStrings_Throws()
    {
        var xs = Expression.Parameter(typeof(string[]), "xs");

        Assert.That(() => ListAggregateExpression.Create(ListAggregateKind.Sum, xs), Throws.ArgumentException);
    }

    [Test]
    public void VisitChildren_RewrittenSource_GivesNewNodeOfSameKind()
    {
        var xs = Expression.Parameter(typeof(double[]), "xs");
        var ys = Expression.Parameter(typeof(double[]), "ys");
        var node = ListAggregateExpression.Create(ListAggregateKind.Max, xs);

        var visited = new Replace(xs, ys).Visit(node);

        Assert.That(visited, Is.InstanceOf<ListAggregateExpression>().With.Property(nameof(ListAggregateExpression.Source)).SameAs(ys));
        Assert.That(((ListAggregateExpression)visited).Kind, Is.EqualTo(ListAggregateKind.Max));
    }

    [Test]
    public void ToString_FilteredSum_ReadsLikeLinq()
    {
        var xs = Expression.Parameter(typeof(double[]), "xs");
        var x = Expression.Parameter(typeof(double), "x");
        var node = ListAggregateExpression.Create(ListAggregateKind.Sum, xs, filter: Expression.Lambda(Expression.GreaterThan(x, Expression.Constant(0.0)), x));

        Assert.That(node.ToString(), Is.EqualTo("xs.Where(x => (x > 0)).Sum()"));
    }

    private static bool Same(Outcome a, Outcome b) => a.Matches(b);

    private sealed class Replace(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
    }
}
