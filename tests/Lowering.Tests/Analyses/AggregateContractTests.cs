using Dsl.Lowering.Tests.Support;
using Dsl.TestSupport.Relations;
using Txns = System.Collections.Generic.IReadOnlyList<Dsl.TestSupport.Relations.Transaction>;

namespace Dsl.Lowering.Tests.Analyses;

/// <summary>What the aggregate contract refuses, from the CIL front end, with its construct.</summary>
[TestFixture]
public sealed class AggregateContractTests
{
    [Test]
    public void Lower_AggregateOverAChosenList_FallsBackAsRelationSource()
    {
        var reason = LoweringAssert.FallsBack((Func<Txns, Txns, bool, double>)((a, b, pickA) => (pickA ? a : b).Sum(t => t.Amount)), "relation-source");
        Assert.That(reason.Message, Does.Contain("parameter"));
    }

    [Test]
    public void Lower_CorrelatedNestedAggregate_FallsBackAsNestedAggregateAtItsLine()
    {
        var reason = LoweringAssert.FallsBack((Func<Txns, int>)(txns => txns.Count(t => txns.Count(u => u.Amount > t.Amount) > 1)), "nested-aggregate");
        Assert.That(reason.IlOffset, Is.Not.Null);
        Assert.That(reason.SourceFile, Does.EndWith("AggregateContractTests.cs"));
    }

    [Test]
    public void Lower_RowsComparedByReference_FallsBackAsEntityUse() =>
        LoweringAssert.FallsBack((Func<Txns, bool>)(txns => txns.First() == txns.Last()), "entity-use");

    [Test]
    public void Lower_RowPassedToAMethod_FallsBack()
    {
        var reason = LoweringAssert.FallsBack((Func<Txns, string>)(txns => txns.First().ToString()), "virtual-call");
        Assert.That(reason.Message, Does.Contain("ToString"));
    }

    [Test]
    public void Lower_UncorrelatedNestedAggregate_Lowers() =>
        RelationAssert.LowersExactly((Func<Txns, int>)(txns => txns.Count(t => t.Amount > txns.Average(u => u.Amount))));
}
