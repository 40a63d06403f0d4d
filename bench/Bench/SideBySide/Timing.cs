using System.Diagnostics;

namespace Dsl.Bench.SideBySide;

/// <summary>Warm-up, then the median of several timed runs, in milliseconds.</summary>
internal static class Timing
{
    public static (double Median, double[] Runs) Median(Action compute, int runs)
    {
        // Warm-up: at least 3 calls and 1 s (or 1000 calls), so tiered compilation has settled before anything is timed.
        var warmUp = Stopwatch.StartNew();
        for (var w = 0; w < 3 || (warmUp.ElapsedMilliseconds < 1000 && w < 1000); w++) compute();
        var times = new double[runs];
        for (var r = 0; r < runs; r++)
        {
            var start = Stopwatch.GetTimestamp();
            compute();
            times[r] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        var sorted = times.Order().ToArray();
        var median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        return (median, times);
    }
}
