namespace Dsl;

public static partial class F
{
    /// <summary>The year of the timestamp.</summary>
    public static int Year(DateTime value) => value.Year;

    /// <summary>The month (1–12) of the timestamp.</summary>
    public static int Month(DateTime value) => value.Month;

    /// <summary>The day of the month (1–31) of the timestamp.</summary>
    public static int Day(DateTime value) => value.Day;

    /// <summary>The hour (0–23) of the timestamp.</summary>
    public static int Hour(DateTime value) => value.Hour;

    /// <summary>The day of the week, 0 = Sunday … 6 = Saturday.</summary>
    public static int DayOfWeek(DateTime value) => (int)value.DayOfWeek;

    /// <summary>The day of the year (1–366).</summary>
    public static int DayOfYear(DateTime value) => value.DayOfYear;

    /// <summary>True on Saturdays and Sundays.</summary>
    public static bool IsWeekend(DateTime value) =>
        value.DayOfWeek == System.DayOfWeek.Saturday || value.DayOfWeek == System.DayOfWeek.Sunday;

    /// <summary>The calendar date of the timestamp.</summary>
    public static DateOnly Date(DateTime value) => DateOnly.FromDateTime(value);

    /// <summary>The days from <paramref name="from"/> to <paramref name="to"/>, with fraction (negative when earlier).</summary>
    public static double DaysBetween(DateTime from, DateTime to) => (to - from).TotalDays;

    /// <summary>The hours from <paramref name="from"/> to <paramref name="to"/>, with fraction.</summary>
    public static double HoursBetween(DateTime from, DateTime to) => (to - from).TotalHours;

    /// <summary>The timestamp moved by a number of days; past the DateTime range throws.</summary>
    public static DateTime AddDays(DateTime value, double days) => value.AddDays(days);

    /// <summary>
    /// The UTC timestamp <paramref name="seconds"/> after 1970-01-01T00:00:00Z (before it when negative): Unix time, as event
    /// streams carry it (<c>F.FromUnixSeconds(m.UpdatedAt / 1_000_000)</c> for microseconds). A time outside years 1–9999
    /// (before -62,135,596,800 or after 253,402,300,799) throws <see cref="ArgumentOutOfRangeException"/>.
    /// </summary>
    // The epoch is written out: DateTime.UnixEpoch is a static field, which the CIL front end does not read (static state).
    public static DateTime FromUnixSeconds(long seconds) => new DateTime(621_355_968_000_000_000, DateTimeKind.Utc).AddSeconds(seconds);

    /// <summary>The year of the date.</summary>
    public static int Year(DateOnly value) => value.Year;

    /// <summary>The month (1–12) of the date.</summary>
    public static int Month(DateOnly value) => value.Month;

    /// <summary>The day of the month of the date.</summary>
    public static int Day(DateOnly value) => value.Day;

    /// <summary>The whole days from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static int DaysBetween(DateOnly from, DateOnly to) => to.DayNumber - from.DayNumber;
}
