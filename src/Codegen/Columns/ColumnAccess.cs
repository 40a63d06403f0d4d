using System.Linq.Expressions;
using System.Reflection;
using System.Text;

namespace Dsl.Codegen.Columns;

/// <summary>
/// Expression builders that read row <c>i</c> of a bound column as the CLR type a feature parameter declares
/// (<c>T</c>, <c>T?</c>, <c>string</c>, <c>DateTime</c>, <c>DateOnly</c>, <c>TimeSpan</c>, <c>decimal</c>, <c>T[]</c>), without
/// boxing. Shared by the generated kernels and the runtime's row-by-row executor, so both paths read identical
/// values. Row indexes are <see cref="long"/> expressions; locals come from <see cref="ColumnLocals"/>.
/// </summary>
internal static class ColumnAccess
{
    private static readonly MethodInfo s_isValid = typeof(NativeAccess).GetMethod(nameof(NativeAccess.IsValid))!;
    private static readonly MethodInfo s_readBit = typeof(NativeAccess).GetMethod(nameof(NativeAccess.ReadBit))!;
    private static readonly MethodInfo s_read = typeof(NativeAccess).GetMethod(nameof(NativeAccess.Read))!;
    private static readonly MethodInfo s_readUtf8 = typeof(ColumnAccess).GetMethod(nameof(ReadUtf8String))!;
    private static readonly MethodInfo s_readLargeUtf8 = typeof(ColumnAccess).GetMethod(nameof(ReadLargeUtf8String))!;
    private static readonly MethodInfo s_hasNullIn = typeof(ColumnAccess).GetMethod(nameof(HasNullIn))!;

    /// <summary>Whether the row is non-null: <c>validity == 0 || bit(validityOffset + row)</c>.</summary>
    public static Expression IsValid(ColumnLocals column, Expression row) => column.Layout.Encoding == ColumnEncoding.Objects
        ? Expression.NotEqual(Expression.ArrayIndex(column.Objects, Expression.Convert(row, typeof(int))), Expression.Constant(null))
        : Expression.Call(s_isValid, column.Validity, Expression.Add(column.ValidityOffset, row));

    /// <summary>
    /// The condition under which a row can be passed to a parameter of type <paramref name="clrType"/>, or null
    /// when every row can. A non-nullable value type needs a valid row; a non-null array of a non-nullable value
    /// type needs every element valid (a null element has no value to pass either); a null array passes as null.
    /// </summary>
    public static Expression? Presence(ColumnLocals column, Expression row, Type clrType)
    {
        if (clrType.IsArray && column.Element is { } element && IsNonNullableValue(clrType.GetElementType()!))
        {
            var (start, end) = ListBounds(column, row);
            var elementsValid = Expression.Not(Expression.Call(s_hasNullIn, element.Validity, element.ValidityOffset, start, end));
            return Expression.OrElse(Expression.Not(IsValid(column, row)), elementsValid);
        }

        return IsNonNullableValue(clrType) ? IsValid(column, row) : null;
    }

    /// <summary>
    /// Reads the row as <paramref name="clrType"/>: nullable and reference types become null on an invalid row;
    /// a non-nullable value type is read as stored (the caller checked <see cref="Presence"/>).
    /// </summary>
    public static Expression Read(ColumnLocals column, Expression row, Type clrType)
    {
        if (Nullable.GetUnderlyingType(clrType) is { } underlying)
        {
            return Expression.Condition(IsValid(column, row),
                Expression.Convert(ReadValue(column, row, underlying), clrType), Expression.Default(clrType));
        }

        return clrType.IsValueType
            ? ReadValue(column, row, clrType)
            : Expression.Condition(IsValid(column, row), ReadValue(column, row, clrType), Expression.Default(clrType));
    }

