using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Apache.Arrow;
using Npgsql;

namespace Dsl.Engine.Sources;

/// <summary>Settings of a <see cref="PostgresSource"/>.</summary>
public sealed record PostgresSourceOptions
{
    /// <summary>Rows per Arrow batch of a result (the last batch may hold fewer).</summary>
    public int BatchRows { get; init; } = 65_536;

    /// <summary>
    /// Seconds to wait for a connection when the connection string does not say (<c>Timeout=</c>): short, so a server
    /// that is down is reported as such quickly rather than after Npgsql's default 15 s.
    /// </summary>
    public int ConnectTimeoutSeconds { get; init; } = 3;
}

/// <summary>
/// PostgreSQL through Npgsql: one pooled <see cref="NpgsqlDataSource"/> shared by every query, statements prepared on
/// each pooled connection the first time they run there, and rows converted to Arrow batches
/// (<see cref="PostgresBatchReader"/> says which column types map to which Arrow types).
/// </summary>
/// <remarks>
/// Parameters are written <c>@name</c>. A list parameter is a CLR array (<c>long[]</c> becomes <c>bigint[]</c>), so many
/// keys travel in one round trip (<c>= ANY(@keys)</c>, or <see cref="ListRelation"/>'s <c>unnest</c>).
/// When the server restarts, the pool still holds connections to the old server; a query that fails because its
/// connection is gone clears the pool and runs once more before it reports the source unavailable (reads have no
/// effects, so running one again is safe).
/// </remarks>
public sealed class PostgresSource : DataSource
{
    private readonly NpgsqlDataSource _pool;
    private readonly PostgresSourceOptions _options;
    private readonly string _server;
    private readonly PostgresLayouts _layouts = new();

