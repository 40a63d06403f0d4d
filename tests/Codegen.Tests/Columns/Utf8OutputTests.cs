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
        from blocks in Gen.Choose(1, 40)
        from tail in Gen.Choose(0, 63)
        from cuts in Gen.Choose(1, 16).ArrayOf(blocks)
        from keep in Gen.Frequency((4, Gen.Constant(true)), (1, Gen.Constant(false))).ArrayOf(blocks)
        from rerun in Gen.Frequency((5, Gen.Constant(false)), (1, Gen.Constant(true))).ArrayOf(blocks)
        from order in Gen.Shuffle(Enumerable.Range(0, blocks).ToArray())
        from longText in Gen.Frequency((2, Gen.Constant(0)), (1, Gen.Constant(2000)))
        from nulls in Gen.Elements(0, 1, 3)
        let rows = blocks * 64 + tail
        let ranges = Ranges(rows, blocks, cuts)
        let texts = s_texts.Select(t => t + new string('w', longText)).Concat(Enumerable.Repeat<string>(null!, nulls)).ToArray()
        select new Case(rows, [.. order.Where(i => i < ranges.Length && keep[i]).Select(i => (ranges[i].Start, ranges[i].Length, rerun[i]))], texts);

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
