namespace Dsl.Engine.Sources;

/// <summary>
/// Collects the statements a query starts on one flow before it first waits — its steps that wait only on the query's inputs, such
/// as the lookup of a user and the fetch of its transactions — and sends those for one PostgreSQL source together: one connection,
/// one send, one reply read by one thread (<see cref="PostgresSource"/>'s batch), instead of a pooled connection, a send and a
/// thread-pool wake-up each.
/// </summary>
/// <remarks>
/// The executor opens a scope (<see cref="Begin"/>) around starting its first steps and ends it (<see cref="Send"/>) before it waits:
/// a statement started inside the scope waits to be sent; one started after it (a later step, a retry, another thread's work that
/// came late) runs on its own as always, so nothing ever waits on a scope that has ended. A source with one collected statement runs
/// it on its own. Each statement keeps its own cancellation: it is abandoned at its own timeout, and the batch is cancelled only
/// when every statement in it has been.
/// </remarks>
internal sealed class StatementBatching
{
    private static readonly AsyncLocal<StatementBatching?> s_current = new();
    private readonly List<PendingStatement> _pending = [];
    private bool _sent;

    private StatementBatching()
    {
    }

    /// <summary>Collects the statements started on this flow from now until <see cref="Send"/>.</summary>
    public static StatementBatching Begin()
    {
        var batching = new StatementBatching();
        s_current.Value = batching;
        return batching;
    }

    /// <summary>Stops collecting and sends what was collected: one batch per source with two statements or more.</summary>
    public void Send()
    {
        if (ReferenceEquals(s_current.Value, this)) s_current.Value = null;
        PendingStatement[] pending;
        lock (_pending)
        {
            if (_sent) return;
            _sent = true;
            pending = [.. _pending];
        }
        foreach (var group in pending.GroupBy(p => p.Source))
        {
            var statements = group.ToList();
            if (statements.Count == 1) _ = statements[0].RunAloneAsync();
            else _ = group.Key.RunBatchAsync(statements);
        }
    }

    /// <summary>
    /// When a scope is collecting on this flow, adds the statement to it and returns the task of its whole result; otherwise null (run it now).
    /// </summary>
    internal static Task<SourceResult>? TryAdd(PostgresSource source, string sql, IReadOnlyList<SqlParameterValue> parameters, CancellationToken cancellationToken)
    {
        if (s_current.Value is not { } batching) return null;
        lock (batching._pending)
        {
            if (batching._sent) return null;
            var statement = new PendingStatement(source, sql, parameters, cancellationToken);
            batching._pending.Add(statement);
            return statement.Result.Task;
        }
    }
}

/// <summary>A statement waiting in a <see cref="StatementBatching"/> scope to be sent, and the whole result it will have.</summary>
internal sealed class PendingStatement(PostgresSource source, string sql, IReadOnlyList<SqlParameterValue> parameters, CancellationToken cancellationToken)
{
    public PostgresSource Source { get; } = source;

    public string Sql { get; } = sql;

    public IReadOnlyList<SqlParameterValue> Parameters { get; } = parameters;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>
    /// Completed by whoever reads the reply. Continuations run on that thread (no hop): the step that waits on it processes its rows,
    /// then the next statement's are read.
    /// </summary>
    public TaskCompletionSource<SourceResult> Result { get; } = new();

    /// <summary>Runs the statement on its own (its own connection, retry and error translation), completing <see cref="Result"/>.</summary>
    public async Task RunAloneAsync()
    {
        try
        {
            Result.TrySetResult(await Source.ReadAllAsync(Sql, Parameters, CancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException e)
        {
            Result.TrySetCanceled(e.CancellationToken);
        }
        catch (Exception e)
        {
            Result.TrySetException(e);
        }
    }
}
