using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.ArrowExtensions;
using Dsl.ArrowExtensions.Memory;
using Dsl.Codegen.Columns;
using FsCheck;
using FsCheck.Fluent;

namespace Dsl.Codegen.Tests.Columns;

/// <summary>
/// Joining a string output's ranges (<see cref="Utf8Output.ToArray"/>): whatever order the ranges completed in (as threads
/// finish them), whether some rows were covered by no range, and whether a range was run twice, the array holds each
/// covered row's text or null and a null for every row no range covered — valid Arrow, offsets absolute and in order.
/// </summary>
public sealed class Utf8OutputTests
{
    private static readonly string[] s_texts = ["", "a", "user.name+tag", "Été", "ı", "ſ", "\u212A", "😀 emoji", "x@gmail.com"];

    [FsCheck.NUnit.Property(MaxTest = 60)]
    public Property ToArray_HoldsEveryRangesRows_InRowOrder() => Prop.ForAll(Cases().ToArbitrary(), c =>
    {
        using var output = (Utf8Output)OutputColumn.Create(StringType.Default, c.Rows);
        var expected = new string?[c.Rows];
        foreach (var (start, length, rerun) in c.Ranges)
        {
            for (var pass = 0; pass < (rerun ? 2 : 1); pass++)
            {
                var writer = output.BeginRange(start, length);
                for (var row = start; row < start + length; row++)
                {
                    // A rerun writes other text: the array must hold the second run's rows.
                    var text = c.Texts[(row * 7 + pass) % c.Texts.Length];
                    SetValid(output, row, writer.Append(text));
                    expected[row] = text;
                }

                output.Complete(writer);
            }
        }

        using var memory = new NativeBlockSet();
        using var array = (StringArray)output.ToArray(memory);
        ArrowValidator.Validate(array, "joined");
        var actual = Enumerable.Range(0, c.Rows).Select(row => array.IsNull(row) ? null : array.GetString(row)).ToArray();
        return actual.SequenceEqual(expected)
            .Label($"rows {c.Rows}, ranges {string.Join(' ', c.Ranges.Select(r => $"[{r.Start}+{r.Length}{(r.Rerun ? " twice" : "")}]"))}");
    });

    /// <summary>
    /// Ranges written at the same time, as threads do: each range's begin, rows and completion are interleaved with the
    /// other ranges' steps in a random order, so the range at the front writes into the output's buffer (and grows it)
    /// while later ranges complete and wait, and a second run over joined rows makes the output give the joining up
    /// while a front range may still be writing. The array is the same as when the ranges ran one after another.
    /// </summary>
    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property ToArray_IsTheSame_WhenRangesAreWrittenInterleaved() => Prop.ForAll(Interleavings().ToArbitrary(), c =>
    {
        using var output = (Utf8Output)OutputColumn.Create(StringType.Default, c.Rows);
        var expected = new string?[c.Rows];
        var writers = new Utf8RangeWriter?[c.Ranges.Length];
        var written = new int[c.Ranges.Length];
        foreach (var k in c.Steps)
        {
            var (start, length, pass) = c.Ranges[k];
            if (writers[k] is null)
            {
                writers[k] = output.BeginRange(start, length);
                written[k] = 0;
            }
            else if (written[k] < length)
            {
                var row = start + written[k]++;
                var text = c.Texts[(row * 7 + pass) % c.Texts.Length];
                SetValid(output, row, writers[k]!.Append(text));
                expected[row] = text;
            }
            else
            {
                output.Complete(writers[k]!);
                writers[k] = null;
            }
        }

        using var memory = new NativeBlockSet();
        using var array = (StringArray)output.ToArray(memory);
        ArrowValidator.Validate(array, "joined");
        var actual = Enumerable.Range(0, c.Rows).Select(row => array.IsNull(row) ? null : array.GetString(row)).ToArray();
        return actual.SequenceEqual(expected).Label($"rows {c.Rows}, ranges {string.Join(' ', c.Ranges.Select(r => $"[{r.Start}+{r.Length} run {r.Pass}]"))}, steps {string.Join(',', c.Steps)}");
    });

