using Apache.Arrow;
using Dsl.Engine.Graph;

namespace Dsl.Engine.Planning;

/// <summary>Runs a resolver within its timeout, off the caller's thread, so that even a resolver that blocks cannot hold a query.</summary>
internal static class ResolverCalls
{
    /// <exception cref="TimeoutException">The resolver took longer than its timeout (the message names it and the timeout).</exception>
    /// <returns>The resolver's answer to every set of <paramref name="inputs"/>, keyed (<see cref="IResolver.FetchManyAsync"/>).</returns>
    public static async Task<RecordBatch> CallManyAsync(ResolverNode resolver, IReadOnlyList<object?[]> inputs, CancellationToken cancellationToken)
    {
        var timeout = resolver.Resolver.Timeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            var call = Task.Run(() => resolver.Resolver.FetchManyAsync(inputs, deadline.Token), deadline.Token);
            return await call.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new TimeoutException($"Resolver '{resolver.Name}' took longer than its timeout of {timeout.TotalMilliseconds:0.###} ms.");
        }
    }
}
