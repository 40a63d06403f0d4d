using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Apache.Arrow;
using DuckDB.NET.Data;

namespace Dsl.Engine.Sources;

/// <summary>Settings of a <see cref="DuckDbSource"/>.</summary>
public sealed record DuckDbSourceOptions
{
    /// <summary>A DuckDB database file; null (the default) for an in-memory database.</summary>
    public string? DatabasePath { get; init; }

    /// <summary>
    /// Views over Parquet files, made when the source opens: view name → a file path or glob
    /// (<c>["transactions"] = "data/transactions/*.parquet"</c>), read with <c>read_parquet</c>.
    /// </summary>
    public IReadOnlyDictionary<string, string> ParquetViews { get; init; } = new Dictionary<string, string>();

    /// <summary>Statements run once when the source opens, after the views (<c>CREATE TABLE …</c>, <c>SET …</c>).</summary>
    public IReadOnlyList<string> Setup { get; init; } = [];
}

/// <summary>
/// DuckDB, embedded in the process (no server): over an in-memory database or a database file, with Parquet files
/// as views. Results come from DuckDB's own Arrow export as Apache.Arrow batches (DuckDB's chunks of 2,048 rows).
/// </summary>
/// <remarks>
/// Parameters are written <c>$name</c>; a list parameter is a CLR array, bound as a DuckDB LIST. A DuckDB connection is
/// not thread-safe, so each query takes a connection to the same database from a small pool and gives it back when its
/// result has been read.
/// </remarks>
public sealed class DuckDbSource : DataSource
{
    private readonly DuckDBConnection _root;
    private readonly ConcurrentBag<DuckDBConnection> _idle = [];
    private readonly string _database;
    private int _disposed;

    /// <summary>Opens the database (in memory unless <see cref="DuckDbSourceOptions.DatabasePath"/> is set), makes the Parquet views and runs the setup.</summary>
    /// <exception cref="DataSourceException">The database cannot be opened, or a view or setup statement fails.</exception>
    public DuckDbSource(string name, DuckDbSourceOptions? options = null)
        : base(name)
    {
        options ??= new DuckDbSourceOptions();
        _database = options.DatabasePath ?? ":memory:";
        try
        {
            _root = new DuckDBConnection($"Data Source={_database}");
            _root.Open();
        }
        catch (Exception e) when (e is DuckDBException or IOException or UnauthorizedAccessException)
        {
            throw new DataSourceException(name, DataSourceErrorKind.Unavailable, $"the DuckDB database '{_database}' cannot be opened: {e.Message}", e);
        }

        foreach (var (view, files) in options.ParquetViews)
            Execute($"CREATE OR REPLACE VIEW {QuoteIdentifier(view)} AS SELECT * FROM read_parquet({QuoteLiteral(files)})", $"the Parquet view '{view}' over '{files}'");
        foreach (var statement in options.Setup) Execute(statement, "a setup statement");
    }

    /// <inheritdoc />
    public override string Kind => "duckdb";

    /// <inheritdoc />
    public override string Placeholder(string name) => "$" + name;

    /// <inheritdoc />
    public override string ListRelation(IReadOnlyList<string> listParameters, IReadOnlyList<string> columns, string ordinalColumn, string alias)
    {
        // unnest() of several lists in one SELECT zips them; the positions, from 1, are one more list unnested beside them.
        var lists = listParameters.Select((parameter, i) => $"unnest({Placeholder(parameter)}) AS {columns[i]}");
        var positions = $"unnest(range(1, len({Placeholder(listParameters[0])}) + 1)) AS {ordinalColumn}";
        return $"(SELECT {string.Join(", ", lists)}, {positions}) AS {alias}";
    }

    /// <summary>Runs a statement that returns no rows (DDL, <c>COPY</c>, <c>INSERT</c>): for setting up data.</summary>
    /// <exception cref="DataSourceException">The statement failed.</exception>
    public void Execute(string sql) => Execute(sql, "the statement");

    /// <inheritdoc />
    public override async IAsyncEnumerable<RecordBatch> QueryAsync(
        string sql, IReadOnlyList<SqlParameterValue> parameters, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var connection = Rent();
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.UseStreamingMode = true;
            foreach (var parameter in parameters) command.Parameters.Add(new DuckDBParameter(parameter.Name, parameter.Value));
            // DuckDB runs the query inside these calls, on this thread; cancelling interrupts it (duckdb_interrupt).
            using var interrupt = cancellationToken.Register(command.Cancel);
            using var stream = await Task.Run(() => Guard(command.ExecuteArrowStream, cancellationToken), cancellationToken).ConfigureAwait(false);
            var yielded = false;
            while (await Guard(() => stream.ReadNextRecordBatchAsync(cancellationToken), cancellationToken).ConfigureAwait(false) is { } batch)
            {
                yielded = true;
                yield return batch;
            }
            if (!yielded) yield return EmptyArrays.Batch(stream.Schema);
        }
        finally
        {
            _idle.Add(connection);
        }
    }

    private DuckDBConnection Rent()
    {
        if (_idle.TryTake(out var idle)) return idle;
        // An in-memory database is reachable only through its first connection; DuckDB.NET shares a file's database
        // among the connections of a process that open the same path.
        var connection = _database == ":memory:" ? _root.Duplicate() : new DuckDBConnection(_root.ConnectionString);
        connection.Open();
        return connection;
    }

    private void Execute(string sql, string what)
    {
        var connection = Rent();
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }
        catch (DuckDBException e)
        {
            throw new DataSourceException(Name, DataSourceErrorKind.QueryFailed, $"{what} failed: {e.Message}", e);
        }
        finally
        {
            _idle.Add(connection);
        }
    }

    private T Guard<T>(Func<T> run, CancellationToken cancellationToken)
    {
        try
        {
            return run();
        }
        catch (DuckDBException e)
        {
            throw Translate(e, cancellationToken);
        }
    }

    private async ValueTask<T> Guard<T>(Func<ValueTask<T>> run, CancellationToken cancellationToken)
    {
        try
        {
            return await run().ConfigureAwait(false);
        }
        catch (DuckDBException e)
        {
            throw Translate(e, cancellationToken);
        }
    }

    /// <summary>An interrupted query is the caller's cancellation; any other DuckDB error is the query's.</summary>
    private Exception Translate(DuckDBException e, CancellationToken cancellationToken) => cancellationToken.IsCancellationRequested
        ? new OperationCanceledException("The DuckDB query was interrupted.", e, cancellationToken)
        : new DataSourceException(Name, DataSourceErrorKind.QueryFailed, $"the query failed: {e.Message}", e);

    private static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string QuoteLiteral(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <inheritdoc />
    public override ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return ValueTask.CompletedTask;
        while (_idle.TryTake(out var connection)) connection.Dispose();
        _root.Dispose();
        return ValueTask.CompletedTask;
    }
}
