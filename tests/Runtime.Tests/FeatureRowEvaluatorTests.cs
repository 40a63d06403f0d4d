using System.Linq.Expressions;
using Dsl.Runtime.Tests.Support;
using Dsl.TestSupport;

namespace Dsl.Runtime.Tests;

public sealed class FeatureRowEvaluatorTests
{
    /// <summary>The inputs of <see cref="FeaturePlanTests.Plan"/>, all nullable (names differ in case from the plan's).</summary>
    private sealed class Inputs
    {
        public double? Subtotal { get; set; }
        public double? Discount;
        public double? TaxRate { get; set; }
        public bool? Taxable { get; set; }
        public double? Amount { get; set; }
        public int? A;
        public int? B;
    }

    /// <summary>The features of <see cref="FeaturePlanTests.Plan"/>, all nullable.</summary>
    private struct Features
    {
        public bool? Large;
        public double? Total { get; set; }
        public double? Ratio { get; set; }
        public double? LogAmount { get; set; }
        public int? Quotient;
        public int? Doubled { get; set; }
    }

    /// <summary>One object that carries its inputs and receives its (non-nullable) features.</summary>
    private sealed class Order
    {
        public double Subtotal { get; set; }
        public double? Discount { get; set; }
        public double? TaxRate { get; set; }
        public bool Taxable { get; set; }
        public double Amount { get; set; }
        public int A { get; set; }
        public int B { get; set; }
        public bool Large { get; set; }
        public double Total { get; set; }
        public double Ratio { get; set; }
        public double LogAmount { get; set; }
        public int Quotient { get; set; }
        public int Doubled { get; set; }
    }

    [Test]
    public void Evaluate_EveryRow_EqualsInvoke([Values] bool compiled)
    {
        using var batch = FeaturePlanTests.Inputs(300);
        var plan = FeaturePlanTests.Plan(compiled);
        var evaluator = plan.CreateRowEvaluator<Inputs, Features>();
        var types = plan.Inputs.Select(i => i.Type).ToArray();
        for (var row = 0; row < batch.Length; row++)
        {
            var values = plan.Inputs.Select((input, k) => Batches.Value(batch.Column(batch.Schema.GetFieldIndex(input.Name)), row, types[k])).ToArray();
            var inputs = new Inputs
            {
                Subtotal = (double?)values[0], Discount = (double?)values[1], TaxRate = (double?)values[2], Taxable = (bool?)values[3],
                Amount = (double?)values[4], A = (int?)values[5], B = (int?)values[6],
            };
            var features = new Features { Large = true, Total = -1, Quotient = 99 }; // stale values must be overwritten
            var errors = evaluator.Evaluate(inputs, ref features);
            var expected = plan.Invoke(values);
            object?[] actual = [features.Large, features.Total, features.Ratio, features.LogAmount, features.Quotient, features.Doubled];
            for (var f = 0; f < actual.Length; f++)
            {
                Assert.That(ExactComparer.AreEqual(expected.Values[f], actual[f]), Is.True,
                    $"row {row}, feature {plan.Features[f].Name}: Invoke {ExactComparer.Describe(expected.Values[f])}, typed {ExactComparer.Describe(actual[f])}");
            }
            Assert.That(errors, Is.EqualTo(expected.Errors), $"row {row}");
        }
    }

    [Test]
    public void Evaluate_OneObjectWithNonNullableMembers_WritesDefaultForAFeatureThatThrew()
    {
        var evaluator = FeaturePlanTests.Plan(compiled: true).CreateRowEvaluator<Order, Order>();
        var order = new Order { Subtotal = 200, TaxRate = 0.5, Taxable = true, A = 7, B = 0, Quotient = 5 };

        var errors = evaluator.Evaluate(order, ref order);

        Assert.That(order.Total, Is.EqualTo(300.0));
        Assert.That(order.Large, Is.True);
        Assert.That(order.Quotient, Is.Zero);
        Assert.That(order.Doubled, Is.EqualTo(-2)); // reads the null quotient as GetValueOrDefault(-1)
        Assert.That(errors.Single().Feature, Is.EqualTo("quotient"));
        Assert.That(errors.Single().ExceptionType, Is.EqualTo("System.DivideByZeroException"));
    }

    [Test]
    public void Evaluate_WithoutErrors_AllocatesNothing()
    {
        var evaluator = FeaturePlanTests.Plan(compiled: true).CreateRowEvaluator<Order, Order>();
        var order = new Order { Subtotal = 1200, Discount = 30, TaxRate = 0.2, Taxable = true, Amount = 12, A = 7, B = 2 };
        evaluator.Evaluate(order, ref order);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++) evaluator.Evaluate(order, ref order);
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
        Assert.That(order.Quotient, Is.EqualTo(3));
    }

    [Test]
    public void CreateRowEvaluator_MissingInputMember_NamesTheInput()
    {
        var plan = FeaturePlanTests.Plan(compiled: true);
        Assert.That(() => plan.CreateRowEvaluator<Features, Features>(),
            Throws.ArgumentException.With.Message.Contains("'subtotal'").And.Message.Contains("Features"));
    }

    [Test]
    public void CreateRowEvaluator_NullableFeatureIntoNonNullableMember_Throws()
    {
        Expression<Func<double, double?>> maybe = x => x > 0 ? x : null;
        var plan = FeaturePlan.Create([new PlannedFeature("total", CompiledFunctionEvaluateTests.Compiled(maybe))]);
        Assert.That(() => plan.CreateRowEvaluator<OneInput, OneOutput>(),
            Throws.ArgumentException.With.Message.Contains("OneOutput.Total is double").And.Message.Contains("declare the member as double?"));
    }

    private sealed class OneInput
    {
        public double X { get; init; }
    }

    private sealed class OneOutput
    {
        public double Total { get; set; }
    }
}
