using System.Linq.Expressions;
using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.ArrowExtensions.Types;
using Dsl.TestSupport.Columns;
using Dsl.Runtime.Tests.Support;
using Dsl.TestSupport;
using Dsl.Codegen.Columns;
using FsCheck.Fluent;

namespace Dsl.Runtime.Tests;

public sealed class CompiledFunctionEvaluateTests
{
    private static readonly int[] Lengths = [.. ColumnValues.EdgeLengths, 64, 65];

    /// <summary>A compiled function whose IR is the expression itself, as lowering yields for an expression tree.</summary>
    internal static CompiledFunction Compiled(LambdaExpression function) => new(function.Compile(), function, null, CompileOptions.Default);

    internal static (string, Type)[] Columns(LambdaExpression function) =>
        function.Parameters.Select(p => (p.Name!, p.Type)).ToArray();

    /// <summary>Rows for the parameters, with nulls in the columns (also those bound to non-nullable value types).</summary>
    internal static object?[][] Rows(LambdaExpression function, int count)
    {
        var columns = function.Parameters
            .Select(p => ColumnValues.Column(ColumnTypes.ArrowTypeOf(Nullable.GetUnderlyingType(p.Type) ?? p.Type), count).Sample(1)[0])
            .ToArray();
        return Enumerable.Range(0, count).Select(i => columns.Select(c => c[i]).ToArray()).ToArray();
    }

    /// <summary>
    /// A batch of generated rows (its columns sliced by <paramref name="offset"/> filler rows), and the rows as the
    /// batch holds them: UTF-8 cannot hold a lone surrogate, so a function sees U+FFFD where a generator made one.
    /// </summary>
    internal static (RecordBatch Batch, object?[][] Rows) Batch(LambdaExpression function, int count, int offset = 0)
    {
        var batch = Batches.FromRows(Columns(function), Rows(function, count), offset);
        var rows = Enumerable.Range(0, batch.Length)
            .Select(i => function.Parameters.Select((p, k) => Batches.Value(batch.Column(k), i, p.Type)).ToArray()).ToArray();
        return (batch, rows);
    }

    /// <summary>What calling the function on one row gives: null without a call when a non-nullable value parameter is null.</summary>
    internal static Outcome Expected(Delegate function, LambdaExpression signature, object?[] row)
    {
        for (var k = 0; k < row.Length; k++)
        {
            var type = signature.Parameters[k].Type;
            if (row[k] is null && type.IsValueType && Nullable.GetUnderlyingType(type) is null) return new Outcome(null, null);
        }
        return Outcome.Of(function, row);
    }

    internal static void AssertMatches(EvaluationResult result, Delegate function, LambdaExpression signature, object?[][] rows, string because)
    {
        var errors = result.Errors.ToDictionary(e => e.Row);
        Assert.That(result.Values.Length, Is.EqualTo(rows.Length), because);
        for (var i = 0; i < rows.Length; i++)
        {
            var expected = Expected(function, signature, rows[i]);
            var actual = Batches.Value(result.Values, i, signature.ReturnType);
            if (expected.Threw)
            {
                Assert.That(errors.TryGetValue(i, out var error), Is.True, $"{because}: row {i} {ExactComparer.DescribeRow(rows[i])} should fail with {expected.ExceptionType}");
                Assert.That(error!.ExceptionType, Is.EqualTo(expected.ExceptionType), because);
                Assert.That(actual, Is.Null, because);
            }
            else
            {
                Assert.That(errors.ContainsKey(i), Is.False, $"{because}: row {i} {ExactComparer.DescribeRow(rows[i])} should not fail");
                Assert.That(ExactComparer.AreEqual(expected.Value, actual), Is.True,
                    $"{because}: row {i} {ExactComparer.DescribeRow(rows[i])}: expected {ExactComparer.Describe(expected.Value)}, got {ExactComparer.Describe(actual)}");
            }
        }
    }

    [TestCaseSource(typeof(Corpus), nameof(Corpus.Functions))]
    public void Evaluate_BothModes_EqualCallingTheDelegateRowByRow(LambdaExpression function)
    {
        var compiled = Compiled(function);
        foreach (var length in Lengths)
        {
            var (batch, rows) = Batch(function, length);
            using var _ = batch;
            using var viaKernel = compiled.Evaluate(batch, new EvaluateOptions { Threads = 2, MorselSize = 64 });
            using var viaDelegate = compiled.Evaluate(batch, new EvaluateOptions { Mode = EvaluationMode.Fallback, Threads = 1 });

            Assert.That(viaKernel.Mode, Is.EqualTo(ExecutionMode.Compiled));
            Assert.That(viaDelegate.Mode, Is.EqualTo(ExecutionMode.Fallback));
            AssertMatches(viaKernel, compiled.Original, function, rows, $"compiled, {length} rows");
            AssertMatches(viaDelegate, compiled.Original, function, rows, $"fallback, {length} rows");
            Assert.That(viaKernel.Errors, Is.EqualTo(viaDelegate.Errors), "the two paths' error reports");
        }
    }

