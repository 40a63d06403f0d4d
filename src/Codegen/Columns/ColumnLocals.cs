using System.Linq.Expressions;

namespace Dsl.Codegen.Columns;

/// <summary>
/// The locals a generated kernel loads once per run from one <see cref="ColumnView"/> (addresses and bit
/// offsets), so that per-row reads are plain indexed loads. Lists carry the locals of their element column.
/// </summary>
internal sealed class ColumnLocals
{
    private ColumnLocals(ColumnLayout layout, string name)
    {
        Layout = layout;
        View = Expression.Variable(typeof(ColumnView), name);
        Values = Expression.Variable(typeof(nint), name + "Values");
        Validity = Expression.Variable(typeof(nint), name + "Validity");
        ValidityOffset = Expression.Variable(typeof(long), name + "ValidityOffset");
        ValuesBitOffset = Expression.Variable(typeof(long), name + "BitOffset");
        Offsets = Expression.Variable(typeof(nint), name + "Offsets");
        Objects = Expression.Variable(typeof(object?[]), name + "Objects");
        Element = layout.Element is { } element ? new ColumnLocals(element, name + "Item") : null;
    }

    public ColumnLayout Layout { get; }

    public ParameterExpression View { get; }

    public ParameterExpression Values { get; }

    public ParameterExpression Validity { get; }

    public ParameterExpression ValidityOffset { get; }

    public ParameterExpression ValuesBitOffset { get; }

    public ParameterExpression Offsets { get; }

    /// <summary>The managed array of an <see cref="ColumnEncoding.Objects"/> column.</summary>
    public ParameterExpression Objects { get; }

    public ColumnLocals? Element { get; }

    public static ColumnLocals Declare(ColumnLayout layout, string name) => new(layout, name);

    /// <summary>The locals this column's encoding uses, with those of its element columns.</summary>
    public IEnumerable<ParameterExpression> Variables() => Fields().Select(f => f.Local)
        .Concat(Element is null ? [] : Element.Variables()).Prepend(View);

    private IEnumerable<(ParameterExpression Local, string Property)> Fields()
    {
        if (Layout.Encoding == ColumnEncoding.Objects)
        {
            yield return (Objects, nameof(ColumnView.Objects));
            yield break;
        }

        yield return (Validity, nameof(ColumnView.Validity));
        yield return (ValidityOffset, nameof(ColumnView.ValidityOffset));
        if (Layout.Encoding != ColumnEncoding.List) yield return (Values, nameof(ColumnView.Values));
        if (Layout.Encoding == ColumnEncoding.Bits) yield return (ValuesBitOffset, nameof(ColumnView.ValuesBitOffset));
        if (Layout.Encoding is ColumnEncoding.Utf8 or ColumnEncoding.LargeUtf8 or ColumnEncoding.List) yield return (Offsets, nameof(ColumnView.Offsets));
    }

    /// <summary>Assignments that load the locals from <paramref name="view"/> (a <see cref="ColumnView"/>).</summary>
    public IEnumerable<Expression> Load(Expression view)
    {
        yield return Expression.Assign(View, view);
        foreach (var (local, property) in Fields()) yield return Expression.Assign(local, Expression.Property(View, property));
        if (Element is not null)
        {
            foreach (var load in Element.Load(Expression.Property(View, nameof(ColumnView.Child)))) yield return load;
        }
    }
}
