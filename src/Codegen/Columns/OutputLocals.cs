using System.Linq.Expressions;

namespace Dsl.Codegen.Columns;

/// <summary>
/// The locals a generated kernel loads once per run from its <see cref="OutputColumn"/>: the value and validity
/// addresses, or for strings the range writer it appends to (published when the run ends), or for a struct its
/// validity and the locals of each field's output.
/// </summary>
internal sealed class OutputLocals
{
    public OutputLocals(ColumnLayout layout, Type resultType)
        : this(layout, resultType, "out")
    {
    }

    private OutputLocals(ColumnLayout layout, Type resultType, string name)
    {
        if (layout.Encoding is not (ColumnEncoding.FixedWidth or ColumnEncoding.Bits or ColumnEncoding.Utf8 or ColumnEncoding.Struct))
        {
            throw new NotSupportedException($"Kernels do not write {layout} results (result type {resultType}).");
        }

        Layout = layout;
        ResultType = resultType;
        Values = Expression.Variable(typeof(nint), name + "Values");
        Validity = Expression.Variable(typeof(nint), name + "Validity");
        Writer = Expression.Variable(typeof(Utf8RangeWriter), name + "Text");
        Fields = layout.Encoding == ColumnEncoding.Struct ? FieldLocals(layout, resultType, name) : [];
    }

    public ColumnLayout Layout { get; }

    /// <summary>The CLR type of the value written (the IR's return type).</summary>
    public Type ResultType { get; }

    public ParameterExpression Values { get; }

    public ParameterExpression Validity { get; }

    public ParameterExpression Writer { get; }

    /// <summary>For a struct, the locals of each field's output (field <c>k</c> holds tuple element <c>Item{k+1}</c>).</summary>
    public IReadOnlyList<OutputLocals> Fields { get; }

    public IEnumerable<ParameterExpression> Variables() => Fields.SelectMany(f => f.Variables()).Concat([Values, Validity, Writer]);

    /// <summary>Loads the locals from the frame's output for the rows [start, end).</summary>
    public IEnumerable<Expression> Load(Expression output, Expression start, Expression end)
    {
        yield return Expression.Assign(Validity, Expression.Property(output, nameof(OutputColumn.Validity)));
        if (Layout.Encoding == ColumnEncoding.Utf8)
        {
            yield return Expression.Assign(Writer, Expression.Call(Expression.Convert(output, typeof(Utf8Output)),
                nameof(Utf8Output.BeginRange), null, start, Expression.Subtract(end, start)));
        }
        else if (Layout.Encoding == ColumnEncoding.Struct)
        {
            var children = Expression.Property(Expression.Convert(output, typeof(StructOutput)), nameof(StructOutput.Children));
            for (int k = 0; k < Fields.Count; k++)
            {
                foreach (var load in Fields[k].Load(Expression.ArrayIndex(children, Expression.Constant(k)), start, end)) yield return load;
            }
        }
        else
        {
            yield return Expression.Assign(Values, Expression.Property(Expression.Convert(output, typeof(FixedWidthOutput)), nameof(FixedWidthOutput.Values)));
        }
    }

    /// <summary>What ends a run (publishing the string ranges), or an empty expression.</summary>
    public Expression Finish(Expression output) => Layout.Encoding switch
    {
        ColumnEncoding.Utf8 => Expression.Call(Expression.Convert(output, typeof(Utf8Output)), nameof(Utf8Output.Complete), null, Writer),
        ColumnEncoding.Struct => Expression.Block(typeof(void), Fields.Select((field, k) => field.Finish(Expression.ArrayIndex(
            Expression.Property(Expression.Convert(output, typeof(StructOutput)), nameof(StructOutput.Children)), Expression.Constant(k)))).Append(Expression.Empty())),
        _ => Expression.Empty(),
    };

    private static OutputLocals[] FieldLocals(ColumnLayout layout, Type resultType, string name)
    {
        var tuple = Nullable.GetUnderlyingType(resultType) ?? resultType;
        var elements = ColumnTypes.TupleElements(tuple) ?? throw new NotSupportedException($"A struct output needs a tuple result, not {resultType}.");
        return layout.Fields!.Select((field, k) => field.Encoding == ColumnEncoding.Struct
                ? throw new NotSupportedException($"Kernels do not write nested tuples (element {k + 1} of {resultType}).")
                : new OutputLocals(field, elements[k], $"{name}Item{k + 1}"))
            .ToArray();
    }
}
