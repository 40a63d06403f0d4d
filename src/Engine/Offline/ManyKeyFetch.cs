using Apache.Arrow;
using Dsl.Engine.Graph;
using Dsl.Engine.Planning;
using Dsl.Engine.Resolvers;

namespace Dsl.Engine.Offline;

/// <summary>
/// Runs a resolver keyed by one input for many keys, as offline recomputation needs: a SQL resolver in one round trip per chunk of
/// <see cref="ChunkKeys"/> keys (each chunk under the resolver's timeout), any other resolver once per key within its timeout.
/// </summary>
internal static class ManyKeyFetch
{
    /// <summary>The most keys one SQL lookup takes.</summary>
    public const int ChunkKeys = 1 << 16;

    /// <summary>Every key's rows, grouped by key in the order of <paramref name="keys"/>, and for each row the index of its key.</summary>
    public static async Task<(RecordBatch Rows, int[] KeyOf)> RunAsync(ResolverNode resolver, IReadOnlyList<object?> keys, CancellationToken cancellationToken)
    {
        var batches = new List<RecordBatch>();
        var keyOf = new List<int>();
        if (resolver.Resolver is SqlResolverAdapter sql)
        {
            for (var start = 0; start < keys.Count; start += ChunkKeys)
            {
                var chunk = keys.Skip(start).Take(ChunkKeys).Select(k => (IReadOnlyList<object?>)[k]).ToList();
                var (rows, lookupOf) = await sql.FetchManyAsync(chunk, cancellationToken).ConfigureAwait(false);
                batches.Add(rows);
                keyOf.AddRange(lookupOf.Select(l => l + start));
            }
        }
        else
        {
            for (var i = 0; i < keys.Count; i++)
            {
                var rows = await ResolverCalls.CallAsync(resolver, [keys[i]], cancellationToken).ConfigureAwait(false);
                batches.Add(rows);
                keyOf.AddRange(Enumerable.Repeat(i, rows.Length));
            }
        }
        return (Concatenate(batches), [.. keyOf]);
    }

    private static RecordBatch Concatenate(List<RecordBatch> batches)
    {
        var nonEmpty = batches.Where(b => b.Length > 0).ToList();
        if (nonEmpty.Count <= 1) return nonEmpty.Count == 1 ? nonEmpty[0] : batches[0];
        var columns = Enumerable.Range(0, nonEmpty[0].ColumnCount).Select(c => ArrowArrayConcatenator.Concatenate(nonEmpty.Select(b => b.Column(c)).ToList())).ToList();
        return new RecordBatch(nonEmpty[0].Schema, columns, nonEmpty.Sum(b => b.Length));
    }
}
