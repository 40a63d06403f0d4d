using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.Engine.Graph;

namespace Dsl.Engine.Resolvers;

/// <summary>
/// Answers to many lookups in one batch: a first column <c>$key</c> (int32, the index of the lookup each row answers,
/// <see cref="SqlResolverResult.KeyColumn"/>), then the resolver's columns.
/// </summary>
public static class KeyedBatches
{
    /// <summary>
    /// Many lookups by a resolver that answers one at a time (<see cref="IResolver.FetchAsync"/>, a C# resolver): all calls at once,
    /// their rows in one keyed batch in the order of the lookups.
    /// </summary>
    public static async Task<RecordBatch> FetchEachAsync(IResolver resolver, IReadOnlyList<IReadOnlyList<object?>> inputs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        ArgumentNullException.ThrowIfNull(inputs);
        var answers = await Task.WhenAll(inputs.Select(i => resolver.FetchAsync(i, cancellationToken))).ConfigureAwait(false);
        if (answers.Length == 0) throw new ArgumentException("No lookup to answer.", nameof(inputs));
        var keyed = answers.Select((batch, key) =>
        {
            var keys = new Int32Array.Builder().AppendRange(Enumerable.Repeat(key, batch.Length)).Build();
            return new RecordBatch(new Schema([new Field(SqlResolverResult.KeyColumn, Int32Type.Default, false), .. batch.Schema.FieldsList], null),
                [keys, .. batch.Arrays], batch.Length);
        }).ToList();
        return Concatenate(keyed[0].Schema, keyed);
    }

    /// <summary>The rows of <paramref name="batches"/> (all of <paramref name="schema"/>) as one batch.</summary>
    public static RecordBatch Concatenate(Schema schema, IReadOnlyList<RecordBatch> batches)
    {
        if (batches.Count == 1) return batches[0];
        if (batches.Count == 0) return Sources.EmptyArrays.Batch(schema);
        var columns = Enumerable.Range(0, schema.FieldsList.Count)
            .Select(c => ArrowArrayConcatenator.Concatenate(batches.Select(b => b.Column(c)).ToList()))
            .ToList();
        return new RecordBatch(schema, columns, batches.Sum(b => b.Length));
    }
}
