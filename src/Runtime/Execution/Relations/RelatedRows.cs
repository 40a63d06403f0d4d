using System.Collections;
using System.Linq.Expressions;
using System.Reflection;
using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.ArrowExtensions;
using Dsl.Codegen.Columns;

namespace Dsl.Runtime.Execution.Relations;

/// <summary>
/// A relation's related batch read as objects and joined to the parent batch: per related row its element object and
/// its parent (<see cref="RelationJoin"/>), and per parent, on demand, the collection of the rows it sees — those
/// whose event time is at or before the parent's <c>Now</c> (and after <c>Now − window</c> for a windowed feature),
/// in the related batch's row order. This is how functions that run row by row over related rows get them (the
/// fallback, and IR the segmented aggregation does not cover).
/// </summary>
internal sealed class RelatedRows
{
    private readonly RelationInput _relation;
    private readonly object?[] _elements;
    private readonly RelationJoin _join;
    private readonly long[]? _eventTicks;

    private RelatedRows(RelationInput relation, object?[] elements, RelationJoin join, long[]? eventTicks)
    {
        _relation = relation;
        _elements = elements;
        _join = join;
        _eventTicks = eventTicks;
    }

    /// <summary>The join of the related rows to the parents.</summary>
    public RelationJoin Join => _join;

    /// <summary>Reads <paramref name="related"/> as element objects and joins it to <paramref name="parent"/>.</summary>
    /// <exception cref="ColumnBindingException">A key or event-time column is missing, or a column cannot be read as its member.</exception>
    public static RelatedRows Read(RelationInput relation, RecordBatch parent, RecordBatch related)
    {
        var parentKeys = relation.ParentKeys.Select(k => KeyColumn(parent, k, relation, "parent")).ToArray();
        var relatedKeys = relation.RelatedKeys.Select(k => KeyColumn(related, k, relation, "related")).ToArray();
        var join = RelationJoin.Build(relation.Name, parentKeys, relatedKeys);
        var elements = ElementReader.ReadAll(relation, related, join.ParentOf);
        long[]? eventTicks = null;
        if (relation.EventTime is { } eventTime)
        {
            var ticksOf = EventVisibility.TicksReader(relation.ElementType, eventTime);
            eventTicks = new long[elements.Length];
            for (var r = 0; r < elements.Length; r++) eventTicks[r] = elements[r] is { } element ? ticksOf(element) : EventVisibility.Null;
        }

        return new RelatedRows(relation, elements, join, eventTicks);
    }

    /// <summary>
    /// An object column with, per parent, the related rows it sees as a <paramref name="collectionType"/>
    /// (<c>T[]</c> or <c>List&lt;T&gt;</c>).
    /// </summary>
    public ObjectColumn PerParent(Type collectionType, bool asArray, IArrowArray? now, TimeSpan? window)
    {
        var parentOf = _join.ParentOf;
        var parents = now?.Length ?? (parentOf.Length == 0 ? 0 : parentOf.Max() + 1);
        var nowTicks = now is null ? null : NowTicks((TimestampArray)now);
        var counts = new int[parents + 1];
        for (var r = 0; r < parentOf.Length; r++)
        {
            if (Sees(parentOf[r], r, nowTicks, window)) counts[parentOf[r] + 1]++;
        }

        for (var p = 0; p < parents; p++) counts[p + 1] += counts[p];
        var rows = new int[counts[parents]];
        var next = (int[])counts.Clone();
        for (var r = 0; r < parentOf.Length; r++)
        {
            if (Sees(parentOf[r], r, nowTicks, window)) rows[next[parentOf[r]]++] = r;
        }

        var values = new object?[parents];
        for (var p = 0; p < parents; p++)
        {
            var count = counts[p + 1] - counts[p];
            if (asArray)
            {
                var array = System.Array.CreateInstance(_relation.ElementType, count);
                for (var j = 0; j < count; j++) array.SetValue(_elements[rows[counts[p] + j]], j);
                values[p] = array;
            }
            else
            {
                var list = (IList)Activator.CreateInstance(collectionType, count)!;
                for (var j = 0; j < count; j++) list.Add(_elements[rows[counts[p] + j]]);
                values[p] = list;
            }
        }

        return new ObjectColumn(collectionType, values);
    }

    private bool Sees(int parent, int row, long[]? nowTicks, TimeSpan? window)
    {
        if (parent < 0) return false;
        return _eventTicks is null || nowTicks is null || EventVisibility.Sees(_eventTicks[row], nowTicks[parent], window);
    }

    private static long[] NowTicks(TimestampArray now)
    {
        var type = (TimestampType)now.Data.DataType;
        var ticks = new long[now.Length];
        for (var p = 0; p < ticks.Length; p++) ticks[p] = TemporalConversions.DateTimeFromTimestamp(now.Values[p], type.Unit).Ticks;
        return ticks;
    }

    /// <summary>A key column of <paramref name="batch"/> by name (exact, then ignoring case), validated; <paramref name="side"/> names the batch in messages.</summary>
    internal static IArrowArray KeyColumn(RecordBatch batch, string name, RelationInput relation, string side)
    {
        var index = ColumnNames.IndexOf(batch.Schema.FieldsList.Select(f => f.Name).ToArray(), name);
        if (index < 0)
        {
            throw new ColumnBindingException(
                $"Relation '{relation.Name}': the {side} batch has no key column '{name}'; its columns are {string.Join(", ", batch.Schema.FieldsList.Select(f => f.Name))}.",
                relation.Name, name, typeof(object), null);
        }

        ArrowValidator.ValidateColumn(batch, index);
        return batch.Column(index);
    }
}

