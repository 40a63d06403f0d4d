using FsCheckProperty = FsCheck.NUnit.PropertyAttribute;

namespace Dsl.ArrowExtensions.Tests.Values;

public class TemporalConversionsTests
{
    [Test]
    public void DateFromDays_EpochAndNegative_AreCalendarDates()
    {
        Assert.That(TemporalConversions.DateFromDays(0), Is.EqualTo(new DateOnly(1970, 1, 1)));
        Assert.That(TemporalConversions.DateFromDays(-1), Is.EqualTo(new DateOnly(1969, 12, 31)));
        Assert.That(TemporalConversions.DaysFromDate(new DateOnly(2000, 3, 1)), Is.EqualTo(11017));
    }

    [Test]
    public void DateFromDays_OutsideDateOnly_ThrowsOverflowNamingTheValue() =>
        Assert.That(() => TemporalConversions.DateFromDays(int.MaxValue), Throws.TypeOf<OverflowException>().With.Message.Contains("2147483647"));

    [TestCase(TimeUnit.Second, 1L, 10_000_000L)]
    [TestCase(TimeUnit.Millisecond, -1L, -10_000L)]
    [TestCase(TimeUnit.Microsecond, 3L, 30L)]
    [TestCase(TimeUnit.Nanosecond, 250L, 2L)]
    [TestCase(TimeUnit.Nanosecond, -1L, -1L)]
    public void DateTimeFromTimestamp_EachUnit_RoundsDownToTicks(TimeUnit unit, long value, long expectedTicks)
    {
        var result = TemporalConversions.DateTimeFromTimestamp(value, unit);
        Assert.That(result.Ticks - DateTime.UnixEpoch.Ticks, Is.EqualTo(expectedTicks));
        Assert.That(result.Kind, Is.EqualTo(DateTimeKind.Utc));
    }

    [Test]
    public void DateTimeFromTimestamp_OutOfRange_ThrowsOverflow()
    {
        Assert.That(() => TemporalConversions.DateTimeFromTimestamp(long.MaxValue, TimeUnit.Second), Throws.TypeOf<OverflowException>());
        Assert.That(() => TemporalConversions.DateTimeFromTimestamp(long.MinValue, TimeUnit.Microsecond), Throws.TypeOf<OverflowException>());
    }

    [Test]
    public void TimestampFromDateTime_RoundTripsAtEachUnit()
    {
        var value = new DateTime(2024, 2, 29, 13, 45, 30, 123, DateTimeKind.Utc).AddTicks(4567);
        Assert.That(TemporalConversions.TimestampFromDateTime(value, TimeUnit.Second), Is.EqualTo(1709214330L));
        Assert.That(TemporalConversions.TimestampFromDateTime(value, TimeUnit.Millisecond), Is.EqualTo(1709214330123L));
        Assert.That(TemporalConversions.TimestampFromDateTime(value, TimeUnit.Microsecond), Is.EqualTo(1709214330123456L));
        Assert.That(TemporalConversions.TimestampFromDateTime(value, TimeUnit.Nanosecond), Is.EqualTo(1709214330123456700L));
    }

    [Test]
    public void TimestampFromDateTime_NanosecondsBeyond2262_ThrowsOverflow() =>
        Assert.That(() => TemporalConversions.TimestampFromDateTime(new DateTime(2300, 1, 1), TimeUnit.Nanosecond), Throws.TypeOf<OverflowException>());

    [Test]
    public void Durations_RoundTripTimeSpans()
    {
        Assert.That(TemporalConversions.TimeSpanFromDuration(1500, TimeUnit.Millisecond), Is.EqualTo(TimeSpan.FromMilliseconds(1500)));
        Assert.That(TemporalConversions.DurationFromTimeSpan(TimeSpan.FromSeconds(-2.5), TimeUnit.Second), Is.EqualTo(-3L));
        Assert.That(() => TemporalConversions.TimeSpanFromDuration(long.MaxValue, TimeUnit.Second), Throws.TypeOf<OverflowException>());
    }

    [FsCheckProperty(MaxTest = 300)]
    public bool Timestamp_InRangeValue_RoundTripsThroughDateTimeAtEveryCoarseUnit(long raw)
    {
        // DateTime reaches about 2.5e17 ticks after the epoch (year 9999): keep each value inside that.
        foreach (var (unit, limit) in new[] { (TimeUnit.Second, 25_000_000_000L), (TimeUnit.Millisecond, 25_000_000_000_000L), (TimeUnit.Microsecond, 25_000_000_000_000_000L) })
        {
            // Spread the (mostly small) generated values over the range; wrapping is harmless, % keeps it inside.
            var value = (raw % limit) * (raw % 3 == 0 ? 1 : 7_919) % limit;
            if (TemporalConversions.TimestampFromDateTime(TemporalConversions.DateTimeFromTimestamp(value, unit), unit) != value)
            {
                return false;
            }
        }

        return true;
    }

    [FsCheckProperty(MaxTest = 300)]
    public bool Timestamp_Nanoseconds_ConvertMonotonically(long a, long b)
    {
        var (low, high) = a <= b ? (a, b) : (b, a);
        return TemporalConversions.DateTimeFromTimestamp(low, TimeUnit.Nanosecond) <= TemporalConversions.DateTimeFromTimestamp(high, TimeUnit.Nanosecond);
    }

    [FsCheckProperty(MaxTest = 500)]
    public bool LastTimestampAtOrBefore_OrdersRawValuesAsTheirInstants(long raw, long instant, int shift)
    {
        foreach (var unit in new[] { TimeUnit.Second, TimeUnit.Millisecond, TimeUnit.Microsecond, TimeUnit.Nanosecond })
        {
            var (min, max) = TemporalConversions.TimestampRange(unit);
            // Values inside the range, near the instant's neighbours and the range's edges as well as anywhere.
            var value = Math.Clamp(raw >> (shift & 63), min, max);
            var ticks = (shift & 3) switch
            {
                0 => instant,
                1 => TemporalConversions.DateTimeFromTimestamp(value, unit).Ticks + (instant % 3),
                2 => DateTime.MaxValue.Ticks - (instant & 0xFF),
                _ => instant % 1000,
            };
            var converted = TemporalConversions.DateTimeFromTimestamp(value, unit).Ticks;
            if (converted <= ticks != value <= TemporalConversions.LastTimestampAtOrBefore(ticks, unit)) return false;
        }

        return true;
    }

    [TestCase(TimeUnit.Second)]
    [TestCase(TimeUnit.Millisecond)]
    [TestCase(TimeUnit.Microsecond)]
    [TestCase(TimeUnit.Nanosecond)]
    public void TimestampRange_EdgesConvertAndTheirNeighboursOverflow(TimeUnit unit)
    {
        var (min, max) = TemporalConversions.TimestampRange(unit);
        Assert.That(TemporalConversions.DateTimeFromTimestamp(min, unit), Is.GreaterThanOrEqualTo(DateTime.MinValue));
        Assert.That(TemporalConversions.DateTimeFromTimestamp(max, unit), Is.LessThanOrEqualTo(DateTime.MaxValue));
        if (min > long.MinValue) Assert.That(() => TemporalConversions.DateTimeFromTimestamp(min - 1, unit), Throws.TypeOf<OverflowException>());
        if (max < long.MaxValue) Assert.That(() => TemporalConversions.DateTimeFromTimestamp(max + 1, unit), Throws.TypeOf<OverflowException>());
    }
}