    [TestCaseSource(typeof(Corpus), nameof(Corpus.Functions))]
    public void Evaluate_SlicedInputsWithOddOffsets_EqualTheDelegate(LambdaExpression function)
    {
        var compiled = Compiled(function);
        var (batch, rows) = Batch(function, 200);
        var (offsetBatch, offsetRows) = Batch(function, 101, offset: 37);
        using var _ = batch;
        using var __ = offsetBatch;
        using var slice = batch.Slice(37, 101);
        foreach (var mode in new[] { EvaluationMode.Auto, EvaluationMode.Fallback })
        {
            using var sliced = compiled.Evaluate(slice, new EvaluateOptions { Mode = mode, Threads = 2, MorselSize = 64 });
            AssertMatches(sliced, compiled.Original, function, rows[37..138], $"{mode} over a sliced batch");
            using var offset = compiled.Evaluate(offsetBatch, new EvaluateOptions { Mode = mode, Threads = 2, MorselSize = 64 });
            AssertMatches(offset, compiled.Original, function, offsetRows, $"{mode} over arrays at offset 37");
        }
    }

    [TestCase(EvaluationMode.Auto)]
    [TestCase(EvaluationMode.Fallback)]
    public void Evaluate_ThreadsAndMorselSizes_GiveIdenticalResults(EvaluationMode mode)
    {
        Expression<Func<int, int, int>> divide = (a, b) => a / b;
        var compiled = Compiled(divide);
        // Zero divisors, MinValue / -1 and nulls spread over every morsel.
        var rows = Enumerable.Range(0, 5000)
            .Select(i => new object?[] { i % 97 == 0 ? int.MinValue : i * 7919 - 10_000, i % 11 == 0 ? null : i % 5 - 2 }).ToArray();
        using var batch = Batches.FromRows(Columns(divide), rows);
        using var reference = compiled.Evaluate(batch, new EvaluateOptions { Mode = mode, Threads = 1 });
        var expected = Batches.Values(reference.Values, typeof(int));
        Assert.That(reference.Errors, Is.Not.Empty, "the data should contain zero divisors");

        foreach (var (threads, morsel) in new[] { (2, 64), (4, 64), (2, 1000), (3, 4096) })
        {
            using var result = compiled.Evaluate(batch, new EvaluateOptions { Mode = mode, Threads = threads, MorselSize = morsel });
            Assert.That(Batches.Values(result.Values, typeof(int)), Is.EqualTo(expected), $"{threads} threads, {morsel}-row morsels");
            Assert.That(result.Errors, Is.EqualTo(reference.Errors), $"{threads} threads, {morsel}-row morsels");
        }
    }

    /// <summary>
    /// A string output written by several threads at once: ranges written in place at the front, copied into place after
    /// completing, and moved into place while running (promoted), over many small morsels, with rows that outgrow the
    /// output's first guess, non-ASCII rows and nulls. Every split of the work gives the one-thread array.
    /// </summary>
    [Test]
    public void Evaluate_StringOutput_OnSeveralThreads_GivesTheOneThreadArray()
    {
        Expression<Func<string, string>> userName = email =>
            (email.EndsWith("@gmail.com", StringComparison.Ordinal) ? email.Split('@')[0].Split('+')[0].Replace(".", "") : email.Split('@')[0]).ToLowerInvariant();
        var compiled = Compiled(userName);
        Assert.That(compiled.Mode, Is.EqualTo(ExecutionMode.Compiled), compiled.FallbackReason?.ToString());
        string?[] samples = ["Ann.Lee+x@gmail.com", "BOB@example.org", "", "Été.Ça@gmail.com", "ı@x.tr", null, "😀@gmail.com", "no-at-sign"];
        var rows = Enumerable.Range(0, 20_000)
            .Select(i => new object?[] { i % 997 == 0 ? new string('W', 3000 + i % 7) + "@gmail.com" : samples[i % samples.Length] is { } s ? $"{s[..(s.Length / 2)]}{i}{s[(s.Length / 2)..]}" : null })
            .ToArray();
        using var batch = Batches.FromRows(Columns(userName), rows);
        using var reference = compiled.Evaluate(batch, new EvaluateOptions { Mode = EvaluationMode.Fallback, Threads = 1 });
        var expected = Batches.Values(reference.Values, typeof(string));

        for (var pass = 0; pass < 5; pass++)
        {
            foreach (var (threads, morsel) in new[] { (1, 64), (2, 64), (4, 64), (2, 1000), (3, 4096) })
            {
                using var result = compiled.Evaluate(batch, new EvaluateOptions { Mode = EvaluationMode.Compiled, Threads = threads, MorselSize = morsel });
                Assert.That(Batches.Values(result.Values, typeof(string)), Is.EqualTo(expected), $"{threads} threads, {morsel}-row morsels, pass {pass}");
                Assert.That(result.Errors, Is.EqualTo(reference.Errors), $"{threads} threads, {morsel}-row morsels, pass {pass}");
            }
        }
    }

