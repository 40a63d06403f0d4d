using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.TestSupport.Columns;
using Dsl.Runtime;
using Dsl.Samples;

namespace Dsl.Tests.Features;

public sealed class CompiledFeatureSetTests
{
    private static readonly (double Subtotal, double? Discount, double? TaxRate, bool Taxable, string? Email)[] Rows =
    [
        (1200, null, 0.2, true, "Ann.Lee+shop@Gmail.com"),
        (999.99, 10, null, true, "bob@example.com"),
        (50, 80, 0.1, true, "x@gmail.com"),
        (1500, 100, 0.5, false, null),
        (double.NaN, null, 0.1, true, "é@mail.net"),
        (-0.0, double.PositiveInfinity, double.NaN, true, ""),
        (double.MaxValue, null, 1.0, true, "a.b.c@gmail.com"),
    ];

    private static RecordBatch Batch()
    {
        var schema = new Schema([
            new Field("Subtotal", DoubleType.Default, true), new Field("Discount", DoubleType.Default, true),
            new Field("TaxRate", DoubleType.Default, true), new Field("Taxable", BooleanType.Default, true),
            new Field("Email", StringType.Default, true),
        ], null);
        var taxable = new BooleanArray.Builder();
        foreach (var row in Rows) taxable.Append(row.Taxable);
        return new RecordBatch(schema, [
            new DoubleArray.Builder().AppendRange(Rows.Select(r => r.Subtotal)).Build(),
            new DoubleArray.Builder().AppendNullable(Rows.Select(r => r.Discount)).Build(),
            new DoubleArray.Builder().AppendNullable(Rows.Select(r => r.TaxRate)).Build(),
            taxable.Build(),
            new StringArray.Builder().AppendRange(Rows.Select(r => r.Email)).Build(),
        ], Rows.Length);
    }

    [Test]
    public void Compile_SampleTransactions_CompilesIsExpensiveAndTotal()
    {
        var features = new TransactionFeatures().Compile();

        Assert.That(features.Verdicts.Select(v => v.Feature), Is.EquivalentTo(new[] { "IsExpensive", "Total", "EmailUsername", "LargeTaxableTotal" }));
        Assert.That(features.Verdicts.Single(v => v.Feature == "IsExpensive").Mode, Is.EqualTo(ExecutionMode.Compiled));
        Assert.That(features.Verdicts.Single(v => v.Feature == "Total").Mode, Is.EqualTo(ExecutionMode.Compiled),
            features.Verdicts.Single(v => v.Feature == "Total").Reason);
        Assert.That(features.Verdicts.Where(v => !v.IsCompiled).Select(v => v.Reason), Has.All.Not.Empty);
    }

    [TestCase(EvaluationMode.Auto)]
    [TestCase(EvaluationMode.Fallback)]
    public void Evaluate_Batch_EqualsCallingTheDefinitionsRowByRow(EvaluationMode mode)
    {
        var features = new TransactionFeatures().Compile();
        using var batch = Batch();

        using var result = features.Evaluate(batch, new EvaluateOptions { Mode = mode });

        var total = (DoubleArray)result.Output.Column("Total");
        var expensive = (BooleanArray)result.Output.Column("IsExpensive");
        var username = (StringArray)result.Output.Column("EmailUsername");
        var large = (BooleanArray)result.Output.Column("LargeTaxableTotal");
        for (var i = 0; i < Rows.Length; i++)
        {
            var row = Rows[i];
            var expectedTotal = TransactionFeatures.Total(row.Subtotal, row.Discount, row.TaxRate, row.Taxable);
            Assert.That(BitConverter.DoubleToInt64Bits(total.Values[i]), Is.EqualTo(BitConverter.DoubleToInt64Bits(expectedTotal)), $"Total, row {i}");
            Assert.That(expensive.GetValue(i), Is.EqualTo(row.Subtotal > 1000), $"IsExpensive, row {i}");
            Assert.That(large.GetValue(i), Is.EqualTo(expectedTotal > 1000 && row.Taxable), $"LargeTaxableTotal, row {i}");
            Assert.That(username.GetString(i), Is.EqualTo(row.Email is null ? null : TransactionFeatures.EmailUsername(row.Email)), $"EmailUsername, row {i}");
        }
        Assert.That(result.Errors["EmailUsername"].Select(e => (e.Row, e.ExceptionType)), Is.EqualTo(new[] { (3, "System.NullReferenceException") }));
        Assert.That(result.Errors["Total"], Is.Empty);
    }

    [Test]
    public void Evaluate_Entity_GivesTheSameValuesOnline()
    {
        var features = new TransactionFeatures().Compile();
        var transaction = new Transaction { Subtotal = 1200, Discount = 100, TaxRate = 0.2, Taxable = true, Email = "Ann.Lee+x@gmail.com" };

        var row = features.Evaluate(transaction);

        Assert.That(row["Total"], Is.EqualTo(TransactionFeatures.Total(1200, 100, 0.2, true)));
        Assert.That(row["IsExpensive"], Is.EqualTo(true));
        Assert.That(row["EmailUsername"], Is.EqualTo("annlee"));
        Assert.That(row["LargeTaxableTotal"], Is.EqualTo(true));
        Assert.That(row.Errors, Is.Empty);
    }

    [Test]
    public void Evaluate_EntityWhoseResolverThrows_ReportsTheErrorAndANullValue()
    {
        var features = new TransactionFeatures().Compile();

        var row = features.Evaluate(new Transaction { Subtotal = 10, Email = null! });

        Assert.That(row["EmailUsername"], Is.Null);
        Assert.That(row.Errors.Select(e => (e.Feature, e.ExceptionType)), Is.EqualTo(new[] { ("EmailUsername", "System.NullReferenceException") }));
    }

    [Test]
    public void Evaluate_EntityOfAnotherType_ThrowsArgumentException()
    {
        CompiledFeatureSet features = new TransactionFeatures().Compile();

        Assert.Throws<ArgumentException>(() => features.Evaluate("not a transaction"));
    }
}
