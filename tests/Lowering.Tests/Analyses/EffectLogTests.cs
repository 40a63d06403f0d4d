using System.Linq.Expressions;
using Dsl.Lowering.Ir;
using Dsl.Lowering.Tests.Support;

namespace Dsl.Lowering.Tests.Analyses;

[TestFixture]
public sealed class EffectLogTests
{
    [Test]
    public void Seal_SplitPartOfALoggedSplit_DoesNotReplayTheSplit()
    {
        // The Split call is logged when the interpreter meets it; the part taken from it evaluates that same
        // node first, so sealing must not add a statement that splits the string a second time.
        var ir = LoweringAssert.LowersExactly((Func<string, string>)(email => email.Split('@')[0]));

        Assert.That(ir.Body, Is.InstanceOf<SplitPartExpression>(), () => IrPrinter.Print(ir));
    }

    [Test]
    public void Seal_SplitPartWithAThrowingIndex_KeepsCSharpOrder()
    {
        // A null text throws NullReferenceException from Split before the index divides by zero.
        var ir = LoweringAssert.LowersExactly((Func<string, int, string>)((text, n) => text.Split(',')[10 / n]));

        Assert.That(ir.Body.NodeType, Is.Not.EqualTo(ExpressionType.Block), () => IrPrinter.Print(ir));
    }
}
