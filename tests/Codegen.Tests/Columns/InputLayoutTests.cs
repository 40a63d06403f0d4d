using System.Collections.Concurrent;
using System.Linq.Expressions;
using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.Codegen.Compilation;
using Dsl.Codegen.Tests.Support;
using Dsl.TestSupport.Columns;
using FsCheck;
using FsCheck.Fluent;

namespace Dsl.Codegen.Tests.Columns;

/// <summary>
/// Kernels read the caller's Arrow buffers in place, however they were made and wherever they lie: arrays from
/// <see cref="TestArrays"/> (managed memory), from Apache.Arrow's builders (its 64-byte aligned native memory) and
/// from Arrow IPC read zero-copy (8-byte aligned buffers inside the message bytes),
/// sliced with odd offsets (bit offsets in validity and boolean bitmaps), and copies of them whose every buffer
/// starts at a 64-byte boundary, at an address ≡ 8 (mod 64) as in Arrow IPC, at an odd address, or ends right
/// before an inaccessible page (cut to the bytes its rows need, so a read past them faults). The vector kernel
/// and the row loop must equal the row-by-row reference on every length around the vector widths.
/// </summary>
[TestFixture]
public sealed class InputLayoutTests
{
    /// <summary>One case per column encoding and lane width: float64 + bool, int32 + float64, the small and unsigned integers, float32, bool?, utf8, large utf8, lists, temporal.</summary>
    private static readonly string[] s_caseNames =
    [
        "Total", "MixedIntDouble", "SmallIntsWide", "MixedUnsigned", "IntegersToFloat", "KleeneLogic", "Bools", "StringUpper", "StringTrimReplace",
        "ListOfStrings", "ListSum", "DatePlusDuration", "DateAddDays", "TimestampCompare",
    ];

    private const string AsBuilt = "AsBuilt";

    private static readonly int[] s_offsets = [0, 3, 13];

    private static readonly ConcurrentDictionary<(string Name, int Length), (object?[][] Columns, KernelOutcome Expected)> s_batches = new();

    /// <summary>How the caller built its arrays.</summary>
    public enum Source
    {
        TestArrays,
        ApacheBuilders,

        /// <summary>TestArrays' arrays written as Arrow IPC (Apache.Arrow's writer) and read back zero-copy: buffers 8-byte aligned inside the IPC bytes.</summary>
        Ipc,
    }

    private static IEnumerable<IrCase> Cases()
    {
        foreach (var name in s_caseNames) yield return IrCases.Named(name);
        Expression<Func<decimal, decimal?, decimal>> decimalSum = (a, b) => a + (b ?? 1m);
        yield return new IrCase("DecimalSum", decimalSum, [new Decimal128Type(20, 4), new Decimal128Type(12, 2)]);
    }

    private static IEnumerable<TestCaseData> Layouts() =>
        from @case in Cases()
        from source in Enum.GetValues<Source>()
        from placement in new Placement?[] { null, Placement.Aligned64, Placement.Offset8, Placement.Odd, Placement.EndsAtGuardPage }
        where placement != Placement.EndsAtGuardPage || OperatingSystem.IsLinux()
        where placement is null || source != Source.Ipc
        select new TestCaseData(@case.Name, source, placement?.ToString() ?? AsBuilt);

    [TestCaseSource(nameof(Layouts))]
    public void Kernel_InputsFromAnySourceAtAnyPlacement_EqualsRowByRow(string name, Source source, string placedAt)
    {
        var @case = Cases().Single(c => c.Name == name);
        Placement? placement = placedAt == AsBuilt ? null : Enum.Parse<Placement>(placedAt);
        var vector = KernelCompiler.Compile(@case.Ir, @case.Inputs);
        var rowLoop = KernelCompiler.Compile(@case.Ir, @case.Inputs, new KernelOptions { Vectorize = false });
        foreach (var length in ColumnValues.EdgeLengths)
        {
            var (columns, expected) = s_batches.GetOrAdd((name, length), key => Batch(@case, key.Length));
            foreach (var offset in s_offsets)
            {
                using var placed = new PlacedArrays();
                var inputs = @case.Inputs.Select((type, k) => Input(type, columns[k], offset, source, placement, placed)).ToArray();
                var context = $"{name}, {source}, {placedAt}, length {length}, offset {offset}";
                KernelHarness.AssertSame(expected, KernelHarness.Run(vector, inputs, length), context + ", vector kernel");
                KernelHarness.AssertSame(expected, KernelHarness.Run(vector, inputs, length, rangeRows: 64, parallel: true, seed: length),
                    context + ", vector kernel in parallel 64-row ranges");
                KernelHarness.AssertSame(expected, KernelHarness.Run(rowLoop, inputs, length), context + ", row loop");
            }
        }
    }

    /// <summary>The generated columns of a case and length, and their row-by-row outcome (shared by every source and placement).</summary>
    private static (object?[][] Columns, KernelOutcome Expected) Batch(IrCase @case, int length)
    {
        var columns = @case.Inputs.Select((type, k) => Column(type, length, seed: length * 7 + k)).ToArray();
        return (columns, KernelHarness.Reference(@case.Ir.Compile(), columns, length));
    }

    /// <summary>Generated values of <paramref name="type"/> (edge values included) with about a quarter of the rows null, so every column has a validity bitmap.</summary>
    private static object?[] Column(IArrowType type, int length, int seed) =>
        Gen.Sample(Gen.Frequency((3, ColumnValues.Values(type).Select(v => (object?)v)), (1, Gen.Constant((object?)null))).ArrayOf(length), 10, new Rnd((ulong)seed + 1), 1)[0];

    private static IArrowArray Input(IArrowType type, object?[] values, int offset, Source source, Placement? placement, PlacedArrays placed)
    {
        var array = source switch
        {
            Source.ApacheBuilders => ApacheBuilders.Array(type, values, offset),
            Source.Ipc => IpcRoundTrip.Of(TestArrays.Array(type, values, offset)),
            _ => TestArrays.Array(type, values, offset),
        };
        return placement is { } where ? placed.Place(array, where) : array;
    }
}