    /// <summary>
    /// Reads the stored value of the row as <paramref name="clrType"/>, ignoring validity (a uint16 as a <c>char</c>,
    /// an integer as an enum when the parameter asks for one: the same bits, no range check).
    /// </summary>
    public static Expression ReadValue(ColumnLocals column, Expression row, Type clrType)
    {
        var layout = column.Layout;
        switch (layout.Encoding)
        {
            case ColumnEncoding.Bits:
                return Expression.Call(s_readBit, column.Values, Expression.Add(column.ValuesBitOffset, row));
            case ColumnEncoding.Utf8:
                return Expression.Call(s_readUtf8, column.Offsets, column.Values, row);
            case ColumnEncoding.LargeUtf8:
                return Expression.Call(s_readLargeUtf8, column.Offsets, column.Values, row);
            case ColumnEncoding.List:
                return ReadList(column, row, clrType.GetElementType()!);
            case ColumnEncoding.Objects:
                return Expression.Convert(Expression.ArrayIndex(column.Objects, Expression.Convert(row, typeof(int))), clrType);
        }

        var stored = Expression.Call(s_read.MakeGenericMethod(layout.StorageType), column.Values, row);
        return layout.Temporal switch
        {
            TemporalMeaning.Timestamp or TemporalMeaning.Duration or TemporalMeaning.Date32 => TemporalValues.Read(layout, stored),
            TemporalMeaning.Decimal128 => Expression.Call(typeof(ArrowExtensions.DecimalConversions), nameof(ArrowExtensions.DecimalConversions.ToDecimal), null, stored, Expression.Constant(layout.Scale)),
            _ => clrType != stored.Type && (clrType == typeof(char) || clrType.IsEnum) ? Expression.Convert(stored, clrType) : stored,
        };
    }

    /// <summary>Element offsets [start, end) of a list row, as longs.</summary>
    public static (Expression Start, Expression End) ListBounds(ColumnLocals column, Expression row)
    {
        var read = s_read.MakeGenericMethod(typeof(int));
        return (Expression.Convert(Expression.Call(read, column.Offsets, row), typeof(long)),
            Expression.Convert(Expression.Call(read, column.Offsets, Expression.Increment(row)), typeof(long)));
    }

    private static Expression ReadList(ColumnLocals column, Expression row, Type elementType)
    {
        var element = column.Element!;
        var start = Expression.Variable(typeof(long), "start");
        var count = Expression.Variable(typeof(int), "count");
        var result = Expression.Variable(elementType.MakeArrayType(), "items");
        var index = Expression.Variable(typeof(int), "j");
        var done = Expression.Label("done");
        var (first, end) = ListBounds(column, row);
        return Expression.Block(elementType.MakeArrayType(), [start, count, result, index],
            Expression.Assign(start, first),
            Expression.Assign(count, Expression.Convert(Expression.Subtract(end, start), typeof(int))),
            Expression.Assign(result, Expression.NewArrayBounds(elementType, count)),
            Expression.Assign(index, Expression.Constant(0)),
            Expression.Loop(
                Expression.IfThenElse(
                    Expression.LessThan(index, count),
                    Expression.Block(
                        Expression.Assign(Expression.ArrayAccess(result, index),
                            Read(element, Expression.Add(start, Expression.Convert(index, typeof(long))), elementType)),
                        Expression.PreIncrementAssign(index)),
                    Expression.Break(done)),
                done),
            result);
    }

    /// <summary>Whether any bit in [start, end) of a validity bitmap (0 = all valid) is clear.</summary>
    public static bool HasNullIn(nint validity, long validityOffset, long start, long end)
    {
        if (validity == 0) return false;
        for (long j = start; j < end; j++)
        {
            if (!NativeAccess.ReadBit(validity, validityOffset + j)) return true;
        }

        return false;
    }

    /// <summary>Row <paramref name="row"/> of a utf8 column as a string.</summary>
    public static string ReadUtf8String(nint offsets, nint data, long row)
    {
        int start = NativeAccess.Read<int>(offsets, row);
        int end = NativeAccess.Read<int>(offsets, row + 1);
        return end == start ? string.Empty : Encoding.UTF8.GetString(NativeAccess.Span<byte>(data, start, end - start));
    }

    /// <summary>Row <paramref name="row"/> of a large_utf8 column as a string.</summary>
    public static string ReadLargeUtf8String(nint offsets, nint data, long row)
    {
        long start = NativeAccess.Read<long>(offsets, row);
        long end = NativeAccess.Read<long>(offsets, row + 1);
        return end == start ? string.Empty : Encoding.UTF8.GetString(NativeAccess.Span<byte>(data, start, (int)(end - start)));
    }

    internal static bool IsNonNullableValue(Type type) => type.IsValueType && Nullable.GetUnderlyingType(type) is null;
}
