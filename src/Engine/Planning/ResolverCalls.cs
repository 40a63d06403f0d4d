using Apache.Arrow;
using Dsl.Engine.Graph;
using Dsl.Engine.Resolvers;

namespace Dsl.Engine.Planning;

/// <summary>
/// Runs a resolver for the entities of a query within its timeout, off the caller's thread, so that even a resolver that blocks
/// cannot hold a query: a <see cref="IBulkResolver"/> once for all of them, any other once per entity (all at once), so that an
/// error or a timeout of one entity's call fails that entity only — as if it had been asked alone.
/// </summary>
internal static class ResolverCalls
{
    /// <summary>The answers, keyed (<see cref="KeyedBatches"/>), and per entity the exception its call ended with, or null.</summary>
    /// <exception cref="TimeoutException">A bulk call took longer than the resolver's timeout (the message names it and the timeout).</exception>
    public static async Task<(RecordBatch Rows, Exception?[] Failures)> CallManyAsync(ResolverNode resolver, IReadOnlyList<object?[]> inputs,
        CancellationToken cancellationToken)
    {
        var failures = new Exception?[inputs.Count];
        if (resolver.Resolver is IBulkResolver bulk)
            return (await WithinTimeoutAsync(resolver, token => bulk.FetchManyAsync(inputs, token), cancellationToken).ConfigureAwait(false), failures);

        var calls = inputs.Select(async (input, key) =>
        {
            try
            {
                return KeyedBatches.WithKey(await WithinTimeoutAsync(resolver, token => resolver.Resolver.FetchAsync(input, token), cancellationToken).ConfigureAwait(false), key);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                failures[key] = e;
                return null;
            }
        });
        var answered = (await Task.WhenAll(calls).ConfigureAwait(false)).OfType<RecordBatch>().ToList();
        if (answered.Count == 0) throw failures.First(f => f is not null)!;
        return (KeyedBatches.Concatenate(answered[0].Schema, answered), failures);
    }

    private static async Task<RecordBatch> WithinTimeoutAsync(ResolverNode resolver, Func<CancellationToken, Task<RecordBatch>> fetch, CancellationToken cancellationToken)
    {
        var timeout = resolver.Resolver.Timeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            // A resolver whose calls never block before they return their task (asynchronous I/O all the way) starts on this thread:
            // a hop to the thread pool costs more than such a call's own start. Any other might block, and is started off it.
            var call = resolver.Resolver is SqlResolverAdapter { StartsWithoutBlocking: true }
                ? fetch(deadline.Token)
                : Task.Run(() => fetch(deadline.Token), deadline.Token);
            // The deadline's token is cancelled at the timeout (or with the caller's): waiting on it abandons a call that ignores it,
            // with one timer per call rather than a second one for the wait.
            return await call.WaitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new TimeoutException($"Resolver '{resolver.Name}' took longer than its timeout of {timeout.TotalMilliseconds:0.###} ms.");
        }
    }
}
