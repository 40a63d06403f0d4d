using System.Linq.Expressions;

namespace Dsl.Codegen.Columns;

/// <summary>
/// The locals a generated kernel loads once per run from its <see cref="OutputColumn"/>: the value and validity
/// addresses, or for strings the range writer it appends to (published when the run ends).
/// </summary>
internal sealed class OutputLocals
{
    public OutputLocals(ColumnLayout layout, Type resultType)
    {
        if (layout.Encoding is not (ColumnEncoding.FixedWidth or ColumnEncoding.Bits or ColumnEncoding.Utf8))
        {
            throw new NotSupportedException($"Kernels do not write {layout} results (result type {resultType}).");
        }

        Layout = layout;
        ResultType = resultType;
        Values = Expression.Variable(typeof(nint), "outValues");
        Validity = Expression.Variable(typeof(nint), "outValidity");
        Writer = Expression.Variable(typeof(Utf8RangeWriter), "outText");
    }

    public ColumnLayout Layout { get; }

    /// <summary>The CLR type of the value written (the IR's return type).</summary>
    public Type ResultType { get; }

    public ParameterExpression Values { get; }

    public ParameterExpression Validity { get; }

    public ParameterExpression Writer { get; }

    public IEnumerable<ParameterExpression> Variables() => [Values, Validity, Writer];

    /// <summary>Loads the locals from the frame's output for the rows [start, end).</summary>
    public IEnumerable<Expression> Load(Expression output, Expression start, Expression end)
    {
        yield return Expression.Assign(Validity, Expression.Property(output, nameof(OutputColumn.Validity)));
        if (Layout.Encoding == ColumnEncoding.Utf8)
        {
            yield return Expression.Assign(Writer, Expression.Call(Expression.Convert(output, typeof(Utf8Output)),
                nameof(Utf8Output.BeginRange), null, start, Expression.Subtract(end, start)));
        }
        else
        {
            yield return Expression.Assign(Values, Expression.Property(Expression.Convert(output, typeof(FixedWidthOutput)), nameof(FixedWidthOutput.Values)));
        }
    }

    /// <summary>What ends a run (publishing the string range), or an empty expression.</summary>
    public Expression Finish(Expression output) =>
        Layout.Encoding == ColumnEncoding.Utf8
            ? Expression.Call(Expression.Convert(output, typeof(Utf8Output)), nameof(Utf8Output.Complete), null, Writer)
            : Expression.Empty();
}
