using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.ArrowExtensions.Types;
using Dsl.Runtime.Execution.Relations;
using Dsl.Runtime.Files;

namespace Dsl.Engine.Offline;

/// <summary>
/// The embedded offline store: Parquet files in a directory, one folder per entity and feature, partitioned by the UTC day of
/// the values' feature time (<see cref="OfflineLayout"/>). Each file has the columns <c>key</c> (int64 or utf8), <c>value</c>
/// (the feature's type), <c>feature_time</c> and <c>write_time</c> (timestamp[us, UTC]) and <c>write_seq</c> (int64), and is
/// readable by any Parquet tool (<c>SELECT * FROM read_parquet('store/User/TotalSpend/*/*.parquet')</c> in DuckDB).
/// </summary>
/// <remarks>
/// One process writes a store directory at a time (appends are serialized within it). A file is written under a temporary
/// name and renamed once complete and flushed to disk, so a crash mid-append loses at most the rows being appended and never
/// touches earlier files; the temporary files it leaves are deleted when the store is next opened.
/// </remarks>
public sealed class ParquetOfflineStore : IOfflineStore
{
    private readonly string _root;
    private readonly SemaphoreSlim _appending = new(1, 1);
    private readonly ConcurrentDictionary<(string, string), Schema> _schemas = new();
    private long _nextSequence;

    private ParquetOfflineStore(string root, long nextSequence)
    {
        _root = root;
        _nextSequence = nextSequence;
    }

    /// <summary>Opens (creating it when missing) the store in <paramref name="directory"/>, deleting what a crashed writer left.</summary>
    public static ParquetOfflineStore Open(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var root = Path.GetFullPath(directory);
        Directory.CreateDirectory(root);
        foreach (var abandoned in OfflineLayout.Abandoned(root)) File.Delete(abandoned);
        var next = Directory.EnumerateDirectories(root).SelectMany(e => Directory.EnumerateDirectories(e))
            .SelectMany(f => OfflineLayout.Parts(root, Path.GetFileName(Path.GetDirectoryName(f))!, Path.GetFileName(f)))
            .Select(OfflineLayout.NextSequence).DefaultIfEmpty(0).Max();
        return new ParquetOfflineStore(root, next);
    }

    /// <inheritdoc />
    public string Description => $"parquet {_root}";

    /// <inheritdoc />
    public IReadOnlyList<string> Features(string entity) =>
        [.. OfflineLayout.Features(_root, entity).Where(f => OfflineLayout.Parts(_root, entity, f).Any())];

