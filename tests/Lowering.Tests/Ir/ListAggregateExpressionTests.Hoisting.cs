using System.Linq.Expressions;
using Dsl.Lowering.Ir;
using Dsl.TestSupport;
using Dsl.TestSupport.Relations;
using NUnit.Framework;
using static System.Linq.Expressions.Expression;

namespace Dsl.Lowering.Tests.Ir;

/// <summary>
/// The reduction's loop-invariant parts (computed once, on first use) and its loops over a source's exact runtime type
/// (<see cref="List{T}"/>, <c>T[]</c>): the same answers and exceptions as LINQ over every kind of collection.
/// </summary>
[TestFixture]
internal sealed class ListAggregateExpressionHoistingTests
{
    private static readonly DateTime Now = new(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary><c>rows.Where(t =&gt; t.At &gt; now - TimeSpan.FromDays(days)).Sum(t =&gt; t.Amount)</c> as a node and as LINQ.</summary>
    private static (Func<IReadOnlyList<Transaction>?, DateTime, double> Compiled, Func<IReadOnlyList<Transaction>, DateTime, double> Linq) RecentSum(double days)
    {
        var rows = Parameter(typeof(IReadOnlyList<Transaction>), "rows");
        var now = Parameter(typeof(DateTime), "now");
        var t = Parameter(typeof(Transaction), "t");
        var since = Subtract(now, Call(typeof(TimeSpan), nameof(TimeSpan.FromDays), null, Constant(days)));
        var node = ListAggregateExpression.Create(ListAggregateKind.Sum, rows,
            filter: Lambda(GreaterThan(Property(t, nameof(Transaction.At)), since), t),
            selector: Lambda(Property(t, nameof(Transaction.Amount)), t));
        var compiled = Lambda<Func<IReadOnlyList<Transaction>?, DateTime, double>>(node, rows, now).Compile();
        return (compiled, (xs, at) => xs.Where(x => x.At > at - TimeSpan.FromDays(days)).Sum(x => x.Amount));
    }

    private static List<Transaction> Rows(params (int DaysAgo, double Amount)[] rows) =>
        [.. rows.Select(r => new Transaction { At = Now.AddDays(-r.DaysAgo), Amount = r.Amount })];

    private static IEnumerable<IReadOnlyList<Transaction>> EveryCollection(List<Transaction> rows)
    {
        yield return rows;
        yield return rows.ToArray();
        yield return rows.AsReadOnly();
        yield return new DerivedList(rows);
    }

    [Test]
    public void InvariantFilterBound_OverEveryCollectionType_EqualsLinq()
    {
        var (compiled, linq) = RecentSum(30);
        var rows = Rows((1, 10.5), (40, 7), (29, 0.25), (31, 1e300), (0, -3));

        foreach (var collection in EveryCollection(rows))
        {
            Assert.That(compiled(collection, Now), Is.EqualTo(linq(collection, Now)), collection.GetType().Name);
        }
    }

    [Test]
    public void InvariantThatThrows_OverAnEmptyList_IsNeverComputed()
    {
        // DateTime.MinValue - 30 days is out of range: LINQ never computes it when there is no element to filter.
        var (compiled, linq) = RecentSum(30);

        Assert.That(Outcome.Capture(() => compiled([], DateTime.MinValue)), Is.EqualTo(Outcome.Capture(() => linq([], DateTime.MinValue))));
        Assert.That(Outcome.Capture(() => compiled([], DateTime.MinValue)).ExceptionType, Is.Null);
    }

    [Test]
    public void InvariantThatThrows_OverRows_ThrowsTheSameException()
    {
        var (compiled, linq) = RecentSum(30);
        var rows = Rows((1, 2));

        var outcome = Outcome.Capture(() => compiled(rows, DateTime.MinValue));

        Assert.That(outcome, Is.EqualTo(Outcome.Capture(() => linq(rows, DateTime.MinValue))));
        Assert.That(outcome.ExceptionType, Is.EqualTo(typeof(ArgumentOutOfRangeException).FullName));
    }

    [Test]
    public void InvariantBehindAShortCircuit_IsComputedOnlyWhereLinqComputesIt()
    {
        // t.Amount > 100 && t.At > MinValue - 30d: no row passes the first test, so the bound is never computed.
        var rows = Parameter(typeof(IReadOnlyList<Transaction>), "rows");
        var now = Parameter(typeof(DateTime), "now");
        var t = Parameter(typeof(Transaction), "t");
        var since = Subtract(now, Call(typeof(TimeSpan), nameof(TimeSpan.FromDays), null, Constant(30.0)));
        var filter = Lambda(AndAlso(GreaterThan(Property(t, nameof(Transaction.Amount)), Constant(100.0)), GreaterThan(Property(t, nameof(Transaction.At)), since)), t);
        var node = ListAggregateExpression.Create(ListAggregateKind.Count, rows, filter: filter);
        var compiled = Lambda<Func<IReadOnlyList<Transaction>, DateTime, int>>(node, rows, now).Compile();
        var small = Rows((1, 5), (2, 6));
        var large = Rows((1, 5), (2, 600));

        Assert.That(Outcome.Capture(() => compiled(small, DateTime.MinValue)), Is.EqualTo(Outcome.Capture(() => small.Count(x => x.Amount > 100 && x.At > DateTime.MinValue - TimeSpan.FromDays(30)))));
        Assert.That(Outcome.Capture(() => compiled(large, DateTime.MinValue)), Is.EqualTo(Outcome.Capture(() => large.Count(x => x.Amount > 100 && x.At > DateTime.MinValue - TimeSpan.FromDays(30)))));
        Assert.That(Outcome.Capture(() => compiled(large, DateTime.MinValue)).ExceptionType, Is.EqualTo(typeof(ArgumentOutOfRangeException).FullName));
    }

    [Test]
    public void EachReduction_ComputesItsInvariantsAfresh()
    {
        // The same compiled delegate called with another Now must not reuse the first call's bound.
        var (compiled, linq) = RecentSum(30);
        var rows = Rows((1, 1), (20, 2), (45, 4));

        Assert.That(compiled(rows, Now), Is.EqualTo(linq(rows, Now)));
        Assert.That(compiled(rows, Now.AddDays(-25)), Is.EqualTo(linq(rows, Now.AddDays(-25))));
        Assert.That(compiled(rows, Now.AddDays(-25)), Is.Not.EqualTo(compiled(rows, Now)));
    }

    [Test]
    public void ClockReads_AreNeverHoisted()
    {
        var rows = Parameter(typeof(IReadOnlyList<Transaction>), "rows");
        var t = Parameter(typeof(Transaction), "t");
        var filter = Lambda(LessThan(Property(t, nameof(Transaction.At)), Property(null, typeof(DateTime), nameof(DateTime.UtcNow))), t);
        var node = ListAggregateExpression.Create(ListAggregateKind.Count, rows, filter: filter);
        var invariants = new LoopInvariants();

        Assert.That(invariants.Hoist(node.Filter), Is.SameAs(node.Filter));
    }

    [Test]
    public void ElementDependentParts_StayInTheLoop_AndPureCallsAreHoisted()
    {
        var now = Parameter(typeof(DateTime), "now");
        var t = Parameter(typeof(Transaction), "t");
        var filter = Lambda(GreaterThan(Call(Property(t, nameof(Transaction.At)), nameof(DateTime.AddDays), null, Constant(1.0)),
            Call(now, nameof(DateTime.AddDays), null, Constant(-7.0))), t);
        var invariants = new LoopInvariants();

        var hoisted = invariants.Hoist(filter)!;

        Assert.That(invariants.Variables.Count(), Is.EqualTo(2), "one value and its flag: only now.AddDays(-7) is invariant");
        Assert.That(hoisted.ToString(), Does.Contain("t.At.AddDays(1)"));
    }

    /// <summary>A list of a type derived from <see cref="List{T}"/>: not exactly a list, so read through <see cref="IList{T}"/>.</summary>
    private sealed class DerivedList(IEnumerable<Transaction> rows) : List<Transaction>(rows);
}
