using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.ArrowExtensions.Memory;

namespace Dsl.Engine.Resolvers;

/// <summary>
/// Answers to many lookups in one batch: a first column <c>$key</c> (int32, the index of the lookup each row answers,
/// <see cref="SqlResolverResult.KeyColumn"/>), then the resolver's columns: what <see cref="Graph.IBulkResolver.FetchManyAsync"/> returns.
/// </summary>
public static class KeyedBatches
{
    /// <summary>The answer of lookup <paramref name="key"/>, with its <c>$key</c> column first.</summary>
    public static RecordBatch WithKey(RecordBatch batch, int key)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var keys = new Int32Array.Builder().AppendRange(Enumerable.Repeat(key, batch.Length)).Build(ManagedMemoryAllocator.Instance);
        return new RecordBatch(new Schema([new Field(SqlResolverResult.KeyColumn, Int32Type.Default, false), .. batch.Schema.FieldsList], null),
            [keys, .. batch.Arrays], batch.Length);
    }

    /// <summary>The rows of <paramref name="batches"/> (all of <paramref name="schema"/>) as one batch.</summary>
    public static RecordBatch Concatenate(Schema schema, IReadOnlyList<RecordBatch> batches)
    {
        if (batches.Count == 1) return batches[0];
        if (batches.Count == 0) return Sources.EmptyArrays.Batch(schema);
        var columns = Enumerable.Range(0, schema.FieldsList.Count)
            .Select(c => ArrowArrayConcatenator.Concatenate(batches.Select(b => b.Column(c)).ToList(), ManagedMemoryAllocator.Instance))
            .ToList();
        return new RecordBatch(schema, columns, batches.Sum(b => b.Length));
    }
}