/// <summary>Builds the element objects of a related batch: a compiled reader per element type and column types.</summary>
internal static class ElementReader
{
    /// <summary>
    /// One element per related row that belongs to a parent (null for the others), each settable property or public field
    /// read from the column of its name (exact, then ignoring case).
    /// </summary>
    public static object?[] ReadAll(RelationInput relation, RecordBatch related, int[] parentOf)
    {
        var type = relation.ElementType;
        var members = BindMembers(relation, related, parentOf);
        var elements = new object?[related.Length];
        using var pins = new ColumnPins();
        var views = members.Select(m => ArrowColumns.View(related.Column(m.Column), pins)).ToArray();
        Compile(type, members.Select(m => m.Member).ToArray(), views.Select(v => v.Layout).ToArray())(views, elements, parentOf);
        return elements;
    }

    /// <summary>
    /// The element's settable properties and public fields that have a column in the related batch (by name, exact then
    /// ignoring case), each checked: its column's type reads as the member's, and it has a value in every row that belongs
    /// to a parent when the member cannot hold a null. Both paths check the same, so a batch either fits the element type
    /// or is refused, whichever path evaluates it.
    /// </summary>
    public static List<(MemberInfo Member, int Column)> BindMembers(RelationInput relation, RecordBatch related, int[] parentOf)
    {
        var type = relation.ElementType;
        var names = related.Schema.FieldsList.Select(f => f.Name).ToArray();
        var members = new List<(MemberInfo Member, int Column)>();
        var settable = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0)
            .Select(p => (Member: (MemberInfo)p, Type: p.PropertyType))
            .Concat(type.GetFields(BindingFlags.Public | BindingFlags.Instance).Where(f => !f.IsInitOnly).Select(f => (Member: (MemberInfo)f, Type: f.FieldType)));
        foreach (var (member, memberType) in settable)
        {
            var index = ColumnNames.IndexOf(names, member.Name);
            if (index < 0) continue; // a member without a column keeps its default (computed features of the related entity, relations)
            var column = related.Column(index);
            if (!ColumnTypes.CanBind(column.Data.DataType, memberType))
            {
                throw new ColumnBindingException(
                    $"Relation '{relation.Name}': column '{names[index]}' has Arrow type {ArrowExtensions.Types.ArrowTypes.Describe(column.Data.DataType)}, which cannot be read as {type.Name}.{member.Name} ({TypeNames.Display(memberType)}).",
                    member.Name, names[index], memberType, ArrowExtensions.Types.ArrowTypes.Describe(column.Data.DataType));
            }

            ArrowValidator.ValidateColumn(related, index);
            if (memberType.IsValueType && Nullable.GetUnderlyingType(memberType) is null) CheckNoNulls(relation, related, index, member, parentOf);
            members.Add((member, index));
        }

        return members;
    }

    /// <summary>
    /// A related row some parent may see must have a value for every non-nullable member the rows are read into; rows that
    /// belong to no parent (null or orphan keys) are never read.
    /// </summary>
    /// <exception cref="ColumnBindingException">A column bound to a non-nullable member is null in a row that belongs to a parent.</exception>
    private static void CheckNoNulls(RelationInput relation, RecordBatch related, int index, MemberInfo member, int[] parentOf)
    {
        var column = related.Column(index);
        if (column.NullCount == 0) return;
        for (var r = 0; r < parentOf.Length; r++)
        {
            if (parentOf[r] < 0 || !column.IsNull(r)) continue;
            var type = member is PropertyInfo p ? p.PropertyType : ((FieldInfo)member).FieldType;
            var name = related.Schema.FieldsList[index].Name;
            throw new ColumnBindingException(
                $"Relation '{relation.Name}': column '{name}' is null at row {r}, but {relation.ElementType.Name}.{member.Name} is {TypeNames.Display(type)}, which cannot hold a null; declare it {TypeNames.Display(type)}?.",
                member.Name, name, type, ArrowExtensions.Types.ArrowTypes.Describe(column.Data.DataType));
        }
    }

    private static Action<ColumnView[], object?[], int[]> Compile(Type type, MemberInfo[] properties, ColumnLayout[] layouts)
    {
        var views = Expression.Parameter(typeof(ColumnView[]), "views");
        var elements = Expression.Parameter(typeof(object?[]), "elements");
        var parentOf = Expression.Parameter(typeof(int[]), "parentOf");
        var columns = layouts.Select((layout, k) => ColumnLocals.Declare(layout, "c" + k)).ToArray();
        var i = Expression.Variable(typeof(int), "i");
        var row = Expression.Convert(i, typeof(long));
        var done = Expression.Label("done");
        var create = Expression.MemberInit(Expression.New(type),
            properties.Select((p, k) => Expression.Bind(p, ColumnAccess.Read(columns[k], row, p is PropertyInfo property ? property.PropertyType : ((FieldInfo)p).FieldType))));
        var statements = new List<Expression>();
        for (var k = 0; k < columns.Length; k++) statements.AddRange(columns[k].Load(Expression.ArrayIndex(views, Expression.Constant(k))));
        statements.Add(Expression.Assign(i, Expression.Constant(0)));
        statements.Add(Expression.Loop(
            Expression.IfThenElse(Expression.LessThan(i, Expression.ArrayLength(elements)),
                Expression.Block(
                    Expression.IfThen(Expression.GreaterThanOrEqual(Expression.ArrayIndex(parentOf, i), Expression.Constant(0)),
                        Expression.Assign(Expression.ArrayAccess(elements, i), Expression.Convert(create, typeof(object)))),
                    Expression.PreIncrementAssign(i)),
                Expression.Break(done)),
            done));
        var variables = columns.SelectMany(c => c.Variables()).Append(i);
        return Expression.Lambda<Action<ColumnView[], object?[], int[]>>(Expression.Block(variables, statements), views, elements, parentOf).Compile();
    }
}
