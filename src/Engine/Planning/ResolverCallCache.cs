using System.Collections.Concurrent;
using Apache.Arrow;
using Dsl.Engine.Graph;

namespace Dsl.Engine.Planning;

/// <summary>
/// Resolver calls shared between the runs of one offline recomputation, where many spine rows of one entity are computed at
/// different times: the rows a resolver returns for given inputs do not depend on the time (what is visible at each time does),
/// so each distinct call is made once.
/// </summary>
internal sealed class ResolverCallCache
{
    private readonly ConcurrentDictionary<string, Task<(RecordBatch Rows, Exception?[] Failures)>> _calls = new(StringComparer.Ordinal);

    /// <summary>The answer of a call for one entity's <paramref name="inputs"/> made earlier, or a new call (several entities are not shared).</summary>
    public Task<(RecordBatch Rows, Exception?[] Failures)> CallAsync(ResolverNode resolver, IReadOnlyList<object?[]> inputs, CancellationToken cancellationToken) =>
        inputs.Count != 1
            ? ResolverCalls.CallManyAsync(resolver, inputs, cancellationToken)
            : _calls.GetOrAdd($"{resolver.Name}\u0001{string.Join("\u0001", inputs[0])}", _ => ResolverCalls.CallManyAsync(resolver, inputs, cancellationToken));
}
