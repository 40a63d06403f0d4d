using Apache.Arrow;
using Apache.Arrow.Types;

namespace Dsl.Cli.Demo;

/// <summary>
/// Generates sample <see cref="Samples.User"/>s and their <see cref="Samples.Transaction"/>s, deterministic for a seed:
/// each user has 0 to 40 transactions over 60 days (some with none, some on the same instant), recorded in time order
/// across users, and is computed as of its own time (<see cref="NowColumn"/>) in the last 10 days, so that later
/// transactions are invisible to it.
/// </summary>
internal static class UserBatches
{
    /// <summary>The users' column with the time each is computed for.</summary>
    public const string NowColumn = "At";

    private static readonly TimestampType s_time = new(TimeUnit.Microsecond, "UTC");
    private static readonly DateTime s_end = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly long s_span = TimeSpan.FromDays(60).Ticks / TimeSpan.TicksPerMicrosecond;

    /// <summary>The users (<c>Id</c>, <c>At</c>) and their transactions (<c>Id</c>, <c>UserId</c>, <c>Subtotal</c>, <c>CreatedAt</c>).</summary>
    public static (RecordBatch Users, RecordBatch Transactions) Generate(int users, int seed)
    {
        var random = new Random(seed);
        var end = new DateTimeOffset(s_end).ToUnixTimeMilliseconds() * 1000;
        var userId = new Int64Array.Builder();
        var at = new TimestampArray.Builder(s_time);
        var events = new List<(long At, long User, double Subtotal)>();
        for (var u = 0; u < users; u++)
        {
            userId.Append(u);
            at.Append(DateTimeOffset.UnixEpoch.AddTicks((end - random.NextInt64(s_span / 6)) * TimeSpan.TicksPerMicrosecond));
            var count = random.Next(41);
            var previous = end - random.NextInt64(s_span);
            for (var t = 0; t < count; t++)
            {
                // One in ten shares the previous transaction's instant: ties for MaxBy, whose first wins.
                var time = random.Next(10) == 0 ? previous : end - random.NextInt64(s_span);
                events.Add((time, u, Math.Round(random.NextDouble() * 2000, 2)));
                previous = time;
            }
        }

        events.Sort((a, b) => a.At.CompareTo(b.At));
        var id = new Int64Array.Builder();
        var owner = new Int64Array.Builder();
        var subtotal = new DoubleArray.Builder();
        var createdAt = new TimestampArray.Builder(s_time);
        for (var k = 0; k < events.Count; k++)
        {
            id.Append(k);
            owner.Append(events[k].User);
            subtotal.Append(events[k].Subtotal);
            createdAt.Append(DateTimeOffset.UnixEpoch.AddTicks(events[k].At * TimeSpan.TicksPerMicrosecond));
        }

        var userSchema = new Schema([new Field("Id", Int64Type.Default, false), new Field(NowColumn, s_time, false)], null);
        var transactionSchema = new Schema([
            new Field("Id", Int64Type.Default, false), new Field("UserId", Int64Type.Default, false),
            new Field("Subtotal", DoubleType.Default, false), new Field("CreatedAt", s_time, false)], null);
        return (new RecordBatch(userSchema, [userId.Build(), at.Build()], users),
            new RecordBatch(transactionSchema, [id.Build(), owner.Build(), subtotal.Build(), createdAt.Build()], events.Count));
    }
}
