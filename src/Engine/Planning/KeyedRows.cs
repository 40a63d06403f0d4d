using Apache.Arrow;
using Dsl.Engine.Resolvers;

namespace Dsl.Engine.Planning;

/// <summary>Reads the <c>$key</c> column of a resolver's answer for many lookups (<see cref="Graph.IBulkResolver.FetchManyAsync"/>).</summary>
internal static class KeyedRows
{
    /// <summary>Per lookup 0…<paramref name="lookups"/>−1: the row answering it (the last one when several do) and how many do.</summary>
    /// <exception cref="InvalidOperationException">The batch has no <c>$key</c> column, or a key outside the lookups.</exception>
    public static (int[] Row, int[] Count) Locate(RecordBatch batch, int lookups)
    {
        var row = new int[lookups];
        var count = new int[lookups];
        var keys = Keys(batch);
        for (var i = 0; i < batch.Length; i++)
        {
            var key = keys.GetValue(i) ?? -1;
            if (key < 0 || key >= lookups) throw new InvalidOperationException($"A resolver answered lookup {key}, but {lookups} were asked.");
            row[key] = i;
            count[key]++;
        }
        return (row, count);
    }

    private static Int32Array Keys(RecordBatch batch) =>
        Values.ArrowColumns.Find(batch, SqlResolverResult.KeyColumn) as Int32Array
        ?? throw new InvalidOperationException($"A resolver's answer to many lookups has no int32 '{SqlResolverResult.KeyColumn}' column.");
}
