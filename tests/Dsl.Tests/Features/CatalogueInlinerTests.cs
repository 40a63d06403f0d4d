using Dsl.Runtime;

namespace Dsl.Tests.Features;

public sealed class CatalogueInlinerTests
{
    public sealed class Order
    {
        public double Amount { get; set; }
        public int Quantity { get; set; }
        public string Country { get; set; } = "";
        public double Clamped { get; set; }
        public int Ratio { get; set; }
        public string Code { get; set; } = "";
    }

    private static FeatureVerdict Verdict(Action<FeatureSetBuilder<Order>> define, string feature) =>
        new FeatureSet<Order>(define).Compile().Verdicts.Single(v => v.Feature == feature);

    [Test]
    public void Compile_StringExpressionCallingTheCatalogueOnPlainArguments_Compiles()
    {
        var verdict = Verdict(f => f.Define(o => o.Clamped, "F.Clamp(amount * 2, 0, 100)"), "Clamped");

        Assert.That(verdict.Mode, Is.EqualTo(ExecutionMode.Compiled), verdict.Reason);
    }

    [Test]
    public void Compile_UnderscoreExpressionCallingTheCatalogue_Compiles()
    {
        var verdict = Verdict(f => f.Define(o => o.Code, _ => F.Upper(_.Country)), "Code");

        Assert.That(verdict.Mode, Is.EqualTo(ExecutionMode.Compiled), verdict.Reason);
    }

    [Test]
    public void Compile_CatalogueCallOverADivisionByAConstant_CompilesUnlessTheDivisorCanThrow()
    {
        // x / 2 never throws, so it may be substituted into the body; x / -1 overflows at int.MinValue and stays an argument.
        Assert.That(Verdict(f => f.Define(o => o.Ratio, _ => F.Clamp(_.Quantity / 2, 0, 10)), "Ratio").Mode, Is.EqualTo(ExecutionMode.Compiled));
        Assert.That(Verdict(f => f.Define(o => o.Ratio, _ => F.Clamp(_.Quantity % 7, 0, 10)), "Ratio").Mode, Is.EqualTo(ExecutionMode.Compiled));
        Assert.That(Verdict(f => f.Define(o => o.Ratio, _ => F.Clamp(_.Quantity / -1, 0, 10)), "Ratio").Mode, Is.EqualTo(ExecutionMode.Fallback));
    }

    [Test]
    public void Evaluate_ArgumentThatCanThrow_KeepsTheEagerCallSemantics()
    {
        // Both arms are arguments, evaluated before the call: 10 / 0 throws even though the condition is false.
        var features = new FeatureSet<Order>(f => f.Define(o => o.Ratio, "F.IfThenElse(quantity != 0, 10 / quantity, 0)")).Compile();

        var row = features.Evaluate(new Order { Quantity = 0 });

        Assert.That(row.Errors.Select(e => e.ExceptionType), Is.EqualTo(new[] { "System.DivideByZeroException" }));
        Assert.That(features.Evaluate(new Order { Quantity = 5 })["Ratio"], Is.EqualTo(2));
    }
}
