using Apache.Arrow;
using Dsl.Engine.Graph;
using Dsl.Engine.Resolvers;

namespace Dsl.Engine.Tests.Planning;

/// <summary>A resolver passing calls to another and counting them, to see how often a query calls it.</summary>
internal sealed class CountingResolver(IResolver inner) : IResolver
{
    private int _calls;

    public int Calls => _calls;

    public string Name => inner.Name;

    public string Entity => inner.Entity;

    public ResolverKind Kind => inner.Kind;

    public IReadOnlyList<string> Inputs => inner.Inputs;

    public IReadOnlyList<string> Outputs => inner.Outputs;

    public string Description => inner.Description;

    public TimeSpan Timeout => inner.Timeout;

    public Task<RecordBatch> FetchAsync(IReadOnlyList<object?> inputs, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        return inner.FetchAsync(inputs, cancellationToken);
    }
}
