using System.Globalization;
using System.Numerics;

namespace Dsl.Bench.Engine;

/// <summary>
/// Latencies recorded into log-linear buckets, as HdrHistogram does: each power of two of nanoseconds is split into 128 equal
/// buckets, so any percentile read back is within 1/128 (0.8%) of the recorded value, in constant memory whatever the count.
/// Recording does not allocate. Not thread-safe: one per recording thread, then <see cref="Add"/>.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBucketBits = 7;
    private const int SubBuckets = 1 << SubBucketBits;
    private readonly long[] _counts = new long[64 * SubBuckets];

    public long Count { get; private set; }

    public long Max { get; private set; }

    public void Record(TimeSpan latency) => Record(Math.Max(1, (long)(latency.Ticks * 100)));

    /// <summary>Records one latency of <paramref name="nanoseconds"/>.</summary>
    public void Record(long nanoseconds)
    {
        _counts[Index(nanoseconds)]++;
        Count++;
        Max = Math.Max(Max, nanoseconds);
    }

    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < _counts.Length; i++) _counts[i] += other._counts[i];
        Count += other.Count;
        Max = Math.Max(Max, other.Max);
    }

    /// <summary>The latency (ns) at or below which <paramref name="percentile"/> % of the recordings fall (the bucket's upper edge).</summary>
    public long Percentile(double percentile)
    {
        if (Count == 0) return 0;
        var rank = (long)Math.Ceiling(percentile / 100 * Count);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= Math.Max(1, rank)) return Math.Min(UpperEdge(i), Max);
        }
        return Max;
    }

    /// <summary><c>p50 12.3 µs  p90 …  p99 …  p99.9 …  max …  (n = …)</c></summary>
    public string Summary() => string.Join("  ", new[] { 50, 90, 99, 99.9 }.Select(p => $"p{p.ToString(CultureInfo.InvariantCulture)} {Format(Percentile(p))}"))
                               + $"  max {Format(Max)}  (n = {Count:N0})";

    public static string Format(long nanoseconds) => nanoseconds switch
    {
        < 10_000 => $"{nanoseconds / 1000.0:0.00} µs",
        < 1_000_000 => $"{nanoseconds / 1000.0:0.0} µs",
        _ => $"{nanoseconds / 1e6:0.000} ms",
    };

    /// <summary>Values below 256 have a bucket each; above, <c>value &gt;&gt; s</c> keeps the top 8 bits (s = highest bit − 7).</summary>
    private static int Index(long value)
    {
        var shift = Math.Max(0, 63 - BitOperations.LeadingZeroCount((ulong)value) - SubBucketBits);
        return shift * SubBuckets + (int)(value >> shift);
    }

    private static long UpperEdge(int index)
    {
        var shift = Math.Max(0, index / SubBuckets - 1);
        var top = index - shift * SubBuckets;
        return ((long)(top + 1) << shift) - 1;
    }
}
