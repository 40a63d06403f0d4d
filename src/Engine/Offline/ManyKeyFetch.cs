using Apache.Arrow;
using Dsl.Engine.Graph;
using Dsl.Engine.Planning;
using Dsl.Engine.Resolvers;

namespace Dsl.Engine.Offline;

/// <summary>
/// Runs a resolver keyed by one input for many keys, as offline recomputation needs: through the executor's
/// <see cref="ResolverCalls.CallManyAsync"/> (a bulk resolver such as SQL in one round trip, any other once per key), in chunks of
/// <see cref="ChunkKeys"/> keys, each chunk under the resolver's timeout.
/// </summary>
internal static class ManyKeyFetch
{
    /// <summary>The most keys one call takes.</summary>
    public const int ChunkKeys = 1 << 16;

    /// <summary>Every key's rows (without the lookup column), grouped by key in the order of <paramref name="keys"/>, and each row's key index.</summary>
    /// <exception cref="Exception">A key's call failed (the caller leaves those rows to the row-by-row path, which reports it as online).</exception>
    public static async Task<(RecordBatch Rows, int[] KeyOf)> RunAsync(ResolverNode resolver, IReadOnlyList<object?> keys, CancellationToken cancellationToken)
    {
        var batches = new List<RecordBatch>();
        var keyOf = new List<int>();
        for (var start = 0; start < Math.Max(1, keys.Count); start += ChunkKeys)
        {
            var chunk = keys.Skip(start).Take(ChunkKeys).Select(k => new[] { k }).ToList();
            var (rows, failures) = await ResolverCalls.CallManyAsync(resolver, chunk, cancellationToken).ConfigureAwait(false);
            if (failures.FirstOrDefault(f => f is not null) is { } failure) throw failure;
            keyOf.AddRange(((Int32Array)rows.Column(0)).Values.ToArray().Select(k => k + start));
            batches.Add(new RecordBatch(new Schema(rows.Schema.FieldsList.Skip(1), null), rows.Arrays.Skip(1), rows.Length));
        }
        return (KeyedBatches.Concatenate(batches[0].Schema, batches), [.. keyOf]);
    }
}