    /// <summary>
    /// The case the random interleavings rarely reach: a range writing at the front (after joined rows) when a later
    /// range runs a second time, so the output stops joining while the front range still writes into its buffer.
    /// </summary>
    [Test]
    public void ARerun_WhileTheFrontRangeWrites_KeepsEveryRow()
    {
        using var output = (Utf8Output)OutputColumn.Create(StringType.Default, 192);
        var expected = new string?[192];
        void Write(Utf8RangeWriter writer, int from, int to, string prefix)
        {
            for (var row = from; row < to; row++)
            {
                expected[row] = $"{prefix}{row}é";
                SetValid(output, row, writer.Append(expected[row]));
            }
        }

        var first = output.BeginRange(0, 64);
        Write(first, 0, 64, "a");
        output.Complete(first);
        var front = output.BeginRange(64, 64);
        Write(front, 64, 100, "front");
        var later = output.BeginRange(128, 64);
        Write(later, 128, 192, "first run ");
        output.Complete(later);
        var rerun = output.BeginRange(128, 64);
        Write(rerun, 128, 192, "second run ");
        output.Complete(rerun);
        Write(front, 100, 128, new string('x', 5000)); // outgrows the buffer after the output stopped joining
        output.Complete(front);

        using var memory = new NativeBlockSet();
        using var array = (StringArray)output.ToArray(memory);
        ArrowValidator.Validate(array, "joined");
        Assert.That(Enumerable.Range(0, 192).Select(row => array.GetString(row)), Is.EqualTo(expected));
    }

    /// <summary>
    /// Two threads taking ranges in turns: the second range runs in its array while the first writes at the front. When
    /// the first completes, the second moves into place at its next row end and writes the rest there; a third range
    /// asked to move after its last row is copied into place when it completes.
    /// </summary>
    [Test]
    public void ARangeRunning_WhenTheRangesBeforeItAreJoined_MovesIntoPlace()
    {
        using var output = (Utf8Output)OutputColumn.Create(StringType.Default, 192);
        var expected = new string?[192];
        void Write(Utf8RangeWriter writer, int from, int to)
        {
            for (var row = from; row < to; row++)
            {
                expected[row] = row % 5 == 0 ? null : $"row {row} é";
                SetValid(output, row, writer.Append(expected[row]));
            }
        }

        var first = output.BeginRange(0, 64);
        var second = output.BeginRange(64, 64);
        Write(second, 64, 100);
        Write(first, 0, 64);
        Assert.That((first.IsJoined, second.IsJoined), Is.EqualTo((true, false)));
        output.Complete(first);
        Write(second, 100, 101);
        Assert.That(second.IsJoined, Is.True, "the second range moved into place at its next row end");
        var third = output.BeginRange(128, 64);
        Write(third, 128, 192);
        Write(second, 101, 128);
        output.Complete(second);
        Assert.That(third.IsJoined, Is.False, "asked to move after its last row, the third range is still in its array");
        output.Complete(third);

        using var memory = new NativeBlockSet();
        using var array = (StringArray)output.ToArray(memory);
        ArrowValidator.Validate(array, "joined");
        Assert.That(Enumerable.Range(0, 192).Select(row => array.IsNull(row) ? null : array.GetString(row)), Is.EqualTo(expected));
    }

    private sealed record Interleaving(int Rows, (int Start, int Length, int Pass)[] Ranges, int[] Steps, string[] Texts);

    /// <summary>
    /// Consecutive ranges (some left out), some run a second time after their first run completed; each run is a begin,
    /// one step per row and a completion, and the runs' steps are merged in a random order (each run's own steps in order).
    /// </summary>
    private static Gen<Interleaving> Interleavings() =>
        from layout in Layouts(maxBlocks: 12, maxBlocksPerRange: 3, rerunOneIn: 4)
        from longText in Gen.Frequency((3, Gen.Constant(0)), (1, Gen.Constant(3000)))
        from seed in Gen.Choose(0, int.MaxValue)
        let kept = layout.Ranges.Where(r => r.Keep).ToArray()
        select new Interleaving(layout.Rows,
            [.. kept.SelectMany(r => Enumerable.Range(0, r.Rerun ? 2 : 1).Select(pass => (r.Start, r.Length, pass)))],
            Merge(kept.Select(r => (r.Rerun ? 2 : 1, r.Length + 2)).ToArray(), new Random(seed)),
            [.. s_texts.Select(t => t + new string('w', longText)), null!]);

