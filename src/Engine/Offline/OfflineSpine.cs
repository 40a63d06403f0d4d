using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.ArrowExtensions.Types;
using Dsl.Engine.Graph;
using Dsl.Features;

namespace Dsl.Engine.Offline;

/// <summary>
/// An offline query's spine, checked before any work: the entity and outputs exist, the key and time columns are there and of
/// the right types, and no time is null. Holds only the key and time columns (one row per training example, in spine order).
/// </summary>
internal sealed class OfflineSpine
{
    private OfflineSpine(EntityNode entity, IReadOnlyList<string> outputs, string keyName, string timeName, IArrowArray key, TimestampArray time, long[] micros)
    {
        Entity = entity;
        Outputs = outputs;
        KeyName = keyName;
        TimeName = timeName;
        Key = key;
        Time = time;
        Micros = micros;
    }

    public EntityNode Entity { get; }

    /// <summary>The requested features of <see cref="Entity"/>, each once, in the order asked.</summary>
    public IReadOnlyList<string> Outputs { get; }

    public string KeyName { get; }

    public string TimeName { get; }

    /// <summary>The key column (int64 or utf8).</summary>
    public IArrowArray Key { get; }

    /// <summary>The time column as given (its own unit): what recomputation takes as each row's <c>Now</c>.</summary>
    public TimestampArray Time { get; }

    /// <summary>Each row's time in microseconds, floored: a stored value (microseconds) is visible when its time is at most this.</summary>
    public long[] Micros { get; }

    public int Length => Key.Length;

    /// <summary>Checks the spine's schema and the outputs, before reading any row.</summary>
    /// <exception cref="QueryException">What is wrong, naming the column or feature.</exception>
    public static (EntityNode Entity, IReadOnlyList<string> Outputs, string Key, string Time) Check(EngineGraph graph, Schema schema, IReadOnlyList<string> outputs,
        OfflineQueryOptions options)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        if (outputs.Count == 0) throw new QueryException("The offline query asks for no output; name features, as user.total_spend.");
        EntityNode? entity = null;
        var features = new List<string>();
        foreach (var name in outputs)
        {
            if (name is null) throw new QueryException("An output has no name.");
            if (!graph.TryParseFeature(name, out var feature, out var problem)) throw new QueryException($"The output {problem}.");
            entity ??= graph.FindEntity(feature.Entity);
            if (entity!.Name != feature.Entity)
                throw new QueryException($"The output '{name}' is a feature of {feature.Entity}, but the query is about {entity.Name}; an offline query is about one entity.");
            if (entity.Features[feature.Feature].Kind == FeatureKind.Relation)
                throw new QueryException($"The output '{name}' is the relation {feature}; ask for features computed over it.");
            if (!features.Contains(feature.Feature)) features.Add(feature.Feature);
        }
        if (entity!.PrimaryKey is not { } primary) throw new QueryException($"{entity.Name} has no [PrimaryKey]; an offline spine names entities by it.");

        var names = schema.FieldsList.Select(f => f.Name).ToList();
        var listed = $"the spine's columns are {(names.Count == 0 ? "none" : string.Join(", ", names))}";
        var key = options.KeyColumn is { } givenKey
            ? names.Contains(givenKey) ? givenKey : throw new QueryException($"The spine has no key column '{givenKey}'; {listed}.")
            : FeatureNames.Find(primary.Name, names, out _) ?? FeatureNames.Find(entity.Name + "_" + primary.Name, names, out _)
              ?? throw new QueryException($"The spine has no key column for {entity.Name}.{primary.Name} (looked for '{primary.Name}' and '{entity.Name}_{primary.Name}' "
                                          + $"ignoring case and underscores); {listed}; name it with the key column option.");
        var keyType = schema.GetFieldByName(key).DataType;
        var wantsString = Nullable.GetUnderlyingType(primary.Type) ?? primary.Type;
        if (!OfflineArrays.IsKeyType(keyType) || (keyType is StringType) != (wantsString == typeof(string)))
            throw new QueryException($"The spine's key column '{key}' is {ArrowTypes.Describe(keyType)}, but {entity.Name}.{primary.Name} is {wantsString.Name}.");

