using System.Linq.Expressions;
using System.Reflection;

namespace Dsl.Codegen.Columns;

/// <summary>
/// Expression builders that write a result of the IR's CLR type into row <c>i</c> of an output (value plus
/// validity bit), or a null. Shared by the kernels and the row-by-row executor. Row indexes are longs.
/// </summary>
internal static class OutputAccess
{
    private static readonly MethodInfo s_write = typeof(NativeAccess).GetMethod(nameof(NativeAccess.Write))!;
    private static readonly MethodInfo s_writeBit = typeof(NativeAccess).GetMethod(nameof(NativeAccess.WriteBit))!;

    /// <summary>Writes <paramref name="value"/> (of <see cref="OutputLocals.ResultType"/>) to the row.</summary>
    public static Expression Write(OutputLocals output, Expression row, Expression value)
    {
        if (Nullable.GetUnderlyingType(value.Type) is { } underlying)
        {
            var temp = Expression.Variable(value.Type, "result");
            return Expression.Block([temp],
                Expression.Assign(temp, value),
                Expression.IfThenElse(Expression.Property(temp, "HasValue"),
                    WriteValue(output, row, Expression.Call(temp, "GetValueOrDefault", null)),
                    WriteNull(output, row)));
        }

        if (output.Layout.Encoding == ColumnEncoding.Utf8)
        {
            return Expression.Call(s_writeBit, output.Validity, row,
                Expression.Call(output.Writer, nameof(Utf8RangeWriter.Append), null, value));
        }

        return WriteValue(output, row, value);
    }

    /// <summary>Sets the validity of a string row that <paramref name="appended"/> (true when not null) appended itself.</summary>
    public static Expression WriteAppended(OutputLocals output, Expression row, Expression appended) =>
        Expression.Call(s_writeBit, output.Validity, row, appended);

    /// <summary>Writes a non-null value type to the row and sets its validity bit.</summary>
    public static Expression WriteValue(OutputLocals output, Expression row, Expression value) =>
        output.Layout.Encoding == ColumnEncoding.Struct ? WriteTuple(output, row, value) : Expression.Block(
            output.Layout.Encoding == ColumnEncoding.Bits
                ? Expression.Call(s_writeBit, output.Values, row, value)
                : Expression.Call(s_write.MakeGenericMethod(output.Layout.StorageType), output.Values, row, Stored(output.Layout, value)),
            Expression.Call(s_writeBit, output.Validity, row, Expression.Constant(true)));

    /// <summary>Writes a null (zero value, cleared validity bit; for a struct, null fields too) to the row.</summary>
    public static Expression WriteNull(OutputLocals output, Expression row)
    {
        var clearValue = output.Layout.Encoding switch
        {
            ColumnEncoding.Struct => Expression.Block(typeof(void), output.Fields.Select(field => WriteNull(field, row))),
            ColumnEncoding.Bits => Expression.Call(s_writeBit, output.Values, row, Expression.Constant(false)),
            ColumnEncoding.Utf8 => Expression.Call(output.Writer, nameof(Utf8RangeWriter.AppendNull), null),
            _ => (Expression)Expression.Call(s_write.MakeGenericMethod(output.Layout.StorageType), output.Values, row, Expression.Default(output.Layout.StorageType)),
        };
        return Expression.Block(clearValue, Expression.Call(s_writeBit, output.Validity, row, Expression.Constant(false)));
    }

    /// <summary>
    /// Writes each element of a tuple to its field's output, then sets the struct's validity bit. Fields whose write
    /// can throw (a DateTime outside the timestamp[ns] range) go before the string fields, which append to their
    /// range: a row that fails has appended nothing, so the null the kernel then writes is appended exactly once.
    /// </summary>
    private static Expression WriteTuple(OutputLocals output, Expression row, Expression tuple)
    {
        var temp = Expression.Variable(tuple.Type, "tuple");
        var fieldsInOrder = Enumerable.Range(0, output.Fields.Count).OrderBy(k => output.Fields[k].Layout.Encoding == ColumnEncoding.Utf8 ? 1 : 0);
        var writes = fieldsInOrder.Select(k => Write(output.Fields[k], row, Expression.Field(temp, $"Item{k + 1}")));
        return Expression.Block(typeof(void), [temp],
            writes.Prepend(Expression.Assign(temp, tuple)).Append(Expression.Call(s_writeBit, output.Validity, row, Expression.Constant(true))));
    }

    private static Expression Stored(ColumnLayout layout, Expression value) => layout.Temporal switch
    {
        TemporalMeaning.Timestamp or TemporalMeaning.Duration or TemporalMeaning.Date32 => TemporalValues.Store(layout, value),
        TemporalMeaning.Decimal128 => Expression.Call(typeof(ArrowExtensions.DecimalConversions), nameof(ArrowExtensions.DecimalConversions.ToUnscaled), null,
            value, Expression.Constant(ColumnTypes.DecimalResult.Precision), Expression.Constant(layout.Scale)),
        // A char is stored as its uint16 code unit, an enum as its underlying integer: same bits.
        _ => value.Type != layout.StorageType ? Expression.Convert(value, layout.StorageType) : value,
    };
}
