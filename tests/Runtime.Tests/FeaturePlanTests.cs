using System.Linq.Expressions;
using Apache.Arrow;
using Dsl.Runtime.Tests.Support;
using Dsl.TestSupport;

namespace Dsl.Runtime.Tests;

public sealed class FeaturePlanTests
{
    private static CompiledFunction Compiled(LambdaExpression function) => CompiledFunctionEvaluateTests.Compiled(function);

    private static CompiledFunction FellBack(LambdaExpression function) =>
        new(function.Compile(), null, "test fallback", CompileOptions.Default, function.Parameters.Select(p => p.Name!).ToArray());

    private static readonly Expression<Func<double, double, double>> LogRatio = (amount, subtotal) => Math.Log(1 + amount) / subtotal;
    private static readonly Expression<Func<double, double>> LogAmount = amount => Math.Log(1 + amount) * 2;
    private static readonly Expression<Func<double, bool>> IsLarge = total => total > 100;
    private static readonly Expression<Func<int, int, int>> Divide = (a, b) => a / b;
    private static readonly Expression<Func<int?, int>> DoubleIt = quotient => quotient.GetValueOrDefault(-1) * 2;

    internal static FeaturePlan Plan(bool compiled) => FeaturePlan.Create(
    [
        new PlannedFeature("large", compiled ? Compiled(IsLarge) : FellBack(IsLarge)),   // reads "total", defined below
        new PlannedFeature("total", Compiled(CompiledFunctionOnlineTestsTotal())),
        new PlannedFeature("ratio", compiled ? Compiled(LogRatio) : FellBack(LogRatio)),
        new PlannedFeature("logAmount", Compiled(LogAmount)),
        new PlannedFeature("quotient", Compiled(Divide)),
        new PlannedFeature("doubled", compiled ? Compiled(DoubleIt) : FellBack(DoubleIt)),
    ]);

    private static LambdaExpression CompiledFunctionOnlineTestsTotal() => Corpus.Total;

    internal static RecordBatch Inputs(int rows)
    {
        var random = new Random(7);
        var data = Enumerable.Range(0, rows).Select(i => new object?[]
        {
            random.Next(10) == 0 ? null : random.NextDouble() * 2000,          // subtotal
            random.Next(3) == 0 ? null : random.NextDouble() * 100,            // discount
            random.Next(5) == 0 ? null : random.NextDouble() * 0.3,            // taxRate
            random.Next(10) < 7,                                                // taxable
            random.Next(10) == 0 ? double.NaN : random.NextDouble() * 500 - 50, // amount
            random.Next(-5, 5),                                                 // a
            random.Next(-2, 3),                                                 // b
        }).ToArray();
        return Batches.FromRows(
            [("subtotal", typeof(double)), ("discount", typeof(double)), ("taxRate", typeof(double)), ("taxable", typeof(bool)),
             ("amount", typeof(double)), ("a", typeof(int)), ("b", typeof(int))], data);
    }

    [Test]
    public void Create_FeatureReadingALaterFeature_OrdersDependenciesFirst()
    {
        var plan = Plan(compiled: true);
        var order = plan.EvaluationOrder.ToList();
        Assert.That(order.IndexOf("total"), Is.LessThan(order.IndexOf("large")));
        Assert.That(order.IndexOf("quotient"), Is.LessThan(order.IndexOf("doubled")));
        Assert.That(plan.Inputs.Select(i => i.Name), Is.EqualTo(new[] { "subtotal", "discount", "taxRate", "taxable", "amount", "a", "b" }));
    }

    [Test]
    public void Create_Cycle_ThrowsNamingTheCycle()
    {
        Expression<Func<double, double>> fromB = b => b + 1;
        Expression<Func<double, double>> fromA = a => a * 2;
        Assert.That(() => FeaturePlan.Create([new PlannedFeature("a", Compiled(fromB)), new PlannedFeature("b", Compiled(fromA))]),
            Throws.ArgumentException.With.Message.Contains("a → b → a"));
    }

    [Test]
    public void Create_DuplicateName_Throws()
    {
        Expression<Func<double, double>> f = x => x;
        Assert.That(() => FeaturePlan.Create([new PlannedFeature("y", Compiled(f)), new PlannedFeature("y", Compiled(f))]),
            Throws.ArgumentException.With.Message.Contains("'y'"));
    }

    [Test]
    public void Create_BindingOfUnknownParameter_Throws()
    {
        Expression<Func<double, double>> f = x => x;
        Assert.That(() => FeaturePlan.Create([new PlannedFeature("y", Compiled(f), new Dictionary<string, string> { ["z"] = "col" })]),
            Throws.ArgumentException.With.Message.Contains("'z'"));
    }

    [Test]
    public void Create_CostlySubexpressionInTwoFeatures_IsSharedOnce()
    {
        var plan = Plan(compiled: true);
        Assert.That(plan.SharedSubexpressions, Has.Count.EqualTo(1));
        Assert.That(plan.SharedSubexpressions[0], Does.Contain("Log").And.Contain("amount"));
    }

