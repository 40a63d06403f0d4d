using Apache.Arrow;
using Dsl.Engine.Graph;

namespace Dsl.Engine.Planning;

/// <summary>Runs a resolver within its timeout, off the caller's thread, so that even a resolver that blocks cannot hold a query.</summary>
internal static class ResolverCalls
{
    /// <exception cref="TimeoutException">The resolver took longer than its timeout (the message names it and the timeout).</exception>
    public static async Task<RecordBatch> CallAsync(ResolverNode resolver, object?[] inputs, CancellationToken cancellationToken)
    {
        var timeout = resolver.Resolver.Timeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            var call = Task.Run(() => resolver.Resolver.FetchAsync(inputs, deadline.Token), deadline.Token);
            return await call.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new TimeoutException($"Resolver '{resolver.Name}' took longer than its timeout of {timeout.TotalMilliseconds:0.###} ms.");
        }
    }
}
