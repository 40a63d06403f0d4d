using System.Collections.Concurrent;
using System.Reflection;
using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.ArrowExtensions;
using Dsl.ArrowExtensions.Memory;
using Dsl.ArrowExtensions.Types;
using Dsl.Codegen;
using Dsl.Codegen.Aggregation;
using Dsl.Codegen.Columns;

namespace Dsl.Runtime.Execution.Relations;

/// <summary>
/// Runs a plan's segmented aggregates for one evaluation: per relation, joins the related batch to the parent batch,
/// binds the columns the aggregates read, and runs the relation's kernel (compiled once per column layout) over parent
/// ranges on the requested threads — one pass over the related rows per range, all aggregates of the relation at once.
/// The result is one value column per aggregate (and an error column for those that can fail), by name.
/// </summary>
internal sealed class RelationAggregation(IReadOnlyList<PlannedAggregate> aggregates)
{
    private readonly ConcurrentDictionary<KernelKey, AggregationBody> _kernels = new();

    // Per relation, what does not depend on the batch: its aggregates, the members and outer inputs they read, and their segmented
    // form. Worked out once, not in every evaluation (an online query evaluates once per query).
    private readonly RelationGroup[] _groups = aggregates.GroupBy(a => a.Relation.Name).Select(RelationGroup.Of).ToArray();

    // The last join's parent map, for the next evaluation to write into: the related batch is often the same size each time,
    // and a new array of one int per related row (40 MB for 10M rows) costs page faults and a full GC's budget per evaluation.
    // Weak, so an idle plan holds no memory the GC wants; taken while in use, so concurrent evaluations never share it.
    private readonly WeakReference<int[]?> _spareParentOf = new(null);

    // The last shared row selection's arrays (a slot per related row), for the next evaluation on several threads: as with
    // the parent map, new ones would be faulted in each time. Weak, and taken while in use.
    private readonly WeakReference<SelectionBuffers?> _spareSelection = new(null);

    // The kernels' parent state of earlier evaluations (W5-3w: 44 MB), cleared and reused instead of faulted in again.
    private readonly StatePool _statePool = new();

    /// <summary>The array an earlier evaluation left in <paramref name="spare"/>, taken out of it (null: none, or collected).</summary>
    private static T? Take<T>(WeakReference<T?> spare)
        where T : class
    {
        lock (spare)
        {
            if (!spare.TryGetTarget(out var value)) return null;
            spare.SetTarget(null);
            return value;
        }
    }

    /// <summary>How many aggregates the plan computes this way.</summary>
    public int Count => aggregates.Count;

    /// <summary>The aggregates, in plan order.</summary>
    public IReadOnlyList<PlannedAggregate> Aggregates => aggregates;

    /// <summary>The value and error columns the aggregates produce.</summary>
    public IEnumerable<string> Outputs => aggregates.SelectMany(a => a.CanFail ? new[] { a.ValueName, a.ErrorName } : [a.ValueName]);

    /// <summary>Whether some aggregate needs <c>Now</c>: its relation has an event time, or a lambda reads it.</summary>
    public bool NeedsNow => aggregates.Any(a => a.Relation.EventTime is not null || a.OuterReads.Any(p => a.OuterInputs[p] == RelationInput.NowName));

    /// <summary>Whether <paramref name="name"/> is one of the aggregates' columns.</summary>
    public bool Produces(string name) => aggregates.Any(a => a.ValueName == name || (a.CanFail && a.ErrorName == name));

    /// <summary>The Arrow type of an aggregate column.</summary>
    public IArrowType TypeOf(string name)
    {
        var aggregate = aggregates.First(a => a.ValueName == name || a.ErrorName == name);
        return name == aggregate.ErrorName ? StringType.Default : ColumnTypes.ArrowTypeOf(aggregate.Type);
    }

