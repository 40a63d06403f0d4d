using System.Runtime.CompilerServices;
using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Dsl.Codegen.Aggregation;

/// <summary>
/// The first half of a selected-row scan (<c>AggregationKernelGenerator.SelectedScan</c>): of a block of related rows,
/// the ones some aggregate of the run may take — raw event time above the run's lowest lower bound, or outside
/// DateTime's range (which the visit must still report), and a parent in the run — as row numbers and the parents'
/// indices in the run's state. Written in C# rather than generated: the JIT keeps this loop in registers and it reads
/// eight rows at a time, without a branch per row, where the generated loop spilled its locals. The runs of a
/// multi-threaded evaluation share one pass over the rows (<see cref="SharedSelection"/>), each selecting a share of the chunks.
/// </summary>
internal static unsafe class RowSelection
{
    /// <summary>
    /// Writes the rows of [<paramref name="from"/>, <paramref name="to"/>) to keep to <paramref name="selected"/> and their
    /// parents' run indices (parent − <paramref name="start"/>) to <paramref name="locals"/>, in row order, from index 0;
    /// returns how many. Both arrays need room for <paramref name="to"/> − <paramref name="from"/> entries.
    /// </summary>
    /// <param name="eventTimes">The event-time column's raw 64-bit values (address of row 0).</param>
    /// <param name="parentOf">Per related row, its parent's row, or −1.</param>
    /// <param name="from">The block's first row.</param>
    /// <param name="to">The row after the block's last.</param>
    /// <param name="start">The run's first parent.</param>
    /// <param name="count">The run's parent count.</param>
    /// <param name="lower">A row is kept when its raw event time is above this.</param>
    /// <param name="min">The smallest raw event time that converts to a DateTime.</param>
    /// <param name="max">The largest raw event time that converts to a DateTime.</param>
    /// <param name="selected">Receives the kept rows.</param>
    /// <param name="locals">Receives the kept rows' parents' indices in the run.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // called per block from the first evaluation on: no unoptimized tier
    public static int Select(nint eventTimes, int[] parentOf, int from, int to, int start, int count, long lower, long min, long max, int[] selected, int[] locals) =>
        Select(eventTimes, parentOf, from, to, start, count, lower, min, max, selected, locals, compress: true);

    /// <summary>
    /// <see cref="Select(nint, int[], int, int, int, int, long, long, long, int[], int[])"/>, with AVX-512's compress when
    /// <paramref name="compress"/> and the CPU has it (tests take both paths on such a CPU).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int Select(nint eventTimes, int[] parentOf, int from, int to, int start, int count, long lower, long min, long max, int[] selected, int[] locals, bool compress)
    {
        if ((uint)from > (uint)to || to > parentOf.Length || selected.Length < to - from || locals.Length < to - from)
            throw new ArgumentOutOfRangeException(nameof(to), "The block does not fit the rows or the selection arrays.");
        var at = (long*)eventTimes;
        var range = (ulong)(max - min);
        var taken = 0;
        var r = from;
        fixed (int* parents = parentOf)
        fixed (int* rows = selected)
        fixed (int* runLocals = locals)
        {
            if (compress && Avx512F.VL.IsSupported)
            {
                // Eight rows at a time: the kept lanes' row numbers and run indices packed to the front of a vector each
                // (vpcompressd) and stored whole at the next free slot — no loop over lanes. A store ends at most at
                // (r + 8) − from, inside the arrays, and the lanes past the kept ones are overwritten by the next store.
                var lowerV = Vector512.Create(lower);
                var minV = Vector512.Create(min);
                var rangeV = Vector512.Create(range);
                var startV = Vector256.Create(start);
                var countV = Vector256.Create((uint)count);
                var lanes = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
                for (; r + 8 <= to; r += 8)
                {
                    var time = Vector512.Load(at + r);
                    var keepTime = Vector512.GreaterThan(time, lowerV) | Vector512.GreaterThan((time - minV).AsUInt64(), rangeV).AsInt64();
                    var local = Vector256.Load(parents + r) - startV;
                    var keep = Avx512F.ConvertToVector256Int32(keepTime) & Vector256.LessThan(local.AsUInt32(), countV).AsInt32();
                    var bits = keep.ExtractMostSignificantBits();
                    if (bits == 0) continue;
                    Avx512F.VL.Compress(Vector256<int>.Zero, keep, Vector256.Create(r) + lanes).Store(rows + taken);
                    Avx512F.VL.Compress(Vector256<int>.Zero, keep, local).Store(runLocals + taken);
                    taken += BitOperations.PopCount(bits);
                }
            }
            else if (Vector256.IsHardwareAccelerated)
            {
                var lowerV = Vector256.Create(lower);
                var minV = Vector256.Create(min);
                var rangeV = Vector256.Create(range);
                var startV = Vector256.Create(start);
                var countV = Vector256.Create((uint)count);
                var lanes = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
                for (; r + 8 <= to; r += 8)
                {
                    var first = Vector256.Load(at + r);
                    var second = Vector256.Load(at + r + 4);
                    var time = Keep(first, lowerV, minV, rangeV) | (Keep(second, lowerV, minV, rangeV) << 4);
                    var local = Vector256.Load(parents + r) - startV;
                    var inRun = Vector256.LessThan(local.AsUInt32(), countV).ExtractMostSignificantBits();
                    var keep = time & inRun;
                    if (keep == 0) continue;
                    // Every lane is written at the next free slot; only kept lanes advance it (no branch per row).
                    var rowNumbers = Vector256.Create(r) + lanes;
                    for (var lane = 0; lane < 8; lane++)
                    {
                        rows[taken] = rowNumbers.GetElement(lane);
                        runLocals[taken] = local.GetElement(lane);
                        taken += (int)((keep >> lane) & 1);
                    }
                }
            }

            for (; r < to; r++)
            {
                var value = at[r];
                var local = parents[r] - start;
                rows[taken] = r;
                runLocals[taken] = local;
                var time = value > lower || (ulong)(value - min) > range;
                taken += Bit(time & ((uint)local < (uint)count));
            }
        }

        return taken;
    }

    /// <summary>Per lane (bit), whether the raw time is above the lower bound or outside DateTime's range.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Keep(Vector256<long> at, Vector256<long> lower, Vector256<long> min, Vector256<ulong> range) =>
        (Vector256.GreaterThan(at, lower) | Vector256.GreaterThan((at - min).AsUInt64(), range).AsInt64()).ExtractMostSignificantBits();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Bit(bool value) => Unsafe.BitCast<bool, byte>(value);
}