    /// <inheritdoc />
    public async Task AppendAsync(string entity, string feature, RecordBatch rows, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(entity);
        ArgumentException.ThrowIfNullOrEmpty(feature);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Length == 0) return;
        var (key, value, featureTime, writeTime) = Columns(entity, feature, rows);
        await _appending.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var first = _nextSequence;
            var sequence = new long[rows.Length];
            for (var i = 0; i < sequence.Length; i++) sequence[i] = first + i;
            var batch = new RecordBatch(StoredSchema(key.Data.DataType, value.Data.DataType), [key, value,
                OfflineArrays.Timestamps(featureTime), OfflineArrays.Timestamps(writeTime), OfflineArrays.Int64(sequence)], rows.Length);
            CheckSchema(entity, feature, batch.Schema);
            foreach (var (day, indexes) in ByDay(featureTime))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var part = indexes.Length == rows.Length ? batch : Take(batch, indexes);
                WritePart(Path.Combine(OfflineLayout.DayDirectory(_root, entity, feature, day), OfflineLayout.PartName(first + indexes[0], indexes.Length)), part);
            }
            _nextSequence = first + rows.Length;
        }
        finally
        {
            _appending.Release();
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<RecordBatch> ReadAsync(string entity, string feature, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var path in OfflineLayout.Parts(_root, entity, feature))
        {
            using var reader = BatchFiles.OpenRead(path);
            while (await reader.ReadNextRecordBatchAsync(cancellationToken).ConfigureAwait(false) is { } batch)
            {
                if (batch.Length > 0) yield return batch;
            }
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _appending.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>The schema every file of the feature has.</summary>
    internal static Schema StoredSchema(IArrowType key, IArrowType value) => new([
        new Field(OfflineColumns.Key, key, false),
        new Field(OfflineColumns.Value, value, true),
        new Field(OfflineColumns.FeatureTime, OfflineArrays.Micros, false),
        new Field(OfflineColumns.WriteTime, OfflineArrays.Micros, false),
        new Field(OfflineColumns.WriteSequence, Int64Type.Default, false),
    ], null);

    private static (IArrowArray Key, IArrowArray Value, long[] FeatureTime, long[] WriteTime) Columns(string entity, string feature, RecordBatch rows)
    {
        IArrowArray Column(string name) => rows.Column(name) ?? throw new ArgumentException(
            $"Values of {entity}.{feature} need a column '{name}'; the batch has {string.Join(", ", rows.Schema.FieldsList.Select(f => f.Name))}.");
        var key = OfflineArrays.Key(Column(OfflineColumns.Key), $"The key column of {entity}.{feature}");
        var featureTime = OfflineArrays.MicrosOf(Column(OfflineColumns.FeatureTime), $"The feature_time column of {entity}.{feature}");
        long[] writeTime;
        if (rows.Schema.GetFieldIndex(OfflineColumns.WriteTime) >= 0)
        {
            writeTime = OfflineArrays.MicrosOf(rows.Column(OfflineColumns.WriteTime), $"The write_time column of {entity}.{feature}");
        }
        else
        {
            writeTime = new long[rows.Length];
            System.Array.Fill(writeTime, OfflineArrays.FromDateTime(DateTime.UtcNow));
        }
        return (key, Column(OfflineColumns.Value), featureTime, writeTime);
    }

    /// <summary>A feature's files all have one schema: the first append fixes it.</summary>
    private void CheckSchema(string entity, string feature, Schema schema)
    {
        var existing = _schemas.GetOrAdd((entity, feature), _ =>
            OfflineLayout.Parts(_root, entity, feature).FirstOrDefault() is { } first ? BatchFiles.ReadSchema(first) : schema);
        foreach (var name in new[] { OfflineColumns.Key, OfflineColumns.Value })
        {
            var had = existing.GetFieldByName(name)?.DataType;
            var has = schema.GetFieldByName(name).DataType;
            if (had is null || !ArrowTypes.Describe(had).Equals(ArrowTypes.Describe(has), StringComparison.Ordinal))
                throw new ArgumentException($"The {name} column of {entity}.{feature} is {ArrowTypes.Describe(has)}, but the store holds its values as "
                    + $"{(had is null ? "nothing" : ArrowTypes.Describe(had))}; append values of one type.");
        }
    }

    private static IEnumerable<(DateOnly Day, int[] Rows)> ByDay(long[] micros) =>
        Enumerable.Range(0, micros.Length).GroupBy(i => DateOnly.FromDateTime(OfflineArrays.ToDateTime(micros[i])))
            .OrderBy(g => g.Key).Select(g => (g.Key, g.ToArray()));

    internal static RecordBatch Take(RecordBatch batch, int[] rows) =>
        new(batch.Schema, batch.Arrays.Select(a => ColumnGather.Take(a, rows)).ToList(), rows.Length);

    /// <summary>Writes a complete file under a temporary name, flushes it to disk, then renames it into place.</summary>
    private static void WritePart(string path, RecordBatch batch)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = OfflineLayout.TempPath(path);
        using (var writer = BatchFiles.Create(temp, batch.Schema, BatchFileFormat.Parquet)) writer.Write(batch);
        using (var file = new FileStream(temp, FileMode.Open, FileAccess.ReadWrite)) file.Flush(flushToDisk: true);
        File.Move(temp, path);
    }
}
