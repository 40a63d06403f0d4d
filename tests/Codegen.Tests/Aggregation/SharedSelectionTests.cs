using System.Runtime.InteropServices;
using Dsl.Codegen.Aggregation;
using FsCheck;
using FsCheck.Fluent;

namespace Dsl.Codegen.Tests.Aggregation;

/// <summary>
/// The row selection the runs of an evaluation share (<see cref="SharedSelection"/>, read through
/// <see cref="SelectedBlocks"/>): each run must see, in row order, exactly the rows the narrowing rule keeps for its
/// parents — keep a row when its raw event time is above the bound or outside [min, max] — whichever run selected which
/// chunk, for chunks of any size (one row, parents whose rows span chunks), ranges with no rows, runs that read their
/// rows one block at a time in any interleaving, a chunk another run claimed and never finished, and runs whose own
/// bound differs from the one the first run fixed (above it: a superset its visits narrow again; below it: its own).
/// </summary>
public sealed class SharedSelectionTests
{
    [FsCheck.NUnit.Property(MaxTest = 300)]
    public Property Runs_SeeExactlyTheirRows_InRowOrder_InAnyInterleaving() => Prop.ForAll(Cases().ToArbitrary(), c =>
    {
        var shared = new SharedSelection(c.ParentOf, c.Parents, c.RangeSize, c.ChunkRows, c.Min, c.Max);
        return WithTimes(c.Times, times =>
        {
            if (c.StuckChunk) shared.ClaimWithoutSelecting();
            var runs = Enumerable.Range(0, (c.Parents + c.RangeSize - 1) / c.RangeSize).Select(k => new Run(k * c.RangeSize, Math.Min(c.RangeSize, c.Parents - k * c.RangeSize), c.Lowers[k % c.Lowers.Length])).ToArray();
            // The first run to start fixes the shared bound; the others start in order, then all read a block at a time,
            // taking turns as the interleaving says.
            foreach (var run in runs) run.Blocks = SelectedBlocks.Start(times, c.ParentOf, run.Start, run.Count, run.Lower, c.Min, c.Max, shared);
            var sharedLower = runs[0].Lower;
            var live = runs.ToList();
            var turn = 0;
            while (live.Count > 0)
            {
                var run = live[c.Turns[turn++ % c.Turns.Length] % live.Count];
                if (!run.Read(c.ParentOf)) live.Remove(run);
            }

            return runs.All(run =>
            {
                var own = Rule(c, run.Start, run.Count, run.Lower);
                var widest = Rule(c, run.Start, run.Count, Math.Min(run.Lower, sharedLower));
                var increasing = run.Rows.Zip(run.Rows.Skip(1)).All(p => p.First < p.Second);
                // Exact when the run's bound is the shared one; else at least its own rows and at most the shared bound's.
                return increasing && run.LocalsMatch && own.All(run.Rows.Contains) && run.Rows.All(widest.Contains)
                    && (run.Lower != sharedLower || run.Rows.SequenceEqual(own));
            });
        });
    });