    /// <summary>A source called <paramref name="name"/> over the database <paramref name="connectionString"/> names.</summary>
    /// <exception cref="ArgumentException">The connection string is malformed.</exception>
    public PostgresSource(string name, string connectionString, PostgresSourceOptions? options = null)
        : base(name)
    {
        _options = options ?? new PostgresSourceOptions();
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        var settings = builder.ConnectionStringBuilder;
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!given.ContainsKey("Timeout")) settings.Timeout = _options.ConnectTimeoutSeconds;
        // Resolvers only read and set no session state, so a connection back in the pool needs no reset: without this, Npgsql sends
        // RESET ALL, CLOSE ALL, UNLISTEN and more with the next query on it (prepared statements survive either way).
        if (!given.ContainsKey("No Reset On Close") && !given.ContainsKey("NoResetOnClose")) settings.NoResetOnClose = true;
        _server = $"{settings.Host}:{settings.Port} (database {settings.Database ?? settings.Username})";
        _pool = builder.Build();
    }

    /// <inheritdoc />
    public override string Kind => "postgres";

    /// <inheritdoc />
    internal override bool StartsWithoutBlocking => true;

    /// <inheritdoc />
    public override string Placeholder(string name) => "@" + name;

    /// <inheritdoc />
    public override string ListRelation(IReadOnlyList<string> listParameters, IReadOnlyList<string> columns, string ordinalColumn, string alias) =>
        $"unnest({string.Join(", ", listParameters.Select(Placeholder))}) WITH ORDINALITY AS {alias}({string.Join(", ", columns)}, {ordinalColumn})";

    /// <inheritdoc />
    public override async IAsyncEnumerable<RecordBatch> QueryAsync(
        string sql, IReadOnlyList<SqlParameterValue> parameters, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Started while the query collects its first steps' statements: sent with the others, its whole result read at once.
        if (StatementBatching.TryAdd(this, sql, parameters, cancellationToken) is { } batched)
        {
            var result = await batched.WaitAsync(cancellationToken).ConfigureAwait(false);
            foreach (var batch in result.Batches) yield return batch;
            yield break;
        }
        var (connection, command, reader) = await OpenReaderAsync(sql, parameters, cancellationToken).ConfigureAwait(false);
        try
        {
            var batches = Guard(() => new PostgresBatchReader(Name, reader, _options.BatchRows, _layouts, sql));
            var yielded = false;
            while (await Guard(() => batches.ReadAsync(cancellationToken)).ConfigureAwait(false) is { } batch)
            {
                yielded = true;
                yield return batch;
            }
            if (!yielded) yield return batches.Empty();
        }
        finally
        {
            await reader.DisposeAsync().ConfigureAwait(false);
            await command.DisposeAsync().ConfigureAwait(false);
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Statement batches sent (<see cref="RunBatchAsync"/>), for tests.</summary>
    internal long BatchesSent => Interlocked.Read(ref _batchesSent);

    private long _batchesSent;

    /// <summary>
    /// Sends <paramref name="statements"/> as one <see cref="NpgsqlBatch"/> on one connection, reads every result whole, and completes
    /// each statement's result once the connection is back in the pool. Error barriers separate the statements, so one that fails does not fail the others in the server; but the reader
    /// gives nothing after a failure, so the statements not yet read then run again on their own (reads have no effects), each with
    /// its own connection, retry and error: the one that failed fails as it would have alone, the others are answered. Never throws.
    /// </summary>
    internal async Task RunBatchAsync(IReadOnlyList<PendingStatement> statements)
    {
        Interlocked.Increment(ref _batchesSent);
        var results = new SourceResult?[statements.Count];
        // The server runs the statements one after another, so one that is slow holds up the rest: when any statement is abandoned
        // (its timeout, or its query cancelled), the batch is cancelled and the statements not yet read run on their own.
        using var abandoned = new CancellationTokenSource();
        var registrations = new CancellationTokenRegistration[statements.Count];
        for (var i = 0; i < statements.Count; i++) registrations[i] = statements[i].CancellationToken.Register(abandoned.Cancel);
        try
        {
            await ReadBatchAsync(statements, results, abandoned.Token).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Whatever went wrong (a statement failed, the connection broke, a statement was abandoned), the statements not
            // read run on their own: each ends as it would have unbatched, with the error that is its own.
            for (var i = 0; i < statements.Count; i++)
            {
                if (results[i] is null) _ = statements[i].RunAloneAsync();
            }
        }
        finally
        {
            foreach (var registration in registrations) await registration.DisposeAsync().ConfigureAwait(false);
        }
        // Completed once the connection is back in the pool: each waiting step then goes on on this thread, one after another.
        for (var i = 0; i < statements.Count; i++)
        {
            if (results[i] is { } result) statements[i].Result.TrySetResult(result);
        }
    }

    private async Task ReadBatchAsync(IReadOnlyList<PendingStatement> statements, SourceResult?[] results, CancellationToken cancellationToken)
    {
        await using var connection = await _pool.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection) { EnableErrorBarriers = true };
        foreach (var statement in statements)
        {
            var command = new NpgsqlBatchCommand(statement.Sql);
            AddParameters(command.Parameters, statement.Parameters);
            batch.BatchCommands.Add(command);
        }
        await batch.PrepareAsync(cancellationToken).ConfigureAwait(false);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < statements.Count; i++)
        {
            if (i > 0 && !await reader.NextResultAsync(cancellationToken).ConfigureAwait(false))
                throw new InvalidOperationException($"The batch answered {i} of {statements.Count} statements.");
            var rows = new PostgresBatchReader(Name, reader, _options.BatchRows, _layouts, statements[i].Sql);
            var batches = new List<RecordBatch>();
            while (await rows.ReadAsync(cancellationToken).ConfigureAwait(false) is { } rowBatch) batches.Add(rowBatch);
            if (batches.Count == 0) batches.Add(rows.Empty());
            results[i] = new SourceResult(rows.Schema, batches);
        }
    }

    private async Task<(NpgsqlConnection, NpgsqlCommand, NpgsqlDataReader)> OpenReaderAsync(
        string sql, IReadOnlyList<SqlParameterValue> parameters, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            NpgsqlConnection? connection = null;
            NpgsqlCommand? command = null;
            try
            {
                connection = await _pool.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                command = new NpgsqlCommand(sql, connection);
                AddParameters(command.Parameters, parameters);
                await command.PrepareAsync(cancellationToken).ConfigureAwait(false);
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                return (connection, command, reader);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                if (command is not null) await command.DisposeAsync().ConfigureAwait(false);
                if (connection is not null) await connection.DisposeAsync().ConfigureAwait(false);
                var error = Translate(e);
                if (error.ErrorKind != DataSourceErrorKind.Unavailable || attempt > 0) throw error;
                _pool.Clear();
            }
        }
    }

    /// <summary>Binds a query's parameters by name; a null value is SQL NULL.</summary>
    private static void AddParameters(NpgsqlParameterCollection target, IReadOnlyList<SqlParameterValue> parameters)
    {
        foreach (var parameter in parameters) target.AddWithValue(parameter.Name, parameter.Value ?? DBNull.Value);
    }

    private T Guard<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is not (OperationCanceledException or DataSourceException))
        {
            throw Translate(e);
        }
    }

    private async ValueTask<T> Guard<T>(Func<ValueTask<T>> read)
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not (OperationCanceledException or DataSourceException))
        {
            throw Translate(e);
        }
    }

    /// <summary>The failure as a <see cref="DataSourceException"/> that says whether the server is down or the query is wrong.</summary>
    private DataSourceException Translate(Exception e) => e switch
    {
        PostgresException pg when IsUnavailable(pg.SqlState) =>
            new DataSourceException(Name, DataSourceErrorKind.Unavailable, $"the PostgreSQL server at {_server} is unavailable: {pg.MessageText} (SQLSTATE {pg.SqlState})", e),
        PostgresException { SqlState: PostgresErrorCodes.QueryCanceled } pg =>
            new DataSourceException(Name, DataSourceErrorKind.Timeout, $"the query was cancelled by the server: {pg.MessageText}", e),
        PostgresException pg =>
            new DataSourceException(Name, DataSourceErrorKind.QueryFailed, $"the query failed: {pg.MessageText} (SQLSTATE {pg.SqlState}){Position(pg)}", e),
        NpgsqlException { InnerException: TimeoutException } or TimeoutException =>
            new DataSourceException(Name, DataSourceErrorKind.Timeout, $"the PostgreSQL server at {_server} did not answer in time: {e.Message}", e),
        NpgsqlException or SocketException or IOException =>
            new DataSourceException(Name, DataSourceErrorKind.Unavailable, $"the PostgreSQL server at {_server} is unreachable: {Innermost(e).Message}", e),
        InvalidCastException or OverflowException or NotSupportedException =>
            new DataSourceException(Name, DataSourceErrorKind.UnsupportedType, e.Message, e),
        _ => new DataSourceException(Name, DataSourceErrorKind.QueryFailed, $"the query failed: {e.Message}", e),
    };

    // Class 08 is "connection exception"; 57P01–57P03 are the server shutting down or starting up; 53300 too many connections.
    private static bool IsUnavailable(string state) =>
        state.StartsWith("08", StringComparison.Ordinal) || state is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown
            or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections;

    private static string Position(PostgresException e) => e.Position > 0 ? $" at character {e.Position}" : "";

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e;
    }

    /// <inheritdoc />
    public override ValueTask DisposeAsync() => _pool.DisposeAsync();
}
