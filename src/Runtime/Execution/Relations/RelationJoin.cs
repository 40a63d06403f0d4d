using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.ArrowExtensions.Types;
using FixedWidthType = Apache.Arrow.Types.FixedWidthType;

namespace Dsl.Runtime.Execution.Relations;

/// <summary>
/// Which parent row each related row belongs to: <see cref="ParentOf"/>[r] is the parent's row index, or -1 for a
/// related row whose key is null (counted in <see cref="NullKeys"/>) or matches no parent (an orphan, counted in
/// <see cref="Orphans"/>). Both are ignored by every aggregation, as documented.
/// </summary>
/// <remarks>
/// Parent keys must be unique and not null (a duplicate or null parent key is a <see cref="RelationKeyException"/>
/// naming the key and the rows). A single integer key column is looked up through a direct table when its values
/// span a small range, else an open-addressing hash table; other and composite keys through a dictionary of key values.
/// </remarks>
internal sealed class RelationJoin
{
    private RelationJoin(int[] parentOf, long nullKeys, long orphans)
    {
        ParentOf = parentOf;
        NullKeys = nullKeys;
        Orphans = orphans;
    }

    /// <summary>Per related row, its parent's row index or -1.</summary>
    public int[] ParentOf { get; }

    /// <summary>Related rows whose key (some key column) is null.</summary>
    public long NullKeys { get; }

    /// <summary>Related rows whose key matches no parent.</summary>
    public long Orphans { get; }

    /// <summary>Joins the related rows' <paramref name="relatedKeys"/> columns to the parent rows' <paramref name="parentKeys"/> columns.</summary>
    /// <param name="relation">The relation's name, for messages.</param>
    /// <param name="parentKeys">The unique side's key columns (a has-many's parents; a has-one's related rows).</param>
    /// <param name="relatedKeys">The other side's key columns, in the same order.</param>
    /// <param name="sides">How messages name the two sides; <see cref="JoinSides.Default"/> (parent, related) when null.</param>
    /// <param name="threads">How many threads may look related rows up (the result is the same for any count).</param>
    /// <param name="reuse">An array of a previous join to write the parents into when it has one slot per related row (else a new one is made).</param>
    /// <exception cref="RelationKeyException">A parent key is null or appears twice.</exception>
    public static RelationJoin Build(string relation, IReadOnlyList<IArrowArray> parentKeys, IReadOnlyList<IArrowArray> relatedKeys, JoinSides? sides = null, int threads = 1,
        int[]? reuse = null)
    {
        sides ??= JoinSides.Default;
        if (parentKeys.Count != relatedKeys.Count || parentKeys.Count == 0) throw new ArgumentException("The join needs the same, non-zero number of key columns on both sides.");
        for (var k = 0; k < parentKeys.Count; k++)
        {
            if (!ArrowTypes.Comparer.Equals(Normalized(parentKeys[k].Data.DataType), Normalized(relatedKeys[k].Data.DataType)))
            {
                throw new RelationKeyException(relation,
                    $"key {k + 1}: the {sides.Unique} column{sides.UniqueColumn(k)} is {ArrowTypes.Describe(parentKeys[k].Data.DataType)} but the {sides.Other} column{sides.OtherColumn(k)} is {ArrowTypes.Describe(relatedKeys[k].Data.DataType)}");
            }
        }

        return parentKeys.Count == 1 && IntegerKeys.TryRead(parentKeys[0], out var parentValues) && IntegerKeys.IsInteger(relatedKeys[0].Data.DataType)
            ? JoinIntegers(relation, parentKeys[0], parentValues, relatedKeys[0], sides, threads, reuse)
            : JoinValues(relation, parentKeys, relatedKeys, sides, reuse);
    }

    /// <summary>Timestamps of any zone compare as instants; list the same logical type once.</summary>
    private static IArrowType Normalized(IArrowType type) => type is TimestampType t ? new TimestampType(t.Unit, (string?)null) : type;

    /// <summary>Related rows per chunk of a join on several threads: large enough that a chunk outweighs its scheduling.</summary>
    private const int ChunkRows = 1 << 16;

