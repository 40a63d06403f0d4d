using Apache.Arrow;
using Dsl.ArrowExtensions.Types;
using Dsl.Engine.Graph;
using Dsl.Engine.Values;
using Dsl.Features;

namespace Dsl.Engine.Offline;

/// <summary>Settings of a bulk ingest (<see cref="FeatureEngine.IngestAsync(string, RecordBatch, IngestOptions?, CancellationToken)"/>).</summary>
public sealed record IngestOptions
{
    /// <summary>The defaults: key and time columns found by name and type, the clock's time as write time.</summary>
    public static IngestOptions Default { get; } = new();

    /// <summary>The key column; null: the column named like the entity's primary key (<c>id</c>, <c>user_id</c>).</summary>
    public string? KeyColumn { get; init; }

    /// <summary>The column of each row's feature time; null: the only timestamp column that is not a feature.</summary>
    public string? TimeColumn { get; init; }
}

/// <summary>
/// A bulk ingest: wide rows (key, time, one column per feature) checked against the entity, then appended to the offline store as
/// one batch per feature.
/// </summary>
internal static class OfflineIngest
{
    public static async Task<long> RunAsync(EngineGraph graph, IOfflineStore store, string entityName, IEnumerable<RecordBatch> batches, IngestOptions options,
        CancellationToken cancellationToken)
    {
        long written = 0;
        foreach (var batch in batches)
        {
            var (entity, key, time, features) = Check(graph, entityName, batch.Schema, options);
            foreach (var (column, feature) in features)
            {
                var rows = new RecordBatch(new Schema([
                    new Field(OfflineColumns.Key, batch.Schema.GetFieldByName(key).DataType, false),
                    new Field(OfflineColumns.Value, batch.Schema.GetFieldByName(column).DataType, true),
                    new Field(OfflineColumns.FeatureTime, batch.Schema.GetFieldByName(time).DataType, false)], null),
                    [batch.Column(key), batch.Column(column), batch.Column(time)], batch.Length);
                try
                {
                    await store.AppendAsync(entity.Name, feature, rows, cancellationToken).ConfigureAwait(false);
                }
                catch (ArgumentException e)
                {
                    throw new QueryException($"Ingest into {entity.Name}.{feature} (column '{column}'): {e.Message}");
                }
                written += batch.Length;
            }
        }
        return written;
    }

    public static async Task<long> RunFileAsync(EngineGraph graph, IOfflineStore store, string entityName, string path, IngestOptions options, CancellationToken cancellationToken)
    {
        if (!File.Exists(path)) throw new QueryException($"The file to ingest, '{path}', does not exist.");
        Check(graph, entityName, Runtime.Files.BatchFiles.ReadSchema(path), options);
        using var reader = Runtime.Files.BatchFiles.OpenRead(path);
        long written = 0;
        while (await reader.ReadNextRecordBatchAsync(cancellationToken).ConfigureAwait(false) is { } batch)
            written += await RunAsync(graph, store, entityName, [batch], options, cancellationToken).ConfigureAwait(false);
        return written;
    }

    /// <summary>The entity, the key and time columns, and each other column's feature, checked.</summary>
    /// <exception cref="QueryException">What does not fit, naming the column.</exception>
    private static (EntityNode Entity, string Key, string Time, List<(string Column, string Feature)> Features) Check(EngineGraph graph, string entityName,
        Schema schema, IngestOptions options)
    {
        var entity = graph.FindEntity(entityName) ?? throw new QueryException($"There is no entity '{entityName}'; the entities are {string.Join(", ", graph.Entities.Select(e => e.Name))}.");
        var (_, _, key, time) = OfflineSpine.Check(graph, schema, [$"{entity.Name}.{entity.PrimaryKey?.Name ?? "?"}"],
            new OfflineQueryOptions { KeyColumn = options.KeyColumn, TimeColumn = options.TimeColumn });
        var features = new List<(string, string)>();
        foreach (var field in schema.FieldsList.Where(f => f.Name != key && f.Name != time))
        {
            var feature = FeatureNames.Find(field.Name, entity.Features.Features.Where(f => f.Kind is not (FeatureKind.Relation or FeatureKind.Now)).Select(f => f.Name), out _)
                ?? throw new QueryException($"The column '{field.Name}' names no feature of {entity.Name}; its features are "
                                            + $"{string.Join(", ", entity.Features.Features.Where(f => f.Kind is not (FeatureKind.Relation or FeatureKind.Now)).Select(f => f.Name))}.");
            var expected = ArrowColumns.TypeOf(entity.Features[feature].Type);
            if (ArrowTypes.Describe(expected) != ArrowTypes.Describe(field.DataType))
                throw new QueryException($"The column '{field.Name}' is {ArrowTypes.Describe(field.DataType)}, but {entity.Name}.{feature} is stored as {ArrowTypes.Describe(expected)}.");
            features.Add((field.Name, feature));
        }
        if (features.Count == 0) throw new QueryException($"The rows have no feature column besides the key '{key}' and the time '{time}'.");
        return (entity, key, time, features);
    }
}
