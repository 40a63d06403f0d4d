using Apache.Arrow;
using Apache.Arrow.Types;
using Dsl.Runtime;
using FsCheck;
using FsCheck.Fluent;

namespace Dsl.Tests.Functions;

/// <summary>
/// <c>F.FromUnixSeconds</c>: compiled (as a <c>_</c> expression, also over <c>micros / 1_000_000</c>), it gives on every row
/// what calling it gives — values, nulls for null inputs, and <see cref="ArgumentOutOfRangeException"/> outside years 1–9999 (in a batch,
/// a time outside the timestamp[ns] range 1677–2262 fails its row with <see cref="OverflowException"/>, as every timestamp result does) —
/// over batches (compiled and row by row; a null input is a null output) and online over objects.
/// </summary>
public sealed class FromUnixSecondsTests
{
    public sealed class Event
    {
        public long Seconds { get; set; }
        public long Micros { get; set; }
        public DateTime? At { get; set; }
        public DateTime AtFromMicros { get; set; }
    }

    private const long MinSeconds = -62_135_596_800;  // 0001-01-01T00:00:00Z
    private const long MaxSeconds = 253_402_300_799;  // 9999-12-31T23:59:59Z

    private static readonly long[] Edges =
    [
        0, 1, -1, 86_400, 1_782_777_600, MinSeconds, MinSeconds - 1, MaxSeconds, MaxSeconds + 1, long.MinValue, long.MaxValue,
        long.MinValue + 1, long.MaxValue - 1, int.MaxValue, int.MinValue,
    ];

    private static CompiledFeatureSet<Event> Features() => new FeatureSet<Event>(f => f
        .Define(e => e.At, _ => F.FromUnixSeconds(_.Seconds))
        .Define(e => e.AtFromMicros, _ => F.FromUnixSeconds(_.Micros / 1_000_000))).Compile();

    [Test]
    public void Values_and_range_follow_the_definition()
    {
        Assert.That(F.FromUnixSeconds(0), Is.EqualTo(DateTime.UnixEpoch));
        Assert.That(F.FromUnixSeconds(1_782_777_600), Is.EqualTo(new DateTime(2026, 6, 30, 0, 0, 0, DateTimeKind.Utc)));
        Assert.That(F.FromUnixSeconds(-1), Is.EqualTo(new DateTime(1969, 12, 31, 23, 59, 59, DateTimeKind.Utc)));
        Assert.That(F.FromUnixSeconds(MinSeconds), Is.EqualTo(DateTime.MinValue));
        Assert.That(F.FromUnixSeconds(MaxSeconds), Is.EqualTo(new DateTime(9999, 12, 31, 23, 59, 59, DateTimeKind.Utc)));
        Assert.That(F.FromUnixSeconds(5).Kind, Is.EqualTo(DateTimeKind.Utc));
        foreach (var outside in new[] { MinSeconds - 1, MaxSeconds + 1, long.MinValue, long.MaxValue })
            Assert.That(() => F.FromUnixSeconds(outside), Throws.TypeOf<ArgumentOutOfRangeException>(), outside.ToString());
    }

    [Test]
    public void Both_uses_compile()
    {
        foreach (var verdict in Features().Verdicts) Assert.That(verdict.Mode, Is.EqualTo(ExecutionMode.Compiled), $"{verdict.Feature}: {verdict.Reason}");
    }