    /// <summary>
    /// A single integer key: the parents' keys indexed once, then each related row looked up — 64-bit keys read in place
    /// from the related column (no copy), chunks of rows on up to <paramref name="threads"/> threads (each row's parent
    /// depends on that row alone, so the result does not depend on the thread count).
    /// </summary>
    private static unsafe RelationJoin JoinIntegers(string relation, IArrowArray parentColumn, long[] parent, IArrowArray relatedColumn, JoinSides sides, int threads,
        int[]? reuse)
    {
        var index = IntegerKeyIndex.Build(relation, parentColumn, parent, sides);
        var rows = relatedColumn.Length;
        // Every slot is written below, so a reused array needs no clearing (and a fresh one faults its pages in once, not per evaluation).
        var parentOf = reuse?.Length == rows ? reuse : new int[rows];
        // 64-bit keys are read where they are (the column was validated: its buffer holds every row); narrower ones widened.
        var data = relatedColumn.Data;
        using var pin = data.Buffers[1].Memory.Pin();
        nint inPlace = 0;
        long[]? widened = null;
        if (((FixedWidthType)data.DataType).BitWidth == 64) inPlace = (nint)((long*)pin.Pointer + data.Offset);
        else IntegerKeys.TryRead(relatedColumn, out widened);
        var hasNulls = relatedColumn.NullCount > 0;
        var chunks = (rows + ChunkRows - 1) / ChunkRows;
        var nulls = new long[chunks];
        var orphans = new long[chunks];
        void Chunk(int chunk)
        {
            var start = chunk * ChunkRows;
            var length = Math.Min(ChunkRows, rows - start);
            var keys = inPlace != 0 ? new ReadOnlySpan<long>((long*)inPlace + start, length) : widened.AsSpan(start, length);
            var target = parentOf.AsSpan(start, length);
            orphans[chunk] = index.FindAll(keys, target);
            if (!hasNulls) return;
            for (var i = 0; i < length; i++)
            {
                if (!relatedColumn.IsNull(start + i)) continue;
                // A null key's slot may hold any value: the row has no parent, and was not an orphan.
                if (target[i] < 0) orphans[chunk]--;
                target[i] = -1;
                nulls[chunk]++;
            }
        }

        if (threads <= 1 || chunks <= 1)
        {
            for (var chunk = 0; chunk < chunks; chunk++) Chunk(chunk);
        }
        else
        {
            Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads }, Chunk);
        }

        return new RelationJoin(parentOf, nulls.Sum(), orphans.Sum());
    }

    private static RelationJoin JoinValues(string relation, IReadOnlyList<IArrowArray> parentKeys, IReadOnlyList<IArrowArray> relatedKeys, JoinSides sides, int[]? reuse)
    {
        var rows = new Dictionary<KeyValues, int>();
        var parentLength = parentKeys[0].Length;
        for (var p = 0; p < parentLength; p++)
        {
            var key = KeyValues.Read(parentKeys, p);
            if (key.HasNull) throw RelationKeyException.NullParentKey(relation, p, sides);
            if (!rows.TryAdd(key, p)) throw RelationKeyException.DuplicateParentKey(relation, key.ToString(), rows[key], p, sides);
        }

        var parentOf = reuse?.Length == relatedKeys[0].Length ? reuse : new int[relatedKeys[0].Length];
        long nulls = 0, orphans = 0;
        for (var r = 0; r < parentOf.Length; r++)
        {
            var key = KeyValues.Read(relatedKeys, r);
            if (key.HasNull)
            {
                parentOf[r] = -1;
                nulls++;
            }
            else if (rows.TryGetValue(key, out var p))
            {
                parentOf[r] = p;
            }
            else
            {
                parentOf[r] = -1;
                orphans++;
            }
        }

        return new RelationJoin(parentOf, nulls, orphans);
    }
}

/// <summary>A parent key that is null or appears twice, or key columns that cannot be compared.</summary>
public sealed class RelationKeyException : Exception
{
    internal RelationKeyException(string relation, string problem)
        : base($"Relation '{relation}': {problem}.")
    {
        Relation = relation;
    }

    /// <summary>The relation whose keys are at fault.</summary>
    public string Relation { get; }

    internal static RelationKeyException NullParentKey(string relation, int row, JoinSides sides) =>
        new(relation, $"the {sides.Unique}'s key{sides.UniqueColumns} is null at row {row}; every {sides.Unique} row needs a key to be joined");

    internal static RelationKeyException DuplicateParentKey(string relation, string key, int first, int second, JoinSides sides) =>
        new(relation, $"the {sides.Unique} key{sides.UniqueColumns} {key} appears at rows {first} and {second}; {sides.Unique} keys must be unique");
}

/// <summary>
/// How a join's messages name its sides: the side whose keys must be unique (a has-many's parent batch, a has-one's
/// related batch) and the other, with their key columns when known.
/// </summary>
internal sealed record JoinSides(string Unique, string Other, IReadOnlyList<string>? UniqueKeys = null, IReadOnlyList<string>? OtherKeys = null)
{
    /// <summary>A has-many join: parents (unique) and related rows.</summary>
    public static JoinSides Default { get; } = new("parent", "related");

    /// <summary>The unique side's key columns as text (<c> (Id)</c>), or empty.</summary>
    public string UniqueColumns => UniqueKeys is { Count: > 0 } keys ? $" ({string.Join(", ", keys)})" : "";

    public string UniqueColumn(int k) => UniqueKeys is { } keys && k < keys.Count ? $" '{keys[k]}'" : "";

    public string OtherColumn(int k) => OtherKeys is { } keys && k < keys.Count ? $" '{keys[k]}'" : "";
}
