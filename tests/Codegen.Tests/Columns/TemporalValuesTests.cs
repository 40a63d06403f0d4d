using System.Linq.Expressions;
using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.ArrowExtensions;
using Dsl.Codegen.Columns;
using Dsl.Codegen.Compilation;
using Dsl.Codegen.Tests.Support;

namespace Dsl.Codegen.Tests.Columns;

/// <summary>
/// Date and time features over timestamp, duration and date32 columns at the edges of the CLR and nanosecond
/// ranges: kernel == the delegate (values and error types, e.g. AddDays past 9999 throws
/// ArgumentOutOfRangeException), and stored values outside DateTime's range fail as the row-by-row reader
/// (TemporalConversions) fails them.
/// </summary>
[TestFixture]
public sealed class TemporalValuesTests
{
    private static readonly IArrowType Micros = new TimestampType(TimeUnit.Microsecond, "UTC");
    private static readonly IArrowType Nanos = new TimestampType(TimeUnit.Nanosecond, (string?)null);
    private static readonly IArrowType DurationMillis = DurationType.Millisecond;

    /// <summary>Instants at the CLR range edges (aligned to microseconds), the nanosecond range edges, the epoch and a leap day.</summary>
    private static readonly DateTime[] s_instants =
    [
        new(1, 1, 1, 0, 0, 0, DateTimeKind.Utc), new(1, 1, 1, 23, 59, 59, DateTimeKind.Utc), new DateTime(9999, 12, 31, 23, 59, 59, 999, DateTimeKind.Utc).AddTicks(9990),
        new(9999, 12, 31, 0, 0, 0, DateTimeKind.Utc), new(1677, 9, 21, 0, 12, 44, DateTimeKind.Utc), new(2262, 4, 11, 23, 47, 16, DateTimeKind.Utc),
        DateTime.UnixEpoch, DateTime.UnixEpoch.AddTicks(-10), new(2024, 2, 29, 12, 0, 0, DateTimeKind.Utc), new(1969, 12, 31, 23, 59, 59, DateTimeKind.Utc),
    ];

    private static readonly TimeSpan[] s_durations =
    [
        TimeSpan.Zero, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(-1), TimeSpan.FromDays(1), TimeSpan.FromDays(-1),
        TimeSpan.FromDays(3_000_000), TimeSpan.FromDays(-3_000_000), new TimeSpan(TimeSpan.MaxValue.Ticks / 10_000 * 10_000), new TimeSpan(TimeSpan.MinValue.Ticks / 10_000 * 10_000),
    ];

    private static IEnumerable<TestCaseData> InstantCases()
    {
        yield return Case<DateTime, DateTime>("AddDays", t => t.AddDays(1.5), Micros);
        yield return Case<DateTime, DateTime>("AddHours back", t => t.AddHours(-25), Micros);
        yield return Case<DateTime, DateTime>("AddMonths", t => t.AddMonths(1), Micros);
        yield return Case<DateTime, DateTime>("AddYears", t => t.AddYears(300), Micros);
        yield return Case<DateTime, int>("Parts", t => (t.Year * 10_000) + (t.Month * 100) + t.Day + (t.Hour * 1_000_000) + (int)t.DayOfWeek, Micros);
        yield return Case<DateTime, int>("Nanosecond parts", t => t.Year + t.Minute + t.Second + t.DayOfYear, Nanos);
        yield return Case<DateTime, bool>("Compare", t => t > new DateTime(2000, 1, 1) && t <= DateTime.MaxValue.AddDays(-1), Micros);
        yield return Case<DateTime, DateTime, TimeSpan>("Difference", (a, b) => a - b, Micros, Micros);
        yield return Case<DateTime, TimeSpan, DateTime>("Plus duration", (t, d) => t + d, Micros, DurationMillis);
        yield return Case<DateTime, TimeSpan, DateTime>("Minus duration", (t, d) => t - d, Micros, DurationMillis);
        yield return Case<TimeSpan, TimeSpan, TimeSpan>("Duration sum", (a, b) => a + b, DurationMillis, DurationMillis);
        yield return Case<TimeSpan, double>("Duration total", d => d.TotalDays + d.Hours, DurationMillis);
        yield return Case<DateOnly, DateOnly>("Date add", d => d.AddDays(1), Date32Type.Default);
        yield return Case<DateOnly, int>("Date parts", d => d.Year + (int)d.DayOfWeek + d.DayNumber, Date32Type.Default);
    }

    private static TestCaseData Case<T, TResult>(string name, Expression<Func<T, TResult>> ir, IArrowType type) =>
        new TestCaseData(ir, new[] { type }).SetArgDisplayNames(name);

    private static TestCaseData Case<T1, T2, TResult>(string name, Expression<Func<T1, T2, TResult>> ir, IArrowType type1, IArrowType type2) =>
        new TestCaseData(ir, new[] { type1, type2 }).SetArgDisplayNames(name);