    [Test]
    public void Evaluate_Plan_EqualsEachFeatureAloneOverItsInputs([Values] bool compiled, [Values(1, 2)] int threads)
    {
        using var batch = Inputs(1000);
        var plan = Plan(compiled);
        using var result = plan.Evaluate(batch, new EvaluateOptions { Threads = threads, MorselSize = 128 });

        Assert.That(result.Output.Schema.FieldsList.Select(f => f.Name), Is.EqualTo(new[] { "large", "total", "ratio", "logAmount", "quotient", "doubled" }));
        Assert.That(result.Output.Length, Is.EqualTo(1000));

        // Each feature alone, over the batch plus the columns of the features it reads.
        using var total = Compiled(Corpus.Total).Evaluate(batch);
        using var quotient = Compiled(Divide).Evaluate(batch);
        AssertColumn(result, "total", total.Values, typeof(double));
        AssertColumn(result, "quotient", quotient.Values, typeof(int));
        Assert.That(result.Errors["quotient"], Is.EqualTo(quotient.Errors));
        Assert.That(result.Errors["total"], Is.Empty);
        foreach (var (name, function, input) in new (string, LambdaExpression, IArrowArray?)[]
        {
            ("ratio", LogRatio, null), ("logAmount", LogAmount, null), ("large", IsLarge, total.Values), ("doubled", DoubleIt, quotient.Values),
        })
        {
            using var extended = input is null ? null : WithColumn(batch, function.Parameters[0].Name!, input);
            using var alone = Compiled(function).Evaluate(extended ?? batch);
            AssertColumn(result, name, alone.Values, function.ReturnType);
        }
    }

    [Test]
    public void Evaluate_BatchesOfOneSchemaObject_EachEqualsAFreshPlansAndIsValidatedEveryTime()
    {
        // A plan keeps the binding of the last schema object it saw (online queries evaluate a new one-row batch of the same schema
        // every time): later batches of that schema must still give a fresh plan's results, and still have their columns checked.
        var plan = Plan(compiled: true);
        using var first = Inputs(300);
        using (plan.Evaluate(first)) { }
        foreach (var rows in new[] { 1, 37, 300 })
        {
            using var source = Inputs(rows + 5);
            var sameSchema = new RecordBatch(first.Schema, source.Arrays.Select(a => ArrowArrayFactory.BuildArray(a.Data.Slice(5, rows))), rows);
            using var reused = plan.Evaluate(sameSchema);
            using var fresh = Plan(compiled: true).Evaluate(sameSchema);
            foreach (var field in fresh.Output.Schema.FieldsList)
            {
                var index = fresh.Output.Schema.GetFieldIndex(field.Name);
                Assert.That(Describe(reused.Output.Column(index)), Is.EqualTo(Describe(fresh.Output.Column(index))), $"{rows} rows, {field.Name}");
                Assert.That(reused.Errors[field.Name], Is.EqualTo(fresh.Errors[field.Name]), $"{rows} rows, {field.Name}");
            }
        }

        // A column shorter than the batch, under the schema object the plan has bound: still refused before anything is read.
        var shortColumn = new RecordBatch(first.Schema, first.Arrays.Select((a, i) => i == 4 ? ArrowArrayFactory.BuildArray(a.Data.Slice(0, 10)) : a), first.Length);
        Assert.That(() => plan.Evaluate(shortColumn), Throws.TypeOf<Dsl.ArrowExtensions.ArrowValidationException>().With.Message.Contains("amount"));

        // Another schema object, with a column of another type: bound afresh, so refused as a fresh plan refuses it.
        var fields = first.Schema.FieldsList.Select(f => f.Name == "a" ? new Field("a", Apache.Arrow.Types.Int64Type.Default, true) : f);
        var longs = new Int64Array.Builder().AppendRange(Enumerable.Range(0, first.Length).Select(i => (long)i)).Build();
        var otherType = new RecordBatch(new Schema(fields, null), first.Arrays.Select((a, i) => first.Schema.FieldsList[i].Name == "a" ? longs : a), first.Length);
        Assert.That(() => plan.Evaluate(otherType), Throws.TypeOf<ColumnBindingException>().With.Message.Contains("'a'"));
        using var again = plan.Evaluate(first);
        Assert.That(again.Output.Length, Is.EqualTo(300));
    }

    [Test]
    public void Evaluate_FallbackMode_EqualsAutoMode()
    {
        using var batch = Inputs(500);
        var plan = Plan(compiled: true);
        using var auto = plan.Evaluate(batch);
        using var fallback = plan.Evaluate(batch, new EvaluateOptions { Mode = EvaluationMode.Fallback, Threads = 1 });
        Assert.That(fallback.Modes.Values, Is.All.EqualTo(ExecutionMode.Fallback));
        Assert.That(auto.Modes["ratio"], Is.EqualTo(ExecutionMode.Compiled));
        foreach (var field in auto.Output.Schema.FieldsList)
        {
            var index = auto.Output.Schema.GetFieldIndex(field.Name);
            Assert.That(Describe(fallback.Output.Column(index)), Is.EqualTo(Describe(auto.Output.Column(index))), field.Name);
            Assert.That(fallback.Errors[field.Name], Is.EqualTo(auto.Errors[field.Name]), field.Name);
        }
    }

