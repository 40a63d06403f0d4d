using Apache.Arrow;
using Dsl.Runtime.Execution.Relations;
using Dsl.TestSupport.Columns;

namespace Dsl.Runtime.Tests.Relations;

/// <summary>
/// The integer join over many related rows: chunks on several threads give each row the parent a dictionary gives it
/// (-1 for null keys and orphans, counted apart), for 64-bit keys read in place — sliced too — and narrower ones widened.
/// </summary>
public sealed class RelationJoinTests
{
    [Test]
    public void Build_ManyRowsOnSeveralThreads_MatchesADictionary([Values(1, 2, 3)] int threads, [Values] bool int32Keys, [Values] bool sparseParents, [Values(0, 7)] int slice)
    {
        var random = new Random(threads * 31 + (int32Keys ? 1 : 0) + (sparseParents ? 2 : 0) + slice);
        var parents = Enumerable.Range(0, 3000).Select(i => sparseParents ? i * 1_000_003L : i).ToArray();
        var rows = 200_000 + 17;
        var keys = new long?[rows];
        for (var r = 0; r < rows; r++)
        {
            var pick = random.Next(100);
            keys[r] = pick < 3 ? null : pick < 8 ? -5 - pick : parents[random.Next(parents.Length)];
        }

        IArrowArray Column(IEnumerable<long?> values) => int32Keys
            ? new Int32Array.Builder().AppendNullable(values.Select(v => (int?)v)).Build()
            : new Int64Array.Builder().AppendNullable(values).Build();
        var parentColumn = Column(parents.Select(p => (long?)p));
        var relatedFull = Column(Enumerable.Repeat<long?>(123, slice).Concat(keys));
        var relatedColumn = slice == 0 ? relatedFull : ArrowArrayFactory.Slice(relatedFull, slice, rows);

        var join = RelationJoin.Build("Transactions", [parentColumn], [relatedColumn], threads: threads);

        var rowOf = parents.Select((key, row) => (key, row)).ToDictionary(x => x.key, x => x.row);
        var expected = keys.Select(k => k is { } key && rowOf.TryGetValue(key, out var row) ? row : -1).ToArray();
        Assert.That(join.ParentOf, Is.EqualTo(expected));
        Assert.That(join.NullKeys, Is.EqualTo(keys.Count(k => k is null)));
        Assert.That(join.Orphans, Is.EqualTo(keys.Count(k => k is { } key && !rowOf.ContainsKey(key))));
    }

    [TestCase(new long[] { 4, 9, 2 }, -1, null)]
    [TestCase(new long[] { 4, 9, 2, 7 }, 2, "the parent's key is null at row 2")]
    [TestCase(new long[] { 4, 9, 4 }, -1, "the parent key 4 appears at rows 0 and 2")]
    [TestCase(new long[] { 5_000_000_000, 1, 5_000_000_000 }, -1, "the parent key 5000000000 appears at rows 0 and 2")]
    [TestCase(new long[0], -1, null)]
    public void Build_ChecksParentKeys_OnTheIntegerIndex(long[] parents, int nullAt, string? error)
    {
        var parentColumn = new Int64Array.Builder().AppendNullable(parents.Select((p, i) => i == nullAt ? null : (long?)p)).Build();
        var related = new Int64Array.Builder().AppendRange([2, 9, 3, 4]).Build();
        if (error is not null)
        {
            Assert.That(() => RelationJoin.Build("Transactions", [parentColumn], [related]), Throws.TypeOf<RelationKeyException>().With.Message.Contains(error));
            return;
        }

        var rowOf = parents.Select((key, row) => (key, row)).ToDictionary(x => x.key, x => x.row);
        Assert.That(RelationJoin.Build("Transactions", [parentColumn], [related]).ParentOf,
            Is.EqualTo(new long[] { 2, 9, 3, 4 }.Select(k => rowOf.TryGetValue(k, out var row) ? row : -1)));
    }
}