    [Test]
    public void Runs_OnSeveralThreads_SeeExactlyTheirRows([Values(1, 64, 1000)] int chunkRows, [Values(2, 3, 5)] int ranges)
    {
        var random = new Random(chunkRows * 31 + ranges);
        const int rows = 40_000, parents = 640;
        var times = Enumerable.Range(0, rows).Select(_ => (long)random.Next(-100, 100)).ToArray();
        var parentOf = Enumerable.Range(0, rows).Select(_ => random.Next(-1, parents)).ToArray();
        var rangeSize = (parents + ranges - 1) / ranges;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var shared = new SharedSelection(parentOf, parents, rangeSize, chunkRows, -1000, 1000);
            WithTimes(times, address =>
            {
                var runs = Enumerable.Range(0, (parents + rangeSize - 1) / rangeSize).Select(k => new Run(k * rangeSize, Math.Min(rangeSize, parents - k * rangeSize), 20)).ToArray();
                Parallel.ForEach(runs, new ParallelOptions { MaxDegreeOfParallelism = ranges }, run =>
                {
                    run.Blocks = SelectedBlocks.Start(address, parentOf, run.Start, run.Count, run.Lower, -1000, 1000, shared);
                    while (run.Read(parentOf)) { }
                });
                foreach (var run in runs)
                {
                    var expected = Enumerable.Range(0, rows).Where(r => times[r] > 20 && parentOf[r] >= run.Start && parentOf[r] < run.Start + run.Count);
                    Assert.That(run.Rows, Is.EqualTo(expected), $"run at {run.Start}");
                    Assert.That(run.LocalsMatch, Is.True);
                }

                return true;
            });
        }
    }

    [Test]
    public void Buffers_OfAnEarlierSelection_AreReusedWhenTheyFit_AndGiveTheSameRows()
    {
        var times = Enumerable.Range(0, 500).Select(r => (long)(r % 37)).ToArray();
        var parentOf = Enumerable.Range(0, 500).Select(r => r % 11 - 1).ToArray();
        List<int> Rows(SharedSelection shared) => WithTimesRows(times, address =>
        {
            var run = new Run(0, 5, 20) { Blocks = SelectedBlocks.Start(address, parentOf, 0, 5, 20, -100, 100, shared) };
            while (run.Read(parentOf)) { }
            return run.Rows;
        });

        var first = new SharedSelection(parentOf, 10, 5, 64, -100, 100);
        var expected = Rows(first);
        var again = new SharedSelection(parentOf, 10, 5, 7, -100, 100, first.Buffers);
        Assert.That(again.Buffers, Is.SameAs(first.Buffers));
        Assert.That(Rows(again), Is.EqualTo(expected));
        Assert.That(new SharedSelection(parentOf[..400], 10, 5, 64, -100, 100, first.Buffers).Buffers, Is.Not.SameAs(first.Buffers));
        Assert.That(expected, Is.EqualTo(Enumerable.Range(0, 500).Where(r => r % 37 > 20 && r % 11 - 1 is >= 0 and < 5)));
    }

    [Test]
    public void ChunkRowsFor_GivesAboutSixteenChunksPerRun_Within64To65536()
    {
        Assert.That(SharedSelection.ChunkRowsFor(10_000_000, 2), Is.EqualTo(1 << 16));
        Assert.That(SharedSelection.ChunkRowsFor(9_000, 3), Is.EqualTo(256));
        Assert.That(SharedSelection.ChunkRowsFor(10, 2), Is.EqualTo(64));
        Assert.That(SharedSelection.ChunkRowsFor(0, 2), Is.EqualTo(64));
    }

    [Test]
    public void RangeOf_RefusesAParentThatStartsNoRange()
    {
        var shared = new SharedSelection(new int[10], 100, 64, 64, 0, 1);
        Assert.That(shared.RangeOf(64), Is.EqualTo(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => shared.RangeOf(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => shared.RangeOf(128));
    }

    /// <summary>The rows the rule keeps for the run [start, start + count) with bound <paramref name="lower"/>, in row order.</summary>
    private static List<int> Rule(Case c, int start, int count, long lower) => Enumerable.Range(0, c.Times.Length)
        .Where(r => (c.Times[r] > lower || c.Times[r] < c.Min || c.Times[r] > c.Max) && c.ParentOf[r] >= start && c.ParentOf[r] - start < count).ToList();

    private static bool WithTimes(long[] times, Func<nint, bool> body) => WithTimesRows(times, body);

    private static T WithTimesRows<T>(long[] times, Func<nint, T> body)
    {
        var handle = GCHandle.Alloc(times, GCHandleType.Pinned);
        try
        {
            return body(handle.AddrOfPinnedObject());
        }
        finally
        {
            handle.Free();
        }
    }

    private sealed class Run(int start, int count, long lower)
    {
        public int Start { get; } = start;

        public int Count { get; } = count;

        public long Lower { get; } = lower;

        public SelectedBlocks? Blocks { get; set; }

        public List<int> Rows { get; } = [];

        public bool LocalsMatch { get; private set; } = true;

        /// <summary>Reads one block; false when there is none left.</summary>
        public bool Read(int[] parentOf)
        {
            if (!Blocks!.Next()) return false;
            if (Blocks.End <= Blocks.First || Blocks.Locals.Length < Blocks.End + SelectedBlocks.PrefetchPad) LocalsMatch = false;
            for (var i = Blocks.First; i < Blocks.End; i++)
            {
                Rows.Add(Blocks.Rows[i]);
                if (Blocks.Locals[i] != parentOf[Blocks.Rows[i]] - Start) LocalsMatch = false;
            }

            return true;
        }
    }

    private sealed record Case(long[] Times, int[] ParentOf, int Parents, int RangeSize, int ChunkRows, long Min, long Max, long[] Lowers, int[] Turns, bool StuckChunk);

    private static Gen<Case> Cases() =>
        from rows in Gen.Choose(0, 400)
        from parents in Gen.Choose(1, 200)
        from rangeSize in Gen.OneOf(Gen.Choose(1, 200), Gen.Constant(64))
        from chunkRows in Gen.OneOf(Gen.Elements(1, 2, 7, 64), Gen.Choose(1, 500))
        from min in Gen.Elements(-1000L, long.MinValue)
        from max in Gen.Elements(1000L, long.MaxValue)
        from pick in Gen.Choose(0, 3).ArrayOf(rows)
        from offsets in Gen.Choose(-3, 3).ArrayOf(rows)
        from spread in Gen.Choose(-1200, 1200).ArrayOf(rows)
        // Parents run in streaks of a few rows, so a parent's rows span chunk edges; −1 and keys past the last parent appear too.
        from owners in Gen.Choose(-1, 210).ArrayOf(rows)
        from streak in Gen.Choose(1, 9)
        from lowers in Gen.Elements(0L, 5L, -5L, -2000L).ArrayOf().Where(l => l.Length > 0)
        from turns in Gen.Choose(0, 7).ArrayOf().Where(t => t.Length > 0)
        from stuck in Gen.Elements(false, false, true)
        select new Case(
            Enumerable.Range(0, rows).Select(r => pick[r] switch
            {
                0 => lowers[0] + offsets[r], // on the shared bound and either side
                1 => min + offsets[r],
                2 => max + offsets[r],
                _ => (long)spread[r],
            }).ToArray(),
            Enumerable.Range(0, rows).Select(r => Math.Min(owners[r / streak * streak], parents + 10)).ToArray(),
            parents, rangeSize, chunkRows, min, max, lowers, turns, stuck);
}
