using System.Collections.Concurrent;
using System.Diagnostics;

namespace Dsl.Fuzz.Differential;

/// <summary>
/// Watches the programs being checked: one that runs longer than <c>limit</c> is reported with the command that
/// re-checks it alone (a hang in lowering or in a kernel otherwise shows only as a stalled progress line), and
/// one still running after three times the limit ends the process with exit code 2, since a thread cannot be
/// stopped from outside. The long mode arms it; the CI mode does not need it (NUnit has its own timeout).
/// </summary>
internal sealed class HangWatchdog : IDisposable
{
    private readonly ConcurrentDictionary<int, long> _started = new();
    private readonly ConcurrentDictionary<int, bool> _reported = new();
    private readonly TimeSpan _limit;
    private readonly Action<string> _report;
    private readonly Action _stop;
    private readonly Timer _timer;
    private int _stopping;

    /// <summary>Arms the watchdog; <paramref name="stop"/> (default: exit with code 2) runs when a program overstays three limits.</summary>
    public HangWatchdog(TimeSpan limit, Action<string> report, Action? stop = null)
    {
        _limit = limit;
        _report = report;
        _stop = stop ?? (() => Environment.Exit(2));
        var period = TimeSpan.FromSeconds(Math.Clamp(limit.TotalSeconds / 4, 1, 10));
        _timer = new Timer(_ => Check(), null, period, period);
    }

    /// <summary>Marks program <paramref name="index"/> as running until the returned scope is disposed.</summary>
    public Scope Watch(int index)
    {
        _started[index] = Stopwatch.GetTimestamp();
        return new Scope(this, index);
    }

    public void Dispose() => _timer.Dispose();

    private void Check()
    {
        foreach (var (index, started) in _started)
        {
            var running = Stopwatch.GetElapsedTime(started);
            if (running > _limit && _reported.TryAdd(index, true))
                _report($"program {index} has run for {running.TotalSeconds:F0} s, likely a hang. Re-check it with --from {index} --programs 1");
            if (running > 3 * _limit && Interlocked.Exchange(ref _stopping, 1) == 0)
            {
                _report($"program {index} still running after {running.TotalSeconds:F0} s: stopping the run");
                _stop();
            }
        }
    }

    public readonly struct Scope(HangWatchdog watchdog, int index) : IDisposable
    {
        public void Dispose() => watchdog._started.TryRemove(index, out _);
    }
}
