using System.Diagnostics;
using System.Globalization;
using Dsl.Streams.Processing;

namespace Dsl.Cli.Streams;

/// <summary>
/// The live progress line of <c>dsl stream</c> on standard error: messages, rate, filtered, parse-skipped, duplicates, late,
/// errors and the source's lag; redrawn in place on a terminal, one line per second otherwise.
/// </summary>
internal sealed class ProgressLine
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan? _last;

    public void Update(StreamCounters counters, long? lag)
    {
        if (_last is { } last && _clock.Elapsed - last < TimeSpan.FromMilliseconds(Console.IsErrorRedirected ? 1000 : 250)) return;
        _last = _clock.Elapsed;
        var line = Format(counters, lag, _clock.Elapsed);
        if (Console.IsErrorRedirected) Console.Error.WriteLine(line);
        else Console.Error.Write("\r" + line.PadRight(Console.BufferWidth > 1 ? Math.Min(Console.BufferWidth - 1, 160) : 0));
    }

    /// <summary>Draws the line a last time with the final counts, and ends it.</summary>
    public void Finish(StreamCounters counters, long? lag)
    {
        _last = null;
        Update(counters, lag);
        if (!Console.IsErrorRedirected) Console.Error.WriteLine();
    }

    public static string Format(StreamCounters c, long? lag, TimeSpan elapsed)
    {
        var rate = elapsed.TotalSeconds > 0 ? c.Messages / elapsed.TotalSeconds : 0;
        return string.Create(CultureInfo.InvariantCulture,
            $"{c.Messages:N0} msgs ({rate:N0}/s), {c.Written:N0} written, {c.Filtered:N0} filtered, {c.ParseSkipped:N0} parse-skipped, {c.Duplicates:N0} duplicates, {c.Late:N0} late, {c.Errors:N0} errors, lag {(lag is { } l ? l.ToString("N0", CultureInfo.InvariantCulture) : "-")}");
    }
}