    [Test]
    public void Evaluate_NullInNonNullableValueColumn_ResultNullAndFunctionNotCalled([Values] EvaluationMode mode)
    {
        var calls = 0;
        Expression<Func<double, double>> identity = x => x;
        Func<double, double> counting = x => { Interlocked.Increment(ref calls); return x; };
        var function = new CompiledFunction(counting, identity, null, CompileOptions.Default);
        using var batch = Batches.FromRows([("x", typeof(double))], [[1.0], [null], [3.0]]);

        using var result = function.Evaluate(batch, new EvaluateOptions { Mode = mode });

        Assert.That(Batches.Values(result.Values, typeof(double)), Is.EqualTo(new object?[] { 1.0, null, 3.0 }));
        Assert.That(calls, Is.EqualTo(mode == EvaluationMode.Fallback ? 2 : 0));
    }

    [Test]
    public void Evaluate_ErrorReport_NamesTypeAndMessageSortedByRow()
    {
        Expression<Func<int, int, int>> divide = (a, b) => a / b;
        using var batch = Batches.FromRows(Columns(divide), [[1, 0], [4, 2], [int.MinValue, -1], [1, 0]]);
        using var result = Compiled(divide).Evaluate(batch, new EvaluateOptions { Mode = EvaluationMode.Fallback });

        Assert.That(result.Errors.Select(e => (e.Row, e.ExceptionType)), Is.EqualTo(new[]
        {
            (0, "System.DivideByZeroException"), (2, "System.OverflowException"), (3, "System.DivideByZeroException"),
        }));
        Assert.That(result.Errors[0].Message, Is.EqualTo(new DivideByZeroException().Message));
        Assert.That(Batches.Values(result.Values, typeof(int)), Is.EqualTo(new object?[] { null, 2, null, null }));
    }

    [Test]
    public void Evaluate_CompiledRequestedOnFallback_ThrowsWithTheReason()
    {
        Expression<Func<double, double>> identity = x => x;
        var function = new CompiledFunction(identity.Compile(), null, "loop (loop) at Features.cs:12", CompileOptions.Default, ["x"]);
        using var batch = Batches.FromRows([("x", typeof(double))], [[1.0]]);

        Assert.That(() => function.Evaluate(batch, new EvaluateOptions { Mode = EvaluationMode.Compiled }),
            Throws.TypeOf<FunctionNotCompiledException>().With.Property(nameof(FunctionNotCompiledException.Reason)).EqualTo("loop (loop) at Features.cs:12"));
        using var auto = function.Evaluate(batch);
        Assert.That(auto.Mode, Is.EqualTo(ExecutionMode.Fallback));
    }

    [Test]
    public void Evaluate_OnlinePath_EqualsBatchPath()
    {
        var function = Compiled(Corpus.Total);
        var typed = function.AsDelegate<Func<double, double?, double?, bool, double>>();
        var (batch, rows) = Batch(Corpus.Total, 500);
        using var _ = batch;
        using var result = function.Evaluate(batch);

        for (var i = 0; i < rows.Length; i++)
        {
            var batchValue = Batches.Value(result.Values, i, typeof(double));
            Assert.That(ExactComparer.AreEqual(function.Invoke(rows[i]), batchValue), Is.True, $"row {i}");
            if (rows[i][0] is null || rows[i][3] is null) continue;
            var online = typed((double)rows[i][0]!, (double?)rows[i][1], (double?)rows[i][2], (bool)rows[i][3]!);
            Assert.That(ExactComparer.AreEqual(online, batchValue), Is.True, $"row {i} (typed)");
        }
    }

