using Dsl.Codegen.Aggregation;

namespace Dsl.Codegen.Tests.Aggregation;

/// <summary>A reused parent-state array starts zeroed, of the length asked for, and is never handed out twice at once.</summary>
public sealed class StatePoolTests
{
    [Test]
    public void Rent_AfterReturn_GivesTheArrayBackCleared_AndNeverTwiceAtOnce()
    {
        var pool = new StatePool();
        var first = pool.Rent<long>(100);
        first.AsSpan().Fill(7);
        pool.Return(first);
        var again = pool.Rent<long>(100);
        var meanwhile = pool.Rent<long>(100);
        Assert.Multiple(() =>
        {
            Assert.That(again, Is.SameAs(first), "the spare is reused");
            Assert.That(again, Is.All.EqualTo(0L), "and cleared");
            Assert.That(meanwhile, Is.Not.SameAs(first), "a taken array is not handed out again");
            Assert.That(pool.Rent<long>(99), Has.Length.EqualTo(99), "another length is a new array");
            Assert.That(pool.Rent<int>(100), Has.Length.EqualTo(100).And.All.EqualTo(0), "another element type is a new array");
        });
    }
}
