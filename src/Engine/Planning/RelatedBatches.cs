using Apache.Arrow;
using Dsl.Engine.Graph;
using Dsl.Engine.Values;

namespace Dsl.Engine.Planning;

/// <summary>The batches a computation reads: the one-row parent, and related rows with columns named as features.</summary>
internal static class RelatedBatches
{
    /// <summary>The resolver's result with each column named as the feature it gives (other columns dropped).</summary>
    public static RecordBatch Rename(RecordBatch batch, IReadOnlyDictionary<string, string> columnFeatures)
    {
        var fields = new List<Field>();
        var arrays = new List<IArrowArray>();
        foreach (var (column, feature) in columnFeatures)
        {
            var index = batch.Schema.GetFieldIndex(column);
            if (index < 0) throw new InvalidOperationException($"The resolver returned no column '{column}' (it returned {string.Join(", ", batch.Schema.FieldsList.Select(f => f.Name))}).");
            var field = batch.Schema.GetFieldByIndex(index);
            fields.Add(new Field(feature, field.DataType, field.IsNullable));
            arrays.Add(batch.Column(index));
        }
        return new RecordBatch(new Schema(fields, null), arrays, batch.Length);
    }

    /// <summary>The rows with the computed columns added after their own.</summary>
    public static RecordBatch Append(RecordBatch rows, RecordBatch computed)
    {
        var fields = rows.Schema.FieldsList.Concat(computed.Schema.FieldsList).ToList();
        var arrays = rows.Arrays.Concat(computed.Arrays).ToList();
        return new RecordBatch(new Schema(fields, null), arrays, rows.Length);
    }

    /// <summary>
    /// The one row the entity's computation reads: every scalar input of the plan and the relations' parent keys, from the values
    /// the query gave or the lookups returned (null where a lookup failed: the features reading it are failed afterwards).
    /// </summary>
    public static RecordBatch Parent(ComputeStep step, ExecutionState state) => Parent(step, 1, (name, _) => state.Values.GetValueOrDefault(name));

    /// <summary>The parent rows of a computation over <paramref name="count"/> entities: <paramref name="value"/> gives feature's value in a row.</summary>
    public static RecordBatch Parent(ComputeStep step, int count, Func<string, int, object?> value)
    {
        var features = step.Entity.Features;
        var names = step.Plan.Inputs.Select(i => i.Name)
            .Concat(features.Relations.Where(r => step.Relations.Contains(r.Name)).SelectMany(r => r.Keys.Select(k => k.Entity)))
            .Where(n => step.Entity.Find(n) is { Kind: not (FeatureKind.Relation or FeatureKind.Now) })
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var columns = names.Select(n => (n, step.Entity.Find(n)!.Type, (IReadOnlyList<object?>)Enumerable.Range(0, count).Select(row => value(n, row)).ToList())).ToList();
        return ArrowColumns.Batch(columns, count);
    }

    /// <summary>No rows of <paramref name="relation"/>, with a column per feature of the related entity that has one.</summary>
    public static RecordBatch Empty(EntityNode entity, string relation)
    {
        var related = entity.Features.Relations.First(r => r.Name == relation).RelatedType;
        var properties = related.GetProperties().Where(p => ArrowColumns.IsSupported(p.PropertyType)).ToList();
        return ArrowColumns.Batch(properties.Select(p => (p.Name, p.PropertyType, (IReadOnlyList<object?>)[])).ToList(), 0);
    }
}