    /// <summary>
    /// Computes every aggregate over <paramref name="parent"/>'s rows: a value column (<see cref="IArrowArray"/>) per
    /// aggregate, whose memory goes to <paramref name="memory"/>, and an <see cref="AggregateErrorColumn"/> per aggregate that can fail.
    /// </summary>
    public Dictionary<string, object> Run(RecordBatch parent, EvaluateOptions options, IArrowArray? now, NativeBlockSet memory, int threads)
    {
        var columns = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (relation, list, members, outerInputs, segmented) in _groups)
        {
            var related = RelationInputs.RelatedBatch(relation, options);
            var join = RelationJoin.Build(relation.Name,
                relation.ParentKeys.Select(k => KeyColumn(parent, k, relation, "parent")).ToArray(),
                relation.RelatedKeys.Select(k => KeyColumn(related, k, relation, "related")).ToArray(), threads: threads, reuse: Take(_spareParentOf));
            var eventColumn = relation.EventTime is { } eventTime ? EventColumn(KeyColumn(related, eventTime, relation, "related")) : null;
            if (eventColumn is not null && now is null) throw new ArgumentException($"Relation '{relation.Name}' has an event time: give EvaluateOptions.Now or NowColumn.");
            var nowTicks = eventColumn is null ? null : Ticks(now!);
            var eventUnit = eventColumn is null ? TimeUnit.Nanosecond : ((TimestampType)eventColumn.Data.DataType).Unit;

            // Bind: related columns by member (the batch checked against the element type as the row-by-row path checks it), parent columns by outer input.
            var bound = ElementReader.BindMembers(relation, related, join.ParentOf);
            var relatedColumns = members.Select(m => MemberColumn(related, m, relation, bound)).ToArray();
            var parentColumns = outerInputs.Select(input => input == RelationInput.NowName
                ? now ?? throw new ArgumentException("The aggregates read Now: give EvaluateOptions.Now or NowColumn.")
                : ParentColumn(parent, input)).ToArray();
            var kernel = KernelFor(relation.Name, segmented, relatedColumns, parentColumns, eventColumn);

            using var pins = new ColumnPins();
            var (ranges, rangeSize) = Ranges(parent.Length, threads);
            // Runs on several threads share one narrowing of the related rows by event time (each selects a share of it).
            var selection = ranges > 1 && eventColumn is not null
                ? new SharedSelection(join.ParentOf, parent.Length, rangeSize, SharedSelection.ChunkRowsFor(join.ParentOf.Length, ranges),
                    TemporalConversions.TimestampRange(eventUnit).Min, TemporalConversions.TimestampRange(eventUnit).Max, Take(_spareSelection))
                : null;
            var outputs = list.Select(a => OutputColumn.Create(a.ArrowType, parent.Length, everyRowWritten: true)).ToArray();
            try
            {
                var sinks = list.Select(_ => new AggregateErrors()).ToArray();
                var frame = new AggregationFrame(join.ParentOf, eventColumn is null ? null : ArrowColumns.View(eventColumn, pins), eventUnit, nowTicks,
                    relatedColumns.Select(c => ArrowColumns.View(c, pins)).ToArray(), parentColumns.Select(c => ArrowColumns.View(c, pins)).ToArray(), outputs, sinks)
                    { StatePool = _statePool, Selection = selection };
                RunRanges(kernel, frame, parent.Length, ranges, rangeSize, threads);
                if (frame.OutOfRangeRow >= 0) TemporalConversions.DateTimeFromTimestamp(((TimestampArray)eventColumn!).Values[frame.OutOfRangeRow], eventUnit); // throws
                for (var k = 0; k < list.Length; k++)
                {
                    columns[list[k].ValueName] = outputs[k].ToArray(memory);
                    if (list[k].CanFail) columns[list[k].ErrorName] = new AggregateErrorColumn(sinks[k], parent.Length);
                }
            }
            finally
            {
                foreach (var output in outputs) output.Dispose();
                lock (_spareParentOf) _spareParentOf.SetTarget(join.ParentOf);
                if (selection is not null) lock (_spareSelection) _spareSelection.SetTarget(selection.Buffers);
            }
        }

