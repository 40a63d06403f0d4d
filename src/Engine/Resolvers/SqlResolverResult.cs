using Apache.Arrow;

namespace Dsl.Engine.Resolvers;

/// <summary>
/// What a lookup returned: batches whose first column, <see cref="KeyColumn"/> (int32), says which lookup each row
/// answers (its index in the keys asked for), followed by one column per output feature, named by the feature
/// (<see cref="Feature.Name"/>) and typed so that it binds to the feature. A key with no row has no row here; a key
/// with several (a has-many fetch) has several, in the order the source returned them.
/// </summary>
public sealed class SqlResolverResult
{
    /// <summary>The name of the column holding each row's lookup index.</summary>
    public const string KeyColumn = "$key";

    internal SqlResolverResult(Schema schema, IReadOnlyList<RecordBatch> batches, int keyCount)
    {
        Schema = schema;
        Batches = batches;
        KeyCount = keyCount;
    }

    /// <summary>The schema of every batch: <see cref="KeyColumn"/>, then the features.</summary>
    public Schema Schema { get; }

    /// <summary>The rows, in batches (at least one, possibly with zero rows).</summary>
    public IReadOnlyList<RecordBatch> Batches { get; }

    /// <summary>How many keys were looked up (1 for a resolver without parameters).</summary>
    public int KeyCount { get; }

    /// <summary>The number of rows over all batches.</summary>
    public long RowCount => Batches.Sum(b => (long)b.Length);
}
