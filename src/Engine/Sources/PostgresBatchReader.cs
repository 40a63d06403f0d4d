using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.ArrowExtensions;
using Npgsql;
using Npgsql.Schema;
using NpgsqlTypes;

namespace Dsl.Engine.Sources;

/// <summary>
/// Reads the rows of an <see cref="NpgsqlDataReader"/> into Arrow batches of at most a given number of rows, one typed
/// column appender per column (no boxing). SQL NULL is a null row in every column type.
/// </summary>
/// <remarks>
/// Type mapping (PostgreSQL → Arrow): boolean → bool; smallint, integer, bigint → int16, int32, int64; real, double
/// precision → float32, float64; numeric(p, s) → decimal128(p, s), numeric without a declared scale → decimal128(38, 18)
/// (a value with more than 18 digits after the point fails the query: cast it in the SQL); text, varchar, char, name,
/// citext, json, jsonb, uuid → utf8; bytea → binary; timestamp with time zone → timestamp[µs, UTC]; timestamp →
/// timestamp[µs] (no zone); date → date32; time → time64[µs]; interval without months → duration[µs]. Any other
/// type, or an infinite timestamp, fails with <see cref="DataSourceErrorKind.UnsupportedType"/> naming the column.
/// </remarks>
internal sealed class PostgresBatchReader
{
    private readonly NpgsqlDataReader _reader;
    private readonly int _batchRows;
    private readonly ColumnAppender[] _columns;
    private bool _done;

    public PostgresBatchReader(string source, NpgsqlDataReader reader, int batchRows, PostgresLayouts? layouts = null, string? sql = null)
    {
        _reader = reader;
        _batchRows = batchRows;
        if (layouts is not null && sql is not null && layouts.Find(sql, reader) is { } known)
        {
            _columns = known.Fresh();
            Schema = known.Schema;
            return;
        }
        var schema = reader.GetColumnSchema();
        _columns = schema.Select(column => ColumnAppender.For(source, column)).ToArray();
        Schema = new Schema(_columns.Select(c => c.Field), null);
        if (layouts is not null && sql is not null && schema.All(c => c.NpgsqlDbType != NpgsqlDbType.Numeric))
            layouts.Remember(sql, new PostgresLayout(schema.Select(c => c.ColumnName).ToArray(), schema.Select(c => c.TypeOID).ToArray(), _columns, Schema));
    }

    /// <summary>The schema of every batch.</summary>
    public Schema Schema { get; }

    /// <summary>The next batch, or null after the last row.</summary>
    public async ValueTask<RecordBatch?> ReadAsync(CancellationToken cancellationToken)
    {
        if (_done) return null;
        var rows = 0;
        while (rows < _batchRows && await _reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            for (var i = 0; i < _columns.Length; i++) _columns[i].Append(_reader, i);
            rows++;
        }
        if (rows < _batchRows) _done = true;
        if (rows == 0) return null;
        return new RecordBatch(Schema, _columns.Select(c => c.Build()), rows);
    }

    /// <summary>A zero-row batch of <see cref="Schema"/>, for an empty result.</summary>
    public RecordBatch Empty() => new(Schema, _columns.Select(c => c.Build()), 0);
}

/// <summary>
/// The columns a statement answers with, as read the first time it ran: its names, type OIDs, appenders and Arrow schema. Reading
/// the reader's column schema and making a schema for every query costs more than a one-row lookup itself; a layout is reused while
/// the reader's names and type OIDs still match it (a table changed under the engine is read afresh, and its change reported).
/// Columns whose Arrow type depends on more than the OID (numeric's precision and scale) are never cached.
/// </summary>
internal sealed record PostgresLayout(string[] Names, uint[] TypeOids, ColumnAppender[] Prototypes, Schema Schema)
{
    /// <summary>New, empty appenders of the layout's columns.</summary>
    public ColumnAppender[] Fresh() => [.. Prototypes.Select(p => p.Fresh())];

    public bool Matches(NpgsqlDataReader reader)
    {
        if (reader.FieldCount != Names.Length) return false;
        for (var i = 0; i < Names.Length; i++)
        {
            if (reader.GetDataTypeOID(i) != TypeOids[i] || !string.Equals(reader.GetName(i), Names[i], StringComparison.Ordinal)) return false;
        }
        return true;
    }
}

/// <summary>The layouts of one source's statements, by SQL text (bounded: statements are the resolvers', a fixed set).</summary>
internal sealed class PostgresLayouts
{
    private const int MaxStatements = 256;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, PostgresLayout> _layouts = new(StringComparer.Ordinal);

    public PostgresLayout? Find(string sql, NpgsqlDataReader reader) => _layouts.TryGetValue(sql, out var layout) && layout.Matches(reader) ? layout : null;

    public void Remember(string sql, PostgresLayout layout)
    {
        if (_layouts.Count < MaxStatements || _layouts.ContainsKey(sql)) _layouts[sql] = layout;
    }
}

/// <summary>Appends one column's values, row by row, and builds them into an Arrow array.</summary>
internal abstract class ColumnAppender
{
    protected ColumnAppender(Field field) => Field = field;

    public Field Field { get; }

    /// <summary>An empty appender of the same column (same field, same conversion), for another reader.</summary>
    public abstract ColumnAppender Fresh();

