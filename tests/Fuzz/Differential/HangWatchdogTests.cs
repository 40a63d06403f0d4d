using System.Collections.Concurrent;
using NUnit.Framework;

namespace Dsl.Fuzz.Differential;

[TestFixture]
public sealed class HangWatchdogTests
{
    [Test]
    public void Watch_ProgramOverstaying_IsReportedWithItsIndexThenStopped()
    {
        var lines = new ConcurrentQueue<string>();
        using var stopped = new ManualResetEventSlim();
        using var watchdog = new HangWatchdog(TimeSpan.FromMilliseconds(300), lines.Enqueue, stopped.Set);
        using (watchdog.Watch(41))
        {
            Assert.That(stopped.Wait(TimeSpan.FromSeconds(20)), Is.True, "the watchdog never stopped the run");
        }

        Assert.That(lines, Has.Some.Contains("program 41 has run").And.Some.Contains("--from 41 --programs 1"));
        Assert.That(lines, Has.Some.Contains("program 41 still running"));
    }

    [Test]
    public void Watch_ProgramFinishingInTime_IsNotReported()
    {
        var lines = new ConcurrentQueue<string>();
        using (var watchdog = new HangWatchdog(TimeSpan.FromSeconds(30), lines.Enqueue, () => Assert.Fail("stopped")))
        {
            using (watchdog.Watch(7)) Thread.Sleep(50);
            Thread.Sleep(1200);
        }

        Assert.That(lines, Is.Empty);
    }
}
