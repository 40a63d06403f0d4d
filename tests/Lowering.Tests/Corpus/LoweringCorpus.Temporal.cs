namespace Dsl.Lowering.Tests.Corpus;

internal static partial class LoweringCorpus
{
    private static IEnumerable<CorpusEntry> Temporal()
    {
        yield return E("date difference in days", "datetime", (Func<DateTime, DateTime, double>)((a, b) => (a - b).TotalDays));
        yield return E("date plus days", "datetime", (Func<DateTime, double, DateTime>)((t, days) => t.AddDays(days)));
        yield return E("date comparison", "datetime", (Func<DateTime, DateTime, bool>)((a, b) => a < b && a.Year == b.Year));
        yield return E("date parts", "datetime", (Func<DateTime, int>)(t => t.Year * 10000 + t.Month * 100 + t.Day));
        yield return E("weekend", "datetime", (Func<DateTime, bool>)(t => t.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday));
        yield return E("timespan arithmetic", "datetime", (Func<TimeSpan, TimeSpan, double>)((a, b) => (a + b).TotalHours));
        yield return E("date plus timespan", "datetime", (Func<DateTime, TimeSpan, long>)((t, d) => (t + d).Ticks));
        yield return E("clock is refused", "datetime", (Func<DateTime, bool>)(t => t < DateTime.Now), "non-deterministic");
    }
}
