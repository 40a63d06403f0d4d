using System.Reflection;
using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.Codegen.Columns;

namespace Dsl.Runtime.Execution.Relations;

/// <summary>
/// A has-one relation's related batch joined to the batch: per row of the batch, the related row whose unique key equals
/// the row's foreign key (<see cref="RowOf"/>), or -1 when the foreign key is null or matches no related row (the row sees
/// a null related object). The related rows reach functions either whole (<see cref="Objects"/>, each related row read
/// once into an element object) or as columns gathered row-aligned with the batch (<see cref="Present"/>,
/// <see cref="Member"/>), which compiled kernels read like any column.
/// </summary>
/// <remarks>
/// Related keys must be unique and not null (else a <see cref="RelationKeyException"/> naming the key column and the rows).
/// The related batch is checked against the element type once, the same way on both routes (<see cref="ElementReader.BindMembers"/>),
/// over the related rows some row of the batch reads: a batch either fits or is refused whichever path evaluates it.
/// </remarks>
internal sealed class HasOneRows
{
    private readonly RelationInput _relation;
    private readonly RecordBatch _related;
    private readonly int[] _read;
    private readonly List<(MemberInfo Member, int Column)> _members;

    private HasOneRows(RelationInput relation, RecordBatch related, int[] rowOf, int[] read, List<(MemberInfo Member, int Column)> members)
    {
        _relation = relation;
        _related = related;
        RowOf = rowOf;
        _read = read;
        _members = members;
    }

    /// <summary>Per row of the batch, its related row's index, or -1.</summary>
    public int[] RowOf { get; }

    /// <summary>Joins <paramref name="related"/> to <paramref name="batch"/> by the relation's keys.</summary>
    /// <exception cref="RelationKeyException">A related key is null or appears twice, or key types differ.</exception>
    /// <exception cref="ColumnBindingException">A key column is missing, or the related batch does not fit the element type.</exception>
    public static HasOneRows Read(RelationInput relation, RecordBatch batch, RecordBatch related)
    {
        var element = relation.ElementType.Name;
        var own = relation.ParentKeys.Select(k => RelatedRows.KeyColumn(batch, k, relation, "input")).ToArray();
        var theirs = relation.RelatedKeys.Select(k => RelatedRows.KeyColumn(related, k, relation, element)).ToArray();
        var sides = new JoinSides(element, "input batch's", relation.RelatedKeys, relation.ParentKeys);
        var rowOf = RelationJoin.Build(relation.Name, theirs, own, sides).ParentOf;

        // ElementReader's convention: a related row is read (and checked) when its entry is not negative.
        var read = new int[related.Length];
        System.Array.Fill(read, -1);
        foreach (var r in rowOf)
        {
            if (r >= 0) read[r] = 0;
        }

        return new HasOneRows(relation, related, rowOf, read, ElementReader.BindMembers(relation, related, read));
    }

    /// <summary>
    /// An object column: per row of the batch, its related element object (one object per related row), or null. The
    /// element's own relations (members holding entities or sequences of them, which no column fills) are null, so a
    /// function that reads them fails its row instead of reading a default such as an empty list.
    /// </summary>
    public ObjectColumn Objects()
    {
        var elements = ElementReader.ReadAll(_relation, _related, _read);
        var clear = s_clearRelations.GetOrAdd(_relation.ElementType, ClearRelations);
        if (clear is not null)
        {
            foreach (var element in elements)
            {
                if (element is not null) clear(element);
            }
        }

        var values = new object?[RowOf.Length];
        for (var i = 0; i < values.Length; i++) values[i] = RowOf[i] >= 0 ? elements[RowOf[i]] : null;
        return new ObjectColumn(_relation.ElementType, values);
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, Action<object>?> s_clearRelations = new();

    /// <summary>A compiled action setting the element's relation members to null, or null when it has none.</summary>
    private static Action<object>? ClearRelations(Type type)
    {
        static bool IsRelation(Type t) => Lowering.Cil.EntityMembers.IsEntityType(t)
            || (t.IsArray ? t.GetElementType() : t.IsGenericType && typeof(System.Collections.IEnumerable).IsAssignableFrom(t) ? t.GetGenericArguments()[0] : null) is { } e
                && Lowering.Cil.EntityMembers.IsEntityType(e);
        var element = System.Linq.Expressions.Expression.Parameter(typeof(object), "element");
        var typed = System.Linq.Expressions.Expression.Convert(element, type);
        var members = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0 && IsRelation(p.PropertyType))
            .Select(p => (MemberInfo)p)
            .Concat(type.GetFields(BindingFlags.Public | BindingFlags.Instance).Where(f => !f.IsInitOnly && IsRelation(f.FieldType)))
            .Select(m => System.Linq.Expressions.Expression.Assign(System.Linq.Expressions.Expression.MakeMemberAccess(typed, m),
                System.Linq.Expressions.Expression.Constant(null, m is PropertyInfo p ? p.PropertyType : ((FieldInfo)m).FieldType)))
            .ToArray();
        return members.Length == 0 ? null
            : System.Linq.Expressions.Expression.Lambda<Action<object>>(System.Linq.Expressions.Expression.Block(members), element).Compile();
    }

    /// <summary>A boolean column, never null: whether each row of the batch has its related row.</summary>
    public IArrowArray Present()
    {
        var builder = new BooleanArray.Builder().Reserve(RowOf.Length);
        foreach (var r in RowOf) builder.Append(r >= 0);
        return builder.Build();
    }

    /// <summary>The related rows' column of <paramref name="member"/>, gathered row-aligned with the batch (null where no related row).</summary>
    /// <exception cref="ColumnBindingException">The related batch has no column for the member, or one that cannot be gathered.</exception>
    public IArrowArray Member(MemberInfo member) => ColumnGather.Take(_related.Column(ColumnOf(_relation, _members, _related, member)), RowOf);

    /// <summary>The Arrow type of the related batch's column for <paramref name="member"/> (what a kernel reading it binds to).</summary>
    public static IArrowType MemberType(RelationInput relation, RecordBatch related, MemberInfo member)
    {
        var index = ColumnNames.IndexOf(related.Schema.FieldsList.Select(f => f.Name).ToArray(), member.Name);
        if (index < 0) throw MissingColumn(relation, related, member);
        var type = related.Schema.FieldsList[index].DataType;
        if (!ColumnGather.CanGather(type))
        {
            throw new ColumnBindingException(
                $"Relation '{relation.Name}': column '{related.Schema.FieldsList[index].Name}' has Arrow type {ArrowExtensions.Types.ArrowTypes.Describe(type)}, which cannot be read as {relation.ElementType.Name}.{member.Name}.",
                member.Name, related.Schema.FieldsList[index].Name, null, ArrowExtensions.Types.ArrowTypes.Describe(type));
        }

        return type;
    }

    private static int ColumnOf(RelationInput relation, List<(MemberInfo Member, int Column)> members, RecordBatch related, MemberInfo member)
    {
        MemberType(relation, related, member);
        foreach (var (bound, column) in members)
        {
            if (bound.Name == member.Name && bound.DeclaringType == member.DeclaringType) return column;
        }

        throw MissingColumn(relation, related, member);
    }

    private static ColumnBindingException MissingColumn(RelationInput relation, RecordBatch related, MemberInfo member) => new(
        $"Relation '{relation.Name}': the features read {relation.ElementType.Name}.{member.Name}, but the {relation.ElementType.Name} batch has no column '{member.Name}'; its columns are {string.Join(", ", related.Schema.FieldsList.Select(f => f.Name))}.",
        member.Name, member.Name, null, null);
}
