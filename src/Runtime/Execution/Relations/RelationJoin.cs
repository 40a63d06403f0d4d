using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.ArrowExtensions.Types;

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
    /// <exception cref="RelationKeyException">A parent key is null or appears twice.</exception>
    public static RelationJoin Build(string relation, IReadOnlyList<IArrowArray> parentKeys, IReadOnlyList<IArrowArray> relatedKeys)
    {
        if (parentKeys.Count != relatedKeys.Count || parentKeys.Count == 0) throw new ArgumentException("The join needs the same, non-zero number of key columns on both sides.");
        for (var k = 0; k < parentKeys.Count; k++)
        {
            if (!ArrowTypes.Comparer.Equals(Normalized(parentKeys[k].Data.DataType), Normalized(relatedKeys[k].Data.DataType)))
            {
                throw new RelationKeyException(relation,
                    $"key {k + 1}: the parent column is {ArrowTypes.Describe(parentKeys[k].Data.DataType)} but the related column is {ArrowTypes.Describe(relatedKeys[k].Data.DataType)}");
            }
        }

        return parentKeys.Count == 1 && IntegerKeys.TryRead(parentKeys[0], out var parentValues) && IntegerKeys.TryRead(relatedKeys[0], out var relatedValues)
            ? JoinIntegers(relation, parentKeys[0], parentValues, relatedKeys[0], relatedValues)
            : JoinValues(relation, parentKeys, relatedKeys);
    }

    /// <summary>Timestamps of any zone compare as instants; list the same logical type once.</summary>
    private static IArrowType Normalized(IArrowType type) => type is TimestampType t ? new TimestampType(t.Unit, (string?)null) : type;

    private static RelationJoin JoinIntegers(string relation, IArrowArray parentColumn, long[] parent, IArrowArray relatedColumn, long[] related)
    {
        var index = IntegerKeyIndex.Build(relation, parentColumn, parent);
        var parentOf = new int[related.Length];
        long nulls = 0, orphans = 0;
        for (var r = 0; r < related.Length; r++)
        {
            if (relatedColumn.IsNull(r))
            {
                parentOf[r] = -1;
                nulls++;
                continue;
            }

            var p = index.Find(related[r]);
            parentOf[r] = p;
            if (p < 0) orphans++;
        }

        return new RelationJoin(parentOf, nulls, orphans);
    }

    private static RelationJoin JoinValues(string relation, IReadOnlyList<IArrowArray> parentKeys, IReadOnlyList<IArrowArray> relatedKeys)
    {
        var rows = new Dictionary<KeyValues, int>();
        var parentLength = parentKeys[0].Length;
        for (var p = 0; p < parentLength; p++)
        {
            var key = KeyValues.Read(parentKeys, p);
            if (key.HasNull) throw RelationKeyException.NullParentKey(relation, p);
            if (!rows.TryAdd(key, p)) throw RelationKeyException.DuplicateParentKey(relation, key.ToString(), rows[key], p);
        }

        var parentOf = new int[relatedKeys[0].Length];
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

    internal static RelationKeyException NullParentKey(string relation, int row) =>
        new(relation, $"the parent's key is null at row {row}; every parent row needs a key to be joined");

    internal static RelationKeyException DuplicateParentKey(string relation, string key, int first, int second) =>
        new(relation, $"the parent key {key} appears at rows {first} and {second}; parent keys must be unique");
}
