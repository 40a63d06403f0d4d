using System.Diagnostics;
using System.Runtime;

namespace Dsl.Bench.Engine;

/// <summary>
/// Warming up until the JIT is done: tiered compilation recompiles hot methods in the background (tier 0, then an instrumented tier
/// for PGO, then the final tier), and on a busy 2-core host that takes far longer than a fixed warm-up — a perf profile of a 10 s HTTP
/// run showed almost every hot method still instrumented or at tier 0 at its end, with the JIT and its probes a third of the CPU. A
/// setting is timed only once no method has been compiled for a while, and says how many were compiled while it was timed.
/// </summary>
internal static class JitSettling
{
    /// <summary>How long no method may have been compiled before timing starts.</summary>
    private static readonly TimeSpan s_quiet = TimeSpan.FromSeconds(1);

    /// <summary>The longest the warm-up waits for the JIT beyond its fixed time (then the run is timed anyway, and says so).</summary>
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(60);

    /// <summary>Methods compiled so far by this process (all threads).</summary>
    public static long Compiled => JitInfo.GetCompiledMethodCount(currentThread: false);

    /// <summary>
    /// Runs <paramref name="warm"/> (a slice of warm-up work, a fraction of a second) until no method has been compiled for
    /// a second, at most a minute; false if the JIT never went quiet.
    /// </summary>
    public static async Task<bool> WaitAsync(Func<Task> warm)
    {
        var waited = Stopwatch.StartNew();
        var count = Compiled;
        var quietSince = Stopwatch.StartNew();
        while (waited.Elapsed < s_limit)
        {
            await warm().ConfigureAwait(false);
            var now = Compiled;
            if (now != count)
            {
                count = now;
                quietSince.Restart();
            }
            else if (quietSince.Elapsed >= s_quiet) return true;
        }
        return false;
    }

    /// <summary>The synchronous form of <see cref="WaitAsync"/>, for warm-up work that does not await.</summary>
    public static bool Wait(Action warm) => WaitAsync(() =>
    {
        warm();
        return Task.CompletedTask;
    }).GetAwaiter().GetResult();

    /// <summary>A note for the results line: the methods compiled while timed (0 when the timed code was final throughout).</summary>
    public static string Note(long before, bool settled) =>
        $"{Compiled - before:N0} methods compiled while timed{(settled ? "" : " (the JIT was still busy after a minute of warm-up)")}";
}
