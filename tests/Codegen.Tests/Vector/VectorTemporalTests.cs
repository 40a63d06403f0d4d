using System.Linq.Expressions;
using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.Codegen.Columns;
using Dsl.Codegen.Compilation;

namespace Dsl.Codegen.Tests.Vector;

/// <summary>
/// Timestamp and duration lanes at the edges: stored values the scalar read cannot turn into a DateTime or
/// TimeSpan, arithmetic leaving the DateTime range or overflowing TimeSpan, and results too large for
/// nanoseconds. The vector kernel must give the row loop's values, nulls and errors on every row.
/// </summary>
[TestFixture]
public sealed class VectorTemporalTests
{
    private static readonly long s_maxSeconds = (DateTime.MaxValue.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerSecond;
    private static readonly long s_minSeconds = -(DateTime.UnixEpoch.Ticks / TimeSpan.TicksPerSecond);

    private static readonly long[] s_storedSeconds =
    [
        0, 1, -1, s_maxSeconds, s_maxSeconds + 1, s_minSeconds, s_minSeconds - 1, long.MaxValue, long.MinValue,
        1_700_000_000, s_maxSeconds - 86_400, s_minSeconds + 86_400, long.MaxValue / TimeSpan.TicksPerSecond, long.MaxValue / TimeSpan.TicksPerSecond + 1,
        -(long.MaxValue / TimeSpan.TicksPerSecond), -(long.MaxValue / TimeSpan.TicksPerSecond) - 1, 9_000_000_000, -9_000_000_000,
    ];

    private static IEnumerable<TestCaseData> Cases()
    {
        var ts = new TimestampType(TimeUnit.Second, (string?)null);
        var ds = DurationType.Second;
        yield return Case<DateTime, DateTime, long>("ElapsedTicks", (t, u) => (t - u).Ticks, ts, ts);
        yield return Case<DateTime, TimeSpan, DateTime>("ShiftedTimestamp", (t, d) => t + d, ts, ds);
        yield return Case<bool, DateTime, long>("ReadOnlyInOneArm", (flag, t) => flag ? t.Ticks : -1L, BooleanType.Default, ts);
        yield return Case<TimeSpan, TimeSpan?, TimeSpan?>("DurationSum", (a, b) => a + b, ds, ds);
        yield return Case<TimeSpan, TimeSpan, bool>("DurationCompare", (a, b) => a - b < b, ds, ds);
    }

    private static TestCaseData Case<T1, T2, TResult>(string name, Expression<Func<T1, T2, TResult>> ir, IArrowType first, IArrowType second) =>
        new TestCaseData(ir, new[] { first, second }).SetArgDisplayNames(name);

    [TestCaseSource(nameof(Cases))]
    public void Kernel_EdgeStoredValues_EqualsRowLoop(LambdaExpression ir, IArrowType[] types)
    {
        var vector = KernelCompiler.Compile(ir, types);
        Assert.That(vector.IsVectorized, Is.True, vector.Text.Split('\n')[0]);
        var rowLoop = KernelCompiler.Compile(ir, types, new KernelOptions { Vectorize = false });
        var first = s_storedSeconds;
        var second = s_storedSeconds.Reverse().ToArray();
        foreach (var shift in new[] { 0, 3, 7 })
        {
            var left = first.Skip(shift).Concat(first.Take(shift)).ToArray();
            var (expectedValues, expectedErrors) = Run(rowLoop, types, left, second);
            var (actualValues, actualErrors) = Run(vector, types, left, second);
            Assert.That(actualValues, Is.EqualTo(expectedValues), $"values, shift {shift}");
            Assert.That(actualErrors, Is.EqualTo(expectedErrors), $"errors, shift {shift}");
            Assert.That(expectedErrors, Is.Not.Empty, "the edge values make some rows fail");
        }
    }

    /// <summary>Runs a kernel over raw stored int64 columns (every second row of the second column null).</summary>
    private static (long?[] Values, IReadOnlyList<KernelRowError> Errors) Run(IKernel kernel, IArrowType[] types, long[] first, long[] second)
    {
        int rows = first.Length;
        var validity = new byte[(rows + 7) / 8];
        for (int row = 0; row < rows; row += 2) validity[row >> 3] |= (byte)(1 << (row & 7));
        var flags = new byte[(rows + 7) / 8];
        for (int row = 0; row < rows; row++) if (row % 3 != 0) flags[row >> 3] |= (byte)(1 << (row & 7));
        using var a = types[0] is BooleanType ? Build(types[0], rows, null, flags) : Build(types[0], rows, null, Bytes(first));
        using var b = Build(types[1], rows, validity, Bytes(second));
        using var output = OutputColumn.Create(kernel.OutputType, rows);
        var errors = new RowErrorSink();
        using (var frame = new KernelFrame([a, b], output, errors)) kernel.Run(frame, 0, rows);
        var fixedWidth = (FixedWidthOutput)output;
        var values = new long?[rows];
        for (int row = 0; row < rows; row++)
        {
            if (!NativeAccess.ReadBit(fixedWidth.Validity, row)) continue;
            values[row] = fixedWidth.Layout.Encoding == ColumnEncoding.Bits ? (NativeAccess.ReadBit(fixedWidth.Values, row) ? 1 : 0) : ReadLong(fixedWidth.Values, row);
        }

        return (values, errors.Errors);
    }

    private static unsafe long ReadLong(nint values, int row) => ((long*)values)[row];

    private static byte[] Bytes(long[] values) => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    private static IArrowArray Build(IArrowType type, int rows, byte[]? validity, byte[] values) =>
        ArrowArrayFactory.BuildArray(new ArrayData(type, rows, validity is null ? 0 : -1, 0,
            [validity is null ? ArrowBuffer.Empty : new ArrowBuffer(validity), new ArrowBuffer(values)]));
}
