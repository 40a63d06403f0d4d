using System.Linq.Expressions;
using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.ArrowExtensions.Types;
using Dsl.TestSupport.Columns;

namespace Dsl.Runtime.Tests;

/// <summary>
/// Decimal parameters and results through <see cref="CompiledFunction.Evaluate"/>: both paths read decimal128
/// columns of any precision and scale, fail a row whose value has no System.Decimal counterpart with the same
/// OverflowException (also when lowering dropped the parameter), and write results to decimal128(38, 28) exactly,
/// failing a row the column cannot hold.
/// </summary>
public sealed class CompiledFunctionDecimalTests
{
    private static readonly EvaluationMode[] s_modes = [EvaluationMode.Compiled, EvaluationMode.Fallback];

    private static RecordBatch Batch(Decimal128Type type, params Int128?[] unscaled)
    {
        var counts = new Int32Array.Builder().AppendRange(Enumerable.Range(1, unscaled.Length)).Build();
        var schema = new Schema([new Field("a", type, nullable: true), new Field("n", Int32Type.Default, nullable: true)], null);
        return new RecordBatch(schema, [TestArrays.Decimal128(type, unscaled), counts], unscaled.Length);
    }

    private static (decimal?[] Values, RowError[] Errors) Run(LambdaExpression function, RecordBatch batch, EvaluationMode mode, int threads = 1, int morsel = 16_384)
    {
        var compiled = FunctionCompiler.Compile(function);
        Assert.That(compiled.Mode, Is.EqualTo(ExecutionMode.Compiled), compiled.FallbackReason);
        using var result = compiled.Evaluate(batch, new EvaluateOptions { Mode = mode, Threads = threads, MorselSize = morsel });
        Assert.That(ArrowTypes.Comparer.Equals(result.Values.Data.DataType, new Decimal128Type(38, 28)), ArrowTypes.Describe(result.Values.Data.DataType));
        return (TestArrays.Decimals(result.Values), result.Errors.ToArray());
    }

    [Test]
    public void Evaluate_ValueBeyondSystemDecimal_FailsTheRowWithTheSameOverflowInBothModes()
    {
        using var batch = Batch(new Decimal128Type(38, 0), 1, Int128.Parse("1" + new string('0', 30)), null, -5);
        Expression<Func<decimal, decimal>> plusOne = a => a + 1;

        foreach (var mode in s_modes)
        {
            var (values, errors) = Run(plusOne, batch, mode);

            Assert.That(values, Is.EqualTo(new decimal?[] { 2m, null, null, -4m }), mode.ToString());
            Assert.That(errors.Select(e => (e.Row, e.ExceptionType)), Is.EqualTo(new[] { (1, "System.OverflowException") }), mode.ToString());
            Assert.That(errors[0].Message, Does.Contain("1000000000000000000000000000000"), mode.ToString());
        }
    }

    [Test]
    public void Evaluate_UnreadableValueInAParameterTheIrDoesNotUse_FailsTheRowInBothModes()
    {
        using var batch = Batch(new Decimal128Type(38, 0), 1, Int128.Parse("-" + new string('9', 38)), null);
        Expression<Func<decimal?, int, decimal>> ignoresA = (a, n) => n * 2;

        var results = s_modes.Select(mode => Run(ignoresA, batch, mode)).ToArray();

        Assert.That(results[0].Values, Is.EqualTo(new decimal?[] { 2m, null, 6m }));
        Assert.That(results[0].Errors.Select(e => e.Row), Is.EqualTo(new[] { 1 }));
        Assert.That(results[1].Values, Is.EqualTo(results[0].Values));
        Assert.That(results[1].Errors, Is.EqualTo(results[0].Errors));
    }

    [Test]
    public void Evaluate_UnreadableDecimalBesideAVectorizableBody_FailsTheRowInBothModes()
    {
        using var batch = Batch(new Decimal128Type(38, 0), Int128.Parse(new string('9', 38)), 1, null, 2);
        Expression<Func<decimal, int, double>> ignoresA = (a, n) => n * 2.0;

        var errors = new List<RowError[]>();
        foreach (var mode in s_modes)
        {
            using var result = FunctionCompiler.Compile(ignoresA).Evaluate(batch, new EvaluateOptions { Mode = mode });
            Assert.That(((DoubleArray)result.Values).ToArray(), Is.EqualTo(new double?[] { null, 4.0, null, 8.0 }), mode.ToString());
            errors.Add(result.Errors.ToArray());
        }

        Assert.That(errors[0].Select(e => (e.Row, e.ExceptionType)), Is.EqualTo(new[] { (0, "System.OverflowException") }));
        Assert.That(errors[1], Is.EqualTo(errors[0]));
    }