    /// <summary>Appends the value of column <paramref name="ordinal"/> of the reader's current row (null when SQL NULL).</summary>
    public abstract void Append(NpgsqlDataReader reader, int ordinal);

    /// <summary>The array of the values appended since the last build; the appender starts empty again.</summary>
    public abstract IArrowArray Build();

    private const int UnconstrainedNumericScale = 18;
    private static readonly long s_epochTicks = DateTime.UnixEpoch.Ticks;

    public static ColumnAppender For(string source, NpgsqlDbColumn column)
    {
        var name = column.ColumnName;
        Field F(IArrowType type) => new(name, type, nullable: true);
        return column.NpgsqlDbType switch
        {
            NpgsqlDbType.Boolean => new BooleanAppender(F(BooleanType.Default)),
            NpgsqlDbType.Smallint => new FixedWidthAppender<short>(F(Int16Type.Default), (r, i) => r.GetInt16(i)),
            NpgsqlDbType.Integer => new FixedWidthAppender<int>(F(Int32Type.Default), (r, i) => r.GetInt32(i)),
            NpgsqlDbType.Bigint => new FixedWidthAppender<long>(F(Int64Type.Default), (r, i) => r.GetInt64(i)),
            NpgsqlDbType.Real => new FixedWidthAppender<float>(F(FloatType.Default), (r, i) => r.GetFloat(i)),
            NpgsqlDbType.Double => new FixedWidthAppender<double>(F(DoubleType.Default), (r, i) => r.GetDouble(i)),
            NpgsqlDbType.Numeric => Numeric(F, column),
            NpgsqlDbType.Text or NpgsqlDbType.Varchar or NpgsqlDbType.Char or NpgsqlDbType.Name or NpgsqlDbType.Citext
                or NpgsqlDbType.Json or NpgsqlDbType.Jsonb => new StringAppender(F(StringType.Default), (r, i) => r.GetString(i)),
            NpgsqlDbType.Uuid => new StringAppender(F(StringType.Default), (r, i) => r.GetGuid(i).ToString("D")),
            NpgsqlDbType.Bytea => new BinaryAppender(F(BinaryType.Default)),
            NpgsqlDbType.TimestampTz => new FixedWidthAppender<long>(F(new TimestampType(TimeUnit.Microsecond, "UTC")), (r, i) => Microseconds(r.GetFieldValue<DateTime>(i))),
            NpgsqlDbType.Timestamp => new FixedWidthAppender<long>(F(new TimestampType(TimeUnit.Microsecond, (string?)null)), (r, i) => Microseconds(r.GetFieldValue<DateTime>(i))),
            NpgsqlDbType.Date => new FixedWidthAppender<int>(F(Date32Type.Default), (r, i) => TemporalConversions.DaysFromDate(r.GetFieldValue<DateOnly>(i))),
            NpgsqlDbType.Time => new FixedWidthAppender<long>(F(new Time64Type(TimeUnit.Microsecond)), (r, i) => r.GetFieldValue<TimeSpan>(i).Ticks / 10),
            NpgsqlDbType.Interval => new FixedWidthAppender<long>(F(DurationType.Microsecond), (r, i) => IntervalMicroseconds(name, r.GetFieldValue<NpgsqlInterval>(i))),
            _ => throw new DataSourceException(source, DataSourceErrorKind.UnsupportedType,
                $"column '{name}' has PostgreSQL type {column.DataTypeName}, which has no Arrow type here; cast it in the SQL " +
                "(to text, bigint, double precision, numeric(p, s), timestamptz, date or boolean)"),
        };
    }

    private static ColumnAppender Numeric(Func<IArrowType, Field> field, NpgsqlDbColumn column)
    {
        // A numeric column declared without precision and scale reports neither (or a precision of 0).
        var precision = column.NumericPrecision is > 0 and <= 38 ? column.NumericPrecision.Value : 38;
        var scale = column.NumericPrecision is > 0 && column.NumericScale is { } declared ? declared : UnconstrainedNumericScale;
        var name = column.ColumnName;
        return new FixedWidthAppender<Int128>(field(new Decimal128Type(precision, scale)), (r, i) => Unscaled(name, r.GetDecimal(i), precision, scale));
    }

    /// <summary>The value rescaled exactly to the column's scale; one with more digits after the point, or more digits than the precision, fails the query.</summary>
    private static Int128 Unscaled(string column, decimal value, int precision, int scale)
    {
        try
        {
            return DecimalConversions.ToUnscaled(value, precision, scale);
        }
        catch (OverflowException e)
        {
            throw new OverflowException(
                $"Column '{column}' holds {value}, which does not fit decimal128({precision}, {scale}); cast it in the SQL to numeric(p, s) with enough digits.", e);
        }
    }

    private static long Microseconds(DateTime value) => (value.Ticks - s_epochTicks) / 10;

    private static long IntervalMicroseconds(string column, NpgsqlInterval interval)
    {
        if (interval.Months != 0)
            throw new InvalidCastException($"Column '{column}' holds an interval of {interval.Months} months, which has no fixed duration; convert it in the SQL (extract(epoch from ...)).");
        return checked(interval.Days * 86_400_000_000L + interval.Time);
    }
}
