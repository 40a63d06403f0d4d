using Dsl.Arrow.Types;

namespace Dsl.Arrow.Tests.Arrays;

public class TemporalArrayTests
{
    [Test]
    public void Date32Array_BuildAndSlice_ReadsDates()
    {
        DateOnly?[] dates = [new DateOnly(1970, 1, 1), null, new DateOnly(1900, 5, 6), new DateOnly(2038, 1, 20)];
        using var array = new Date32Array.Builder().AppendRange(dates).Build();
        using var slice = (Date32Array)array.Slice(1, 3);

        Assert.That(array.DataType, Is.SameAs(Date32Type.Default));
        Assert.That(Enumerable.Range(0, 4).Select(array.GetDateOnly), Is.EqualTo(dates));
        Assert.That(array.Values[0], Is.EqualTo(0));
        Assert.That(slice.GetDateOnly(1), Is.EqualTo(new DateOnly(1900, 5, 6)));
        Assert.That(slice.GetDateTime(2), Is.EqualTo(new DateTime(2038, 1, 20, 0, 0, 0, DateTimeKind.Utc)));
        Assert.That(slice.GetDateOnly(0), Is.Null);
    }

    [Test]
    public void TimestampArray_KeepsUnitAndZoneAndReadsUtc()
    {
        var type = new TimestampType(TimeUnit.Millisecond, "Europe/Paris");
        var instant = new DateTime(2024, 6, 1, 12, 0, 0, 250, DateTimeKind.Utc);
        using var array = new TimestampArray.Builder(type).Append(instant).AppendNull().Append(new DateTimeOffset(instant).ToOffset(TimeSpan.FromHours(2))).Build();

        Assert.That(array.Type, Is.EqualTo(type));
        Assert.That(array.GetDateTime(0), Is.EqualTo(instant));
        Assert.That(array.GetDateTime(0)!.Value.Kind, Is.EqualTo(DateTimeKind.Utc));
        Assert.That(array.GetTimestamp(2), Is.EqualTo(new DateTimeOffset(instant)));
        Assert.That(array.GetTimestamp(1), Is.Null);
        Assert.That(array.Values[0], Is.EqualTo(1717243200250L));
    }

    [Test]
    public void TimestampArray_BuilderDefault_IsMicrosecondsWithoutZone()
    {
        using var array = new TimestampArray.Builder().Append(DateTime.UnixEpoch.AddTicks(10)).Build();
        Assert.That(array.Type, Is.EqualTo(new TimestampType(TimeUnit.Microsecond)));
        Assert.That(array.Values[0], Is.EqualTo(1L));
    }

    [Test]
    public void DurationArray_ReadsTimeSpansInItsUnit()
    {
        using var array = new DurationArray.Builder(DurationType.Microsecond)
            .Append(TimeSpan.FromMilliseconds(1.5)).AppendNull().Append(-5L).Build();

        Assert.That(array.Type, Is.SameAs(DurationType.Microsecond));
        Assert.That(array.Values[0], Is.EqualTo(1500L));
        Assert.That(array.GetTimeSpan(0), Is.EqualTo(TimeSpan.FromMilliseconds(1.5)));
        Assert.That(array.GetTimeSpan(1), Is.Null);
        Assert.That(array.GetTimeSpan(2), Is.EqualTo(TimeSpan.FromTicks(-50)));
    }

    [Test]
    public void Factory_TemporalData_BuildsTheTemporalClasses()
    {
        using var timestamps = new TimestampArray.Builder(new TimestampType(TimeUnit.Second, "UTC")).Append(0L).Build();
        using var slice = timestamps.Slice(0, 1);
        Assert.That(slice, Is.TypeOf<TimestampArray>());
        Assert.That(slice.DataType.ToString(), Is.EqualTo("timestamp[s, tz=UTC]"));
    }
}