        return columns;
    }

    /// <summary>How many parent ranges a run on <paramref name="threads"/> threads makes, and their size: a multiple of 64 (no two runs share a validity word).</summary>
    private static (int Ranges, int Size) Ranges(int parents, int threads)
    {
        var ranges = Math.Max(1, Math.Min(threads, (parents + 63) / 64));
        return (ranges, ((parents + ranges - 1) / ranges + 63) & ~63);
    }

    /// <summary>The kernel over parent ranges of <paramref name="size"/> (<see cref="Ranges"/>), on up to <paramref name="threads"/> threads.</summary>
    private static void RunRanges(AggregationBody kernel, AggregationFrame frame, int parents, int ranges, int size, int threads)
    {
        if (ranges == 1)
        {
            kernel(frame, 0, parents);
            return;
        }

        Parallel.For(0, ranges, new ParallelOptions { MaxDegreeOfParallelism = threads }, k =>
        {
            var start = Math.Min(parents, k * size);
            var end = Math.Min(parents, start + size);
            if (start < end) kernel(frame, start, end);
        });
    }

    private AggregationBody KernelFor(string relation, SegmentedAggregate[] aggregates, IArrowArray[] related, IArrowArray[] parents, IArrowArray? eventTime)
    {
        // The relation fixes how many columns of each kind there are (and whether an event time is read), so its name and the
        // types in one list identify the layout; compared as types, finding the kernel again writes no text per evaluation.
        var types = (eventTime is null ? related : related.Prepend(eventTime)).Concat(parents).Select(c => c.Data.DataType).ToArray();
        return _kernels.GetOrAdd(new KernelKey(relation, types), _ => AggregationKernelGenerator.Generate(aggregates,
            related.Select(c => ColumnTypes.LayoutOf(c.Data.DataType)).ToArray(),
            parents.Select(c => ColumnTypes.LayoutOf(c.Data.DataType)).ToArray(), eventTime is null ? null : ColumnTypes.LayoutOf(eventTime.Data.DataType)).Compile());
    }

    /// <summary>One relation's aggregates, with what they read (<paramref name="Members"/> of the related rows, outer inputs of the parent) and their segmented form.</summary>
    private sealed record RelationGroup(RelationInput Relation, PlannedAggregate[] Aggregates, PropertyInfo[] Members, string[] OuterInputs, SegmentedAggregate[] Segmented)
    {
        public static RelationGroup Of(IGrouping<string, PlannedAggregate> group)
        {
            var list = group.ToArray();
            var relation = list[0].Relation;
            var eventMember = relation.EventTime is { } name ? relation.ElementType.GetProperty(name) : null;
            var members = list.SelectMany(a => a.Members).Distinct().ToArray();
            var outerInputs = list.SelectMany(a => a.OuterReads.Select(p => a.OuterInputs[p])).Distinct(StringComparer.Ordinal).ToArray();
            var segmented = list.Select(a => new SegmentedAggregate(a.Node, a.Window,
                a.Members.ToDictionary(m => (MemberInfo)m, m => System.Array.IndexOf(members, m)),
                a.OuterReads.ToDictionary(p => p, p => System.Array.IndexOf(outerInputs, a.OuterInputs[p]))) { EventTime = eventMember, Projection = a.Projection }).ToArray();
            return new RelationGroup(relation, list, members, outerInputs, segmented);
        }
    }

    /// <summary>What a relation's kernel is compiled for: the relation, and the Arrow types of the columns it reads.</summary>
    private sealed record KernelKey(string Relation, IArrowType[] Types)
    {
        public bool Equals(KernelKey? other) => other is not null && Relation == other.Relation && ArrowTypes.Lists.Equals(Types, other.Types);

        public override int GetHashCode() => HashCode.Combine(Relation, ArrowTypes.Lists.GetHashCode(Types));
    }

    /// <summary>The event-time column, which the kernel reads as raw timestamps (a null one is never visible).</summary>
    private static IArrowArray EventColumn(IArrowArray column) => column is TimestampArray
        ? column
        : throw new ArgumentException($"An event time column must be a timestamp, not {ArrowTypes.Describe(column.Data.DataType)}.");

    /// <summary>Ticks of a timestamp column (null: <see cref="long.MaxValue"/>, after every Now: never visible).</summary>
    private static long[] Ticks(IArrowArray column)
    {
        if (column is not TimestampArray timestamps) throw new ArgumentException($"An event time or Now column must be a timestamp, not {ArrowTypes.Describe(column.Data.DataType)}.");
        var unit = ((TimestampType)timestamps.Data.DataType).Unit;
        var ticks = GC.AllocateUninitializedArray<long>(column.Length);
        var values = timestamps.Values;
        // One Now for every parent (the usual batch): one conversion and a fill, where the loop below ran on one thread
        // while the ranges waited to start (a vectorized test that every value is the first one's).
        if (column.NullCount == 0 && values.Length > 0 && values.IndexOfAnyExcept(values[0]) < 0)
        {
            System.Array.Fill(ticks, TemporalConversions.DateTimeFromTimestamp(values[0], unit).Ticks);
            return ticks;
        }

        var hasNulls = column.NullCount > 0;
        // Parents usually share one Now: a value equal to the previous one reuses its conversion (this loop runs on one thread).
        long previousRaw = 0, previousTicks = 0;
        var converted = false;
        for (var i = 0; i < ticks.Length; i++)
        {
            if (hasNulls && timestamps.IsNull(i))
            {
                ticks[i] = long.MaxValue;
                continue;
            }

            if (!converted || values[i] != previousRaw)
            {
                previousTicks = TemporalConversions.DateTimeFromTimestamp(values[i], unit).Ticks;
                previousRaw = values[i];
                converted = true;
            }

            ticks[i] = previousTicks;
        }
        return ticks;
    }

    private static IArrowArray MemberColumn(RecordBatch related, PropertyInfo member, RelationInput relation, List<(MemberInfo Member, int Column)> bound)
    {
        foreach (var (boundMember, column) in bound)
        {
            if (boundMember == member || (boundMember.Name == member.Name && boundMember.DeclaringType == member.DeclaringType)) return related.Column(column);
        }

        var names = related.Schema.FieldsList.Select(f => f.Name);
        throw new ColumnBindingException(
            $"Relation '{relation.Name}': the features read {relation.ElementType.Name}.{member.Name}, but the related batch has no column '{member.Name}'; its columns are {string.Join(", ", names)}.",
            member.Name, member.Name, member.PropertyType, null);
    }

    private static IArrowArray ParentColumn(RecordBatch parent, string name)
    {
        var index = ColumnNames.IndexOf(parent.Schema.FieldsList.Select(f => f.Name).ToArray(), name);
        if (index < 0) throw new ColumnBindingException($"The aggregates read column '{name}', which the batch does not have.", name, name, typeof(object), null);
        ArrowValidator.ValidateColumn(parent, index);
        return parent.Column(index);
    }

    internal static IArrowArray KeyColumn(RecordBatch batch, string name, RelationInput relation, string side)
    {
        var index = ColumnNames.IndexOf(batch.Schema.FieldsList.Select(f => f.Name).ToArray(), name);
        if (index < 0)
        {
            throw new ColumnBindingException(
                $"Relation '{relation.Name}': the {side} batch has no column '{name}'; its columns are {string.Join(", ", batch.Schema.FieldsList.Select(f => f.Name))}.",
                relation.Name, name, typeof(object), null);
        }

        ArrowValidator.ValidateColumn(batch, index);
        return batch.Column(index);
    }
}
