using Apache.Arrow;
using Dsl.Engine.Graph;
using Dsl.Engine.Values;

namespace Dsl.Engine.Planning;

/// <summary>The batches a computation reads: the one-row parent, and related rows with columns named as features.</summary>
internal static class RelatedBatches
{
    /// <summary>The resolver's result with each column named as the feature it gives (other columns dropped).</summary>
    public static RecordBatch Rename(RecordBatch batch, IReadOnlyDictionary<string, string> columnFeatures) => Rename(batch, columnFeatures, null);

    /// <summary>
    /// As <see cref="Rename(RecordBatch, IReadOnlyDictionary{string, string})"/>, remembering the renamed schema in <paramref name="cache"/>: a
    /// resolver answers with the same schema object every time, so later batches reuse it (making an Arrow schema indexes its names).
    /// </summary>
    public static RecordBatch Rename(RecordBatch batch, IReadOnlyDictionary<string, string> columnFeatures, RenamedSchemaCache? cache)
    {
        if (cache?.Last is { } last && ReferenceEquals(last.Source, batch.Schema))
        {
            var columns = new IArrowArray[last.Indices.Length];
            for (var i = 0; i < columns.Length; i++) columns[i] = batch.Column(last.Indices[i]);
            return new RecordBatch(last.Renamed, columns, batch.Length);
        }
        var fields = new List<Field>();
        var indices = new List<int>();
        var arrays = new List<IArrowArray>();
        foreach (var (column, feature) in columnFeatures)
        {
            var index = batch.Schema.GetFieldIndex(column);
            if (index < 0) throw new InvalidOperationException($"The resolver returned no column '{column}' (it returned {string.Join(", ", batch.Schema.FieldsList.Select(f => f.Name))}).");
            var field = batch.Schema.GetFieldByIndex(index);
            fields.Add(new Field(feature, field.DataType, field.IsNullable));
            arrays.Add(batch.Column(index));
            indices.Add(index);
        }
        var schema = new Schema(fields, null);
        if (cache is not null) cache.Last = new RenamedSchema(batch.Schema, schema, [.. indices]);
        return new RecordBatch(schema, arrays, batch.Length);
    }

    /// <summary>The rows with the computed columns added after their own.</summary>
    public static RecordBatch Append(RecordBatch rows, RecordBatch computed)
    {
        var fields = rows.Schema.FieldsList.Concat(computed.Schema.FieldsList).ToList();
        var arrays = rows.Arrays.Concat(computed.Arrays).ToList();
        return new RecordBatch(new Schema(fields, null), arrays, rows.Length);
    }

    /// <summary>
    /// The rows the entity's computation reads, one per entity of <paramref name="rows"/>: every scalar input of the plan and the
    /// relations' parent keys, from the values the query gave or the lookups returned (null where a lookup failed: the features
    /// reading it are failed afterwards).
    /// </summary>
    public static RecordBatch Parent(ComputeStep step, ExecutionState state, IReadOnlyList<int> rows)
    {
        var names = step.ParentColumns;
        var arrays = new IArrowArray[names.Count];
        for (var c = 0; c < names.Count; c++)
        {
            var values = state.Values.TryGetValue(names[c], out var column) ? column : null;
            var cells = new object?[rows.Count];
            for (var r = 0; r < cells.Length; r++) cells[r] = values?[rows[r]];
            arrays[c] = ArrowColumns.Build(step.Entity.Features[names[c]].Type, cells);
        }
        // The schema is the same every run (names and the features' types): made once per step.
        var schema = step.ParentSchema ??= new Schema(names.Select(n => new Field(n, ArrowColumns.TypeOf(step.Entity.Features[n].Type), true)), null);
        return new RecordBatch(schema, arrays, rows.Count);
    }

    /// <summary>
    /// The entities split into groups that can be computed together: a has-many join needs the parents' keys distinct and not null, so an
    /// entity whose relation key repeats one already in a group goes to the next, and one whose key is null is computed alone (as
    /// its own query would be). Without relations, or with distinct keys (the usual case), all entities are one group.
    /// </summary>
    public static IEnumerable<List<int>> Parents(ComputeStep step, ExecutionState state)
    {
        var keys = step.Entity.Features.Relations.Where(r => r.Kind == RelationKind.HasMany && step.Relations.Contains(r.Name)).SelectMany(r => r.Keys.Select(k => k.Entity))
            .Distinct(StringComparer.Ordinal).Select(k => state.Values.TryGetValue(k, out var column) ? column : new object?[state.Rows]).ToList();
        if (keys.Count == 0)
        {
            yield return [.. Enumerable.Range(0, state.Rows)];
            yield break;
        }
        var groups = new List<(List<int> Rows, HashSet<object?[]> Keys)>();
        for (var row = 0; row < state.Rows; row++)
        {
            if (keys.Any(k => k[row] is null))
            {
                yield return [row];
                continue;
            }
            var key = keys.Select(k => k[row]).ToArray();
            var group = groups.FirstOrDefault(g => !g.Keys.Contains(key));
            if (group.Rows is null) groups.Add(group = ([], new HashSet<object?[]>(ValuesComparer.Instance)));
            group.Rows.Add(row);
            group.Keys.Add(key);
        }
        foreach (var group in groups) yield return group.Rows;
    }

    /// <summary>The columns of the batch <see cref="Parent"/> makes for <paramref name="step"/> (the same for every run: <see cref="ComputeStep.ParentColumns"/>).</summary>
    internal static List<string> ParentColumns(ComputeStep step)
    {
        var features = step.Entity.Features;
        return step.Plan.Inputs.Select(i => i.Name)
            .Concat(features.Relations.Where(r => step.Relations.Contains(r.Name)).SelectMany(r => r.Keys.Select(k => k.Entity)))
            .Where(n => step.Entity.Find(n) is { Kind: not (FeatureKind.Relation or FeatureKind.Now) })
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The rows of <paramref name="batch"/> that <paramref name="keep"/> keeps, in order (runs of kept rows sliced and joined).</summary>
    public static RecordBatch Where(RecordBatch batch, Func<int, bool> keep)
    {
        var runs = new List<RecordBatch>();
        for (var start = 0; start < batch.Length;)
        {
            if (!keep(start))
            {
                start++;
                continue;
            }
            var end = start + 1;
            while (end < batch.Length && keep(end)) end++;
            runs.Add(batch.Slice(start, end - start));
            start = end;
        }
        return Resolvers.KeyedBatches.Concatenate(batch.Schema, runs);
    }

    /// <summary>No rows of <paramref name="relation"/>, with a column per feature of the related entity that has one.</summary>
    public static RecordBatch Empty(EntityNode entity, string relation)
    {
        var related = entity.Features.Relations.First(r => r.Name == relation).RelatedType;
        var properties = related.GetProperties().Where(p => ArrowColumns.IsSupported(p.PropertyType)).ToList();
        return ArrowColumns.Batch(properties.Select(p => (p.Name, p.PropertyType, (IReadOnlyList<object?>)[])).ToList(), 0);
    }
}

/// <summary>A resolver's schema and its renamed form (<see cref="RelatedBatches.Rename(RecordBatch, IReadOnlyDictionary{string, string}, RenamedSchemaCache?)"/>).</summary>
internal sealed record RenamedSchema(Schema Source, Schema Renamed, int[] Indices);

/// <summary>The last schema renamed for one step; replaced whole, so concurrent queries read a consistent one.</summary>
internal sealed class RenamedSchemaCache
{
    public volatile RenamedSchema? Last;
}