    /// <summary>
    /// A random merge of each range's steps: a range's runs form one stream (its second run begins after its first
    /// completed), a run has <c>Steps</c> steps, and each step is the index of its run in the flattened list of runs.
    /// </summary>
    private static int[] Merge((int Runs, int Steps)[] ranges, Random random)
    {
        var streams = new List<Queue<int>>();
        var run = 0;
        foreach (var (runs, steps) in ranges)
        {
            var stream = new Queue<int>();
            for (var j = 0; j < runs; j++, run++)
            {
                for (var step = 0; step < steps; step++) stream.Enqueue(run);
            }

            streams.Add(stream);
        }

        var merged = new List<int>();
        while (streams.Count > 0)
        {
            var i = random.Next(streams.Count);
            merged.Add(streams[i].Dequeue());
            if (streams[i].Count == 0) streams.RemoveAt(i);
        }

        return [.. merged];
    }

    private static unsafe void SetValid(OutputColumn output, int row, bool valid)
    {
        var bits = (byte*)output.Validity;
        if (valid) bits[row >> 3] |= (byte)(1 << (row & 7));
        else bits[row >> 3] &= (byte)~(1 << (row & 7));
    }

    private sealed record Case(int Rows, (int Start, int Length, bool Rerun)[] Ranges, string[] Texts);

    /// <summary>
    /// Rows cut into ranges at 64-row boundaries (as morsels are), some ranges left out (their rows stay null), some run
    /// twice, completed in a shuffled order; some texts long enough that ranges outgrow their first array.
    /// </summary>
    private static Gen<Case> Cases() =>
        from layout in Layouts(maxBlocks: 40, maxBlocksPerRange: 16, rerunOneIn: 6)
        from order in Gen.Shuffle(Enumerable.Range(0, layout.Ranges.Length).ToArray())
        from longText in Gen.Frequency((2, Gen.Constant(0)), (1, Gen.Constant(2000)))
        from nulls in Gen.Elements(0, 1, 3)
        let texts = s_texts.Select(t => t + new string('w', longText)).Concat(Enumerable.Repeat<string>(null!, nulls)).ToArray()
        select new Case(layout.Rows, [.. order.Select(i => layout.Ranges[i]).Where(r => r.Keep).Select(r => (r.Start, r.Length, r.Rerun))], texts);

    private sealed record Layout(int Rows, (int Start, int Length, bool Keep, bool Rerun)[] Ranges);

    /// <summary>
    /// Rows cut into consecutive ranges at 64-row boundaries (as morsels are; the last takes the tail), one in five
    /// left out (its rows stay null) and one in <paramref name="rerunOneIn"/> run twice.
    /// </summary>
    private static Gen<Layout> Layouts(int maxBlocks, int maxBlocksPerRange, int rerunOneIn) =>
        from blocks in Gen.Choose(1, maxBlocks)
        from tail in Gen.Choose(0, 63)
        from cuts in Gen.Choose(1, maxBlocksPerRange).ArrayOf(blocks)
        from keep in Gen.Frequency((4, Gen.Constant(true)), (1, Gen.Constant(false))).ArrayOf(blocks + 1)
        from rerun in Gen.Frequency((rerunOneIn - 1, Gen.Constant(false)), (1, Gen.Constant(true))).ArrayOf(blocks + 1)
        let rows = blocks * 64 + tail
        select new Layout(rows, [.. Ranges(rows, blocks, cuts).Select((r, i) => (r.Start, r.Length, keep[i], rerun[i]))]);

    /// <summary>Up to <paramref name="count"/> consecutive ranges over the rows, each a multiple of 64 rows (the last takes the tail).</summary>
    private static (int Start, int Length)[] Ranges(int rows, int count, int[] blocksEach)
    {
        var ranges = new List<(int, int)>();
        var start = 0;
        for (var i = 0; i < count && start < rows; i++)
        {
            var length = i == count - 1 ? rows - start : Math.Min(blocksEach[i] * 64, rows - start);
            ranges.Add((start, length));
            start += length;
        }

        if (start < rows) ranges.Add((start, rows - start));
        return [.. ranges];
    }
}
