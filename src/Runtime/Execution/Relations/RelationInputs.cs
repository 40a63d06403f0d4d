using System.Reflection;
using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.ArrowExtensions;
using Dsl.Codegen.Columns;

namespace Dsl.Runtime.Execution.Relations;

/// <summary>
/// The inputs of a plan that are not columns of the batch: <c>Now</c> (<see cref="RelationInput.NowName"/>) and, per
/// relation, window and parameter type, the related rows each parent sees. Their names are synthetic
/// (<c>$rows:Transactions@7d:List</c>) so they can never clash with a column; <see cref="TypeOf"/> gives the type a
/// kernel binds them as, and <see cref="Materialize"/> builds their values for one evaluation.
/// </summary>
internal sealed class RelationInputs
{
    private static readonly TimestampType s_nowType = new(TimeUnit.Nanosecond, "UTC");
    private readonly IReadOnlyDictionary<string, RelationInput> _relations;
    private readonly Dictionary<string, RowsInput> _rows = new(StringComparer.Ordinal);

    // Has-one inputs: the related row whole ($one:User), whether it is there ($one:User?), a member's column ($one:User.Country).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, OneInput> _ones = new(StringComparer.Ordinal);

    public RelationInputs(IEnumerable<RelationInput> relations)
    {
        _relations = relations.ToDictionary(r => r.Name, StringComparer.Ordinal);
        foreach (var relation in _relations.Values) Check(relation);
    }

    /// <summary>The relations, by name.</summary>
    public IReadOnlyDictionary<string, RelationInput> Relations => _relations;

    /// <summary>
    /// The synthetic input a parameter reads when its target names a relation (exactly, or ignoring case) or <c>Now</c>;
    /// null for an ordinary input.
    /// </summary>
    public string? InputFor(string target, Type parameterType, TimeSpan? window)
    {
        if (target == RelationInput.NowName) return RelationInput.NowName;
        var relation = _relations.Values.FirstOrDefault(r => string.Equals(r.Name, target, StringComparison.Ordinal))
            ?? _relations.Values.SingleOrDefault(r => string.Equals(r.Name, target, StringComparison.OrdinalIgnoreCase));
        if (relation is null) return null;
        if (relation.HasOne)
        {
            if (parameterType != relation.ElementType)
                throw new ArgumentException($"A parameter of type {TypeNames.Display(parameterType)} reads has-one relation '{relation.Name}'; it must be {relation.ElementType.Name} (the related row, or null).");
            var one = $"$one:{relation.Name}";
            _ones.TryAdd(one, new OneInput(relation, null));
            return one;
        }

        var element = SequenceElement(parameterType);
        if (element != relation.ElementType)
            throw new ArgumentException($"A parameter of type {TypeNames.Display(parameterType)} reads relation '{relation.Name}' of {relation.ElementType.Name} rows; it must be a sequence of {relation.ElementType.Name} (an array, IReadOnlyList, IEnumerable, IList or List).");
        var name = $"$rows:{relation.Name}{(window is { } w ? "@" + w.Ticks : "")}:{(parameterType.IsArray ? "array" : "list")}";
        _rows.TryAdd(name, new RowsInput(relation, window, parameterType.IsArray));
        return name;
    }

    /// <summary>The relation a synthetic rows input reads, or null for any other name.</summary>
    public RelationInput? RelationOf(string name) => _rows.TryGetValue(name, out var rows) ? rows.Relation : null;

    /// <summary>A synthetic rows input's relation, window and whether it is an array; null for any other name.</summary>
    public (RelationInput Relation, TimeSpan? Window, bool AsArray)? RowsOf(string name) =>
        _rows.TryGetValue(name, out var rows) ? (rows.Relation, rows.Window, rows.AsArray) : null;

    /// <summary>The has-one relation whose related row (whole) a synthetic input is, or null for any other name.</summary>
    public RelationInput? HasOneOf(string name) => _ones.TryGetValue(name, out var one) && one.Member is null && !one.IsPresence ? one.Relation : null;

    /// <summary>The input holding, per row, whether it has its <paramref name="relation"/> row (a boolean column, never null).</summary>
    public string PresenceInput(RelationInput relation)
    {
        var name = $"$one:{relation.Name}?";
        _ones.TryAdd(name, new OneInput(relation, null, IsPresence: true));
        return name;
    }

    /// <summary>The input holding, per row, <paramref name="member"/> of its <paramref name="relation"/> row (null where there is none).</summary>
    public string MemberInput(RelationInput relation, MemberInfo member)
    {
        var name = $"$one:{relation.Name}.{member.Name}";
        _ones.TryAdd(name, new OneInput(relation, member));
        return name;
    }

