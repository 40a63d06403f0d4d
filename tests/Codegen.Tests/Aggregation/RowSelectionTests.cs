using System.Runtime.InteropServices;
using Dsl.Codegen.Aggregation;
using FsCheck;
using FsCheck.Fluent;

namespace Dsl.Codegen.Tests.Aggregation;

/// <summary>
/// The selected-row scan's narrowing (eight rows at a time where vectors are fast, then one at a time) against the rule
/// it implements, row by row: keep a row when its raw event time is above the lower bound or outside [min, max], and
/// its parent is in the run [start, start + count) — with AVX-512's compress and without, for blocks of any length and offset, rows with no parent (−1),
/// times on the bound, one either side, and at the ends of the range and of <see cref="long"/>.
/// </summary>
public sealed class RowSelectionTests
{
    [FsCheck.NUnit.Property(MaxTest = 300)]
    public Property Select_KeepsExactlyTheRowsTheRuleKeeps_InRowOrder() => Prop.ForAll(Cases().ToArbitrary(), Gen.Elements(true, false).ToArbitrary(), (c, compress) =>
    {
        var (times, parentOf, from, to, start, count, lower, min, max) = c;
        var expectedRows = new List<int>();
        var expectedLocals = new List<int>();
        for (var r = from; r < to; r++)
        {
            var local = parentOf[r] - start;
            if ((times[r] > lower || times[r] < min || times[r] > max) && local >= 0 && local < count)
            {
                expectedRows.Add(r);
                expectedLocals.Add(local);
            }
        }

        var selected = new int[to - from];
        var locals = new int[to - from];
        var handle = GCHandle.Alloc(times, GCHandleType.Pinned);
        try
        {
            // With AVX-512 (compress) and without (a loop over eight lanes, or one row at a time).
            var taken = RowSelection.Select(handle.AddrOfPinnedObject(), parentOf, from, to, start, count, lower, min, max, selected, locals, compress);
            return selected.Take(taken).SequenceEqual(expectedRows) && locals.Take(taken).SequenceEqual(expectedLocals);
        }
        finally
        {
            handle.Free();
        }
    });

    [Test]
    public void Select_RefusesABlockLargerThanItsArrays()
    {
        var times = new long[16];
        var handle = GCHandle.Alloc(times, GCHandleType.Pinned);
        try
        {
            Assert.Throws<ArgumentOutOfRangeException>(() =>
                RowSelection.Select(handle.AddrOfPinnedObject(), new int[16], 0, 16, 0, 1, 0, 0, 1, new int[8], new int[16]));
        }
        finally
        {
            handle.Free();
        }
    }

    private static Gen<(long[] Times, int[] ParentOf, int From, int To, int Start, int Count, long Lower, long Min, long Max)> Cases() =>
        from rows in Gen.Choose(0, 70)
        from lower in Gen.Elements(-5L, 0L, 100L, long.MinValue, long.MaxValue - 1)
        from min in Gen.Elements(-1000L, -10L, long.MinValue)
        from max in Gen.Elements(1000L, 200L, long.MaxValue)
        from offsets in Gen.Choose(-3, 3).ArrayOf(rows)
        from spread in Gen.Choose(-1200, 1200).ArrayOf(rows)
        from pick in Gen.Choose(0, 4).ArrayOf(rows)
        from parents in Gen.Choose(-1, 12).ArrayOf(rows)
        from from_ in Gen.Choose(0, rows)
        from to in Gen.Choose(from_, rows)
        from start in Gen.Choose(0, 6)
        from count in Gen.Choose(0, 8)
        select (Enumerable.Range(0, rows).Select(r => pick[r] switch
            {
                0 => lower + offsets[r], // on the bound and either side
                1 => min + offsets[r],
                2 => max + offsets[r],
                3 => (long)spread[r],
                _ => offsets[r] < 0 ? long.MinValue : long.MaxValue,
            }).ToArray(), parents, from_, to, start, count, lower, min, max);
}