    private static object?[] Values(IArrowType type, int column) => type switch
    {
        DurationType => [.. s_durations, null],
        Date32Type => [DateOnly.MinValue, DateOnly.MaxValue, DateOnly.FromDateTime(DateTime.UnixEpoch), new DateOnly(2024, 2, 29), null],
        TimestampType { Unit: TimeUnit.Nanosecond } => [.. s_instants.Where(t => t.Year is > 1677 and < 2262).Cast<object?>(), null],
        _ => [.. s_instants.Skip(column).Cast<object?>(), .. s_instants.Take(column), null],
    };

    [TestCaseSource(nameof(InstantCases))]
    public void Kernel_AtRangeEdges_EqualsTheDelegateIncludingErrors(LambdaExpression ir, IArrowType[] types)
    {
        var kernel = KernelCompiler.Compile(ir, types);
        var single = types.Select(Values).ToArray();
        // Every combination of the columns' values, so each edge meets each other edge.
        var rows = single.Aggregate((IEnumerable<object?[]>)[[]], (acc, values) => acc.SelectMany(prefix => values.Select(v => (object?[])[.. prefix, v]))).ToArray();
        var columns = types.Select((_, k) => rows.Select(r => r[k]).ToArray()).ToArray();
        var expected = KernelHarness.Reference(ir.Compile(), columns, rows.Length);
        KernelHarness.AssertSame(expected, KernelHarness.Run(kernel, types, columns, rows.Length), ir.ToString());
        KernelHarness.AssertSame(expected, KernelHarness.Run(kernel, types, columns, rows.Length, offset: 5, alwaysBitmap: true), ir.ToString() + ", sliced");
    }

    [TestCase(TimeUnit.Second, long.MaxValue)]
    [TestCase(TimeUnit.Second, 253_402_300_800L)]
    [TestCase(TimeUnit.Millisecond, -62_135_596_800_001L)]
    [TestCase(TimeUnit.Microsecond, long.MinValue)]
    public void Kernel_StoredInstantOutsideDateTime_FailsTheRowLikeTheRowByRowConversion(TimeUnit unit, long stored)
    {
        var type = new TimestampType(unit, (string?)null);
        long[] values = [stored, 0L];
        using var array = new TimestampArray(type, new ArrowBuffer(MemoryMarshal.AsBytes(values.AsSpan()).ToArray()), ArrowBuffer.Empty, 2, 0, 0);
        var rowError = Assert.Throws<OverflowException>(() => TemporalConversions.DateTimeFromTimestamp(array.Values[0], unit))!;
        Expression<Func<DateTime, int>> year = t => t.Year;
        var kernel = KernelCompiler.Compile(year, [type]);
        using var output = OutputColumn.Create(kernel.OutputType, 2);
        var errors = new RowErrorSink();
        using (var frame = new KernelFrame([array], output, errors)) kernel.Run(frame, 0, 2);
        Assert.That(errors.Errors, Is.EqualTo(new[] { new KernelRowError(0, typeof(OverflowException).FullName!, rowError.Message) }));
    }

    [Test]
    public void Store_InstantBeyondNanosecondRange_FailsTheRowWithOverflow()
    {
        Expression<Func<DateTime, DateTime>> later = t => t.AddYears(500);
        var kernel = KernelCompiler.Compile(later, [Micros]);
        var result = KernelHarness.Run(kernel, [Micros], [[new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc)]], 1);
        Assert.That(result.Errors.Single().ExceptionType, Is.EqualTo(typeof(OverflowException).FullName));
        Assert.That(result.Values[0], Is.Null);
    }

    [Test]
    public void Kernel_AddDaysPastMaxValue_RecordsTheDelegatesArgumentOutOfRange()
    {
        Expression<Func<DateTime, DateTime>> next = t => t.AddDays(1);
        var kernel = KernelCompiler.Compile(next, [Micros]);
        var columns = new[] { new object?[] { new DateTime(9999, 12, 31, 12, 0, 0, DateTimeKind.Utc) } };
        var expected = KernelHarness.Reference(next.Compile(), columns, 1);
        Assert.That(expected.Errors.Single().ExceptionType, Is.EqualTo(typeof(ArgumentOutOfRangeException).FullName));
        KernelHarness.AssertSame(expected, KernelHarness.Run(kernel, [Micros], columns, 1), "AddDays past 9999-12-31");
    }

    [Test]
    public void UnitOf_EachTimestampLayout_IsItsArrowUnit()
    {
        foreach (var unit in Enum.GetValues<TimeUnit>())
        {
            Assert.That(TemporalValues.UnitOf(ColumnTypes.LayoutOf(new TimestampType(unit, (string?)null))!), Is.EqualTo(unit));
        }
    }
}
