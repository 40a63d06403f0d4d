using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Dsl.Bench.Engine;

/// <summary>
/// What a setting allocates, by type: the runtime's allocation ticks (one event per ~100 KB allocated, naming the type of the object
/// that crossed the mark), counted while the sampler listens — a sample proportional to bytes, enough to say where a query's
/// allocation goes without a profiler. <c>engine-latency --alloc-types</c> prints the top of it under each in-process setting.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly ConcurrentDictionary<string, int> _ticks = new(StringComparer.Ordinal);
    private volatile bool _listening;

    public void Start()
    {
        _ticks.Clear();
        _listening = true;
    }

    /// <summary>The most sampled types, each with its share of the ticks, as lines.</summary>
    public IEnumerable<string> Stop(int top)
    {
        _listening = false;
        var total = Math.Max(1, _ticks.Values.Sum());
        return _ticks.OrderByDescending(t => t.Value).Take(top).Select(t => $"{100.0 * t.Value / total,5:N1}%  {t.Key}")
            .Prepend($"allocation ticks (one per ~100 KB): {total:N0}");
    }

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, GcKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (!_listening || e.EventName is null || !e.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || e.Payload is null) return;
        var index = e.PayloadNames?.IndexOf("TypeName") ?? -1;
        if (index >= 0 && e.Payload[index] is string type) _ticks.AddOrUpdate(type, 1, (_, n) => n + 1);
    }
}