    /// <summary>
    /// One parent's value of a synthetic rows input, online: of <paramref name="rows"/> (the entity's related rows, in
    /// their order) those it sees as of <paramref name="now"/>, as the input's collection type.
    /// </summary>
    public object? Online(string name, System.Collections.IEnumerable? rows, DateTime? now)
    {
        if (rows is null) return null;
        var input = _rows[name];
        var relation = input.Relation;
        var eventTime = relation.EventTime is { } time ? EventVisibility.TicksReader(relation.ElementType, time) : null;
        if (eventTime is not null && now is null)
            throw new ArgumentException($"Relation '{relation.Name}' has an event time ({relation.ElementType.Name}.{relation.EventTime}): give the time the features are computed for (now).");
        var visible = new System.Collections.ArrayList();
        foreach (var row in rows)
        {
            if (row is null) throw new ArgumentException($"Relation '{relation.Name}' holds a null row.");
            if (eventTime is not null && !EventVisibility.Sees(eventTime(row), now!.Value.Ticks, input.Window)) continue;

            visible.Add(row);
        }

        if (input.AsArray) return visible.ToArray(relation.ElementType);
        var list = (System.Collections.IList)Activator.CreateInstance(input.CollectionType, visible.Count)!;
        foreach (var row in visible) list.Add(row);
        return list;
    }

    /// <summary>
    /// Whether the Arrow type of synthetic input <paramref name="name"/> depends on the evaluation's related batches (a has-one
    /// relation's member takes its column's type), not only on the plan.
    /// </summary>
    public bool TypeVaries(string name) => _ones.TryGetValue(name, out var one) && !one.IsPresence && one.Member is not null;

    /// <summary>Whether <paramref name="name"/> is a synthetic input.</summary>
    public bool IsSynthetic(string name) => name == RelationInput.NowName || _rows.ContainsKey(name) || _ones.ContainsKey(name);

    /// <summary>The type a kernel binds a synthetic input as (a has-one member's: its column's in the related batch of <paramref name="options"/>).</summary>
    public IArrowType TypeOf(string name, EvaluateOptions options)
    {
        if (name == RelationInput.NowName) return s_nowType;
        if (_rows.TryGetValue(name, out var rows)) return new ClrObjectType(rows.CollectionType);
        var one = _ones[name];
        return one.IsPresence ? BooleanType.Default
            : one.Member is { } member ? HasOneRows.MemberType(one.Relation, RelatedBatch(one.Relation, options), member)
            : new ClrObjectType(one.Relation.ElementType);
    }

    /// <summary>
    /// The values of the synthetic inputs <paramref name="names"/> for one evaluation over <paramref name="parent"/>:
    /// <c>Now</c> as a timestamp column, each relation's rows as an object column of per-parent collections.
    /// </summary>
    /// <exception cref="ArgumentException">A relation's batch is missing, or <c>Now</c> is needed and not given.</exception>
    /// <param name="names">The synthetic inputs the steps read.</param>
    /// <param name="parent">The parent batch.</param>
    /// <param name="options">Now, the Now column and the related batches.</param>
    /// <param name="alsoNow">Whether to build the Now column even when no step reads it (segmented aggregates over relations with an event time do).</param>
    public Dictionary<string, object> Materialize(IEnumerable<string> names, RecordBatch parent, EvaluateOptions options, bool alsoNow = false)
    {
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        var wanted = names.Distinct().ToArray();
        IArrowArray? now = null;
        if (alsoNow || wanted.Contains(RelationInput.NowName) || wanted.Any(n => _rows.TryGetValue(n, out var rows) && rows.Relation.EventTime is not null))
        {
            now = NowColumn(parent, options);
            values[RelationInput.NowName] = now;
        }

        var joined = new Dictionary<string, HasOneRows>(StringComparer.Ordinal);
        foreach (var name in wanted.Where(_ones.ContainsKey))
        {
            var one = _ones[name];
            if (!joined.TryGetValue(one.Relation.Name, out var rows))
                joined[one.Relation.Name] = rows = HasOneRows.Read(one.Relation, parent, RelatedBatch(one.Relation, options));
            values[name] = one.IsPresence ? rows.Present() : one.Member is { } member ? rows.Member(member) : rows.Objects();
        }

        var grouped = new Dictionary<string, RelatedRows>(StringComparer.Ordinal);
        foreach (var name in wanted.Where(_rows.ContainsKey))
        {
            var input = _rows[name];
            if (!grouped.TryGetValue(input.Relation.Name, out var related))
            {
                grouped[input.Relation.Name] = related = RelatedRows.Read(input.Relation, parent, RelatedBatch(input.Relation, options));
            }

            values[name] = related.PerParent(input.CollectionType, input.AsArray, now, input.Window);
        }

        return values;
    }

