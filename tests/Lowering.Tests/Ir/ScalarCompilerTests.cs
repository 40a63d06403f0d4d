using System.Linq.Expressions;
using Dsl.Lowering.Ir;
using Dsl.Lowering.Tests.Support;
using Txns = System.Collections.Generic.IReadOnlyList<Dsl.TestSupport.Relations.Transaction>;

namespace Dsl.Lowering.Tests.Ir;

[TestFixture]
public sealed class ScalarCompilerTests
{
    [Test]
    public void Bind_AggregateEvaluatedBeforeASecondLoop_IsComputedOnceAndReadInsideTheLoop()
    {
        var ir = Lowerer.Lower((Func<Txns, double>)(txns =>
        {
            var mean = txns.Average(t => t.Amount);
            return txns.Sum(t => (t.Amount - mean) * (t.Amount - mean));
        })).Ir!;

        var bound = ScalarCompiler.Bind(ir);

        var block = (BlockExpression)bound.Body;
        var assignment = block.Expressions.OfType<BinaryExpression>().Single(e => e.NodeType == ExpressionType.Assign);
        Assert.That(assignment.Right, Is.InstanceOf<ListAggregateExpression>().With.Property(nameof(ListAggregateExpression.Kind)).EqualTo(ListAggregateKind.Average));
        var sum = (ListAggregateExpression)block.Result;
        Assert.That(AggregateNodes.In(sum.Selector!.Body), Is.Empty, "the mean inside the sum reads the local");
        RelationAssert.LowersExactly((Func<Txns, double>)(txns =>
        {
            var mean = txns.Average(t => t.Amount);
            return txns.Sum(t => (t.Amount - mean) * (t.Amount - mean));
        }));
    }
}
