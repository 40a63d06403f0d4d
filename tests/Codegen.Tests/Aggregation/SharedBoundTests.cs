using System.Linq.Expressions;
using Dsl.Codegen.Aggregation;

namespace Dsl.Codegen.Tests.Aggregation;

/// <summary>
/// Per-parent bounds computed the same way from the same kernel locals are one bound (W5's three aggregates filtering on
/// one <c>Now − 30d</c>); another local, constant or operation is a bound of its own.
/// </summary>
public sealed class SharedBoundTests
{
    [Test]
    public void SameTicksFromTheSameLocals_ShareOneBound_OthersDoNot()
    {
        var scope = new KernelScope([], [], null);
        var first = Expression.Variable(typeof(long[]), "first");
        var second = Expression.Variable(typeof(long[]), "second");
        Expression Ticks(ParameterExpression column, long minus) => Expression.Subtract(Expression.ArrayIndex(column, scope.Parent), Expression.Constant(minus));

        var bound = scope.Shared(Ticks(first, 5), mayThrow: false);
        Assert.Multiple(() =>
        {
            Assert.That(scope.Shared(Ticks(first, 5), mayThrow: false), Is.SameAs(bound), "the same code, built again");
            Assert.That(scope.Shared(Ticks(second, 5), mayThrow: false), Is.Not.SameAs(bound), "another column with the same shape");
            Assert.That(scope.Shared(Ticks(first, 6), mayThrow: false), Is.Not.SameAs(bound), "another constant");
            Assert.That(scope.Shared(Expression.Add(Expression.ArrayIndex(first, scope.Parent), Expression.Constant(5L)), mayThrow: false), Is.Not.SameAs(bound), "another operation");
            Assert.That(scope.Bounds, Has.Count.EqualTo(4));
        });
    }
}