        var time = options.TimeColumn;
        if (time is null)
        {
            var timestamps = schema.FieldsList.Where(f => f.DataType is TimestampType).Select(f => f.Name).ToList();
            time = timestamps.Count == 1 ? timestamps[0] : throw new QueryException(timestamps.Count == 0
                ? $"The spine has no timestamp column (each row's point in time); {listed}."
                : $"The spine has several timestamp columns ({string.Join(", ", timestamps)}); name the one with each row's point in time with the time column option.");
        }
        else if (!names.Contains(time)) throw new QueryException($"The spine has no time column '{time}'; {listed}.");
        if (schema.GetFieldByName(time).DataType is not TimestampType)
            throw new QueryException($"The spine's time column '{time}' is {ArrowTypes.Describe(schema.GetFieldByName(time).DataType)}, not a timestamp.");
        return (entity, features, key, time);
    }

    /// <summary>The spine of <paramref name="batch"/>, checked.</summary>
    /// <exception cref="QueryException">What is wrong, naming the column or feature.</exception>
    public static OfflineSpine Read(EngineGraph graph, RecordBatch batch, IReadOnlyList<string> outputs, OfflineQueryOptions options)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var (entity, features, key, time) = Check(graph, batch.Schema, outputs, options);
        return Of(entity, features, key, time, batch.Column(key), batch.Column(time));
    }

    /// <summary>The key and time columns of the spine file at <paramref name="path"/> (only those two are read), checked.</summary>
    public static async Task<OfflineSpine> ReadAsync(EngineGraph graph, string path, IReadOnlyList<string> outputs, OfflineQueryOptions options, CancellationToken cancellationToken)
    {
        if (!File.Exists(path)) throw new QueryException($"The spine file '{path}' does not exist.");
        var (entity, features, key, time) = Check(graph, Runtime.Files.BatchFiles.ReadSchema(path), outputs, options);
        var keys = new List<IArrowArray>();
        var times = new List<IArrowArray>();
        using var reader = Runtime.Files.BatchFiles.OpenRead(path, [key, time]);
        while (await reader.ReadNextRecordBatchAsync(cancellationToken).ConfigureAwait(false) is { } batch)
        {
            keys.Add(batch.Column(key));
            times.Add(batch.Column(time));
        }
        return Of(entity, features, key, time, Concatenate(keys, reader.Schema.GetFieldByName(key).DataType), Concatenate(times, reader.Schema.GetFieldByName(time).DataType));
    }

    private static OfflineSpine Of(EntityNode entity, IReadOnlyList<string> features, string key, string time, IArrowArray keyColumn, IArrowArray timeColumn)
    {
        try
        {
            var keys = OfflineArrays.Key(keyColumn, $"The spine's key column '{key}'");
            var micros = OfflineArrays.MicrosOf(timeColumn, $"The spine's time column '{time}'");
            return new OfflineSpine(entity, features, key, time, keys, (TimestampArray)timeColumn, micros);
        }
        catch (ArgumentException e)
        {
            throw new QueryException(e.Message);
        }
    }

    private static IArrowArray Concatenate(List<IArrowArray> arrays, IArrowType type) => arrays.Count switch
    {
        0 => ArrowArrayFactory.BuildArray(new ArrayData(type, 0, 0, 0, type is StringType
            ? [ArrowBuffer.Empty, new ArrowBuffer(new byte[4]), ArrowBuffer.Empty] : [ArrowBuffer.Empty, ArrowBuffer.Empty])),
        1 => arrays[0],
        _ => ArrowArrayConcatenator.Concatenate(arrays),
    };
}