    [Test]
    public void Evaluate_CompiledModeWithAFallbackFeature_ThrowsNamingTheFeature()
    {
        using var batch = Inputs(10);
        Assert.That(() => Plan(compiled: false).Evaluate(batch, new EvaluateOptions { Mode = EvaluationMode.Compiled }),
            Throws.TypeOf<FunctionNotCompiledException>().With.Message.Contains("'large'"));
    }

    [Test]
    public void Evaluate_MissingInputColumn_ThrowsBeforeAnyWork()
    {
        Expression<Func<double, double>> f = missing => missing;
        using var batch = Inputs(10);
        Assert.That(() => FeaturePlan.Create([new PlannedFeature("y", Compiled(f))]).Evaluate(batch),
            Throws.TypeOf<ColumnBindingException>().With.Message.Contains("'missing'").And.Message.Contains("subtotal"));
    }

    [Test]
    public void Evaluate_FeatureOfWrongTypeForItsReader_ThrowsNamingBoth()
    {
        Expression<Func<double, string>> text = subtotal => subtotal.ToString();
        Expression<Func<double, double>> reader = label => label;
        var plan = FeaturePlan.Create([new PlannedFeature("label", Compiled(text)), new PlannedFeature("y", Compiled(reader))]);
        using var batch = Inputs(10);
        Assert.That(() => plan.Evaluate(batch),
            Throws.TypeOf<ColumnBindingException>().With.Message.Contains("'y'").And.Message.Contains("utf8").And.Message.Contains("double"));
    }

    [Test]
    public void Invoke_OneRow_EqualsTheBatchRow([Values] bool compiled)
    {
        using var batch = Inputs(300);
        var plan = Plan(compiled);
        using var result = plan.Evaluate(batch);
        var types = plan.Inputs.Select(i => i.Type).ToArray();
        for (var row = 0; row < batch.Length; row++)
        {
            var inputs = plan.Inputs.Select((input, k) => Batches.Value(batch.Column(batch.Schema.GetFieldIndex(input.Name)), row, types[k])).ToArray();
            var online = plan.Invoke(inputs);
            for (var f = 0; f < plan.Features.Count; f++)
            {
                var expected = Batches.Value(result.Output.Column(f), row, plan.Features[f].Function.ReturnType);
                Assert.That(ExactComparer.AreEqual(expected, online.Values[f]), Is.True,
                    $"row {row}, feature {plan.Features[f].Name}: batch {ExactComparer.Describe(expected)}, online {ExactComparer.Describe(online.Values[f])}");
            }
            var batchErrors = result.Errors.Where(e => e.Value.Any(r => r.Row == row)).Select(e => e.Key).ToHashSet();
            Assert.That(online.Errors.Select(e => e.Feature).ToHashSet(), Is.EquivalentTo(batchErrors), $"row {row}");
        }
    }

    [Test]
    public void Invoke_ByName_FindsInputsIgnoringCase()
    {
        var plan = Plan(compiled: true);
        var row = plan.Invoke(new Dictionary<string, object?>
        {
            ["SUBTOTAL"] = 200.0, ["discount"] = null, ["taxRate"] = 0.5, ["taxable"] = true, ["amount"] = 0.0, ["a"] = 7, ["b"] = 0,
        });
        Assert.That(row["total"], Is.EqualTo(300.0));
        Assert.That(row["large"], Is.EqualTo(true));
        Assert.That(row["quotient"], Is.Null);
        Assert.That(row["doubled"], Is.EqualTo(-2));
        Assert.That(row.Errors.Single().ExceptionType, Is.EqualTo("System.DivideByZeroException"));
    }

    private static void AssertColumn(FeatureSetResult result, string name, IArrowArray expected, Type type) =>
        Assert.That(Batches.Values(result.Output.Column(result.Output.Schema.GetFieldIndex(name)), type), Is.EqualTo(Batches.Values(expected, type)), name);

    private static string[] Describe(IArrowArray array) =>
        Enumerable.Range(0, array.Length).Select(i => ExactComparer.Describe(Batches.Value(array, i, typeof(object)))).ToArray();

    /// <summary>The batch plus a copy of <paramref name="column"/> under <paramref name="name"/>.</summary>
    private static RecordBatch WithColumn(RecordBatch batch, string name, IArrowArray column)
    {
        var fields = batch.Schema.FieldsList.Append(new Field(name, column.Data.DataType, nullable: true));
        var arrays = batch.Arrays.Append(column);
        return new RecordBatch(new Schema(fields, null), arrays, batch.Length);
    }
}