    [Test]
    public void Compiled_row_by_row_and_online_agree_on_generated_seconds_with_nulls_and_extremes()
    {
        var seconds = Gen.OneOf(
            Gen.Elements(Edges.Select(e => (long?)e).Append(null).ToArray()),
            Gen.Choose(-100_000, 100_000).Select(d => (long?)(d * 86_400L + d % 86_400)),
            ArbMap.Default.GeneratorFor<long>().Select(l => (long?)l));
        var micros = Gen.OneOf(Gen.Elements(Edges.Select(e => e * 1_000_000 / 1_000_000).Concat([long.MinValue, long.MaxValue, -1, 999_999, -999_999]).ToArray()),
            ArbMap.Default.GeneratorFor<long>());
        var features = Features();
        Prop.ForAll(Gen.Zip(seconds, micros).ArrayOf().ToArbitrary(), rows =>
        {
            var all = rows.Concat(Edges.Select(e => ((long?)e, e))).Append((null, 0L)).ToArray();
            Check(features, all);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(100).WithQuietOnSuccess(true));
    }

    private static void Check(CompiledFeatureSet<Event> features, (long? Seconds, long Micros)[] rows)
    {
        var schema = new Schema([new Field("Seconds", Int64Type.Default, true), new Field("Micros", Int64Type.Default, false)], null);
        var secondsColumn = new Int64Array.Builder();
        foreach (var row in rows)
        {
            if (row.Seconds is { } value) secondsColumn.Append(value);
            else secondsColumn.AppendNull();
        }
        using var batch = new RecordBatch(schema, [
            secondsColumn.Build(),
            new Int64Array.Builder().AppendRange(rows.Select(r => r.Micros)).Build(),
        ], rows.Length);
        using var compiled = features.Evaluate(batch, new EvaluateOptions { Mode = EvaluationMode.Compiled });
        using var rowByRow = features.Evaluate(batch, new EvaluateOptions { Mode = EvaluationMode.Fallback });
        foreach (var feature in new[] { "At", "AtFromMicros" })
        {
            Assert.That(Errors(compiled, feature), Is.EqualTo(Errors(rowByRow, feature)), $"{feature}: the error rows and types");
            var a = (TimestampArray)compiled.Output.Column(feature);
            var b = (TimestampArray)rowByRow.Output.Column(feature);
            for (var i = 0; i < rows.Length; i++)
            {
                Assert.That(a.GetTimestamp(i), Is.EqualTo(b.GetTimestamp(i)), $"{feature} row {i}: {rows[i]}");
                // A null input is a null output without a call (the column is bound to a long); online, an object has no null long.
                var input = feature == "At" ? rows[i].Seconds : rows[i].Micros / 1_000_000;
                var expected = Expected(input);
                // A batch's timestamp[ns] column holds 1677–2262 only: a time outside fails the row with OverflowException (on both paths).
                var batchError = expected.Value is { } value && !FitsNanoseconds(value) ? "System.OverflowException" : expected.Error;
                Assert.That(Errors(compiled, feature).FirstOrDefault(e => e.Row == i).Type, Is.EqualTo(batchError), $"{feature} row {i}: {rows[i]}");
                Assert.That(a.GetTimestamp(i)?.UtcDateTime, Is.EqualTo(batchError is null ? expected.Value : null), $"{feature} row {i}: {rows[i]}");
                if (input is null) continue;
                var online = features.Evaluate(new Event { Seconds = rows[i].Seconds ?? 0, Micros = rows[i].Micros });
                Assert.That(online.Errors.FirstOrDefault(e => e.Feature == feature)?.ExceptionType, Is.EqualTo(expected.Error), $"{feature} online, row {i}: {rows[i]}");
                if (expected.Error is null) Assert.That(online[feature], Is.EqualTo(expected.Value), $"{feature} online, row {i}: {rows[i]}");
            }
        }
    }

    private static (DateTime? Value, string? Error) Expected(long? seconds)
    {
        if (seconds is null) return (null, null);
        try
        {
            return (F.FromUnixSeconds(seconds.Value), null);
        }
        catch (ArgumentOutOfRangeException)
        {
            return (null, "System.ArgumentOutOfRangeException");
        }
    }

    private static bool FitsNanoseconds(DateTime time)
    {
        try
        {
            _ = checked((time.Ticks - DateTime.UnixEpoch.Ticks) * 100);
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    private static List<(int Row, string Type)> Errors(FeatureSetResult result, string feature) =>
        result.Errors[feature].Select(e => (e.Row, e.ExceptionType)).ToList();
}