    [Test]
    public void Evaluate_ResultOf10DigitsOrMoreBeforeThePoint_FailsTheRowNotRounded()
    {
        using var batch = Batch(new Decimal128Type(20, 4), 99_999_999_999_999, 100_000_000_000_000, 1, -99_999_999_999_999);
        Expression<Func<decimal, decimal>> identity = a => a / 3 * 3;

        foreach (var mode in s_modes)
        {
            var (values, errors) = Run(identity, batch, mode);

            Assert.That(values, Is.EqualTo(new decimal?[] { 9_999_999_999.9999m / 3 * 3, null, 0.0001m / 3 * 3, -9_999_999_999.9999m / 3 * 3 }), mode.ToString());
            Assert.That(errors.Select(e => (e.Row, e.ExceptionType)), Is.EqualTo(new[] { (1, "System.OverflowException") }), mode.ToString());
            Assert.That(errors[0].Message, Does.Contain("decimal128(38, 28)"), mode.ToString());
        }
    }

    [Test]
    public void Evaluate_ResultScale_IsTheLargestUpTo28WhoseDigitsFit96Bits()
    {
        using var batch = Batch(new Decimal128Type(10, 2), 150, 100, 1_000_000_000);
        Expression<Func<decimal, decimal>> third = a => a / 3;

        var (values, _) = Run(third, batch, EvaluationMode.Compiled);

        Assert.That(values.Select(v => v!.Value.Scale), Is.EqualTo(new[] { 28, 28, 22 }), "0.50 reads back as 0.5000…, 3333333.333… keeps its 29 digits");
        Assert.That(values, Is.EqualTo(new decimal?[] { 1.50m / 3, 1.00m / 3, 10_000_000.00m / 3 }));
    }

    [Test]
    public void Evaluate_ThreadsAndMorselSizes_GiveIdenticalDecimalResults()
    {
        var unscaled = Enumerable.Range(0, 500).Select(i => (Int128?)(i % 7 == 0 ? null : (Int128)i * 1_234_567_890_123 * (i % 2 == 0 ? 1 : -1))).ToArray();
        using var batch = Batch(new Decimal128Type(30, 6), unscaled);
        Expression<Func<decimal, int, decimal>> mix = (a, n) => a * n / 7;

        var reference = Run(mix, batch, EvaluationMode.Fallback);
        Assert.That(reference.Errors, Is.Not.Empty, "some rows must not fit decimal128(38, 28)");
        foreach (var (threads, morsel) in new[] { (1, 16_384), (2, 64), (2, 128) })
        {
            foreach (var mode in s_modes)
            {
                var run = Run(mix, batch, mode, threads, morsel);
                Assert.That(run.Values.Select(v => v is { } m ? decimal.GetBits(m) : null), Is.EqualTo(reference.Values.Select(v => v is { } m ? decimal.GetBits(m) : null)), $"{mode}, {threads} threads, morsel {morsel}");
                Assert.That(run.Errors, Is.EqualTo(reference.Errors), $"{mode}, {threads} threads, morsel {morsel}");
            }
        }
    }

    [Test]
    public void FeaturePlan_FeatureReadingADecimalFeature_ReadsItsDecimal128ColumnInBothModes()
    {
        using var batch = Batch(new Decimal128Type(12, 2), 1_050, null, -3, 999_999_999_999);
        Expression<Func<decimal, int, decimal>> amount = (a, n) => a * n;
        Expression<Func<decimal, decimal>> share = amount => amount / 4;
        var plan = FeaturePlan.Create([new PlannedFeature("amount", FunctionCompiler.Compile(amount)), new PlannedFeature("share", FunctionCompiler.Compile(share))]);

        foreach (var mode in new[] { EvaluationMode.Auto, EvaluationMode.Fallback })
        {
            using var result = plan.Evaluate(batch, new EvaluateOptions { Mode = mode });

            Assert.That(TestArrays.Decimals(result.Output.Column(1)), Is.EqualTo(new decimal?[] { 10.50m / 4, null, -0.09m / 4, null }), mode.ToString());
            Assert.That(result.Errors["amount"].Select(e => (e.Row, e.ExceptionType)), Is.EqualTo(new[] { (3, "System.OverflowException") }), mode.ToString());
            Assert.That(result.Errors["share"], Is.Empty, mode.ToString());
        }
    }

    [Test]
    public void Evaluate_DecimalParameterOnADoubleColumn_BindingErrorNamingBothTypes()
    {
        var schema = new Schema([new Field("a", DoubleType.Default, nullable: true)], null);
        using var batch = new RecordBatch(schema, [new DoubleArray.Builder().Append(1.5).Build()], 1);
        Expression<Func<decimal, decimal>> twice = a => a * 2;

        Assert.That(() => FunctionCompiler.Compile(twice).Evaluate(batch),
            Throws.TypeOf<ColumnBindingException>().With.Message.Contains("double").And.Message.Contains("decimal"));
    }
}
