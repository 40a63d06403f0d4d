using System.Linq.Expressions;
using Dsl.Lowering.Intrinsics;
using Dsl.Lowering.Ir;
using NUnit.Framework;

namespace Dsl.Lowering.Tests.Intrinsics;

[TestFixture]
internal sealed class EnumerableIntrinsicsTests
{
    private static readonly ParameterExpression s_xs = Expression.Parameter(typeof(double[]), "xs");

    [Test]
    public void TryLower_WhereThenSum_FoldsIntoOneAggregate()
    {
        Expression<Func<double[], double>> original = xs => xs.Where(x => x > 0).Select(x => x * 2).Sum();

        var (ir, _) = IntrinsicRewriter.Rewrite(original);

        var aggregate = ir.Body as ListAggregateExpression;
        Assert.That(aggregate, Is.Not.Null);
        Assert.That(aggregate!.Kind, Is.EqualTo(ListAggregateKind.Sum));
        Assert.That(aggregate.Filter, Is.Not.Null);
        Assert.That(aggregate.Selector, Is.Not.Null);
    }

    [Test]
    public void TryLower_DelegateConstantInsteadOfLambda_IsRefused()
    {
        var where = typeof(Enumerable).GetMethods().First(m => m.Name == nameof(Enumerable.Where) && m.GetParameters()[1].ParameterType.GetGenericArguments().Length == 2)
            .MakeGenericMethod(typeof(double));
        Func<double, bool> positive = x => x > 0;

        var answer = IntrinsicTable.TryLower(where, null, [s_xs, Expression.Constant(positive)]);

        Assert.That(answer.Unsupported?.Construct, Is.EqualTo("linq-lambda"));
    }

    [Test]
    public void ListQuery_NotAggregated_ReducesToRealLinq()
    {
        Expression<Func<double[], IEnumerable<double>>> original = xs => xs.Where(x => x > 1);

        var (ir, _) = IntrinsicRewriter.Rewrite(original);
        var filtered = ((Func<double[], IEnumerable<double>>)ir.Compile())([0.5, 2.0, double.NaN, 3.0]);

        Assert.That(ir.Body, Is.InstanceOf<ListQueryExpression>());
        Assert.That(filtered, Is.EqualTo(new[] { 2.0, 3.0 }));
    }

    [Test]
    public void TryLowerArrayElement_SplitResult_GivesSplitPart()
    {
        var s = Expression.Parameter(typeof(string), "s");
        var split = Expression.Call(s, typeof(string).GetMethod(nameof(string.Split), [typeof(char), typeof(StringSplitOptions)])!,
            Expression.Constant(','), Expression.Constant(StringSplitOptions.None));

        var part = IntrinsicTable.TryLowerArrayElement(split, Expression.Constant(1));
        var compiled = Expression.Lambda<Func<string, string>>(part!, s).Compile();

        Assert.That(part, Is.InstanceOf<SplitPartExpression>());
        Assert.That(compiled("a,b,c"), Is.EqualTo("b"));
        Assert.That(() => compiled("a"), Throws.TypeOf<IndexOutOfRangeException>());
    }

    [Test]
    public void TryLowerArrayElement_OtherArray_IsNull()
    {
        Assert.That(IntrinsicTable.TryLowerArrayElement(s_xs, Expression.Constant(0)), Is.Null);
    }
}