    /// <summary>The batch of <paramref name="relation"/>'s rows the caller gave (by name, exact then ignoring case).</summary>
    public static RecordBatch RelatedBatch(RelationInput relation, EvaluateOptions options) =>
        options.Related?.FirstOrDefault(r => string.Equals(r.Key, relation.Name, StringComparison.Ordinal)).Value
        ?? options.Related?.FirstOrDefault(r => string.Equals(r.Key, relation.Name, StringComparison.OrdinalIgnoreCase)).Value
        ?? throw new ArgumentException(
            $"Features read relation '{relation.Name}', but no batch of its rows was given (EvaluateOptions.Related[\"{relation.Name}\"]); "
            + $"given: {(options.Related is { Count: > 0 } given ? string.Join(", ", given.Keys) : "none")}.");

    /// <summary><c>Now</c> for every parent row: the batch's <see cref="EvaluateOptions.NowColumn"/>, else the constant <see cref="EvaluateOptions.Now"/>.</summary>
    private static IArrowArray NowColumn(RecordBatch parent, EvaluateOptions options)
    {
        if (options.NowColumn is { } column)
        {
            var index = ColumnNames.IndexOf(parent.Schema.FieldsList.Select(f => f.Name).ToArray(), column);
            if (index < 0) throw new ArgumentException($"The Now column '{column}' is not a column of the batch.");
            var array = parent.Column(index);
            if (array is not TimestampArray timestamps) throw new ArgumentException($"The Now column '{column}' is {ArrowExtensions.Types.ArrowTypes.Describe(array.Data.DataType)}, not a timestamp.");
            ArrowValidator.ValidateColumn(parent, index);
            if (array.NullCount > 0) throw new ArgumentException($"The Now column '{column}' has nulls; every row needs the time it is computed for.");
            // Normalized to nanoseconds, the unit every kernel reading Now is compiled for.
            var unit = ((TimestampType)array.Data.DataType).Unit;
            var bytes = NanosecondBytes(array.Length);
            var converted = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(bytes.AsSpan());
            var source = timestamps.Values;
            for (var p = 0; p < converted.Length; p++)
            {
                converted[p] = TemporalConversions.TimestampFromDateTime(TemporalConversions.DateTimeFromTimestamp(source[p], unit), TimeUnit.Nanosecond);
            }

            return NanosecondColumn(bytes);
        }

        var now = options.Now ?? throw new ArgumentException("Features read Now (F.Now, a [Now] parameter, or a relation with an event time): give EvaluateOptions.Now or NowColumn.");
        var nanoseconds = TemporalConversions.TimestampFromDateTime(now.Kind == DateTimeKind.Local ? now.ToUniversalTime() : now, TimeUnit.Nanosecond);
        var buffer = NanosecondBytes(parent.Length);
        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(buffer.AsSpan()).Fill(nanoseconds);
        return NanosecondColumn(buffer);
    }

    /// <summary>The bytes of a column of <paramref name="rows"/> 64-bit values, which the caller writes every one of (in place: no copy).</summary>
    private static byte[] NanosecondBytes(int rows) => GC.AllocateUninitializedArray<byte>(checked(rows * 8));

    private static TimestampArray NanosecondColumn(byte[] bytes) => new(new ArrayData(s_nowType, bytes.Length / 8, 0, 0, [ArrowBuffer.Empty, new ArrowBuffer(bytes)]));

    private static Type? SequenceElement(Type type)
    {
        if (type.IsArray && type.GetArrayRank() == 1) return type.GetElementType();
        if (!type.IsGenericType) return null;
        var definition = type.GetGenericTypeDefinition();
        return definition == typeof(IReadOnlyList<>) || definition == typeof(IEnumerable<>) || definition == typeof(IList<>) || definition == typeof(List<>)
            || definition == typeof(IReadOnlyCollection<>) || definition == typeof(ICollection<>) ? type.GetGenericArguments()[0] : null;
    }

    private static void Check(RelationInput relation)
    {
        if (relation.ParentKeys.Count == 0 || relation.ParentKeys.Count != relation.RelatedKeys.Count)
            throw new ArgumentException($"Relation '{relation.Name}' needs the same, non-zero number of parent and related keys.");
        if (relation.HasOne && relation.EventTime is not null)
            throw new ArgumentException($"Relation '{relation.Name}' is has-one; it cannot have an event time (only has-many related rows are filtered by time).");
        if (relation.EventTime is { } time && (Nullable.GetUnderlyingType(relation.ElementType.GetProperty(time)?.PropertyType ?? typeof(object)) ?? relation.ElementType.GetProperty(time)?.PropertyType) != typeof(DateTime))
            throw new ArgumentException($"Relation '{relation.Name}': the event time {relation.ElementType.Name}.{time} must be a DateTime property.");
    }

    /// <summary>A has-one input: the related row whole (no member), its presence, or one member's column.</summary>
    private sealed record OneInput(RelationInput Relation, MemberInfo? Member, bool IsPresence = false);

    private sealed record RowsInput(RelationInput Relation, TimeSpan? Window, bool AsArray)
    {
        public Type CollectionType => AsArray ? Relation.ElementType.MakeArrayType() : typeof(List<>).MakeGenericType(Relation.ElementType);
    }
}