    [Test]
    public void Evaluate_TupleResult_BothPathsWriteTheSameStructAsTheDelegate()
    {
        Func<int, string?, (int?, string?, bool)> function = (x, s) => (x > 0 ? x / 3 : null, s?.ToUpperInvariant(), 100 / x > 1);
        var compiled = FunctionCompiler.Compile(function);
        var rows = Enumerable.Range(0, 300).Select(i => new object?[] { i % 17 == 0 ? null : i % 7 - 2, i % 5 == 0 ? null : "row" + i }).ToArray();
        using var batch = Batches.FromRows([("x", typeof(int)), ("s", typeof(string))], rows);
        using var viaKernel = compiled.Evaluate(batch, new EvaluateOptions { Mode = EvaluationMode.Compiled, Threads = 2, MorselSize = 64 });
        using var viaDelegate = compiled.Evaluate(batch, new EvaluateOptions { Mode = EvaluationMode.Fallback, Threads = 1 });

        Assert.That(viaKernel.Errors, Is.EqualTo(viaDelegate.Errors), "the two paths' error reports");
        Assert.That(viaKernel.Errors.Select(e => e.Row), Is.EqualTo(Enumerable.Range(0, rows.Length).Where(i => rows[i][0] is 0)), "zero divisors fail their rows");
        var kernelStruct = (StructArray)viaKernel.Values;
        var delegateStruct = (StructArray)viaDelegate.Values;
        Assert.That(ArrowTypes.Comparer.Equals(kernelStruct.Data.DataType, delegateStruct.Data.DataType));
        Assert.That(((StructType)kernelStruct.Data.DataType).Fields.Select(f => f.Name), Is.EqualTo(new[] { "Item1", "Item2", "Item3" }));
        var fieldTypes = new[] { typeof(int?), typeof(string), typeof(bool) };
        for (var i = 0; i < rows.Length; i++)
        {
            var x = (int?)rows[i][0];
            // A null x (non-nullable parameter) gives a null struct without a call; x == 0 divides by zero.
            var want = x is null or 0 ? null : (object?[]?)OutputRepresentation.Of(function(x.Value, (string?)rows[i][1]));
            object?[]? Row(StructArray array) => array.IsNull(i) ? null : fieldTypes.Select((t, k) => Batches.Value(array.Fields[k], i, t)).ToArray();
            Assert.That(Row(kernelStruct), Is.EqualTo(want), $"compiled row {i}");
            Assert.That(Row(delegateStruct), Is.EqualTo(want), $"fallback row {i}");
        }
    }

    [Test]
    public void Evaluate_UnreadableTimestampInAParameterTheIrDoesNotUse_FailsTheRowInBothModes()
    {
        // 10^15 seconds after 1970 is past DateTime.MaxValue: reading it throws, as the delegate's argument would.
        // 64 rows, so a vector kernel runs whole blocks (not only its scalar tail).
        const int rows = 64;
        var stamps = RawTimestamps(Enumerable.Range(0, rows).Select(i => i == 5 ? 1_000_000_000_000_000L : i * 60L).ToArray());
        var doubles = new DoubleArray.Builder().AppendRange(Enumerable.Range(0, rows).Select(i => (double)i)).Build();
        var schema = new Schema([new Field("t", stamps.Data.DataType, true), new Field("x", doubles.Data.DataType, true)], null);
        using var batch = new RecordBatch(schema, [stamps, doubles], rows);
        Expression<Func<DateTime, double, double>> ignoresT = (t, x) => x * 2;

        foreach (var mode in new[] { EvaluationMode.Compiled, EvaluationMode.Fallback })
        {
            using var result = FunctionCompiler.Compile(ignoresT).Evaluate(batch, new EvaluateOptions { Mode = mode });

            Assert.That(((DoubleArray)result.Values).ToArray(), Is.EqualTo(Enumerable.Range(0, rows).Select(i => i == 5 ? null : (double?)(i * 2.0))), mode.ToString());
            Assert.That(result.Errors.Select(e => (e.Row, e.ExceptionType)), Is.EqualTo(new[] { (5, "System.OverflowException") }), mode.ToString());
        }
    }

    [Test]
    public void Evaluate_Elapsed_IsMeasured()
    {
        using var batch = Batches.FromRows(Columns(Corpus.Total), Rows(Corpus.Total, 100));
        using var result = Compiled(Corpus.Total).Evaluate(batch);
        Assert.That(result.Elapsed, Is.GreaterThan(TimeSpan.Zero));
    }

    /// <summary>A timestamp[s] column of raw counts (Apache's builder takes DateTimeOffsets and could not hold an unreadable value).</summary>
    private static IArrowArray RawTimestamps(long[] seconds) =>
        ArrowArrayFactory.BuildArray(new ArrayData(new TimestampType(TimeUnit.Second, (string?)null), seconds.Length, 0, 0,
            [ArrowBuffer.Empty, new ArrowBuffer(System.Runtime.InteropServices.MemoryMarshal.AsBytes(seconds.AsSpan()).ToArray())]));
}
